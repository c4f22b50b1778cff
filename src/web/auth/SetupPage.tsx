import { Alert, Button, Divider, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconRocket } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { PASSWORD_MIN } from '../../features/auth/auth.schema.ts';
import { useSetup } from '../api/auth.ts';
import { problemOf } from '../api/http.ts';
import { browserDefaults } from '../lib/countries.ts';
import { focusFirstError, splitFieldErrors } from '../lib/form-errors.ts';
import { LocaleSelect } from '../settings/LocaleSelect.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { AuthLayout } from './AuthLayout.tsx';

interface SetupValues {
  businessName: string;
  currency: string | null;
  defaultCountry: string | null;
  timeZone: string | null;
  ownerName: string;
  email: string;
  password: string;
  confirmPassword: string;
}

const FIELDS = new Set(['businessName', 'currency', 'defaultCountry', 'timeZone', 'ownerName', 'email', 'password']);

/** First run: the business and the owner's account, in one form; the owner is signed in at the end. */
export function SetupPage() {
  usePageTitle('Set up');
  const setup = useSetup();
  const formRef = useRef<HTMLFormElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<SetupValues>({
    mode: 'controlled',
    initialValues: {
      businessName: '',
      ...browserDefaults(),
      ownerName: '',
      email: '',
      password: '',
      confirmPassword: '',
    },
    validate: {
      businessName: (value) => (value.trim() ? null : 'Enter the name of your business'),
      ownerName: (value) => (value.trim() ? null : 'Enter your name'),
      email: (value) => (value.trim() ? null : 'Enter your email'),
      password: (value) => (value.length >= PASSWORD_MIN ? null : `Must be at least ${PASSWORD_MIN} characters`),
      confirmPassword: (value, values) => (value === values.password ? null : 'The two passwords are not the same'),
    },
  });

  const submit = form.onSubmit(
    ({ confirmPassword: _, currency, defaultCountry, timeZone, ...values }) => {
      setFailure(null);
      setup.mutate(
        {
          ...values,
          ...(currency ? { currency } : {}),
          ...(defaultCountry ? { defaultCountry } : {}),
          ...(timeZone ? { timeZone } : {}),
        },
        {
          onError: (error) => {
            const problem = problemOf(error);
            const { byField, unplaced } = splitFieldErrors(problem, (field) => FIELDS.has(field));
            form.setErrors(byField);
            if (Object.keys(byField).length === 0 || unplaced.length > 0) {
              setFailure(
                unplaced.length > 0
                  ? unplaced.map((item) => `${item.field}: ${item.message}`).join(' ')
                  : (problem.detail ?? problem.title),
              );
            }
            requestAnimationFrame(() => focusFirstError(formRef.current));
          },
        },
      );
    },
    () => requestAnimationFrame(() => focusFirstError(formRef.current)),
  );

  return (
    <AuthLayout
      title="Welcome to Patron"
      description="Set up your business and your own account. You can change the business details later in Settings."
      width={620}
    >
      <form ref={formRef} onSubmit={submit} noValidate>
        <Stack gap="md">
          {failure ? (
            <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Patron was not set up" role="alert">
              {failure}
            </Alert>
          ) : null}
          <Divider label="Your business" labelPosition="left" />
          <TextInput
            label="Business name"
            description="As your team and your receipts call it"
            withAsterisk
            maxLength={200}
            autoFocus
            {...form.getInputProps('businessName')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <LocaleSelect kind="country" label="Country" {...form.getInputProps('defaultCountry')} />
            <LocaleSelect kind="currency" label="Currency" {...form.getInputProps('currency')} />
            <LocaleSelect kind="timeZone" label="Time zone" {...form.getInputProps('timeZone')} />
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt={-6}>
            Guessed from this browser. Phone numbers without a country code are read as from this country.
          </Text>

          <Divider label="Your account (the owner)" labelPosition="left" mt="xs" />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput
              label="Your name"
              withAsterisk
              autoComplete="name"
              maxLength={200}
              {...form.getInputProps('ownerName')}
            />
            <TextInput
              label="Email"
              description="You sign in with it"
              type="email"
              withAsterisk
              autoComplete="username"
              {...form.getInputProps('email')}
            />
            <PasswordInput
              label="Password"
              description={`At least ${PASSWORD_MIN} characters`}
              withAsterisk
              autoComplete="new-password"
              {...form.getInputProps('password')}
            />
            <PasswordInput
              label="Confirm password"
              description="The same again, to be sure"
              withAsterisk
              autoComplete="new-password"
              {...form.getInputProps('confirmPassword')}
            />
          </SimpleGrid>
          <Button type="submit" size="md" loading={setup.isPending} leftSection={<IconRocket size={18} />} mt="xs">
            Create business and sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}

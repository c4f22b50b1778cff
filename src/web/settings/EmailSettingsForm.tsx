import {
  Alert,
  Badge,
  Button,
  Group,
  Input,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCheck, IconMailCog } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { EmailSettings, EmailSettingsUpdate } from '../../features/settings/email-settings.schema.ts';
import { problemOf } from '../api/http.ts';
import { useEmailSettings, useUpdateEmailSettings } from '../api/settings.ts';
import { focusFirstError, splitFieldErrors } from '../lib/form-errors.ts';
import { LeaveGuard } from '../ui/LeaveGuard.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';

type Security = EmailSettingsUpdate['security'];

/** The port each kind of connection usually listens on: choosing the kind fills it in. */
const USUAL_PORTS: Record<Security, number> = { tls: 465, starttls: 587, none: 25 };

interface EmailFormValues {
  host: string;
  port: number | string;
  security: Security;
  username: string;
  password: string;
  fromAddress: string;
  fromName: string;
}

const FIELDS = new Set(['host', 'port', 'security', 'username', 'password', 'fromAddress', 'fromName']);

function toValues(settings: EmailSettings): EmailFormValues {
  return {
    host: settings.host ?? '',
    port: settings.port ?? USUAL_PORTS.starttls,
    security: settings.security ?? 'starttls',
    username: settings.username ?? '',
    password: '',
    fromAddress: settings.fromAddress ?? '',
    fromName: settings.fromName ?? '',
  };
}

/** Settings → Email: the mail server receipts go out through. */
export function EmailSettingsPanel() {
  const settings = useEmailSettings();
  if (settings.isPending) return <Skeleton h={380} />;
  if (settings.isError) {
    return <LoadError error={settings.error} onRetry={() => settings.refetch()} what="the email settings" />;
  }
  return <EmailSettingsForm settings={settings.data} />;
}

function EmailSettingsForm({ settings }: { settings: EmailSettings }) {
  const update = useUpdateEmailSettings();
  const formRef = useRef<HTMLFormElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [removePassword, setRemovePassword] = useState(false);
  const form = useForm<EmailFormValues>({
    mode: 'controlled',
    initialValues: toValues(settings),
    validate: {
      host: (value) => (value.trim() ? null : 'Enter the mail server, e.g. smtp.example.com'),
      port: (value) => (Number(value) >= 1 && Number(value) <= 65535 ? null : 'Must be a port from 1 to 65535'),
      fromAddress: (value) => (value.trim() ? null : 'Enter the address receipts come from'),
    },
  });

  function chooseSecurity(security: Security) {
    const { port, security: before } = form.getValues();
    // A port still at the usual one for the old kind follows the new kind; a port typed by hand stays.
    if (Number(port) === USUAL_PORTS[before]) form.setFieldValue('port', USUAL_PORTS[security]);
    form.setFieldValue('security', security);
  }

  const save = form.onSubmit(
    (values) => {
      setFailure(null);
      const body: EmailSettingsUpdate = {
        host: values.host.trim(),
        port: Number(values.port),
        security: values.security,
        username: values.username.trim() || null,
        fromAddress: values.fromAddress.trim(),
        fromName: values.fromName.trim() || null,
        // Left empty: the saved password stays (the server never sends it back to show).
        ...(removePassword ? { password: null } : values.password ? { password: values.password } : {}),
      };
      update.mutate(body, {
        onSuccess: (saved) => {
          form.setValues(toValues(saved));
          form.resetDirty(toValues(saved));
          setRemovePassword(false);
          notifications.show({
            color: 'teal',
            title: 'Email settings saved',
            message: 'Receipts are sent through this server from now on.',
          });
        },
        onError: (error) => {
          const problem = problemOf(error);
          const { byField, unplaced } = splitFieldErrors(problem, (field) => FIELDS.has(field));
          form.setErrors(byField);
          if (unplaced.length > 0 || Object.keys(byField).length === 0) {
            setFailure(unplaced.map((item) => item.message).join(' ') || (problem.detail ?? problem.title));
          }
          requestAnimationFrame(() => focusFirstError(formRef.current));
        },
      });
    },
    () => requestAnimationFrame(() => focusFirstError(formRef.current)),
  );

  // The saved password goes only to the server and user it was given for: another one needs it again.
  const serverChanged =
    settings.host !== null &&
    (form.values.host.trim() !== settings.host || (form.values.username.trim() || null) !== settings.username);
  const passwordHint = removePassword
    ? 'The saved password will be removed.'
    : settings.passwordSet && serverChanged
      ? 'The server or user name changed: enter the password again.'
      : settings.passwordSet
        ? 'A password is saved. Leave this empty to keep it.'
        : 'Only if the server asks for one.';

  return (
    <form ref={formRef} onSubmit={save} noValidate>
      <LeaveGuard dirty={() => form.isDirty()} what="the email settings" />
      <Stack gap="lg">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nothing was saved" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Section
          title="Mail server"
          description="Receipts are emailed through your own SMTP server: your email provider gives these details."
          actions={
            settings.configured ? (
              <Badge color="teal" variant="light" leftSection={<IconCheck size={12} />} tt="none">
                Set up
              </Badge>
            ) : (
              <Badge color="gray" variant="light" tt="none">
                Not set up
              </Badge>
            )
          }
        >
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
              <TextInput
                label="Server"
                placeholder="smtp.example.com"
                withAsterisk
                maxLength={253}
                autoComplete="off"
                spellCheck={false}
                style={{ gridColumn: 'span 2' }}
                {...form.getInputProps('host')}
              />
              <NumberInput
                label="Port"
                withAsterisk
                min={1}
                max={65535}
                allowDecimal={false}
                allowNegative={false}
                hideControls
                {...form.getInputProps('port')}
              />
            </SimpleGrid>
            <Stack gap={4}>
              <Input.Label id="email-security-label">Security</Input.Label>
              <SegmentedControl
                aria-labelledby="email-security-label"
                value={form.values.security}
                onChange={(value) => chooseSecurity(value as Security)}
                data={[
                  { value: 'starttls', label: 'STARTTLS (587)' },
                  { value: 'tls', label: 'TLS (465)' },
                  { value: 'none', label: 'None' },
                ]}
                style={{ alignSelf: 'flex-start' }}
              />
              <Text size="xs" c="dimmed">
                {form.values.security === 'none'
                  ? 'Unencrypted: only for a relay on your own network.'
                  : form.values.security === 'tls'
                    ? 'Encrypted from the first byte, usually on port 465.'
                    : 'Starts plain, then switches to encryption: usually port 587.'}
              </Text>
            </Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
              <TextInput
                label="Username"
                placeholder="Often your email address"
                maxLength={254}
                autoComplete="off"
                spellCheck={false}
                {...form.getInputProps('username')}
              />
              <Stack gap={4}>
                <PasswordInput
                  label="Password"
                  placeholder={settings.passwordSet && !removePassword ? '••••••••  (saved)' : undefined}
                  description={passwordHint}
                  maxLength={500}
                  autoComplete="new-password"
                  disabled={removePassword}
                  {...form.getInputProps('password')}
                />
                {settings.passwordSet ? (
                  <Button
                    variant="subtle"
                    color={removePassword ? 'gray' : 'red'}
                    size="compact-xs"
                    style={{ alignSelf: 'flex-start' }}
                    onClick={() => {
                      setRemovePassword(!removePassword);
                      form.setFieldValue('password', '');
                    }}
                  >
                    {removePassword ? 'Keep the saved password' : 'Remove the saved password'}
                  </Button>
                ) : null}
              </Stack>
            </SimpleGrid>
          </Stack>
        </Section>

        <Section title="Sender" description="What customers see in their inbox.">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <TextInput
              label="From address"
              placeholder="receipts@yourshop.com"
              type="email"
              withAsterisk
              maxLength={254}
              autoComplete="off"
              spellCheck={false}
              {...form.getInputProps('fromAddress')}
            />
            <TextInput
              label="From name"
              placeholder="Your business name"
              maxLength={200}
              autoComplete="off"
              {...form.getInputProps('fromName')}
            />
          </SimpleGrid>
        </Section>

        <Group justify="space-between" gap="sm">
          <Text size="xs" c="dimmed">
            To check the settings, email a receipt to yourself from any sale.
          </Text>
          <Group gap="sm">
            <Button
              variant="default"
              onClick={() => {
                form.reset();
                setRemovePassword(false);
              }}
              disabled={!form.isDirty() && !removePassword}
            >
              Discard changes
            </Button>
            <Button type="submit" loading={update.isPending} leftSection={<IconMailCog size={16} />}>
              Save email settings
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

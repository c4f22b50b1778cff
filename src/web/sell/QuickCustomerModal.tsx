import { Alert, Button, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconUserPlus } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { Customer } from '../../features/customers/customer.schema.ts';
import { useCreateCustomer } from '../api/customers.ts';
import { problemOf } from '../api/http.ts';
import { useSettings } from '../api/settings.ts';
import { focusFirstError, splitFieldErrors } from '../lib/form-errors.ts';
import { readTyped, type TypedCustomer } from './typed-customer.ts';

interface QuickCustomerModalProps {
  /** What the cashier typed in the search, or null when the modal is closed. */
  typed: string | null;
  storeId: string | undefined;
  onClose(): void;
  onCreated(customer: Customer): void;
}

/** A new customer in four fields, without leaving the sale: the rest can wait for the back office. */
export function QuickCustomerModal({ typed, storeId, onClose, onCreated }: QuickCustomerModalProps) {
  return (
    <Modal opened={typed !== null} onClose={onClose} title="New customer" size="lg">
      {typed !== null ? (
        <QuickCustomerForm typed={typed} storeId={storeId} onClose={onClose} onCreated={onCreated} />
      ) : null}
    </Modal>
  );
}

const FIELDS = new Set(['firstName', 'lastName', 'email', 'phone', 'code']);

function QuickCustomerForm({
  typed,
  storeId,
  onClose,
  onCreated,
}: Omit<QuickCustomerModalProps, 'typed'> & { typed: string }) {
  const settings = useSettings();
  const create = useCreateCustomer();
  const formRef = useRef<HTMLFormElement>(null);
  const [initial] = useState(() => readTyped(typed));
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<TypedCustomer>({ mode: 'controlled', initialValues: initial });
  const required = {
    firstName: settings.data?.requireFirstName ?? false,
    lastName: settings.data?.requireLastName ?? false,
    email: settings.data?.requireEmail ?? false,
  };
  // The first field left to fill takes the cursor: after "Jane Doe", that is the email.
  const firstEmpty = (['firstName', 'lastName', 'email', 'phone'] as const).find((name) => !initial[name]);

  const submit = form.onSubmit((values) => {
    setFailure(null);
    create.mutate(
      {
        firstName: values.firstName,
        lastName: values.lastName,
        email: values.email,
        phone: values.phone,
        ...(values.code.trim() ? { code: values.code } : {}),
        source: 'pos',
        ...(storeId ? { createdStoreId: storeId } : {}),
      },
      {
        onSuccess: (customer) => onCreated(customer),
        onError: (error) => {
          const problem = problemOf(error);
          const { byField, unplaced } = splitFieldErrors(problem, (field) => FIELDS.has(field));
          form.setErrors(byField);
          if (unplaced.length > 0 || Object.keys(byField).length === 0) {
            setFailure(unplaced.map((item) => item.message).join(' ') || (problem.detail ?? problem.title));
          }
          requestAnimationFrame(() => focusFirstError(formRef.current));
        },
      },
    );
  });

  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          They are attached to this sale as soon as they are saved. Everything else can be added later in the back
          office.
        </Text>
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="The customer was not added" role="alert">
            {failure}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          <TextInput
            label="First name"
            withAsterisk={required.firstName}
            maxLength={100}
            autoComplete="off"
            data-autofocus={firstEmpty === 'firstName' || undefined}
            {...form.getInputProps('firstName')}
          />
          <TextInput
            label="Last name"
            withAsterisk={required.lastName}
            maxLength={100}
            autoComplete="off"
            data-autofocus={firstEmpty === 'lastName' || undefined}
            {...form.getInputProps('lastName')}
          />
          <TextInput
            label="Email"
            type="email"
            withAsterisk={required.email}
            maxLength={254}
            autoComplete="off"
            spellCheck={false}
            data-autofocus={firstEmpty === 'email' || undefined}
            {...form.getInputProps('email')}
          />
          <TextInput
            label="Phone"
            type="tel"
            maxLength={40}
            autoComplete="off"
            data-autofocus={firstEmpty === 'phone' || undefined}
            {...form.getInputProps('phone')}
          />
          {initial.code ? (
            <TextInput
              label="Customer code"
              description="The card or barcode that was scanned"
              maxLength={64}
              ff="monospace"
              autoComplete="off"
              {...form.getInputProps('code')}
            />
          ) : null}
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Back to the sale
          </Button>
          <Button type="submit" loading={create.isPending} leftSection={<IconUserPlus size={16} />}>
            Add and attach
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

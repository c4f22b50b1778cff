import { Alert, Anchor, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconMailForward, IconSettings } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { useCustomer } from '../api/customers.ts';
import { problemOf } from '../api/http.ts';
import { useEmailReceipt } from '../api/sales.ts';
import { useCan } from '../auth/session.tsx';

interface EmailReceiptModalProps {
  sale: Pick<Sale, 'id' | 'receiptRef' | 'kind' | 'customer'>;
  opened: boolean;
  onClose(): void;
}

export function EmailReceiptModal({ sale, opened, onClose }: EmailReceiptModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Email ${sale.kind === 'refund' ? 'refund' : 'receipt'} ${sale.receiptRef}`}
    >
      {/* A fresh form each time it opens, with the customer's address as it is now. */}
      {opened ? <EmailReceiptForm sale={sale} onClose={onClose} /> : null}
    </Modal>
  );
}

function EmailReceiptForm({ sale, onClose }: Omit<EmailReceiptModalProps, 'opened'>) {
  const customer = useCustomer(sale.customer?.id ?? '', { enabled: sale.customer !== null });
  const customerEmail = sale.customer ? (customer.data?.email ?? null) : null;
  const [to, setTo] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ title: string; detail: string; setup: boolean } | null>(null);
  const send = useEmailReceipt(sale.id);
  const canManageSettings = useCan('settings:manage');
  // The customer's address fills the field once it is known, unless the person already typed another.
  const address = to ?? customerEmail ?? '';

  function submit(event: FormEvent) {
    event.preventDefault();
    setFieldError(null);
    setFailure(null);
    const value = address.trim();
    if (!value) {
      setFieldError('Enter the address to send it to');
      return;
    }
    send.mutate(value, {
      onSuccess: ({ to: sentTo }) => {
        notifications.show({ color: 'teal', title: 'Receipt sent', message: `Sent to ${sentTo}.` });
        onClose();
      },
      onError: (error) => {
        const problem = problemOf(error);
        const forField = problem.errors?.find((item) => item.field === 'to');
        if (forField) {
          setFieldError(forField.message);
          return;
        }
        const detail = problem.detail ?? problem.title;
        if (problem.code === 'conflict') setFailure({ title: 'The receipt was not sent', detail, setup: true });
        else if (problem.code === 'email_failed')
          setFailure({ title: 'The email server did not take the message', detail, setup: true });
        else setFailure({ title: 'The receipt was not sent', detail, setup: false });
      },
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title={failure.title} role="alert">
            <Text size="sm">{failure.detail}</Text>
            {failure.setup && canManageSettings ? (
              <Anchor component={Link} to="/settings/email" size="sm" mt={6} display="inline-flex">
                <Group gap={4} component="span">
                  <IconSettings size={14} /> Open Settings → Email
                </Group>
              </Anchor>
            ) : failure.setup ? (
              <Text size="sm" mt={4}>
                Ask the owner or an admin to check Settings → Email.
              </Text>
            ) : null}
          </Alert>
        ) : null}
        <TextInput
          label="Send to"
          type="email"
          placeholder="name@example.com"
          description={
            customerEmail && address.trim() === customerEmail
              ? `${sale.customer?.name}’s email address`
              : sale.customer && !customerEmail && !customer.isPending
                ? `${sale.customer.name} has no email address on file: enter one.`
                : undefined
          }
          value={address}
          onChange={(event) => {
            setTo(event.currentTarget.value);
            setFieldError(null);
          }}
          error={fieldError}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={send.isPending} leftSection={<IconMailForward size={16} />}>
            Send receipt
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

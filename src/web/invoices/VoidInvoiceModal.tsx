import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconBan } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { problemOf } from '../api/http.ts';
import { type Invoice, useVoidInvoice } from '../api/invoices.ts';
import { useMoney } from '../lib/money.ts';

/** Write off what is open on an invoice, saying why; what was paid stays paid. */
export function VoidInvoiceModal({ invoice, onClose }: { invoice: Invoice | null; onClose(): void }) {
  return (
    <Modal opened={invoice !== null} onClose={onClose} title={invoice ? `Void invoice ${invoice.reference}` : ''}>
      {invoice ? <VoidForm key={invoice.id} invoice={invoice} onClose={onClose} /> : null}
    </Modal>
  );
}

function VoidForm({ invoice, onClose }: { invoice: Invoice; onClose(): void }) {
  const money = useMoney();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const voiding = useVoidInvoice();

  function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    if (!reason.trim()) {
      setError('Say why: the customer and your accountant may ask');
      return;
    }
    voiding.mutate(
      { id: invoice.id, reason: reason.trim() },
      {
        onSuccess: (voided) => {
          notifications.show({
            color: 'teal',
            title: `${voided.reference} voided`,
            message: `${money.format(voided.voidedAmount)} written off ${voided.customer.name}'s account.`,
          });
          onClose();
        },
        onError: (err) => {
          const problem = problemOf(err);
          const forReason = problem.errors?.find((item) => item.field === 'reason');
          if (forReason) setError(forReason.message);
          else setFailure(problem.detail ?? problem.title);
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="The invoice was not voided" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Text size="sm">
          {invoice.customer.name} will no longer owe the <strong>{money.format(invoice.openAmount)}</strong> still open
          on this invoice.
          {invoice.paid > 0 ? ` The ${money.format(invoice.paid)} already paid stays paid.` : ''} This cannot be undone.
        </Text>
        <Textarea
          label="Reason"
          placeholder="e.g. Goods returned, agreed write-off"
          autosize
          minRows={2}
          maxLength={500}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setError(null);
          }}
          error={error}
          data-autofocus
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Keep it
          </Button>
          <Button type="submit" color="red" loading={voiding.isPending} leftSection={<IconBan size={16} />}>
            Void invoice
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

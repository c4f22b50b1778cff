import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconReceiptOff } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { problemOf } from '../api/http.ts';
import { useCancelSale } from '../api/sales.ts';
import { useMoney } from '../lib/money.ts';

interface CancelSaleModalProps {
  sale: Sale;
  opened: boolean;
  onClose(): void;
  /** A manager's approval, for someone who may not cancel alone. */
  approval?: string | undefined;
}

export function CancelSaleModal({ sale, opened, onClose, approval }: CancelSaleModalProps) {
  const what = sale.kind === 'refund' ? 'refund' : 'sale';
  return (
    <Modal opened={opened} onClose={onClose} title={`Cancel ${what} ${sale.receiptRef}?`}>
      {opened ? <CancelForm sale={sale} onClose={onClose} approval={approval} /> : null}
    </Modal>
  );
}

function CancelForm({ sale, onClose, approval }: Omit<CancelSaleModalProps, 'opened'>) {
  const money = useMoney();
  const cancel = useCancelSale(sale.id, approval);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const refund = sale.kind === 'refund';

  function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    if (!reason.trim()) {
      setError('Say why: it is recorded with the cancellation');
      return;
    }
    cancel.mutate(reason.trim(), {
      onSuccess: () => {
        notifications.show({
          color: 'teal',
          title: refund ? 'Refund cancelled' : 'Sale cancelled',
          message: `${sale.receiptRef} is cancelled.`,
        });
        onClose();
      },
      onError: (failed) => {
        const problem = problemOf(failed);
        const forReason = problem.errors?.find((item) => item.field === 'reason');
        if (forReason) setError(forReason.message);
        else setFailure(problem.detail ?? problem.title);
      },
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          {refund
            ? `The refund of ${money.format(Math.abs(sale.total))} stays on record as cancelled, and its items count as sold again.`
            : `The sale of ${money.format(sale.total)} stays on record as cancelled and no longer counts in ${sale.customer ? `${sale.customer.name}’s statistics or ` : ''}the reports. Give back any money taken separately.`}
        </Text>
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nothing was cancelled" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Textarea
          label="Reason"
          withAsterisk
          placeholder="e.g. Rung up twice by mistake"
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
            Keep {refund ? 'refund' : 'sale'}
          </Button>
          <Button type="submit" color="red" loading={cancel.isPending} leftSection={<IconReceiptOff size={16} />}>
            Cancel {refund ? 'refund' : 'sale'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

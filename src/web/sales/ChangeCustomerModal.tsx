import { Alert, Avatar, Button, CloseButton, Group, Modal, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowsExchange, IconUserMinus } from '@tabler/icons-react';
import { type FormEvent, useMemo, useState } from 'react';
import type { Customer } from '../../features/customers/customer.schema.ts';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { problemOf } from '../api/http.ts';
import { useChangeSaleCustomer } from '../api/sales.ts';
import { CustomerSearch, customerHints } from '../customers/CustomerSearch.tsx';
import { displayName, initials } from '../lib/format.ts';

export type CustomerChange = 'move' | 'detach';

interface ChangeCustomerModalProps {
  sale: Sale;
  /** `move` picks a customer (moves the sale, or attaches one that has none); `detach` takes it off its customer. */
  mode: CustomerChange | null;
  onClose(): void;
}

export function ChangeCustomerModal({ sale, mode, onClose }: ChangeCustomerModalProps) {
  const title =
    mode === 'detach'
      ? `Remove ${sale.customer?.name ?? 'the customer'} from ${sale.receiptRef}?`
      : sale.customer
        ? `Move ${sale.receiptRef} to another customer`
        : `Attach ${sale.receiptRef} to a customer`;
  return (
    <Modal opened={mode !== null} onClose={onClose} title={title} size="lg">
      {mode ? <ChangeCustomerForm sale={sale} mode={mode} onClose={onClose} /> : null}
    </Modal>
  );
}

function ChangeCustomerForm({ sale, mode, onClose }: { sale: Sale; mode: CustomerChange; onClose(): void }) {
  const change = useChangeSaleCustomer(sale.id);
  const [target, setTarget] = useState<Customer | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ customer?: string; reason?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const exclude = useMemo(() => (sale.customer ? [sale.customer.id] : []), [sale.customer]);
  const detach = mode === 'detach';

  function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const missing: typeof errors = {};
    if (!detach && !target) missing.customer = 'Find the customer the sale belongs to';
    if (!reason.trim()) missing.reason = 'Say why: it is recorded with the change';
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    change.mutate(
      { customerId: detach ? null : (target?.id ?? null), reason: reason.trim() },
      {
        onSuccess: (sale) => {
          notifications.show({
            color: 'teal',
            title: detach ? 'Customer removed' : 'Sale moved',
            message: detach
              ? `${sale.receiptRef} no longer belongs to a customer.`
              : `${sale.receiptRef} now belongs to ${sale.customer?.name}.`,
          });
          onClose();
        },
        onError: (failed) => {
          const problem = problemOf(failed);
          const forReason = problem.errors?.find((item) => item.field === 'reason');
          const forCustomer = problem.errors?.find((item) => item.field === 'customerId');
          if (forReason || forCustomer) setErrors({ reason: forReason?.message, customer: forCustomer?.message });
          else setFailure(problem.detail ?? problem.title);
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          {detach
            ? `The sale and its refunds leave ${sale.customer?.name}’s history and statistics. It stays in the reports.`
            : sale.customer
              ? `The sale and its refunds move from ${sale.customer.name} to the customer you choose; both customers’ statistics follow.`
              : 'The sale and its refunds join the history and statistics of the customer you choose.'}
        </Text>
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nothing was changed" role="alert">
            {failure}
          </Alert>
        ) : null}
        {detach ? null : target ? (
          <Paper p="sm" bg="gray.0" aria-label="Chosen customer">
            <Group gap="sm" wrap="nowrap">
              <Avatar size={34} radius="xl" color="initials" name={displayName(target)}>
                {initials(target)}
              </Avatar>
              <div style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={600} truncate>
                  {displayName(target)}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {[...customerHints(target), target.code].join(' · ')}
                </Text>
              </div>
              <CloseButton aria-label="Choose another customer" onClick={() => setTarget(null)} />
            </Group>
          </Paper>
        ) : (
          <CustomerSearch
            label={sale.customer ? 'Move to' : 'Customer'}
            onPick={(customer) => {
              setTarget(customer);
              setErrors((current) => ({ ...current, customer: undefined }));
            }}
            exclude={exclude}
            error={errors.customer}
            autoFocus
          />
        )}
        <Textarea
          label="Reason"
          withAsterisk
          placeholder={detach ? 'e.g. Attached to the wrong customer' : 'e.g. Bought on her partner’s card'}
          autosize
          minRows={2}
          maxLength={500}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setErrors((current) => ({ ...current, reason: undefined }));
          }}
          error={errors.reason}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={change.isPending}
            color={detach ? 'red' : undefined}
            leftSection={detach ? <IconUserMinus size={16} /> : <IconArrowsExchange size={16} />}
          >
            {detach ? 'Remove customer' : sale.customer ? 'Move sale' : 'Attach sale'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCalendar, IconCash } from '@tabler/icons-react';
import { type FormEvent, useMemo, useState } from 'react';
import type { InvoicePaymentMethod } from '../../features/invoices/invoice.schema.ts';
import { problemOf } from '../api/http.ts';
import { type Invoice, useInvoices, useSettleInvoices } from '../api/invoices.ts';
import { useSettings } from '../api/settings.ts';
import { PICKER_DAY_FORMAT, today } from '../lib/dates.ts';
import { splitFieldErrors } from '../lib/form-errors.ts';
import { currencySymbol, minorDigits, toMajor, toMinor, useMoney } from '../lib/money.ts';
import { formatDay, INVOICE_METHOD_OPTIONS } from './invoice-format.ts';

interface SettleInvoicesModalProps {
  /** Whose invoices; null: closed. */
  customer: { id: string; name: string } | null;
  /** Settle this invoice; left out: the oldest due first. */
  invoice?: Invoice | null | undefined;
  onClose(): void;
}

/** Take a payment on account: of one invoice, or spread over the oldest due first. */
export function SettleInvoicesModal({ customer, invoice, onClose }: SettleInvoicesModalProps) {
  return (
    <Modal
      opened={customer !== null}
      onClose={onClose}
      title={customer ? `Take a payment from ${customer.name}` : ''}
      size={560}
    >
      {customer ? (
        <SettleForm
          key={`${customer.id}:${invoice?.id ?? ''}`}
          customer={customer}
          invoice={invoice}
          onClose={onClose}
        />
      ) : null}
    </Modal>
  );
}

/** How a payment of `amount` spreads over open invoices, oldest due first (as the server does it). */
export function oldestFirst(amount: number, open: Invoice[]): { invoice: Invoice; amount: number }[] {
  const sorted = [...open].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.number - b.number);
  const parts = [];
  let left = amount;
  for (const invoice of sorted) {
    if (left <= 0) break;
    const part = Math.min(left, invoice.openAmount);
    parts.push({ invoice, amount: part });
    left -= part;
  }
  return parts;
}

type Field = 'amount' | 'method' | 'paidOn' | 'reference';

function SettleForm({
  customer,
  invoice,
  onClose,
}: {
  customer: { id: string; name: string };
  invoice?: Invoice | null | undefined;
  onClose(): void;
}) {
  const money = useMoney();
  const settings = useSettings();
  const timeZone = settings.data?.timeZone;
  const unpaid = useInvoices(customer.id, 'unpaid');
  const open = useMemo(() => unpaid.data?.pages.flatMap((page) => page.items) ?? [], [unpaid.data]);
  const owed = open.reduce((sum, item) => sum + item.openAmount, 0);
  const [target, setTarget] = useState<string>(invoice?.id ?? 'oldest');
  const chosen = target === 'oldest' ? null : (open.find((item) => item.id === target) ?? invoice ?? null);
  const [typed, setTyped] = useState<number | string | null>(null);
  const [method, setMethod] = useState<InvoicePaymentMethod>('bank_transfer');
  const [paidOn, setPaidOn] = useState<string | null>(today(timeZone));
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const settle = useSettleInvoices();

  // What is open: the amount offered to start with, and the most a payment may be (it pays invoices off, no more).
  const most = chosen ? chosen.openAmount : owed;
  const amount = typed === null ? most : typed === '' ? 0 : toMinor(Number(typed), money.currency);
  const plan = chosen ? [{ invoice: chosen, amount: Math.min(amount, chosen.openAmount) }] : oldestFirst(amount, open);
  // More than is open is refused (the server says so too): it is said here, before the button offers to record it.
  const tooMuch =
    !unpaid.isPending && amount > most
      ? chosen
        ? `Only ${money.format(most)} is open on ${chosen.reference}`
        : `${customer.name} owes ${money.format(most)} in all`
      : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setFailure(null);
    if (amount <= 0) {
      setErrors({ amount: 'Enter what the customer paid' });
      return;
    }
    settle.mutate(
      {
        customerId: customer.id,
        amount,
        method,
        ...(paidOn ? { paidOn } : {}),
        ...(reference.trim() ? { reference: reference.trim() } : {}),
        ...(chosen ? { allocations: [{ invoiceId: chosen.id, amount }] } : {}),
      },
      {
        onSuccess: (result) => {
          notifications.show({
            color: 'teal',
            title: 'Payment recorded',
            message: `${money.format(result.amount)} from ${customer.name}: ${result.allocations
              .map(
                (part) =>
                  `${part.reference} ${part.openAmount === 0 ? 'paid' : `${money.format(part.openAmount)} left`}`,
              )
              .join(', ')}. They owe ${money.format(result.account)} now.`,
          });
          onClose();
        },
        onError: (error) => {
          const problem = problemOf(error);
          const shown = new Set<string>(['amount', 'method', 'paidOn', 'reference']);
          const { byField, unplaced } = splitFieldErrors(
            problem,
            (field) => shown.has(field) || field.startsWith('allocations.'),
          );
          const next: Partial<Record<Field, string>> = {};
          for (const [field, message] of Object.entries(byField)) {
            next[(field.startsWith('allocations.') ? 'amount' : field) as Field] = message;
          }
          setErrors(next);
          if (unplaced.length > 0 || Object.keys(byField).length === 0) {
            setFailure(unplaced.map((item) => item.message).join('. ') || problem.detail || problem.title);
          }
        },
      },
    );
  }

  if (unpaid.isPending) return <Skeleton h={240} />;
  if (open.length === 0) {
    return (
      <Stack>
        <Text>{customer.name} owes nothing on account.</Text>
        <Group justify="flex-end">
          <Button onClick={onClose}>Close</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle />}
            title="The payment was not recorded"
            role="alert"
          >
            {failure}
          </Alert>
        ) : null}
        <Text size="sm">
          Owes <strong>{money.format(owed)}</strong> on {open.length} open {open.length === 1 ? 'invoice' : 'invoices'}.
        </Text>
        <Select
          label="Apply the payment to"
          value={target}
          onChange={(value) => {
            setTarget(value ?? 'oldest');
            setTyped(null);
          }}
          data={[
            { value: 'oldest', label: 'The oldest due invoices first' },
            ...open.map((item) => ({
              value: item.id,
              label: `${item.reference} · due ${formatDay(item.dueOn)} · ${money.format(item.openAmount)} open`,
            })),
          ]}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <NumberInput
            label="Amount paid"
            leftSection={<Text size="sm">{currencySymbol(money.currency)}</Text>}
            decimalScale={minorDigits(money.currency)}
            fixedDecimalScale
            min={0}
            thousandSeparator
            value={typed === null ? toMajor(most, money.currency) : typed}
            onChange={(value) => {
              setTyped(value);
              setErrors((e) => ({ ...e, amount: undefined }));
            }}
            error={errors.amount ?? tooMuch}
            data-autofocus
          />
          <Select
            label="Paid by"
            data={INVOICE_METHOD_OPTIONS}
            value={method}
            onChange={(value) => value && setMethod(value as InvoicePaymentMethod)}
            allowDeselect={false}
            error={errors.method}
            comboboxProps={{ withinPortal: true }}
          />
          <DatePickerInput
            label="Paid on"
            valueFormat={PICKER_DAY_FORMAT}
            leftSection={<IconCalendar size={16} stroke={1.6} />}
            maxDate={today(timeZone)}
            value={paidOn}
            onChange={(value) => setPaidOn(value)}
            error={errors.paidOn}
          />
          <TextInput
            label="Reference"
            description="Bank reference or cheque number"
            value={reference}
            maxLength={100}
            onChange={(event) => setReference(event.currentTarget.value)}
            error={errors.reference}
          />
        </SimpleGrid>
        {amount > 0 ? (
          <Table withRowBorders={false} verticalSpacing={2} aria-label="How the payment is applied">
            <Table.Tbody>
              {plan.map((part) => (
                <Table.Tr key={part.invoice.id}>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {part.invoice.reference}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" className="tabular">
                    <Text size="sm">{money.format(part.amount)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="xs" c="dimmed">
                      {part.amount >= part.invoice.openAmount
                        ? 'paid in full'
                        : `${money.format(part.invoice.openAmount - part.amount)} left`}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={settle.isPending}
            disabled={tooMuch !== null}
            leftSection={<IconCash size={16} />}
          >
            Record {amount > 0 ? money.format(amount) : 'payment'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

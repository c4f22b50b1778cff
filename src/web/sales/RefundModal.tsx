import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCash, IconGift, IconReceiptRefund } from '@tabler/icons-react';
import { type FormEvent, useMemo, useState } from 'react';
import { roundCash } from '../../features/sales/sale.rules.ts';
import { PAYMENT_METHODS, type Sale, type SaleRefund } from '../../features/sales/sale.schema.ts';
import { problemOf } from '../api/http.ts';
import { useRefundSale } from '../api/sales.ts';
import { useSettings } from '../api/settings.ts';
import { formatQuantity, plural } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { refundAmount, refundReference, returnable } from './refund.ts';
import { isDeletedCustomer, PAYMENT_LABELS, type PaymentMethod, returnedByLine } from './sale-format.ts';

interface RefundModalProps {
  sale: Sale;
  /** Receipts that may include earlier refunds of this sale (what they took back cannot go back again). */
  related: Sale[];
  opened: boolean;
  onClose(): void;
  onRefunded(refund: Sale): void;
  /** A manager's approval, for someone who may not refund alone. */
  approval?: string | undefined;
}

export function RefundModal({ sale, related, opened, onClose, onRefunded, approval }: RefundModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Refund items of ${sale.receiptRef}`} size="xl">
      {opened ? (
        <RefundForm sale={sale} related={related} onClose={onClose} onRefunded={onRefunded} approval={approval} />
      ) : null}
    </Modal>
  );
}

type Errors = Partial<Record<'receiptRef' | 'reason' | 'method', string>> & { lines?: Record<number, string> };

function RefundForm({ sale, related, onClose, onRefunded, approval }: Omit<RefundModalProps, 'opened'>) {
  const money = useMoney();
  const refund = useRefundSale(sale.id, approval);
  const returned = useMemo(() => returnedByLine(sale, related), [sale, related]);
  const earlier = related.filter((other) => other.refundOf === sale.id).length;
  const [quantities, setQuantities] = useState<Record<number, number>>(() =>
    // A sale of one line: that line is what goes back, all of it.
    sale.lines.length === 1 && sale.lines[0] ? { [sale.lines[0].lineNo]: returnable(sale.lines[0], returned) } : {},
  );
  // Store credit goes to the sale's customer: a sale without one (or whose customer was deleted) gets money back.
  const creditTo = sale.customer && !isDeletedCustomer(sale.customer) ? sale.customer.name : null;
  const [asCredit, setAsCredit] = useState(
    () => creditTo !== null && sale.payments.some((payment) => payment.method === 'store_credit'),
  );
  const [method, setMethod] = useState<PaymentMethod>(() => {
    const paid = sale.payments.find((payment) => payment.amount > 0 && payment.method !== 'store_credit')?.method;
    return paid ?? 'cash';
  });
  const [receiptRef, setReceiptRef] = useState(() => refundReference(sale, earlier));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);

  const chosen = sale.lines
    .map((line) => ({ line, quantity: quantities[line.lineNo] ?? 0 }))
    .filter((entry) => entry.quantity > 0);
  const total = chosen.reduce(
    (sum, entry) => sum + refundAmount(entry.line, entry.quantity, returned.get(entry.line.lineNo)),
    0,
  );

  // The methods the sale was paid with first: money usually goes back the way it came. Store credit is a choice
  // of its own above; points go back only to a customer.
  const methodOptions = useMemo(() => {
    const used = [...new Set(sale.payments.map((payment) => payment.method))];
    const others = PAYMENT_METHODS.filter((candidate) => !used.includes(candidate));
    return [...used, ...others]
      .filter((value) => value !== 'store_credit' && (value !== 'loyalty' || creditTo !== null))
      .map((value) => ({ value, label: PAYMENT_LABELS[value] }));
  }, [sale.payments, creditTo]);
  const paidBack: PaymentMethod = asCredit ? 'store_credit' : method;
  // Cash goes back rounded to the nearest coin where the business rounds cash, as it was taken.
  const increment = useSettings().data?.cashRounding ?? 0;
  const given = paidBack === 'cash' ? roundCash(total, increment) : total;
  const rounding = given - total;

  function returnAll() {
    setQuantities(Object.fromEntries(sale.lines.map((line) => [line.lineNo, returnable(line, returned)])));
    setErrors((current) => ({ ...current, lines: {} }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const missing: Errors = {};
    if (!reason.trim()) missing.reason = 'Say why: it is recorded with the refund';
    if (!receiptRef.trim()) missing.receiptRef = 'Give the refund receipt a reference';
    if (chosen.length === 0) {
      setFailure('Choose how many of which items come back.');
    }
    setErrors(missing);
    if (Object.keys(missing).length > 0 || chosen.length === 0) return;

    const body: SaleRefund = {
      receiptRef: receiptRef.trim(),
      reason: reason.trim(),
      lines: chosen.map(({ line, quantity }) => ({ lineNo: line.lineNo, quantity })),
      payments: total === 0 ? [] : [{ method: paidBack, amount: given }],
      ...(rounding !== 0 ? { rounding } : {}),
    };
    refund.mutate(body, {
      onSuccess: (made) => {
        notifications.show({
          color: 'teal',
          title: 'Refund recorded',
          message: asCredit
            ? `${made.receiptRef}: ${money.format(Math.abs(made.total))} added to ${creditTo}’s store credit.`
            : `${made.receiptRef}: ${money.format(Math.abs(made.total))} back by ${PAYMENT_LABELS[method].toLowerCase()}.`,
        });
        onRefunded(made);
      },
      onError: (failed) => {
        const problem = problemOf(failed);
        const placed: Errors = { lines: {} };
        const unplaced: string[] = [];
        for (const item of problem.errors ?? []) {
          const line = /^lines\.(\d+)\./.exec(item.field);
          const lineNo = line ? chosen[Number(line[1])]?.line.lineNo : undefined;
          if (lineNo !== undefined && placed.lines) placed.lines[lineNo] = item.message;
          else if (item.field === 'receiptRef' || item.field === 'reason') placed[item.field] = item.message;
          else if (/^payments\.\d+\.method$/.test(item.field)) placed.method = item.message;
          else unplaced.push(item.message);
        }
        setErrors(placed);
        if (unplaced.length > 0 || !problem.errors?.length)
          setFailure(unplaced.join(' ') || (problem.detail ?? problem.title));
      },
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nothing was refunded" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Table verticalSpacing={6} horizontalSpacing="sm" fz="sm" layout="fixed" aria-label="Items to return">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Item</Table.Th>
              <Table.Th w={80} className="num">
                Sold
              </Table.Th>
              <Table.Th w={150}>Return</Table.Th>
              <Table.Th w={110} className="num">
                Refund
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sale.lines.map((line) => {
              const left = returnable(line, returned);
              const quantity = quantities[line.lineNo] ?? 0;
              const back = line.quantity - left;
              return (
                <Table.Tr key={line.lineNo} style={{ verticalAlign: 'top' }}>
                  <Table.Td>
                    <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                      {line.description}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {money.format(line.unitPrice)} each
                      {back > 0 ? ` · ${formatQuantity(back)} already returned` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td className="num">{formatQuantity(line.quantity)}</Table.Td>
                  <Table.Td>
                    {left > 0 ? (
                      <Group gap={6} wrap="nowrap" align="flex-start">
                        <NumberInput
                          aria-label={`Quantity of ${line.description} to return`}
                          value={quantity}
                          min={0}
                          max={left}
                          clampBehavior="strict"
                          allowNegative={false}
                          decimalScale={Number.isInteger(line.quantity) ? 0 : 3}
                          onChange={(value) => {
                            setQuantities((current) => ({ ...current, [line.lineNo]: Number(value) || 0 }));
                            setErrors((current) => ({ ...current, lines: { ...current.lines, [line.lineNo]: '' } }));
                          }}
                          error={errors.lines?.[line.lineNo] || undefined}
                          size="xs"
                          w={76}
                          selectAllOnFocus
                          styles={{ input: { fontVariantNumeric: 'tabular-nums' } }}
                        />
                        <Text size="xs" c="dimmed" pt={6} style={{ whiteSpace: 'nowrap' }}>
                          of {formatQuantity(left)}
                        </Text>
                      </Group>
                    ) : (
                      <Text size="xs" c="dimmed" pt={4}>
                        All returned
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td className="num">
                    {quantity > 0 ? (
                      money.format(refundAmount(line, quantity, returned.get(line.lineNo)))
                    ) : (
                      <Text span c="gray.5">
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {sale.lines.length > 1 ? (
          <Group justify="flex-start">
            <Button variant="subtle" size="xs" onClick={returnAll}>
              Return everything left
            </Button>
          </Group>
        ) : null}

        {creditTo ? (
          <Stack gap={6}>
            <Text size="sm" fw={500} id="refund-as">
              How the customer gets it back
            </Text>
            <SegmentedControl
              aria-labelledby="refund-as"
              value={asCredit ? 'credit' : 'money'}
              onChange={(value) => {
                setAsCredit(value === 'credit');
                setErrors((current) => ({ ...current, method: undefined }));
              }}
              data={[
                {
                  value: 'money',
                  label: (
                    <Group gap={6} justify="center" wrap="nowrap">
                      <IconCash size={16} stroke={1.7} />
                      <span>Refund the money</span>
                    </Group>
                  ),
                },
                {
                  value: 'credit',
                  label: (
                    <Group gap={6} justify="center" wrap="nowrap">
                      <IconGift size={16} stroke={1.7} />
                      <span>Give store credit instead of refunding</span>
                    </Group>
                  ),
                },
              ]}
            />
            {asCredit ? (
              <Text size="sm" c="dimmed">
                {total === 0 ? 'What comes back' : money.format(Math.abs(total))} goes onto {creditTo}’s store credit,
                to spend on any later sale. No money leaves the till.
              </Text>
            ) : null}
            {errors.method ? (
              <Text size="sm" c="red.8" role="alert">
                {errors.method}
              </Text>
            ) : null}
          </Stack>
        ) : null}

        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          {asCredit ? null : (
            <Select
              label="Give the money back by"
              data={methodOptions}
              value={method}
              onChange={(value) => value && setMethod(value as PaymentMethod)}
              allowDeselect={false}
              error={creditTo ? undefined : errors.method}
            />
          )}
          <TextInput
            label="Refund receipt reference"
            value={receiptRef}
            onChange={(event) => {
              setReceiptRef(event.currentTarget.value);
              setErrors((current) => ({ ...current, receiptRef: undefined }));
            }}
            error={errors.receiptRef}
            maxLength={64}
            withAsterisk
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        </SimpleGrid>
        <Textarea
          label="Reason"
          withAsterisk
          placeholder="e.g. Damaged in the box"
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

        <Group justify="space-between" gap="sm" wrap="wrap">
          <Text size="sm" c="dimmed" aria-live="polite">
            {chosen.length === 0
              ? 'Nothing chosen yet'
              : `${plural(
                  chosen.reduce((sum, entry) => sum + entry.quantity, 0),
                  'item',
                )} coming back`}
          </Text>
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={refund.isPending}
              disabled={chosen.length === 0}
              leftSection={<IconReceiptRefund size={16} />}
            >
              {chosen.length === 0
                ? asCredit
                  ? 'Give store credit'
                  : 'Refund'
                : asCredit
                  ? `Give ${money.format(Math.abs(total))} store credit`
                  : `Refund ${money.format(Math.abs(given))}`}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

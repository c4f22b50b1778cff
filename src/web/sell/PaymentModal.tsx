import {
  Alert,
  Button,
  CloseButton,
  Group,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core';
import {
  IconAlertCircle,
  IconCash,
  IconCheck,
  IconCreditCard,
  IconGift,
  IconPlus,
  IconWallet,
} from '@tabler/icons-react';
import { type FormEvent, type ReactNode, useState } from 'react';
import type { SaleCreate } from '../../features/sales/sale.schema.ts';
import { currencySymbol, minorDigits, toMajor, toMinor, useMoney } from '../lib/money.ts';
import { PAYMENT_LABELS, type PaymentMethod } from '../sales/sale-format.ts';
import { cashSuggestions } from './cart.ts';

type Payment = SaleCreate['payments'][number];

/** The ways a cashier takes money at the counter; the others (store credit, loyalty, on account) need a balance. */
const METHODS: { value: PaymentMethod; icon: typeof IconCash }[] = [
  { value: 'cash', icon: IconCash },
  { value: 'card', icon: IconCreditCard },
  { value: 'gift_card', icon: IconGift },
  { value: 'other', icon: IconWallet },
];

interface PaymentModalProps {
  opened: boolean;
  total: number;
  /** Recording the sale: the buttons wait. */
  busy: boolean;
  /** Why the last try did not record the sale. */
  failure: ReactNode;
  onClose(): void;
  /** Everything is paid: record the sale. `change` is the cash handed back. */
  onComplete(payments: Payment[], change: number): void;
}

export function PaymentModal({ opened, total, busy, failure, onClose, onComplete }: PaymentModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => undefined : onClose}
      title="Take payment"
      size={560}
      closeOnClickOutside={!busy}
    >
      {opened ? <PaymentForm total={total} busy={busy} failure={failure} onComplete={onComplete} /> : null}
    </Modal>
  );
}

function PaymentForm({ total, busy, failure, onComplete }: Omit<PaymentModalProps, 'opened' | 'onClose'>) {
  const money = useMoney();
  const { currency } = money;
  const [paid, setPaid] = useState<Payment[]>([]);
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const remaining = total - paid.reduce((sum, payment) => sum + payment.amount, 0);
  // What is typed, in major units; untouched, it is whatever is still due.
  const [typed, setTyped] = useState<number | string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const amount = typed === null || typed === '' ? remaining : toMinor(Number(typed), currency);
  const cash = method === 'cash';
  const applied = Math.min(amount, remaining);
  const change = cash ? Math.max(0, amount - remaining) : 0;
  const covers = amount >= remaining;

  function choose(next: PaymentMethod) {
    setMethod(next);
    setTyped(null);
    setError(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (remaining > 0 && amount <= 0) {
      setError('Enter the amount taken');
      return;
    }
    if (!cash && amount > remaining) {
      setError(`${PAYMENT_LABELS[method]} cannot take more than the ${money.format(remaining)} due`);
      return;
    }
    const entry = applied > 0 ? [{ method, amount: applied }] : [];
    if (covers) {
      onComplete([...paid, ...entry], change);
      return;
    }
    // Part of it: the rest is paid another way (split payment).
    setPaid([...paid, ...entry]);
    setTyped(null);
    setMethod(method === 'cash' ? 'card' : 'cash');
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Paper p="md" bg="gray.0" withBorder={false}>
          <Group justify="space-between" align="baseline">
            <Text size="sm" c="dimmed">
              {paid.length > 0 ? 'Still to pay' : 'To pay'}
            </Text>
            <Text fz={32} fw={750} className="tabular" aria-label="Amount due">
              {money.format(remaining)}
            </Text>
          </Group>
          {paid.length > 0 ? (
            <Stack gap={4} mt="xs" role="list" aria-label="Payments taken">
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  Sale total
                </Text>
                <Text size="sm" className="tabular">
                  {money.format(total)}
                </Text>
              </Group>
              {paid.map((payment, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: payments taken have no id; only the last one can go
                <Group key={index} justify="space-between" role="listitem" wrap="nowrap">
                  <Text size="sm">{PAYMENT_LABELS[payment.method]} taken</Text>
                  <Group gap={4} wrap="nowrap">
                    <Text size="sm" className="tabular">
                      −{money.format(payment.amount)}
                    </Text>
                    <CloseButton
                      size="sm"
                      aria-label={`Undo the ${PAYMENT_LABELS[payment.method].toLowerCase()} payment`}
                      onClick={() => setPaid(paid.filter((_, other) => other !== index))}
                      disabled={busy}
                    />
                  </Group>
                </Group>
              ))}
            </Stack>
          ) : null}
        </Paper>

        {remaining > 0 ? (
          <>
            <SegmentedControl
              fullWidth
              size="md"
              value={method}
              onChange={(value) => choose(value as PaymentMethod)}
              aria-label="Payment method"
              data={METHODS.map(({ value, icon: Icon }) => ({
                value,
                label: (
                  <Group gap={6} justify="center" wrap="nowrap">
                    <Icon size={16} stroke={1.7} />
                    <span>{PAYMENT_LABELS[value]}</span>
                  </Group>
                ),
              }))}
              disabled={busy}
            />
            <NumberInput
              label={cash ? 'Cash received' : `${PAYMENT_LABELS[method]} amount`}
              description={cash ? undefined : 'Less than what is due leaves the rest to pay another way'}
              size="lg"
              value={typed ?? toMajor(remaining, currency)}
              onChange={(value) => {
                setTyped(value);
                setError(null);
              }}
              decimalScale={minorDigits(currency)}
              fixedDecimalScale
              allowNegative={false}
              hideControls
              selectAllOnFocus
              leftSection={<Text c="dimmed">{currencySymbol(currency)}</Text>}
              error={error}
              styles={{ input: { fontVariantNumeric: 'tabular-nums', fontWeight: 600 } }}
              data-autofocus
              disabled={busy}
            />
            {cash ? (
              <Group gap="xs">
                <Button variant="default" size="xs" onClick={() => setTyped(null)} disabled={busy}>
                  Exact
                </Button>
                {cashSuggestions(remaining, currency).map((suggestion) => (
                  <Button
                    key={suggestion}
                    variant="default"
                    size="xs"
                    onClick={() => setTyped(toMajor(suggestion, currency))}
                    className="tabular"
                    disabled={busy}
                  >
                    {money.format(suggestion)}
                  </Button>
                ))}
              </Group>
            ) : null}
            {change > 0 ? (
              <Paper p="sm" bg="teal.0" withBorder={false}>
                <Group justify="space-between" align="baseline">
                  <Text fw={600}>Change due</Text>
                  <Text fz={24} fw={750} className="tabular" aria-label="Change due">
                    {money.format(change)}
                  </Text>
                </Group>
              </Paper>
            ) : null}
          </>
        ) : null}

        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="The sale was not recorded" role="alert">
            {failure}
          </Alert>
        ) : null}

        <Button
          type="submit"
          size="lg"
          loading={busy}
          leftSection={covers ? <IconCheck size={20} /> : <IconPlus size={20} />}
          color={covers ? 'teal' : undefined}
        >
          {covers ? 'Complete sale' : `Take ${money.format(applied)}, then the rest`}
        </Button>
      </Stack>
    </form>
  );
}

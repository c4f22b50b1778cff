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
import { useMediaQuery } from '@mantine/hooks';
import {
  IconAlertCircle,
  IconCash,
  IconCheck,
  IconCreditCard,
  IconFileInvoice,
  IconGift,
  IconPlus,
  IconStar,
  IconTicket,
  IconWallet,
} from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { v4 as uuidv4 } from 'uuid';
import type { Balances } from '../../features/balances/balance.schema.ts';
import { roundCash } from '../../features/sales/sale.rules.ts';
import type { SaleCreate } from '../../features/sales/sale.schema.ts';
import { useCustomerBalances } from '../api/balances.ts';
import { type CustomerAccount, useCustomerAccount } from '../api/invoices.ts';
import { useSettings } from '../api/settings.ts';
import { ApprovalModal } from '../auth/ApprovalModal.tsx';
import { useCan } from '../auth/session.tsx';
import { formatPoints } from '../customers/balance-format.ts';
import { plural } from '../lib/format.ts';
import { currencySymbol, minorDigits, toMajor, toMinor, useMoney } from '../lib/money.ts';
import { PAYMENT_LABELS, type PaymentMethod } from '../sales/sale-format.ts';
import { CreditLimitAlert } from './CreditLimitAlert.tsx';
import { accountRoom, balanceCap, cashSuggestions } from './cart.ts';
import type { SaleFailure } from './sale-problem.ts';

type Payment = SaleCreate['payments'][number];

/** The ways a cashier takes money at the counter. */
const METHODS: { value: PaymentMethod; icon: typeof IconCash }[] = [
  { value: 'cash', icon: IconCash },
  { value: 'card', icon: IconCreditCard },
  { value: 'gift_card', icon: IconTicket },
  { value: 'other', icon: IconWallet },
];

type CustomerMethod = 'store_credit' | 'loyalty' | 'on_account';

/**
 * What the customer pays with from what they have (up to it), or by owing it on their account (when the business
 * invoices): only with a customer attached.
 */
const CUSTOMER_METHODS: { value: CustomerMethod; icon: typeof IconCash; short: string }[] = [
  { value: 'store_credit', icon: IconGift, short: 'Store credit' },
  { value: 'loyalty', icon: IconStar, short: 'Points' },
  { value: 'on_account', icon: IconFileInvoice, short: 'On account' },
];

interface PaymentModalProps {
  opened: boolean;
  total: number;
  /** The customer of the sale: their points and store credit can pay, and the sale can go on their account. */
  customerId?: string | undefined;
  /** The customer's name, for a manager approving what goes on their account. */
  customerName?: string | undefined;
  /** Recording the sale: the buttons wait. */
  busy: boolean;
  /** Why the last try did not record the sale. */
  failure: SaleFailure | null;
  onClose(): void;
  /**
   * Everything is paid: record the sale. `change` is the cash handed back; `rounding` what rounding the cash to
   * the nearest coin moved the total by (negative when the customer pays less).
   */
  onComplete(payments: Payment[], change: number, rounding: number): void;
  /**
   * A manager lets the refused sale past the customer's credit limit: send it again with the reason, and, when the
   * manager approved it at this till for someone who may not, the approval and the key it is for.
   */
  onOverride(reason: string, approved?: ApprovedOverride): void;
}

/** A manager's approval, at the till, of one sale past a credit limit: for the sale sent with `key`. */
export interface ApprovedOverride {
  approval: string;
  key: string;
}

export function PaymentModal({ opened, customerId, busy, onClose, ...form }: PaymentModalProps) {
  const invoicing = Boolean(useSettings().data?.invoicingEnabled);
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => undefined : onClose}
      title="Take payment"
      size={customerId ? (invoicing ? 680 : 600) : 560}
      closeOnClickOutside={!busy}
    >
      {opened ? <PaymentForm customerId={customerId} busy={busy} {...form} /> : null}
    </Modal>
  );
}

function PaymentForm({
  total,
  customerId,
  customerName,
  busy,
  failure,
  onComplete,
  onOverride,
}: Omit<PaymentModalProps, 'opened' | 'onClose'>) {
  const money = useMoney();
  const { currency } = money;
  const balances = useCustomerBalances(customerId);
  const settings = useSettings();
  const pointValue = settings.data?.loyaltyPointValue ?? 1;
  // On account only for a customer, and only when the business invoices (the account says so too).
  const account = useCustomerAccount(settings.data?.invoicingEnabled ? customerId : undefined);
  const onAccountOffered = Boolean(customerId && settings.data?.invoicingEnabled && account.data?.invoicingEnabled);
  const canOverride = useCan('invoices:manage');
  const [paid, setPaid] = useState<Payment[]>([]);
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const loyaltyOffered = Boolean(settings.data?.loyaltyEnabled) || (balances.data?.loyaltyPoints ?? 0) > 0;
  // On a phone the methods do not fit side by side: one under the other, each whole.
  const narrow = useMediaQuery('(max-width: 36em)');
  const orientation = narrow ? 'vertical' : 'horizontal';
  const remaining = total - paid.reduce((sum, payment) => sum + payment.amount, 0);
  // What is typed, in major units; untouched, it is whatever is still due (or what the balance can pay of it).
  const [typed, setTyped] = useState<number | string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The refusal a manager is overriding: a new answer from the server closes the override.
  const [overriding, setOverriding] = useState<SaleFailure | null>(null);
  const refused = failure?.kind === 'credit_limit';
  // Someone who may not override gives the reason, then asks a manager at the till: the key the approval is for,
  // and the reason, while the manager approves; the sale goes as soon as they have.
  const [asking, setAsking] = useState<{ key: string; reason: string } | null>(null);
  const overridingNow = refused && overriding === failure;

  const paidWith = (which: PaymentMethod) =>
    paid.filter((payment) => payment.method === which).reduce((sum, payment) => sum + payment.amount, 0);
  const capOf = (which: 'store_credit' | 'loyalty') =>
    balances.data ? balanceCap(which, balances.data, paidWith(which), remaining, pointValue) : 0;
  const fromBalance = method === 'store_credit' || method === 'loyalty' ? method : null;
  const onAccount = method === 'on_account';
  // Untouched, on account takes all that is due: the limit is the server's to enforce (a manager may pass it).
  const cash = method === 'cash';
  // Where the smallest coins are gone, cash that settles the sale is rounded to the nearest coin.
  const increment = settings.data?.cashRounding ?? 0;
  const due = cash ? roundCash(remaining, increment) : remaining;
  const cap = fromBalance ? capOf(fromBalance) : due;
  const amount = typed === null || typed === '' ? cap : toMinor(Number(typed), currency);
  const covers = amount >= due;
  // Cash short of what is due pays exactly what it is; only the cash that settles the sale is rounded.
  const rounding = cash && covers ? due - remaining : 0;
  const applied = Math.min(amount, due);
  const change = cash ? Math.max(0, amount - due) : 0;
  const room = account.data ? accountRoom(account.data.available, paidWith('on_account')) : null;
  const overLimitBy = onAccount && room !== null ? Math.max(0, applied - room) : 0;

  function choose(next: PaymentMethod) {
    setMethod(next);
    setTyped(null);
    setError(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (remaining > 0 && amount <= 0 && !(cash && due === 0)) {
      setError(
        fromBalance && cap === 0
          ? 'Nothing left to pay with this way'
          : onAccount
            ? 'Enter the amount to put on account'
            : 'Enter the amount taken',
      );
      return;
    }
    if (fromBalance && balances.data) {
      const available =
        fromBalance === 'store_credit'
          ? balances.data.storeCredit - paidWith('store_credit')
          : balances.data.loyaltyValue - paidWith('loyalty');
      if (amount > available) {
        setError(
          fromBalance === 'store_credit'
            ? `The customer has only ${money.format(available)} of store credit`
            : `The customer’s points are worth only ${money.format(available)}`,
        );
        return;
      }
      if (fromBalance === 'loyalty' && amount % pointValue !== 0) {
        setError(
          `Points pay in steps of ${money.format(pointValue)} (one point): ${money.format(
            Math.floor(amount / pointValue) * pointValue,
          )} or ${money.format(Math.ceil(amount / pointValue) * pointValue)}`,
        );
        return;
      }
    }
    if (!cash && amount > remaining) {
      setError(`${PAYMENT_LABELS[method]} cannot take more than the ${money.format(remaining)} due`);
      return;
    }
    // A cash payment stays on the sale even when rounding took it to nothing: it is what was rounded.
    const entry = applied > 0 || rounding !== 0 ? [{ method, amount: applied }] : [];
    if (covers) {
      onComplete([...paid, ...entry], change, rounding);
      return;
    }
    // Part of it: the rest is paid another way (split payment).
    setPaid([...paid, ...entry]);
    setTyped(null);
    setMethod(method === 'cash' ? 'card' : 'cash');
    setError(null);
  }

  return (
    <>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Paper p="md" bg="gray.0" withBorder={false}>
            <Group justify="space-between" align="baseline">
              <Text size="sm" c="dimmed">
                {paid.length > 0 ? 'Still to pay' : 'To pay'}
              </Text>
              <Text fz={32} fw={750} className="tabular" aria-label="Amount due">
                {money.format(due)}
              </Text>
            </Group>
            {due !== remaining ? (
              <Text size="sm" c="dimmed" ta="right">
                In cash: {money.format(remaining)} rounded to the nearest {money.format(increment)}
              </Text>
            ) : null}
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
                orientation={orientation}
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
              {customerId ? (
                <Stack gap={4}>
                  <Text size="xs" c="dimmed" id="pay-from-balances">
                    {onAccountOffered
                      ? 'Or from the customer’s balances, or on their account'
                      : 'Or from the customer’s balances'}
                  </Text>
                  {/* The same choice as above, in a row of its own: one of the two shows it. */}
                  <SegmentedControl
                    fullWidth
                    size="md"
                    orientation={orientation}
                    value={method}
                    onChange={(value) => choose(value as PaymentMethod)}
                    aria-labelledby="pay-from-balances"
                    data={CUSTOMER_METHODS.filter(
                      ({ value }) =>
                        (value !== 'on_account' || onAccountOffered) &&
                        // Points only where the business runs a loyalty programme, or the customer still has some.
                        (value !== 'loyalty' || loyaltyOffered),
                    ).map(({ value, icon: Icon, short }) => ({
                      value,
                      // Nothing to pay with: still shown, with what is left (so the cashier can say why). The account
                      // is never closed here: past its limit, a manager may still let a sale through.
                      disabled: value !== 'on_account' && capOf(value) === 0,
                      // The name, and under it what is left: three of them side by side must not clip the figure.
                      label: (
                        <Stack gap={0} align="center">
                          <Group gap={6} justify="center" wrap="nowrap">
                            <Icon size={16} stroke={1.7} />
                            <span>{short}</span>
                          </Group>
                          <Text span size="xs" c="dimmed" className="tabular">
                            {value === 'on_account'
                              ? account.data
                                ? room === null
                                  ? 'no limit'
                                  : `${money.format(room)} left`
                                : '…'
                              : balances.data
                                ? availableText(value, balances.data, paidWith(value), pointValue, money.format)
                                : '…'}
                          </Text>
                        </Stack>
                      ),
                    }))}
                    disabled={busy}
                  />
                </Stack>
              ) : null}
              {/* Refused, the refusal shows the same figures as the server counted them: once is enough. */}
              {onAccount && account.data && !refused ? (
                <AccountSummary account={account.data} alreadyOnAccount={paidWith('on_account')} />
              ) : null}
              <NumberInput
                label={
                  cash
                    ? 'Cash received'
                    : fromBalance === 'loyalty'
                      ? 'Paid with points'
                      : onAccount
                        ? 'Put on account'
                        : `${PAYMENT_LABELS[method]} amount`
                }
                description={
                  cash ? undefined : fromBalance === 'loyalty' ? (
                    `Uses ${formatPoints(Math.floor(amount / pointValue))}. At most ${money.format(cap)}: the points the customer has, or what is due.`
                  ) : fromBalance === 'store_credit' ? (
                    `At most ${money.format(cap)}: the credit the customer has, or what is due.`
                  ) : onAccount && overLimitBy > 0 && !refused ? (
                    <Text span inherit c="orange.9" fw={600}>
                      {money.format(overLimitBy)} more than is available under the credit limit: only a manager can let
                      it through.
                    </Text>
                  ) : onAccount ? (
                    `${termsText(settings.data?.paymentTermsDays)} Less than what is due leaves the rest to pay another way.`
                  ) : (
                    'Less than what is due leaves the rest to pay another way'
                  )
                }
                size="lg"
                value={typed ?? toMajor(cap, currency)}
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
                  {cashSuggestions(due, currency).map((suggestion) => (
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

          {failure?.kind === 'credit_limit' ? (
            <CreditLimitAlert
              refusal={failure.refusal}
              canOverride={canOverride}
              busy={busy}
              overriding={overriding === failure}
              onOverriding={(on) => setOverriding(on ? failure : null)}
              onOverride={(reason) => (canOverride ? onOverride(reason) : setAsking({ key: uuidv4(), reason }))}
            />
          ) : failure ? (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertCircle />}
              title="The sale was not recorded"
              role="alert"
            >
              {failure.message}
            </Alert>
          ) : null}

          {/* While a manager overrides the limit, the override is the way on: one button to press, not two. */}
          {overridingNow ? null : (
            <Button
              type="submit"
              size="lg"
              loading={busy}
              leftSection={covers ? <IconCheck size={20} /> : <IconPlus size={20} />}
              color={covers ? 'teal' : undefined}
            >
              {covers
                ? 'Complete sale'
                : onAccount
                  ? `Put ${money.format(applied)} on account, then the rest`
                  : `Take ${money.format(applied)}, then the rest`}
            </Button>
          )}
        </Stack>
      </form>
      {/* Beside the form, not in it: the manager's own form must not submit the payment's. */}
      <ApprovalModal
        opened={asking !== null}
        permission="invoices:manage"
        recordId={asking?.key ?? ''}
        onAccount={
          customerId && failure?.kind === 'credit_limit' ? { customerId, amount: failure.refusal.amount } : undefined
        }
        what={
          failure?.kind === 'credit_limit'
            ? `putting ${money.format(failure.refusal.amount)} on ${customerName ? `${customerName}’s` : 'the customer’s'} account past their credit limit`
            : 'letting a sale past a customer’s credit limit'
        }
        onClose={() => setAsking(null)}
        onApproved={(given) => {
          if (asking) onOverride(asking.reason, { approval: given.approval, key: asking.key });
          setAsking(null);
        }}
      />
    </>
  );
}

/** "The invoice is due in 30 days.", from the business's payment terms. */
function termsText(days: number | undefined): string {
  if (days === undefined) return 'Opens an invoice for the customer.';
  return days === 0 ? 'Opens an invoice, due on the day.' : `Opens an invoice due in ${plural(days, 'day')}.`;
}

/** What the customer owes on account and what their limit leaves, as the cashier tells them. */
function AccountSummary({ account, alreadyOnAccount }: { account: CustomerAccount; alreadyOnAccount: number }) {
  const money = useMoney();
  const room = accountRoom(account.available, alreadyOnAccount);
  const limit = account.effectiveCreditLimit;
  return (
    <Paper p="sm" bg="gray.0" withBorder={false} role="group" aria-label="The customer’s account">
      <Group gap="xl" wrap="nowrap" align="flex-start">
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            Owes now
          </Text>
          <Text fw={650} className="tabular">
            {money.format(account.balance)}
          </Text>
          {account.overdue > 0 ? (
            <Text size="xs" c="red.8" fw={600} className="tabular">
              {money.format(account.overdue)} overdue
            </Text>
          ) : account.openInvoices > 0 ? (
            <Text size="xs" c="dimmed">
              {plural(account.openInvoices, 'open invoice')}
            </Text>
          ) : null}
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            Credit limit
          </Text>
          <Text fw={650} className="tabular">
            {limit === null ? 'No limit' : money.format(limit)}
          </Text>
          {limit !== null && account.creditLimit === null ? (
            <Text size="xs" c="dimmed">
              The business default
            </Text>
          ) : null}
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            Available
          </Text>
          <Text fw={750} className="tabular" c={room === 0 ? 'orange.9' : undefined}>
            {room === null ? 'No limit' : money.format(room)}
          </Text>
          {alreadyOnAccount > 0 ? (
            <Text size="xs" c="dimmed">
              after {money.format(alreadyOnAccount)} in this sale
            </Text>
          ) : null}
        </Stack>
      </Group>
    </Paper>
  );
}

/** What a balance can still pay in this sale: "£15.00", "1,250 pts · £12.50". */
function availableText(
  method: PaymentMethod,
  balances: Balances,
  alreadyPaid: number,
  pointValue: number,
  format: (minor: number) => string,
): string {
  // Below zero when the balance was spent elsewhere after this sale took from it: nothing is left.
  if (method === 'store_credit') return format(Math.max(0, balances.storeCredit - alreadyPaid));
  const value = Math.max(0, balances.loyaltyValue - alreadyPaid);
  return `${new Intl.NumberFormat().format(Math.floor(value / pointValue))} pts · ${format(value)}`;
}

import { Affix, Alert, Box, Button, Divider, Grid, Group, Paper, Select, Skeleton, Stack, Text } from '@mantine/core';
import { useHotkeys, useSessionStorage } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconBuildingStore, IconCash, IconDiscount, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { v4 as uuidv4 } from 'uuid';
import type { Customer } from '../../features/customers/customer.schema.ts';
import type { Sale, SaleCreate } from '../../features/sales/sale.schema.ts';
import { balanceKeys } from '../api/balances.ts';
import { customerKeys } from '../api/customers.ts';
import { groupKeys, useCustomerGroups } from '../api/groups.ts';
import { api, problemOf } from '../api/http.ts';
import { invoiceKeys } from '../api/invoices.ts';
import { useRecordSale } from '../api/sales.ts';
import { useSettings } from '../api/settings.ts';
import { useCan } from '../auth/session.tsx';
import { displayName, plural } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { CartLines } from './CartLines.tsx';
import {
  addProduct,
  appliedGroupDiscount,
  type Cart,
  cartTotals,
  EMPTY_CART,
  type GroupDiscount,
  groupDiscountLabel,
  groupDiscountOf,
  newReceiptRef,
  removeLine,
  saleBody,
  setCustomer,
  setQuantity,
} from './cart.ts';
import { type ApprovedOverride, PaymentModal } from './PaymentModal.tsx';
import { ProductPicker } from './ProductPicker.tsx';
import { QuickCustomerModal } from './QuickCustomerModal.tsx';
import { SaleComplete } from './SaleComplete.tsx';
import { SaleCustomer } from './SaleCustomer.tsx';
import { creditLimitRefusal, isBalanceShort, type SaleFailure, saleFieldMessages } from './sale-problem.ts';
import { useStoreChoice } from './useStoreChoice.ts';

/**
 * One try at recording a sale, kept until the server answers: its Idempotency-Key and receipt reference are kept
 * while what is sent stays the same, so pressing "Complete sale" again after a lost answer can never record it twice.
 */
interface Attempt {
  key: string;
  receiptRef: string;
  body: string;
  /**
   * The sale as the cart and payments make it, without a reason to pass a credit limit: pressing "Complete sale"
   * again for the very same sale sends the try as it was, with its reason and a manager's approval.
   */
  plain: string;
  creditLimitOverride?: { reason: string } | undefined;
  approved?: ApprovedOverride | undefined;
}

export function SellPage() {
  usePageTitle('Sell');
  const { stores, sellable, store, choose } = useStoreChoice();
  const money = useMoney();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  // The sale being rung up outlives a visit to another page (or a reload) in this tab.
  const [cart, setCart] = useSessionStorage<Cart>({
    key: 'patron.sell.cart',
    defaultValue: EMPTY_CART,
    getInitialValueInEffect: false,
  });
  const [paying, setPaying] = useState(false);
  const [newCustomer, setNewCustomer] = useState<string | null>(null);
  const [done, setDone] = useState<{ sale: Sale; change: number; loyaltyOptIn: boolean } | null>(null);
  const pointValue = useSettings().data?.loyaltyPointValue ?? 1;
  const [failure, setFailure] = useState<SaleFailure | null>(null);
  const attempt = useRef<Attempt | null>(null);
  const record = useRecordSale();
  const canAddCustomers = useCan('customers:write');
  const productSearch = useRef<HTMLInputElement>(null);
  const customerSearch = useRef<HTMLInputElement>(null);
  const saleSection = useRef<HTMLDivElement>(null);
  // The customer's group discount applies by itself; the cashier may take it off this sale.
  const groups = useCustomerGroups();
  const groupDiscount = groupDiscountOf(cart.customer, groups.data);
  const discount = appliedGroupDiscount(cart, groupDiscount);
  const totals = cartTotals(cart.lines, discount);
  const inCart = useMemo(() => new Map(cart.lines.map((line) => [line.productId, line.quantity])), [cart.lines]);

  useHotkeys([
    ['/', () => productSearch.current?.focus()],
    ['F2', () => productSearch.current?.focus()],
    ['F4', () => customerSearch.current?.focus()],
  ]);

  // "New sale" from a customer's page: the sale starts with them attached.
  const customerParam = params.get('customer');
  useEffect(() => {
    if (!customerParam) return;
    setParams({}, { replace: true });
    void queryClient
      .fetchQuery({
        queryKey: customerKeys.detail(customerParam),
        queryFn: () => api<Customer>('GET', `/customers/${encodeURIComponent(customerParam)}`),
      })
      .then((customer) => setCart((current) => setCustomer(current, customer)))
      .catch(() => undefined);
  }, [customerParam, setParams, queryClient, setCart]);

  function attach(customer: Customer) {
    setCart((current) => setCustomer(current, customer));
    productSearch.current?.focus();
  }

  /** The server says the customer's group gives another discount: read the customer and the groups again. */
  function refreshGroupDiscount(customerId: string) {
    void queryClient.invalidateQueries({ queryKey: groupKeys.all });
    void queryClient
      .fetchQuery({
        queryKey: customerKeys.detail(customerId),
        queryFn: () => api<Customer>('GET', `/customers/${encodeURIComponent(customerId)}`),
        staleTime: 0,
      })
      .then((customer) =>
        setCart((current) => (current.customer?.id === customer.id ? { ...current, customer } : current)),
      )
      .catch(() => undefined);
  }

  function startNewSale() {
    setDone(null);
    setCart(EMPTY_CART);
    attempt.current = null;
    requestAnimationFrame(() => productSearch.current?.focus());
  }

  function complete(
    payments: SaleCreate['payments'],
    change: number,
    rounding: number,
    creditLimitOverride?: { reason: string },
    approved?: ApprovedOverride,
  ) {
    if (!store) return;
    const before = failure;
    setFailure(null);
    const plain = JSON.stringify(saleBody(cart, store.id, payments, { groupDiscount: discount, rounding }));
    // The very same sale as a try whose answer never came (a server's answer ends a try): sent again as it was.
    if (!creditLimitOverride && attempt.current?.plain === plain) ({ creditLimitOverride, approved } = attempt.current);
    const body = saleBody(cart, store.id, payments, { groupDiscount: discount, creditLimitOverride, rounding });
    const bodyText = JSON.stringify(body);
    // A manager's approval is for the sale sent with its key: that key, however the try before was sent.
    if (attempt.current?.body !== bodyText || (approved && attempt.current.key !== approved.key)) {
      const key = approved?.key ?? uuidv4();
      attempt.current = { key, receiptRef: newReceiptRef(store), body: bodyText, plain, creditLimitOverride, approved };
    }
    const { key, receiptRef } = attempt.current;
    record.mutate(
      { sale: { ...body, receiptRef, channel: 'pos' }, idempotencyKey: key, approval: approved?.approval },
      {
        onSuccess: (sale) => {
          attempt.current = null;
          setPaying(false);
          setCart(EMPTY_CART);
          setDone({ sale, change, loyaltyOptIn: cart.customer?.loyaltyOptIn ?? false });
        },
        onError: (error) => {
          const problem = problemOf(error);
          if (problem.status === 0) {
            setFailure({
              kind: 'message',
              message:
                'The connection dropped, so it is not known whether the sale was recorded. Press “Complete sale” again: it is recorded only once, however often it is sent.',
            });
            return;
          }
          // Anything the server answered means nothing was recorded (but a key already used for another sale, which
          // may have been): the next try is a new one.
          attempt.current = null;
          if (problem.code === 'idempotency_mismatch') {
            setFailure({
              kind: 'message',
              message:
                'A sale sent before this one may have been recorded. Look at the customer’s history before trying again.',
            });
            return;
          }
          const errors = problem.errors ?? [];
          if (errors.some((item) => item.code === 'approval_invalid') && before?.kind === 'credit_limit') {
            // The manager's approval ran out (two minutes) or no longer matches the sale: the refusal stands, with
            // its way on.
            notifications.show({
              color: 'orange',
              title: 'The manager’s approval did not go through',
              message: 'It ran out or no longer matches this sale. Ask the manager to approve it again.',
            });
            setFailure({ ...before });
            return;
          }
          const customerId = cart.customer?.id;
          if (customerId && isBalanceShort(errors)) {
            void queryClient.invalidateQueries({ queryKey: balanceKeys.totals(customerId) });
          }
          const refusal = creditLimitRefusal(problem, payments);
          if (refusal) {
            // What they owe may have moved since the modal read it: show it as the server counted.
            if (customerId) void queryClient.invalidateQueries({ queryKey: invoiceKeys.account(customerId) });
            setFailure({ kind: 'credit_limit', refusal, payments, change, rounding });
            return;
          }
          if (customerId && errors.some((item) => item.code === 'not_group_discount')) {
            refreshGroupDiscount(customerId);
          }
          const fields = saleFieldMessages(errors, payments, money.format, pointValue);
          setFailure({
            kind: 'message',
            message: fields.length > 0 ? fields.join(' ') : (problem.detail ?? problem.title),
          });
        },
      },
    );
  }

  if (done) {
    return (
      <>
        <PageHeader title="Sell" />
        <SaleComplete sale={done.sale} change={done.change} loyaltyOptIn={done.loyaltyOptIn} onNewSale={startNewSale} />
      </>
    );
  }

  const storeSelect =
    sellable.length > 1 && store ? (
      <Select
        aria-label="Store"
        data={sellable.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
        value={store.id}
        onChange={(value) => value && choose(value)}
        allowDeselect={false}
        leftSection={<IconBuildingStore size={16} stroke={1.6} />}
        w={220}
      />
    ) : store ? (
      <Group gap={6} c="dimmed">
        <IconBuildingStore size={16} stroke={1.6} />
        <Text size="sm">{store.name}</Text>
      </Group>
    ) : null;

  return (
    <>
      <PageHeader title="Sell" actions={storeSelect} />
      {stores.isError ? (
        <LoadError error={stores.error} onRetry={() => stores.refetch()} what="the stores" />
      ) : stores.isPending ? (
        <Skeleton h={320} />
      ) : !store ? (
        <Alert color="orange" variant="light" icon={<IconAlertCircle />} title="No store to sell in">
          Sales are recorded in a store, and this business has none you can sell in.
        </Alert>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <ProductPicker
              inputRef={productSearch}
              inCart={inCart}
              onAdd={(product) => setCart((current) => addProduct(current, product))}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Paper
              ref={saleSection}
              p="md"
              component="section"
              aria-label="Current sale"
              style={{ position: 'sticky', top: 72, scrollMarginTop: 72 }}
            >
              <Stack gap="md">
                <SaleCustomer
                  customer={cart.customer}
                  onAttach={attach}
                  onDetach={() => setCart((current) => setCustomer(current, null))}
                  onAddNew={canAddCustomers ? setNewCustomer : undefined}
                  groupDiscount={groupDiscount}
                  inputRef={customerSearch}
                />
                <Divider />
                <CartLines
                  lines={cart.lines}
                  discount={discount}
                  onQuantity={(productId, quantity) => setCart((current) => setQuantity(current, productId, quantity))}
                  onRemove={(productId) => setCart((current) => removeLine(current, productId))}
                />
                <Stack gap={4}>
                  <Group justify="space-between">
                    <Text size="sm" c="dimmed">
                      {plural(totals.items, 'item')}
                    </Text>
                    {cart.lines.length > 0 ? (
                      <Button
                        variant="subtle"
                        color="gray"
                        size="compact-xs"
                        leftSection={<IconTrash size={12} />}
                        onClick={() => {
                          setCart(EMPTY_CART);
                          attempt.current = null;
                        }}
                      >
                        Clear sale
                      </Button>
                    ) : null}
                  </Group>
                  {groupDiscount && cart.lines.length > 0 ? (
                    <GroupDiscountLines
                      discount={groupDiscount}
                      applied={discount !== null}
                      subtotal={totals.subtotal}
                      discountTotal={totals.discountTotal}
                      onApply={(apply) => setCart((current) => ({ ...current, groupDiscountRemoved: !apply }))}
                    />
                  ) : null}
                  <Group justify="space-between" align="baseline">
                    <Text fw={700} size="lg">
                      Total
                    </Text>
                    <Text fw={750} fz={28} className="tabular" aria-label="Sale total">
                      {money.format(totals.total)}
                    </Text>
                  </Group>
                </Stack>
                <Button
                  size="lg"
                  fullWidth
                  leftSection={<IconCash size={20} />}
                  disabled={cart.lines.length === 0}
                  onClick={() => {
                    setFailure(null);
                    setPaying(true);
                  }}
                >
                  Take payment
                </Button>
              </Stack>
            </Paper>
          </Grid.Col>
        </Grid>
      )}
      {/* On a phone the sale is below the products: what it comes to stays in sight, a tap away. */}
      {cart.lines.length > 0 ? (
        <>
          <Box h={64} hiddenFrom="md" aria-hidden />
          <Affix position={{ bottom: 0, left: 0, right: 0 }} hiddenFrom="md">
            <Paper shadow="md" p="sm" radius={0} role="region" aria-label="Sale so far">
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" className="tabular">
                  {plural(totals.items, 'item')} ·{' '}
                  <Text span fw={700} inherit>
                    {money.format(totals.total)}
                  </Text>
                </Text>
                <Button size="sm" onClick={() => saleSection.current?.scrollIntoView({ behavior: 'smooth' })}>
                  View sale
                </Button>
              </Group>
            </Paper>
          </Affix>
        </>
      ) : null}

      <QuickCustomerModal
        typed={newCustomer}
        storeId={store?.id}
        onClose={() => setNewCustomer(null)}
        onCreated={(customer) => {
          setNewCustomer(null);
          attach(customer);
          notifications.show({
            color: 'teal',
            title: 'Customer added',
            message: `${displayName(customer)} is attached to this sale.`,
          });
        }}
      />
      <PaymentModal
        opened={paying}
        total={totals.total}
        customerId={cart.customer?.id}
        customerName={cart.customer ? displayName(cart.customer) : undefined}
        busy={record.isPending}
        failure={failure}
        onClose={() => setPaying(false)}
        onComplete={complete}
        onOverride={(reason, approved) => {
          if (failure?.kind === 'credit_limit')
            complete(failure.payments, failure.change, failure.rounding, { reason }, approved);
        }}
      />
    </>
  );
}

/**
 * The customer's group discount in the totals: the subtotal, then what the discount takes off, with a way to take
 * it off this sale (and to give it back).
 */
function GroupDiscountLines({
  discount,
  applied,
  subtotal,
  discountTotal,
  onApply,
}: {
  discount: GroupDiscount;
  applied: boolean;
  subtotal: number;
  discountTotal: number;
  onApply(apply: boolean): void;
}) {
  const money = useMoney();
  const label = groupDiscountLabel(discount);
  if (!applied) {
    return (
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {label} removed from this sale
        </Text>
        <Button variant="subtle" size="compact-xs" onClick={() => onApply(true)}>
          Apply it again
        </Button>
      </Group>
    );
  }
  return (
    <Stack gap={2} role="group" aria-label="Group discount">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Subtotal
        </Text>
        <Text size="sm" className="tabular">
          {money.format(subtotal)}
        </Text>
      </Group>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap">
          <IconDiscount size={16} stroke={1.7} color="var(--mantine-color-teal-7)" />
          <Text size="sm" fw={650} c="teal.8">
            {label}
          </Text>
          <Button
            variant="subtle"
            color="gray"
            size="compact-xs"
            onClick={() => onApply(false)}
            aria-label={`Remove the ${label} from this sale`}
          >
            Remove
          </Button>
        </Group>
        <Text size="sm" fw={650} c="teal.8" className="tabular" aria-label="Discount">
          −{money.format(discountTotal)}
        </Text>
      </Group>
    </Stack>
  );
}

import { Button, CloseButton, Group, SimpleGrid, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { IconAdjustmentsHorizontal, IconChevronDown, IconChevronUp, IconGift } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import type { Customer } from '../../features/customers/customer.schema.ts';
import { type BalanceKind, useCustomerBalances } from '../api/balances.ts';
import { useSettings } from '../api/settings.ts';
import { useCan } from '../auth/session.tsx';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';
import { AdjustBalanceModal, type AdjustMode } from './AdjustBalanceModal.tsx';
import { BalanceLedger } from './BalanceLedger.tsx';
import { BALANCE_LABELS, formatPoints } from './balance-format.ts';
import classes from './CustomerBalances.module.css';

interface CustomerBalancesProps {
  customer: Customer;
  /** Opens a receipt in the page's drawer; left out where receipts cannot be seen. */
  onOpenSale?: ((saleId: string) => void) | undefined;
  /** Receipt references of the sales already loaded, by id, to name a ledger entry's sale. */
  receipts: Map<string, string>;
}

/**
 * What the customer has to spend and owes: loyalty points (and what they are worth), store credit, account.
 * Each opens its ledger: every change, newest first, with its reason.
 */
export function CustomerBalances({ customer, onOpenSale, receipts }: CustomerBalancesProps) {
  const balances = useCustomerBalances(customer.id);
  const settings = useSettings();
  const money = useMoney();
  const canAdjust = useCan('balances:adjust');
  const [open, setOpen] = useState<BalanceKind | null>(null);
  const [adjusting, setAdjusting] = useState<AdjustMode | null>(null);

  const loyaltyNote = !settings.data?.loyaltyEnabled
    ? 'Loyalty is turned off in Settings'
    : customer.loyaltyOptIn
      ? null
      : 'Not in the loyalty program: earns no points';

  function tile(kind: BalanceKind, value: ReactNode, detail: ReactNode) {
    const expanded = open === kind;
    return (
      <UnstyledButton
        className={classes.tile}
        aria-expanded={expanded}
        aria-controls="balance-ledger"
        onClick={() => setOpen(expanded ? null : kind)}
      >
        <Group justify="space-between" wrap="nowrap" gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4} truncate>
            {BALANCE_LABELS[kind]}
          </Text>
          {expanded ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />}
        </Group>
        <Text fz={22} fw={700} className="tabular" lh={1.3}>
          {value}
        </Text>
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      </UnstyledButton>
    );
  }

  return (
    <Section
      title="Balances"
      description="What the customer can spend and what they owe. Open one to see every change."
      actions={
        canAdjust ? (
          <Group gap="xs" wrap="nowrap">
            <Button
              variant="light"
              size="xs"
              leftSection={<IconGift size={14} />}
              onClick={() => setAdjusting('issue')}
              disabled={!balances.isSuccess}
            >
              Issue store credit
            </Button>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconAdjustmentsHorizontal size={14} />}
              onClick={() => setAdjusting('adjust')}
              disabled={!balances.isSuccess}
            >
              Adjust
            </Button>
          </Group>
        ) : null
      }
    >
      {balances.isPending ? (
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
          <Skeleton h={86} />
          <Skeleton h={86} />
          <Skeleton h={86} />
        </SimpleGrid>
      ) : balances.isError ? (
        <LoadError error={balances.error} onRetry={() => balances.refetch()} what="the balances" />
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            {tile(
              'loyalty',
              formatPoints(balances.data.loyaltyPoints),
              // Points they have are worth saying first: they can spend them whether or not they still earn.
              balances.data.loyaltyPoints > 0 || !loyaltyNote
                ? `Worth ${money.format(balances.data.loyaltyValue)} as a payment`
                : loyaltyNote,
            )}
            {tile('store_credit', money.format(balances.data.storeCredit), 'To spend on any sale')}
            {tile(
              'account',
              money.format(balances.data.account),
              balances.data.account > 0 ? 'Owed on open invoices' : 'Nothing owed on account',
            )}
          </SimpleGrid>
          {open ? (
            <div id="balance-ledger" style={{ marginTop: 'var(--mantine-spacing-md)' }}>
              <Group justify="space-between" mb={4}>
                <Text size="sm" fw={650}>
                  {BALANCE_LABELS[open]}: history
                </Text>
                <CloseButton size="sm" aria-label="Close the history" onClick={() => setOpen(null)} />
              </Group>
              <BalanceLedger customerId={customer.id} balance={open} onOpenSale={onOpenSale} receipts={receipts} />
            </div>
          ) : null}
        </>
      )}
      {balances.isSuccess ? (
        <AdjustBalanceModal
          customerId={customer.id}
          balances={balances.data}
          mode={adjusting}
          onClose={() => setAdjusting(null)}
          onDone={(kind) => {
            setAdjusting(null);
            setOpen(kind);
          }}
        />
      ) : null}
    </Section>
  );
}

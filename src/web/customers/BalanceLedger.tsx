import { Anchor, Button, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { BalanceEntry } from '../../features/balances/balance.schema.ts';
import { type BalanceKind, useBalanceLedger } from '../api/balances.ts';
import { useSettings } from '../api/settings.ts';
import { storeDateAndTime } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { formatPoints, reasonText, signedAmount } from './balance-format.ts';

interface BalanceLedgerProps {
  customerId: string;
  balance: BalanceKind;
  onOpenSale?: ((saleId: string) => void) | undefined;
  receipts: Map<string, string>;
}

const EMPTY: Record<BalanceKind, string> = {
  loyalty: 'No points yet. Points earned on sales, spent, adjusted or expired appear here.',
  store_credit: 'No store credit yet. Credit issued on a return or by hand, and spent on sales, appears here.',
  account: 'Nothing on account yet. Sales put on account and invoice payments appear here.',
};

/**
 * Every change of one balance, newest first: the balance is their sum and none is ever edited. Times are on
 * the business's clock (Settings), as the till showed them.
 */
export function BalanceLedger({ customerId, balance, onOpenSale, receipts }: BalanceLedgerProps) {
  const ledger = useBalanceLedger(customerId, balance);
  const settings = useSettings();
  const money = useMoney();
  const timeZone = settings.data?.timeZone ?? 'UTC';
  const items = ledger.data?.pages.flatMap((page) => page.items) ?? [];
  const format = balance === 'loyalty' ? formatPoints : money.format;

  if (ledger.isPending) {
    return (
      <Stack gap="sm" aria-busy="true">
        <Skeleton h={18} />
        <Skeleton h={18} />
        <Skeleton h={18} />
      </Stack>
    );
  }
  if (ledger.isError) return <LoadError error={ledger.error} onRetry={() => ledger.refetch()} what="the history" />;
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {EMPTY[balance]}
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={560} type="native">
        <Table verticalSpacing={8} horizontalSpacing="sm" fz="sm" layout="fixed" aria-label="Balance history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={118}>Date</Table.Th>
              <Table.Th w={120} className="num">
                Change
              </Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th w={130}>By</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((entry) => (
              <Table.Tr key={entry.id} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <EntryTime iso={entry.createdAt} timeZone={timeZone} />
                </Table.Td>
                <Table.Td className="num" fw={650} c={entry.amount > 0 ? 'teal.8' : 'red.8'}>
                  {signedAmount(entry.amount, format)}
                </Table.Td>
                <Table.Td>
                  <Reason
                    entry={entry}
                    timeZone={timeZone}
                    onOpenSale={onOpenSale}
                    receipt={entry.receiptRef ?? (entry.saleId ? receipts.get(entry.saleId) : undefined)}
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" className="truncate" title={entry.createdBy}>
                    {entry.createdBy}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {ledger.hasNextPage ? (
        <Group justify="center" mt="sm">
          <Button
            variant="default"
            size="xs"
            onClick={() => ledger.fetchNextPage()}
            loading={ledger.isFetchingNextPage}
          >
            Load more
          </Button>
        </Group>
      ) : null}
    </>
  );
}

function EntryTime({ iso, timeZone }: { iso: string; timeZone: string }) {
  const [date, time] = storeDateAndTime(iso, timeZone);
  return (
    <time dateTime={iso} style={{ display: 'block' }}>
      <Text span size="sm" display="block" className="tabular" style={{ whiteSpace: 'nowrap' }}>
        {date}
      </Text>
      <Text span size="xs" c="dimmed" display="block" className="tabular" style={{ whiteSpace: 'nowrap' }}>
        {time}
      </Text>
    </time>
  );
}

function Reason({
  entry,
  timeZone,
  onOpenSale,
  receipt,
}: {
  entry: BalanceEntry;
  timeZone: string;
  onOpenSale?: ((saleId: string) => void) | undefined;
  receipt: string | undefined;
}) {
  const { saleId } = entry;
  // Spending takes the oldest points first: what is left of these by then lapses.
  const lapses =
    entry.expiresAt && entry.amount > 0 && Date.parse(entry.expiresAt) > Date.now()
      ? storeDateAndTime(entry.expiresAt, timeZone)[0]
      : null;
  return (
    <Stack gap={2}>
      <Text size="sm">{reasonText(entry)}</Text>
      {saleId && onOpenSale ? (
        <Anchor
          component="button"
          type="button"
          size="xs"
          ta="left"
          onClick={() => onOpenSale(saleId)}
          ff={receipt ? 'monospace' : undefined}
        >
          {receipt ?? 'Open the receipt'}
        </Anchor>
      ) : null}
      {entry.invoiceReference ? (
        <Text size="xs" c="dimmed" ff="monospace">
          {entry.invoiceReference}
        </Text>
      ) : null}
      {entry.note ? (
        <Text size="xs" c="dimmed" className="pre-wrap">
          “{entry.note}”
        </Text>
      ) : null}
      {lapses ? (
        <Text size="xs" c="dimmed">
          Points expire {lapses} unless spent first
        </Text>
      ) : null}
    </Stack>
  );
}

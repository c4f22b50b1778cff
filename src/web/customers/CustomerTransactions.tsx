import { Button, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconShoppingCart } from '@tabler/icons-react';
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { formatQuantity } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { ReceiptRefButton } from '../sales/ReceiptRefButton.tsx';
import { SaleStatusBadge } from '../sales/SaleStatusBadge.tsx';
import { StoreTime } from '../sales/StoreTime.tsx';
import { CHANNEL_LABELS, itemCount, paymentMethodsText } from '../sales/sale-format.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';

interface CustomerTransactionsProps {
  sales: UseInfiniteQueryResult<InfiniteData<{ items: Sale[]; next: string | null }>>;
  /** Everything loaded so far, newest first. */
  items: Sale[];
  onOpen(id: string): void;
  /** Where to start a sale for this customer, for those who may sell. */
  sellTo?: string;
}

/** The customer's receipts, newest first: each opens in full. Times are the store's, as the receipt said. */
export function CustomerTransactions({ sales, items, onOpen, sellTo }: CustomerTransactionsProps) {
  const money = useMoney();
  const refunded = new Set(
    items.filter((sale) => sale.refundOf && sale.status !== 'cancelled').map((sale) => sale.refundOf),
  );
  return (
    <Section
      title="Transactions"
      description="Sales and refunds, newest first, at the time of the store."
      actions={
        sellTo ? (
          <Button component={Link} to={sellTo} variant="light" size="xs" leftSection={<IconShoppingCart size={14} />}>
            New sale
          </Button>
        ) : null
      }
    >
      {sales.isPending ? (
        <Stack gap="sm">
          <Skeleton h={18} />
          <Skeleton h={18} />
          <Skeleton h={18} />
        </Stack>
      ) : sales.isError ? (
        <LoadError error={sales.error} onRetry={() => sales.refetch()} what="the transactions" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No purchases yet. Sales made with this customer attached appear here at once.
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={600} type="native">
            <Table
              highlightOnHover
              verticalSpacing={8}
              horizontalSpacing="sm"
              fz="sm"
              layout="fixed"
              aria-label="Transactions"
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={144}>Date</Table.Th>
                  <Table.Th>Receipt</Table.Th>
                  <Table.Th w={58} className="num">
                    Items
                  </Table.Th>
                  <Table.Th w={104} className="num">
                    Total
                  </Table.Th>
                  <Table.Th w={128}>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((sale) => (
                  <Table.Tr
                    key={sale.id}
                    className="clickable-row"
                    onClick={(event) => {
                      if (!(event.target as HTMLElement).closest('button, a')) onOpen(sale.id);
                    }}
                    c={sale.status === 'cancelled' ? 'dimmed' : undefined}
                  >
                    <Table.Td>
                      <StoreTime sale={sale} />
                    </Table.Td>
                    <Table.Td>
                      <ReceiptRefButton receipt={sale} onOpen={() => onOpen(sale.id)} />
                      <Text size="xs" c="dimmed" className="truncate" title={receiptDetails(sale)}>
                        {receiptDetails(sale)}
                      </Text>
                    </Table.Td>
                    <Table.Td className="num">{formatQuantity(itemCount(sale))}</Table.Td>
                    <Table.Td className="num" fw={600}>
                      {money.format(sale.total)}
                    </Table.Td>
                    <Table.Td>
                      <SaleStatusBadge sale={sale} partlyRefunded={refunded.has(sale.id)} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {sales.hasNextPage ? (
            <Group justify="center" mt="md">
              <Button
                variant="default"
                size="xs"
                onClick={() => sales.fetchNextPage()}
                loading={sales.isFetchingNextPage}
              >
                Load more
              </Button>
            </Group>
          ) : null}
        </>
      )}
    </Section>
  );
}

/** Where and how: "Main store · Online · Cash, Card". */
function receiptDetails(sale: Sale): string {
  const paidBy = paymentMethodsText(sale.payments.map((payment) => payment.method));
  return [sale.store.name, sale.channel === 'pos' ? null : CHANNEL_LABELS[sale.channel], paidBy || null]
    .filter(Boolean)
    .join(' · ');
}

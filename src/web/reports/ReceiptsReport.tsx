import { Anchor, Button, Group, Table, Text } from '@mantine/core';
import { useMemo } from 'react';
import { Link } from 'react-router';
import type { ReceiptRow } from '../../features/reports/report.schema.ts';
import { RECEIPTS_PAGE_SIZE, type ReportFilter, useReceiptsReport } from '../api/reports.ts';
import { formatQuantity, plural } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { ReceiptRefButton } from '../sales/ReceiptRefButton.tsx';
import { SaleStatusBadge } from '../sales/SaleStatusBadge.tsx';
import { StoreTime } from '../sales/StoreTime.tsx';
import { CHANNEL_LABELS, isDeletedCustomer, paymentMethodsText } from '../sales/sale-format.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { Dash } from '../ui/Value.tsx';
import { ReportCount, ReportEmpty, ReportSkeleton } from './report-parts.tsx';

interface ReceiptsReportProps {
  filter: ReportFilter;
  filtered: boolean;
  /** Open a receipt in full; left out for those who may not see sales. */
  onOpen?: (id: string) => void;
  /** A business with one store does not need a column that always says its name. */
  showStore: boolean;
}

/** Every sale and refund, cancelled ones too, newest first. */
export function ReceiptsReport({ filter, filtered, onOpen, showStore }: ReceiptsReportProps) {
  const money = useMoney();
  const report = useReceiptsReport(filter);
  const rows = useMemo(() => report.data?.pages.flatMap((page) => page.items) ?? [], [report.data]);
  const settled = report.isSuccess && !report.isPlaceholderData;

  if (report.isError) {
    return (
      <div style={{ padding: 'var(--mantine-spacing-md)' }}>
        <LoadError error={report.error} onRetry={() => report.refetch()} what="the receipts" />
      </div>
    );
  }
  if (report.isPending) return <ReportSkeleton />;
  if (settled && rows.length === 0) return <ReportEmpty filtered={filtered} what="receipts" />;
  return (
    <>
      <ReportCount>
        {report.hasNextPage ? `The newest ${rows.length} receipts` : plural(rows.length, 'receipt')}
      </ReportCount>
      <Table.ScrollContainer minWidth={showStore ? 1000 : 860} type="native">
        <Table
          highlightOnHover
          verticalSpacing={8}
          horizontalSpacing="md"
          fz="sm"
          layout="fixed"
          aria-label="Receipts"
          style={{ opacity: report.isPlaceholderData ? 0.6 : 1 }}
        >
          <Table.Thead bg="gray.0">
            <Table.Tr>
              <Table.Th w={132}>Date</Table.Th>
              <Table.Th w={186}>Receipt</Table.Th>
              <Table.Th>Customer</Table.Th>
              {showStore ? <Table.Th w={128}>Store</Table.Th> : null}
              <Table.Th w={64} className="num">
                Items
              </Table.Th>
              <Table.Th w={100}>Paid by</Table.Th>
              <Table.Th w={110} className="num">
                Total
              </Table.Th>
              <Table.Th w={128}>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Row key={row.id} row={row} format={money.format} onOpen={onOpen} showStore={showStore} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {report.hasNextPage && settled ? (
        <Group justify="center" p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <Button variant="default" onClick={() => report.fetchNextPage()} loading={report.isFetchingNextPage}>
            Load {RECEIPTS_PAGE_SIZE} more
          </Button>
        </Group>
      ) : null}
    </>
  );
}

function Row({
  row,
  format,
  onOpen,
  showStore,
}: {
  row: ReceiptRow;
  format(minor: number): string;
  onOpen: ((id: string) => void) | undefined;
  showStore: boolean;
}) {
  const cancelled = row.status === 'cancelled';
  return (
    <Table.Tr
      className={onOpen ? 'clickable-row' : undefined}
      onClick={(event) => {
        if (onOpen && !(event.target as HTMLElement).closest('a, button')) onOpen(row.id);
      }}
      c={cancelled ? 'dimmed' : undefined}
    >
      <Table.Td>
        <StoreTime sale={row} />
      </Table.Td>
      <Table.Td>
        {onOpen ? (
          <ReceiptRefButton receipt={row} onOpen={() => onOpen(row.id)} />
        ) : (
          <Text size="sm" fw={600} ff="monospace" truncate>
            {row.receiptRef}
          </Text>
        )}
        {row.channel === 'pos' ? null : (
          <Text size="xs" c="dimmed">
            {CHANNEL_LABELS[row.channel]}
          </Text>
        )}
      </Table.Td>
      {/* The customer's name wraps rather than being cut: it is what the report is read for. */}
      <Table.Td>
        {row.customer ? (
          isDeletedCustomer(row.customer) ? (
            <Text span size="sm" c="dimmed" title={row.customer.id}>
              Deleted customer
            </Text>
          ) : (
            <Anchor component={Link} to={`/customers/${row.customer.id}`} size="sm" title={row.customer.name}>
              {row.customer.name}
            </Anchor>
          )
        ) : (
          <Dash />
        )}
      </Table.Td>
      {showStore ? (
        <Table.Td className="truncate" title={row.store.name}>
          {row.store.name}
        </Table.Td>
      ) : null}
      <Table.Td className="num">{formatQuantity(row.items)}</Table.Td>
      <Table.Td className="truncate">{paymentMethodsText(row.paymentMethods) || <Dash />}</Table.Td>
      <Table.Td className="num" fw={600}>
        {format(row.total)}
      </Table.Td>
      <Table.Td>
        <SaleStatusBadge sale={row} />
      </Table.Td>
    </Table.Tr>
  );
}

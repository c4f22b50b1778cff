import { Anchor, Table, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { type ReportFilter, SALES_BY_CUSTOMER_LIMIT, useSalesByCustomerReport } from '../api/reports.ts';
import { formatDate, formatDateTime, plural } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { Dash } from '../ui/Value.tsx';
import { ReportCount, ReportEmpty, ReportSkeleton } from './report-parts.tsx';

interface SalesByCustomerReportProps {
  filter: Omit<ReportFilter, 'customerId'> & { q?: string | undefined };
  filtered: boolean;
}

/** Orders and totals per customer, largest first; a deleted customer's sales stay under its record id. */
export function SalesByCustomerReport({ filter, filtered }: SalesByCustomerReportProps) {
  const money = useMoney();
  const report = useSalesByCustomerReport(filter);
  const count = new Intl.NumberFormat();
  if (report.isError) {
    return (
      <div style={{ padding: 'var(--mantine-spacing-md)' }}>
        <LoadError error={report.error} onRetry={() => report.refetch()} what="sales by customer" />
      </div>
    );
  }
  if (report.isPending) return <ReportSkeleton />;
  if (report.data.length === 0 && !report.isPlaceholderData) return <ReportEmpty filtered={filtered} what="sales" />;
  const rows = report.data;
  return (
    <div style={{ opacity: report.isPlaceholderData ? 0.6 : 1 }}>
      <ReportCount>
        {rows.length >= SALES_BY_CUSTOMER_LIMIT
          ? `The ${rows.length} customers who spent most: download the CSV for all of them`
          : plural(rows.length, 'customer')}
      </ReportCount>
      <Table.ScrollContainer minWidth={760} type="native">
        <Table
          highlightOnHover
          verticalSpacing={8}
          horizontalSpacing="md"
          fz="sm"
          layout="fixed"
          aria-label="Sales by customer"
        >
          <Table.Thead bg="gray.0">
            <Table.Tr>
              <Table.Th>Customer</Table.Th>
              <Table.Th w={90} className="num">
                Orders
              </Table.Th>
              <Table.Th w={130} className="num">
                Total
              </Table.Th>
              <Table.Th w={130} className="num">
                Average
              </Table.Th>
              <Table.Th w={130}>First sale</Table.Th>
              <Table.Th w={130}>Last sale</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.customerId}>
                <Table.Td className="truncate">
                  {row.deleted ? (
                    <>
                      <Text span size="sm" c="dimmed">
                        Deleted customer
                      </Text>{' '}
                      <Text span size="xs" c="dimmed" ff="monospace" title={row.customerId}>
                        {row.customerId.slice(-8)}
                      </Text>
                    </>
                  ) : (
                    <Anchor component={Link} to={`/customers/${row.customerId}`} size="sm" fw={500} title={row.name}>
                      {row.name}
                    </Anchor>
                  )}
                </Table.Td>
                <Table.Td className="num">{count.format(row.orders)}</Table.Td>
                <Table.Td className="num" fw={600}>
                  {money.format(row.total)}
                </Table.Td>
                <Table.Td className="num">
                  {row.orders ? money.format(Math.round(row.total / row.orders)) : <Dash />}
                </Table.Td>
                <Table.Td>
                  <Day iso={row.firstSaleAt} />
                </Table.Td>
                <Table.Td>
                  <Day iso={row.lastSaleAt} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}

function Day({ iso }: { iso: string | null }) {
  if (!iso) return <Dash />;
  return (
    <Tooltip label={formatDateTime(iso)} withArrow>
      <time dateTime={iso}>{formatDate(iso)}</time>
    </Tooltip>
  );
}

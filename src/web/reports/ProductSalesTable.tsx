import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowsSort, IconArrowUp } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ProductRow } from '../../features/reports/report.schema.ts';
import type { ProductSort, SortDirection } from '../api/reports.ts';
import { formatQuantity } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';

export interface ProductSortState {
  sort: ProductSort;
  direction: SortDirection;
}

/** A click on a column sorts by it, largest first (names A to Z); a second click turns the order round. */
export function nextSort(current: ProductSortState, column: ProductSort): ProductSortState {
  if (current.sort === column) return { sort: column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { sort: column, direction: column === 'name' ? 'asc' : 'desc' };
}

interface ProductSalesTableProps extends ProductSortState {
  rows: ProductRow[];
  onSort(next: ProductSortState): void;
  label: string;
}

/** Products sold: quantity, value, cost and margin, sortable by each, with the totals under them. */
export function ProductSalesTable({ rows, sort, direction, onSort, label }: ProductSalesTableProps) {
  const money = useMoney();
  // A cost unknown on any row makes the total's unknown too.
  const totals = rows.reduce<{ quantity: number; value: number; cost: number | null; margin: number | null }>(
    (sum, row) => ({
      quantity: sum.quantity + row.quantity,
      value: sum.value + row.value,
      cost: sum.cost === null || row.cost === null ? null : sum.cost + row.cost,
      margin: sum.margin === null || row.margin === null ? null : sum.margin + row.margin,
    }),
    { quantity: 0, value: 0, cost: 0, margin: 0 },
  );
  const header = (column: ProductSort, text: string, numeric = true) => (
    <SortableHeader
      column={column}
      numeric={numeric}
      active={sort === column}
      direction={direction}
      onClick={() => onSort(nextSort({ sort, direction }, column))}
    >
      {text}
    </SortableHeader>
  );
  return (
    <Table.ScrollContainer minWidth={560} type="native">
      <Table verticalSpacing={8} horizontalSpacing="sm" fz="sm" layout="fixed" aria-label={label} highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {header('name', 'Product', false)}
            {header('quantity', 'Quantity')}
            {header('value', 'Value')}
            {header('cost', 'Cost')}
            {header('margin', 'Margin')}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.productId ?? `${row.sku}:${row.name}`}>
              <Table.Td>
                <Text size="sm" fw={500} className="truncate" title={row.name}>
                  {row.name}
                </Text>
                {row.sku ? (
                  <Text size="xs" c="dimmed" ff="monospace" className="truncate">
                    {row.sku}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td className="num">{formatQuantity(row.quantity)}</Table.Td>
              <Table.Td className="num">{money.format(row.value)}</Table.Td>
              <Table.Td className="num">
                <Cost cost={row.cost} format={money.format} />
              </Table.Td>
              <Table.Td className="num">
                <Margin margin={row.margin} value={row.value} format={money.format} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        {rows.length > 1 ? (
          <Table.Tfoot>
            <Table.Tr fw={650} style={{ borderTop: '2px solid var(--mantine-color-gray-3)' }}>
              <Table.Td>Total</Table.Td>
              <Table.Td className="num">{formatQuantity(totals.quantity)}</Table.Td>
              <Table.Td className="num">{money.format(totals.value)}</Table.Td>
              <Table.Td className="num">
                <Cost cost={totals.cost} format={money.format} />
              </Table.Td>
              <Table.Td className="num">
                <Margin margin={totals.margin} value={totals.value} format={money.format} />
              </Table.Td>
            </Table.Tr>
          </Table.Tfoot>
        ) : null}
      </Table>
    </Table.ScrollContainer>
  );
}

/** A cost, or a margin, that cannot be told: some of what was sold had no cost recorded. */
function Unknown({ what }: { what: 'Cost' | 'Margin' }) {
  return (
    <Text span inherit c="dimmed" title="No cost recorded for some of what was sold" aria-label={`${what} unknown`}>
      —
    </Text>
  );
}

function Cost({ cost, format }: { cost: number | null; format(minor: number): string }) {
  return cost === null ? <Unknown what="Cost" /> : format(cost);
}

function Margin({ margin, value, format }: { margin: number | null; value: number; format(minor: number): string }) {
  if (margin === null) return <Unknown what="Margin" />;
  const percent = value > 0 ? Math.round((margin / value) * 100) : null;
  return (
    <>
      <Text span inherit c={margin < 0 ? 'red.7' : undefined}>
        {format(margin)}
      </Text>
      {percent !== null ? (
        <Text span size="xs" c="dimmed" display="block">
          {percent}%
        </Text>
      ) : null}
    </>
  );
}

function SortableHeader({
  column,
  numeric,
  active,
  direction,
  onClick,
  children,
}: {
  column: ProductSort;
  numeric: boolean;
  active: boolean;
  direction: SortDirection;
  onClick(): void;
  children: ReactNode;
}) {
  const Icon = !active ? IconArrowsSort : direction === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <Table.Th
      w={column === 'name' ? undefined : column === 'quantity' ? 108 : 112}
      aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <UnstyledButton onClick={onClick} w="100%" aria-label={`Sort by ${String(children).toLowerCase()}`}>
        <Group gap={4} wrap="nowrap" justify={numeric ? 'flex-end' : 'flex-start'}>
          <Text size="sm" fw={active ? 700 : 600}>
            {children}
          </Text>
          <Icon size={14} stroke={1.8} color={active ? undefined : 'var(--mantine-color-gray-5)'} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

import { Divider, Group, Stack, Table, Text } from '@mantine/core';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { formatQuantity } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { PAYMENT_LABELS } from './sale-format.ts';

/**
 * What was sold and how it was paid, laid out like the printed receipt: lines, totals, payments; with the cash
 * handed over and the change when the sale was just made (the server keeps only what was paid).
 */
export function ReceiptLines({ sale, change = 0 }: { sale: Sale; change?: number }) {
  const money = useMoney();
  const changeFrom = change > 0 ? sale.payments.findLastIndex((payment) => payment.method === 'cash') : -1;
  return (
    <Stack gap="sm">
      <Table verticalSpacing={6} horizontalSpacing={0} fz="sm" layout="fixed" aria-label="Items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={56}>Qty</Table.Th>
            <Table.Th>Item</Table.Th>
            <Table.Th w={96} className="num">
              Price
            </Table.Th>
            <Table.Th w={104} className="num">
              Amount
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sale.lines.map((line) => (
            <Table.Tr key={line.lineNo} style={{ verticalAlign: 'top' }}>
              <Table.Td className="tabular">{formatQuantity(line.quantity)}</Table.Td>
              <Table.Td pr="sm">
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {line.description}
                </Text>
                {line.sku ? (
                  <Text size="xs" c="dimmed" ff="monospace">
                    {line.sku}
                  </Text>
                ) : null}
                {line.discount ? (
                  <Text size="xs" c="dimmed">
                    Discount −{money.format(Math.abs(line.discount))}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td className="num">{money.format(line.unitPrice)}</Table.Td>
              <Table.Td className="num">{money.format(line.total)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Stack gap={4}>
        {sale.discountTotal || sale.taxTotal ? <Row label="Subtotal" value={money.format(sale.subtotal)} /> : null}
        {sale.discountTotal ? <Row label="Discounts" value={`−${money.format(Math.abs(sale.discountTotal))}`} /> : null}
        {sale.taxTotal ? <Row label="Tax" value={money.format(sale.taxTotal)} /> : null}
        {sale.rounding ? (
          <Row
            label="Cash rounding"
            value={`${sale.rounding < 0 ? '−' : '+'}${money.format(Math.abs(sale.rounding))}`}
          />
        ) : null}
        <Row label={sale.kind === 'refund' ? 'Refund total' : 'Total'} value={money.format(sale.total)} strong />
      </Stack>

      {sale.payments.length > 0 ? (
        <>
          <Divider variant="dashed" />
          <Stack gap={4} aria-label="Payments" role="list">
            {sale.payments.map((payment, index) => (
              <Row
                // biome-ignore lint/suspicious/noArrayIndexKey: payments have no id; their order is fixed
                key={index}
                label={index === changeFrom ? 'Cash received' : PAYMENT_LABELS[payment.method]}
                // As the till prints it: the cash handed over, then the change handed back.
                value={money.format(index === changeFrom ? payment.amount + change : payment.amount)}
                role="listitem"
              />
            ))}
            {changeFrom !== -1 ? <Row label="Change" value={money.format(change)} /> : null}
          </Stack>
        </>
      ) : null}
    </Stack>
  );
}

function Row({
  label,
  value,
  strong = false,
  role,
}: {
  label: string;
  value: string;
  strong?: boolean;
  role?: string;
}) {
  return (
    <Group justify="space-between" gap="md" wrap="nowrap" role={role}>
      <Text size={strong ? 'md' : 'sm'} fw={strong ? 700 : undefined} c={strong ? undefined : 'dimmed'}>
        {label}
      </Text>
      <Text size={strong ? 'md' : 'sm'} fw={strong ? 700 : 500} className="num">
        {value}
      </Text>
    </Group>
  );
}

import { Badge, Group } from '@mantine/core';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { STATUS_COLORS, STATUS_LABELS } from './sale-format.ts';

/** The state of a receipt at a glance: a refund says so; a sale part returned says that too. */
export function SaleStatusBadge({
  sale,
  partlyRefunded = false,
}: {
  sale: Pick<Sale, 'status' | 'kind'>;
  partlyRefunded?: boolean;
}) {
  return (
    <Group gap={4} wrap="nowrap">
      {sale.kind === 'refund' ? (
        <Badge variant="light" color="grape" radius="sm" tt="none">
          Refund
        </Badge>
      ) : null}
      {sale.kind === 'refund' && sale.status === 'completed' ? null : (
        <Badge variant="light" color={STATUS_COLORS[sale.status]} radius="sm" tt="none">
          {partlyRefunded && sale.status === 'completed' ? 'Part refunded' : STATUS_LABELS[sale.status]}
        </Badge>
      )}
    </Group>
  );
}

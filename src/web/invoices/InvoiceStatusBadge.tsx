import { Badge } from '@mantine/core';
import type { InvoiceStatus } from '../../features/invoices/invoice.schema.ts';
import { INVOICE_STATUS_COLORS, INVOICE_STATUS_LABELS } from './invoice-format.ts';

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  return (
    <Badge
      variant="light"
      color={INVOICE_STATUS_COLORS[status]}
      radius="sm"
      tt="none"
      style={{ flexShrink: 0, overflow: 'visible' }}
    >
      {INVOICE_STATUS_LABELS[status]}
    </Badge>
  );
}

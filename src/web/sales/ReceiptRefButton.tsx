import { Anchor } from '@mantine/core';
import type { Sale } from '../../features/sales/sale.schema.ts';

interface ReceiptRefButtonProps {
  receipt: Pick<Sale, 'receiptRef' | 'kind' | 'status'>;
  onOpen(): void;
}

/** A receipt's reference in a table row, as the button that opens the receipt; struck through when cancelled. */
export function ReceiptRefButton({ receipt, onOpen }: ReceiptRefButtonProps) {
  return (
    <Anchor
      component="button"
      type="button"
      onClick={onOpen}
      size="sm"
      fw={600}
      ff="monospace"
      className="truncate"
      display="block"
      maw="100%"
      td={receipt.status === 'cancelled' ? 'line-through' : undefined}
      aria-label={`Open ${receipt.kind === 'refund' ? 'refund' : 'receipt'} ${receipt.receiptRef}`}
    >
      {receipt.receiptRef}
    </Anchor>
  );
}

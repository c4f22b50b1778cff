import { lineTotal, shareOf, toMilli } from '../../features/sales/sale.rules.ts';
import type { Sale } from '../../features/sales/sale.schema.ts';

type Line = Sale['lines'][number];

/**
 * What returning `quantity` more of a line gives back, worked out as the server does: the next share of what
 * the line was paid (its amount, discount and tax), after the `returnedBefore` already given back. Negative, as
 * refunds are.
 */
export function refundAmount(line: Line, quantity: number, returnedBefore = 0): number {
  if (quantity <= 0) return 0;
  const sold = toMilli(line.quantity);
  const before = toMilli(returnedBefore);
  const share = (amount: number) => shareOf(amount, before, before + toMilli(quantity), sold);
  const gross = -share(line.total + line.discount - line.tax);
  return lineTotal({
    quantity: -quantity,
    unitPrice: line.unitPrice,
    discount: -share(line.discount),
    tax: -share(line.tax),
    gross,
  }).total;
}

/** How much of a line can still go back. */
export function returnable(line: Line, returned: Map<number, number>): number {
  return (toMilli(line.quantity) - toMilli(returned.get(line.lineNo) ?? 0)) / 1000;
}

/** A reference for the refund receipt: R-<sale>, then R-<sale>-2 for a second refund of the same sale. */
export function refundReference(sale: Pick<Sale, 'receiptRef'>, earlierRefunds: number): string {
  const base = `R-${sale.receiptRef}`.slice(0, 60);
  return earlierRefunds === 0 ? base : `${base}-${earlierRefunds + 1}`;
}

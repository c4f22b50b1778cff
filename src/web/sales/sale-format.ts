import type { PAYMENT_METHODS, Sale } from '../../features/sales/sale.schema.ts';

export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type SaleStatus = Sale['status'];

export const PAYMENT_LABELS: Record<PaymentMethod, string> = {
  cash: 'Cash',
  card: 'Card',
  store_credit: 'Store credit',
  loyalty: 'Loyalty points',
  on_account: 'On account',
  gift_card: 'Gift card',
  other: 'Other',
};

export const STATUS_LABELS: Record<SaleStatus, string> = {
  completed: 'Completed',
  on_account: 'On account',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
};

export const STATUS_COLORS: Record<SaleStatus, string> = {
  completed: 'teal',
  on_account: 'blue',
  cancelled: 'red',
  refunded: 'orange',
};

export const CHANNEL_LABELS: Record<Sale['channel'], string> = { pos: 'In store', ecommerce: 'Online' };

/** "Cash, Card": each method once, in the order paid. */
export function paymentMethodsText(methods: PaymentMethod[]): string {
  return [...new Set(methods)].map((method) => PAYMENT_LABELS[method]).join(', ');
}

/** How many items a sale holds: the quantities added up (3 lattes and a cake are 4 items). */
export function itemCount(sale: Pick<Sale, 'lines'>): number {
  return sale.lines.reduce((sum, line) => sum + Math.abs(line.quantity), 0);
}

/**
 * How much of each line of `sale` its live refunds took back, by line number: a cancelled refund gave nothing
 * back. `refunds` may hold any sales; only the refunds of this one count.
 */
export function returnedByLine(sale: Pick<Sale, 'id'>, refunds: Sale[]): Map<number, number> {
  const returned = new Map<number, number>();
  for (const refund of refunds) {
    if (refund.refundOf !== sale.id || refund.status === 'cancelled') continue;
    for (const line of refund.lines) {
      if (line.refundsLineNo === null) continue;
      // Thousandths: quantities have up to 3 decimals, and sums of floats drift.
      const milli = Math.round(-line.quantity * 1000) + Math.round((returned.get(line.refundsLineNo) ?? 0) * 1000);
      returned.set(line.refundsLineNo, milli / 1000);
    }
  }
  return returned;
}

/**
 * Whether a receipt's customer was deleted since: the API names such a customer "Deleted customer" (its sales
 * stay under its record id) and has no page for it to link to.
 */
export function isDeletedCustomer(customer: { name: string } | null): boolean {
  return customer?.name === 'Deleted customer';
}

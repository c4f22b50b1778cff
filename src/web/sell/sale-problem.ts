import type { SaleCreate } from '../../features/sales/sale.schema.ts';
import type { FieldError } from '../../shared/problem.schema.ts';
import { PAYMENT_LABELS } from '../sales/sale-format.ts';

type Payment = SaleCreate['payments'][number];

/**
 * Why the server refused a sale, one sentence per field, with the payment named: "Store credit: £12.00 is more
 * than the customer has now…" rather than "payments.1.amount: Is more than the customer has".
 */
export function saleFieldMessages(
  errors: FieldError[],
  payments: Payment[],
  format: (minor: number) => string,
  pointValue: number,
): string[] {
  return errors.map((item) => {
    const index = /^payments\.(\d+)\./.exec(item.field)?.[1];
    const payment = index === undefined ? undefined : payments[Number(index)];
    if (!payment) return item.message;
    const label = PAYMENT_LABELS[payment.method];
    switch (item.code) {
      case 'insufficient_balance':
        return `${label}: ${format(payment.amount)} is more than the customer has now (another sale may have spent it). The balance shown is up to date again: undo that payment and take less, or take the rest another way.`;
      case 'not_whole_points':
        return `${label}: ${format(payment.amount)} is not a whole number of points (one point is worth ${format(pointValue)}).`;
      case 'customer_required':
        return `${label}: attach the customer first. Only their own ${payment.method === 'loyalty' ? 'points' : 'store credit'} can pay.`;
      default:
        return `${label}: ${item.message}`;
    }
  });
}

/** Whether the refusal was about a balance that moved since the till read it. */
export function isBalanceShort(errors: FieldError[]): boolean {
  return errors.some((item) => item.code === 'insufficient_balance');
}

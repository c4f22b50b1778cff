import type { ReactNode } from 'react';
import type { SaleCreate } from '../../features/sales/sale.schema.ts';
import type { FieldError, Problem } from '../../shared/problem.schema.ts';
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
    if (item.field === 'groupDiscountPercent' && item.code === 'not_group_discount') {
      const reason = item.message.charAt(0).toLowerCase() + item.message.slice(1);
      return `The group discount has changed: ${reason}. The sale now shows the group’s discount as it is: check the total and take payment again.`;
    }
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
        return payment.method === 'on_account'
          ? `${label}: attach the customer first. The sale goes on their account.`
          : `${label}: attach the customer first. Only their own ${payment.method === 'loyalty' ? 'points' : 'store credit'} can pay.`;
      case 'invoicing_off':
        return `${label}: sales on account are turned off for the business (Settings → Invoicing). Take payment another way.`;
      default:
        return `${label}: ${item.message}`;
    }
  });
}

/** Whether the refusal was about a balance that moved since the till read it. */
export function isBalanceShort(errors: FieldError[]): boolean {
  return errors.some((item) => item.code === 'insufficient_balance');
}

/** An on-account payment the customer's credit limit refused, with the figures the server counted with. */
export interface CreditLimitRefusal {
  /** What this sale would put on account. */
  amount: number;
  creditLimit: number;
  /** What the customer owes now. */
  balance: number;
  /** What could still go on account. */
  available: number;
}

/** The credit limit refusal in `problem`, if that is what it is. */
export function creditLimitRefusal(problem: Problem, payments: Payment[]): CreditLimitRefusal | null {
  if (!(problem.errors ?? []).some((item) => item.code === 'credit_limit')) return null;
  const figure = (name: string) => {
    const value = problem[name];
    return typeof value === 'number' ? value : null;
  };
  const creditLimit = figure('creditLimit');
  const balance = figure('balance');
  const available = figure('available');
  if (creditLimit === null || balance === null || available === null) return null;
  const amount = payments.reduce((sum, payment) => (payment.method === 'on_account' ? sum + payment.amount : sum), 0);
  return { amount, creditLimit, balance, available };
}

/**
 * Why the last try did not record the sale: words to show, or the credit limit it would pass (which a manager
 * may override: the payments and change are kept to send again).
 */
export type SaleFailure =
  | { kind: 'message'; message: ReactNode }
  | { kind: 'credit_limit'; refusal: CreditLimitRefusal; payments: Payment[]; change: number; rounding: number };

import type { BalanceEntry } from '../../features/balances/balance.schema.ts';
import type { BalanceKind } from '../api/balances.ts';

type Reason = BalanceEntry['reason'];

export const BALANCE_LABELS: Record<BalanceKind, string> = {
  loyalty: 'Loyalty points',
  store_credit: 'Store credit',
  account: 'Account',
};

/** Why a balance moved, in the words a manager would use to explain it to the customer. */
const REASONS: Record<Reason, string> = {
  earned: 'Earned on a sale',
  earning_reversed: 'Taken back: the sale was refunded, cancelled or moved',
  redeemed: 'Paid for a sale',
  redemption_reversed: 'Given back: the sale they paid for was cancelled',
  issued: 'Issued',
  issue_reversed: 'Taken back: the refund was cancelled',
  adjusted: 'Adjusted by hand',
  expired: 'Expired',
  import: 'Imported from the old system',
  invoiced: 'Sale on account',
  settled: 'Invoice paid',
  credited: 'Refund taken off an invoice',
  credit_reversed: 'Refund cancelled: back on the invoice',
  voided: 'Invoice voided',
};

export function reasonText(entry: Pick<BalanceEntry, 'reason' | 'saleId' | 'balance'>): string {
  if (entry.reason === 'issued') {
    if (entry.saleId) return entry.balance === 'loyalty' ? 'Given back on a refund' : 'Issued on a return';
    return entry.balance === 'loyalty' ? 'Given by hand' : 'Issued by hand';
  }
  return REASONS[entry.reason];
}

const count = new Intl.NumberFormat();

/** "1,250 points", "1 point". */
export function formatPoints(points: number): string {
  return `${count.format(points)} ${Math.abs(points) === 1 ? 'point' : 'points'}`;
}

/** A change as it is read in a ledger: "+25 points", "−£4.00" (a real minus sign). */
export function signedAmount(amount: number, format: (value: number) => string): string {
  const sign = amount > 0 ? '+' : amount < 0 ? '−' : '';
  return `${sign}${format(Math.abs(amount))}`;
}

/** Whole points a sum of minor units can buy at `pointValue` each: what points can pay is a multiple of it. */
export function pointsFor(minor: number, pointValue: number): number {
  return Math.floor(minor / pointValue);
}

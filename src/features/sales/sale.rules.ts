import type { FieldError } from '../../shared/problem.schema.ts';

/** Quantities have at most 3 decimals: work in thousandths so every sum is an exact integer. */
export function toMilli(quantity: number): number {
  return Math.round(quantity * 1000);
}

/** Round half away from zero, as tills do. */
export function roundMoney(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/**
 * The amount of a line: quantity × unit price (rounded to the minor unit), less discount, plus tax.
 * A refund line brings its own `gross`: its share of the original line's amount.
 */
export function lineTotal(line: {
  quantity: number;
  unitPrice: number;
  discount: number;
  tax: number;
  gross?: number;
}): {
  gross: number;
  total: number;
} {
  const gross = line.gross ?? roundMoney((toMilli(line.quantity) * line.unitPrice) / 1000);
  return { gross, total: gross - line.discount + line.tax };
}

/**
 * The part of `amount` that belongs to quantity `from`..`to` of `whole` (all in thousandths), allocated
 * cumulatively: however a line is returned in parts, the parts add up to exactly the whole.
 */
export function shareOf(amount: number, fromMilli: number, toMilli: number, wholeMilli: number): number {
  return roundMoney((amount * toMilli) / wholeMilli) - roundMoney((amount * fromMilli) / wholeMilli);
}

export interface Totals {
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  costTotal: number;
}

export function saleTotals(
  lines: {
    quantity: number;
    unitPrice: number;
    unitCost: number | null;
    discount: number;
    tax: number;
    gross?: number;
  }[],
): Totals {
  const totals: Totals = { subtotal: 0, discountTotal: 0, taxTotal: 0, total: 0, costTotal: 0 };
  for (const line of lines) {
    const { gross, total } = lineTotal(line);
    totals.subtotal += gross;
    totals.discountTotal += line.discount;
    totals.taxTotal += line.tax;
    totals.total += total;
    totals.costTotal += roundMoney((toMilli(line.quantity) * (line.unitCost ?? 0)) / 1000);
  }
  return totals;
}

/** Lines (with the cash rounding) and payments must add up; when they don't, say by how much. */
export function checkPaymentsMatch(
  total: number,
  payments: { amount: number }[],
  rounding = 0,
): FieldError | undefined {
  const paid = payments.reduce((sum, p) => sum + p.amount, 0);
  if (paid === total) return undefined;
  const comesTo = rounding === 0 ? `the lines add up to ${total}` : `the lines with the cash rounding come to ${total}`;
  return {
    field: 'payments',
    code: 'totals_mismatch',
    message: `The payments add up to ${paid} but ${comesTo} (minor units): ${paid > total ? 'over' : 'under'}paid by ${Math.abs(paid - total)}`,
  };
}

/** A rounding needs a cash payment to round, whatever the business's coin (checked without the settings). */
export function checkRoundedCash(rounding: number, payments: { method: string }[]): FieldError | undefined {
  if (rounding === 0 || payments.some((p) => p.method === 'cash')) return undefined;
  return { field: 'rounding', code: 'cash_required', message: 'Only a cash payment is rounded' };
}

/**
 * Cash rounding is what rounding the cash to the nearest coin moved: only with a cash payment, only where the
 * business rounds cash (`increment`, in minor units, 0 when it does not), and at most half a coin.
 */
export function checkRounding(
  rounding: number,
  payments: { method: string }[],
  increment: number,
): FieldError | undefined {
  if (rounding === 0) return undefined;
  if (increment === 0) {
    return {
      field: 'rounding',
      code: 'not_rounding',
      message: 'The business does not round cash (Settings → Cash rounding)',
    };
  }
  const noCash = checkRoundedCash(rounding, payments);
  if (noCash) return noCash;
  const most = Math.floor(increment / 2);
  if (Math.abs(rounding) > most) {
    return {
      field: 'rounding',
      code: 'too_large',
      message: `Cash is rounded to ${increment} (minor units): the rounding is at most ${most} either way`,
    };
  }
  return undefined;
}

/** An amount of cash rounded to the nearest coin of `increment` minor units (halves up): 1237 → 1235 for 5. */
export function roundCash(amount: number, increment: number): number {
  if (increment <= 1) return amount;
  return Math.sign(amount) * Math.floor(Math.abs(amount) / increment + 0.5) * increment;
}

/** Status of a sale from how it was paid: on account when any of it was. */
export function statusFromPayments(payments: { method: string }[]): 'completed' | 'on_account' {
  return payments.some((p) => p.method === 'on_account') ? 'on_account' : 'completed';
}

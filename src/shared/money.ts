import { z } from 'zod';

/** An amount of money in the currency's minor units (cents): an integer, never a float. */
export const money = z
  .number({ error: 'Must be an amount in minor units (e.g. 1250 for 12.50)' })
  .int({ error: 'Must be a whole number of minor units (e.g. 1250 for 12.50)' })
  .min(-1_000_000_000_00)
  .max(1_000_000_000_00)
  .describe('Minor units of the merchant currency (cents): 1250 is 12.50');

export const nonNegativeMoney = money.min(0, { error: 'Must not be negative' });

/** Format minor units for people, in the merchant's currency and the reader's locale. */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
}

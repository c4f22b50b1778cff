import { z } from 'zod';

/** An amount of money in the currency's minor units (cents): an integer, never a float. */
export const money = z
  .number({ error: 'Must be an amount in minor units (e.g. 1250 for 12.50)' })
  .int({ error: 'Must be a whole number of minor units (e.g. 1250 for 12.50)' })
  .min(-1_000_000_000_00)
  .max(1_000_000_000_00)
  .describe('Minor units of the merchant currency (cents): 1250 is 12.50');

export const nonNegativeMoney = money.min(0, { error: 'Must not be negative' });

/** How many decimals a currency's amounts have: 2 for AUD, 0 for JPY, 3 for KWD. */
export function currencyExponent(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Format minor units for people, in the merchant's currency and the reader's locale. */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
    minor / 10 ** currencyExponent(currency),
  );
}

/**
 * Minor units as a plain decimal a spreadsheet reads as a number, exactly (no floating point): 5850 → "58.50",
 * -450 → "-4.50", 5850 → "5850" with no decimals (JPY). No grouping, no symbol.
 */
export function minorToDecimal(minor: number, exponent: number): string {
  if (exponent === 0) return String(minor);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  return `${minor < 0 ? '-' : ''}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

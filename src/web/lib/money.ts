import { useCallback } from 'react';
import { formatMoney } from '../../shared/money.ts';
import { useSettings } from '../api/settings.ts';

/** How many decimals the currency's minor unit has: 2 for USD, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units (what the API holds) from an amount as a person types it: 12.5 → 1250. */
export function toMinor(amount: number, currency: string): number {
  return Math.round(amount * 10 ** minorDigits(currency));
}

/** An amount as a person types it, from minor units: 1250 → 12.5. */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}

/** The currency's sign in the reader's locale: "$", "£", "CHF". */
export function currencySymbol(currency: string): string {
  return (
    new Intl.NumberFormat(undefined, { style: 'currency', currency })
      .formatToParts(0)
      .find((part) => part.type === 'currency')?.value ?? currency
  );
}

export interface Money {
  currency: string;
  /** Minor units as a person reads them: 1250 → "$12.50". */
  format(minor: number): string;
}

/** The merchant's currency (from Settings) and a formatter for it. Every amount in Patron is in this currency. */
export function useMoney(): Money {
  const settings = useSettings();
  const currency = settings.data?.currency ?? 'USD';
  const format = useCallback((minor: number) => formatMoney(minor, currency), [currency]);
  return { currency, format };
}

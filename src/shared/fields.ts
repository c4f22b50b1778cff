import { getCountries } from 'libphonenumber-js/min';
import { z } from 'zod';

/**
 * Field building blocks shared by the API and the web UI. Optional text is trimmed, and an empty
 * string means "no value" (null), as it does when a person clears a form field.
 */
export function optionalText(max: number) {
  return z
    .string({ error: 'Must be text' })
    .trim()
    .max(max, { error: `Must be at most ${max} characters` })
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();
}

const COUNTRIES = new Set<string>(getCountries());

/** ISO 3166-1 alpha-2 country code, in any case. */
export const countryCode = z
  .string({ error: 'Must be a two-letter country code' })
  .trim()
  .transform((value) => value.toUpperCase())
  .refine((value) => COUNTRIES.has(value), { error: 'Must be a two-letter country code, such as AU, GB or US' });

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z
  .string()
  .trim()
  .refine(isTimeZone, { error: 'Must be an IANA time zone, such as Europe/London or Australia/Sydney' });

const CURRENCIES = new Set<string>(Intl.supportedValuesOf('currency'));

export const currencyCode = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .refine((value) => CURRENCIES.has(value), { error: 'Must be an ISO 4217 currency code, such as AUD, EUR or USD' });

export const uuid = z.uuid({ error: 'Must be a record id (UUID)' });

/** A timestamp in API responses: ISO 8601 in UTC. */
export const timestamp = z.iso.datetime().describe('ISO 8601 time in UTC');

import type { Address, Customer, CustomerSource } from '../../features/customers/customer.schema.ts';
import { countryName } from './countries.ts';

export const SOURCE_LABELS: Record<CustomerSource, string> = {
  pos: 'Point of sale',
  ecommerce: 'Online shop',
  backoffice: 'Back office',
  import: 'Import',
  api: 'API',
};

/**
 * The business's time zone (Settings), once known: every date and time the back office shows is on its clock, as
 * its receipts are on their store's, whatever the zone of the computer looking at them ("first order 1 Nov"
 * in Sydney is 1 Nov, not 31 Oct on a laptop set to UTC). Until the settings are read, the browser's.
 */
let displayTimeZone: string | undefined;
let dateOnly = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** Show dates on the clock of `timeZone` from now on (AppLayout calls it with the business's, before its pages render). */
export function setDisplayTimeZone(timeZone: string): void {
  if (timeZone === displayTimeZone) return;
  displayTimeZone = timeZone;
  dateOnly = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone });
}

/** "12 Apr 2026, 14:05" in the browser's locale, on the business's clock (with the zone's name when not the reader's). */
export function formatDateTime(iso: string): string {
  return formatStoreDateTime(iso, displayTimeZone ?? browserTimeZone);
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday"; "just now" under a minute. */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** A birthday as `YYYY-MM-DD` or year-less `--MM-DD`, in words: "12 May 1990" or "12 May". */
export function formatBirthday(value: string): string {
  const match = /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year ?? 2000), Number(month) - 1, Number(day)));
  return new Intl.DateTimeFormat(undefined, {
    day: 'numeric',
    month: 'long',
    ...(year ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(date);
}

/** What to call a customer: their name, else their company, else how to reach them. */
export function displayName(customer: Customer): string {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
  return name || customer.companyName || customer.email || customer.phone || customer.mobile || customer.code;
}

/** Two letters for an avatar. */
export function initials(customer: Customer): string {
  const first = customer.firstName?.trim()[0] ?? '';
  const last = customer.lastName?.trim()[0] ?? '';
  const letters = first + last || (customer.companyName ?? customer.email ?? '?').trim().slice(0, 2);
  return letters.toUpperCase();
}

/** The lines of an address as it would be written on an envelope; empty when there is no address. */
export function addressLines(address: Address): string[] {
  const locality = [address.suburb, address.city, address.state, address.postcode].filter(Boolean).join(' ');
  return [address.line1, address.line2, locality, address.country ? countryName(address.country) : null].filter(
    (line): line is string => Boolean(line),
  );
}

/** Two letters for a person's avatar: "Jane Doe" → "JD". */
export function personInitials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? `${words[0]?.[0] ?? ''}${words.at(-1)?.[0] ?? ''}` : name.trim().slice(0, 2);
  return letters.toUpperCase() || '?';
}

const browserTimeZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
const storeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * "12 Apr 2026, 14:05" on the clock of the store where it happened (a receipt says what the till said), with
 * the zone's short name when it is not the reader's own: "12 Apr 2026, 09:05 GMT-4".
 */
export function formatStoreDateTime(iso: string, timeZone: string): string {
  let format = storeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      ...(timeZone === browserTimeZone ? {} : { timeZoneName: 'short' }),
    });
    storeFormats.set(timeZone, format);
  }
  return format.format(new Date(iso));
}

/** The day and the time apart, on the store's clock: ["12 Apr 2026", "14:05"] (the time with its zone when not the reader's). */
export function storeDateAndTime(iso: string, timeZone: string): [string, string] {
  const date = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone });
  const time = new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    ...(timeZone === browserTimeZone ? {} : { timeZoneName: 'short' }),
  });
  const instant = new Date(iso);
  return [date.format(instant), time.format(instant)];
}

/** A quantity without trailing zeros: 2, 0.25, 1.5. */
export function formatQuantity(quantity: number): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 }).format(quantity);
}

/** "1 item", "3 items". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${new Intl.NumberFormat().format(count)} ${count === 1 ? one : many}`;
}

/**
 * Calendar days in a given time zone: reports and a customer's products count a day as the business lives it,
 * whatever the time zone of the browser looking at them.
 */

import { dayIn } from '../../shared/dates.ts';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a text is a day as `YYYY-MM-DD`. */
export function isDay(value: string | null | undefined): value is string {
  return typeof value === 'string' && DAY.test(value);
}

/** What the clock of `timeZone` shows at `instant`: year (four digits), then two digits each for the rest. */
export function wallClock(
  instant: number | Date,
  timeZone: string,
): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  return {
    year: parts.year ?? '',
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    second: parts.second ?? '',
  };
}

/** How far the clock of `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = wallClock(instant, timeZone);
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a day begins in a time zone: 2026-04-12 in Europe/London → 2026-04-11T23:00:00.000Z. */
export function dayStart(day: string, timeZone: string): string {
  const match = DAY.exec(day);
  if (!match) throw new Error(`Not a day: ${day}`);
  const midnightUtc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Twice: the offset at the guess can differ from the offset at the answer around a change of clocks.
  let instant = midnightUtc - offsetAt(midnightUtc, timeZone);
  instant = midnightUtc - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The day after: "to" filters are exclusive, so the last day chosen ends where the next one starts. */
export function nextDay(day: string): string {
  const match = DAY.exec(day);
  if (!match) throw new Error(`Not a day: ${day}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1)).toISOString().slice(0, 10);
}

/** Today in a time zone, as `YYYY-MM-DD`, `days` ago when given. */
export function today(timeZone?: string, daysAgo = 0): string {
  const day = dayIn(timeZone);
  if (daysAgo === 0) return day;
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (date ?? 1) - daysAgo)).toISOString().slice(0, 10);
}

/** A range of whole days as the API's `from` (inclusive) and `to` (exclusive) instants. */
export function dayRange(from: string | null, to: string | null, timeZone: string): { from?: string; to?: string } {
  return {
    ...(from ? { from: dayStart(from, timeZone) } : {}),
    ...(to ? { to: dayStart(nextDay(to), timeZone) } : {}),
  };
}

/**
 * The format (dayjs tokens) of a day as the rest of the back office writes it, in the reader's locale: "MMM D, YYYY"
 * in the US ("Nov 24, 2026"), "D MMM YYYY" in Britain. The date pickers use it, so that a day reads the same in a
 * picker and in the table beside it.
 */
export function dayFormat(locale?: string): string {
  const parts = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).formatToParts(
    new Date(Date.UTC(2026, 10, 24, 12)),
  );
  const tokens: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = { day: 'D', month: 'MMM', year: 'YYYY' };
  return parts
    .map((part) => tokens[part.type] ?? (part.type === 'literal' ? part.value.replace(/[A-Za-z]+/g, '[$&]') : ''))
    .join('');
}

/** The reader's day format, worked out once: the date pickers' `valueFormat`. */
export const PICKER_DAY_FORMAT = dayFormat();

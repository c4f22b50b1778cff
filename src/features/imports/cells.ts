/**
 * Cell readers for CSV import. Each takes the text of one cell as it came out of the file and
 * returns either the value for the customer field or a reason a person can act on, which the
 * import reports against the row and column ("on line 12, Date of birth: …").
 *
 * An empty cell reads as `null` ("no value given"): whether that leaves a field as it is or
 * clears it is the caller's choice.
 *
 * Formula neutralisation, the export convention: a cell that a spreadsheet would run as a formula
 * (starting with = + - @ tab or carriage return, except a plain negative number such as -12.50)
 * and a cell that itself starts with an apostrophe get one apostrophe in front. Spreadsheets hide
 * a leading apostrophe, and `unneutralise` removes exactly one, so `unneutralise(neutralise(x))`
 * is `x` for every text, and the apostrophe that a spreadsheet adds in front of `'+44 20…` or
 * `'0123` is removed by the same step.
 */
import { lookUpCountry } from './countries.ts';

export type CellResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const fail = (reason: string): CellResult<never> => ({ ok: false, reason });

/** The cell as the person typed it, shortened, for quoting in a reason. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

// Formula neutralisation: one definition, beside the CSV writer (src/platform/http/csv.ts).
import { unneutralise } from '../../platform/http/csv.ts';

export { neutralise, unneutralise } from '../../platform/http/csv.ts';

// ---------------------------------------------------------------------------------------------
// Text

/** The replacement character that decoding leaves where bytes were not valid text. */
const UNREADABLE = '\uFFFD';

/** Trimmed, without the spreadsheet apostrophe; rejects text with bytes that could not be decoded. */
export function readText(raw: string): CellResult<string | null> {
  const text = unneutralise(raw.trim()).trim();
  if (text.includes(UNREADABLE)) {
    return fail(
      `Contains characters that could not be read (shown as ${UNREADABLE}): save the file as "CSV UTF-8" and upload it again`,
    );
  }
  return ok(text === '' ? null : text);
}

/** Read a cell that has text with `read`; an empty cell is `null`. */
function whenGiven<T>(raw: string, read: (text: string) => CellResult<T>): CellResult<T | null> {
  const text = readText(raw);
  if (!text.ok) return text;
  return text.value === null ? ok(null) : read(text.value);
}

// ---------------------------------------------------------------------------------------------
// Booleans

const TRUE_WORDS = new Set(['yes', 'y', 'true', 't', '1', 'on']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'f', '0', 'off']);
/** What Shopify, Square and others write in their marketing-consent columns. */
const CONSENT_TRUE_WORDS = new Set(['subscribed', 'opted in', 'opt in', 'accepted']);
const CONSENT_FALSE_WORDS = new Set([
  'unsubscribed',
  'not subscribed',
  'never subscribed',
  'opted out',
  'opt out',
  'pending',
  'declined',
]);

function wordKey(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, ' ');
}

/**
 * Yes or no, in any case: yes/no, y/n, true/false, t/f, 1/0, on/off. With `consent`, also the
 * subscription words of marketing-consent columns (subscribed, unsubscribed, not subscribed,
 * opted in/out; pending counts as no, since consent is not yet confirmed).
 */
export function readBoolean(raw: string, options: { consent?: boolean } = {}): CellResult<boolean | null> {
  return whenGiven(raw, (text) => {
    const word = wordKey(text);
    if (TRUE_WORDS.has(word) || (options.consent && CONSENT_TRUE_WORDS.has(word))) return ok(true);
    if (FALSE_WORDS.has(word) || (options.consent && CONSENT_FALSE_WORDS.has(word))) return ok(false);
    const also = options.consent ? ', subscribed/unsubscribed' : '';
    return fail(`Must be yes or no (or true/false, 1/0, Y/N${also}), not ${quoted(text)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Dates

/** How to read a date like 03/04/2025: 3 April (day first) or March 4 (month first). */
export type DateOrder = 'day-first' | 'month-first';

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const YEAR_FIRST = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
const YEARLESS = /^--(\d{2})-(\d{2})$/;
const NUMERIC_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[T ,]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?$/i;

const pad = (n: number) => String(n).padStart(2, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `YYYY-MM-DD` when year, month and day make a real date; else why not. `year` is null for a birthday without one. */
function calendarDate(year: number | null, month: number, day: number, written: string): CellResult<string> {
  const monthName = MONTHS[month - 1];
  if (!monthName) return fail(`Is not a real date: ${quoted(written)} has no month ${month}`);
  if (day < 1 || day > daysInMonth(year ?? 2000, month)) {
    return fail(`Is not a real date: there is no ${day} ${monthName}${year === null ? '' : ` in ${year}`}`);
  }
  return ok(`${year ?? '-'}-${pad(month)}-${pad(day)}`);
}

function readNumericDate(match: RegExpExecArray, order: DateOrder, written: string): CellResult<string> {
  const [, firstText = '', secondText = '', yearText = ''] = match;
  if (yearText.length === 2) return fail(`Write the year with four digits: ${quoted(written)}`);
  const first = Number(firstText);
  const second = Number(secondText);
  const [day, month] = order === 'day-first' ? [first, second] : [second, first];
  const result = calendarDate(Number(yearText), month, day, written);
  if (!result.ok && month > 12 && day <= 12) {
    const other = order === 'day-first' ? 'month/day/year' : 'day/month/year';
    const chosen = order === 'day-first' ? 'day/month/year' : 'month/day/year';
    return fail(
      `Is not a real date read as ${chosen}: ${quoted(written)} looks like ${other}; choose that date order on upload`,
    );
  }
  return result;
}

/**
 * A calendar date as `YYYY-MM-DD`. Reads ISO dates (with or without a time, which is dropped),
 * year/month/day, `--MM-DD` (a birthday without a year, kept as it is), and day/month/year or
 * month/day/year with / . or - as separators according to `order`.
 */
export function readDate(raw: string, order: DateOrder): CellResult<string | null> {
  return whenGiven(raw, (written) => {
    const yearless = YEARLESS.exec(written);
    if (yearless) {
      return calendarDate(null, Number(yearless[1]), Number(yearless[2]), written);
    }
    const yearFirst = ISO_DATE.exec(written) ?? YEAR_FIRST.exec(written);
    if (yearFirst) return calendarDate(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]), written);
    const numeric = NUMERIC_DATE.exec(written);
    if (numeric) return readNumericDate(numeric, order, written);
    const example = order === 'day-first' ? '31/12/1990' : '12/31/1990';
    return fail(`Is not a date: write it as 1990-12-31 or ${example}, not ${quoted(written)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Countries

/** A country name (in English or a few other languages) or ISO code, as the two-letter code. */
export function readCountry(raw: string): CellResult<string | null> {
  return whenGiven(raw, (text) => {
    const found = lookUpCountry(text);
    if (found.found) return ok(found.code);
    if (found.known) return fail(`${quoted(text)} (${found.known}) cannot be a customer's country`);
    return fail(`Is not a country: write a name such as Australia or a code such as AU or AUS, not ${quoted(text)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Phones

/** 4.41234E+11, 6,1412E+10: what a spreadsheet shows for a long number it took for a quantity. */
const SCIENTIFIC_NOTATION = /^[+-]?\d+(?:[.,]\d+)?\s*e\s*[+-]?\d+$/i;

/**
 * A phone number as typed (the customer rules read it with the merchant's country). Rejects a
 * number a spreadsheet turned into scientific notation: its last digits are gone.
 */
export function readPhone(raw: string): CellResult<string | null> {
  return whenGiven(raw, (text) => {
    if (!SCIENTIFIC_NOTATION.test(text)) return ok(text);
    return fail(
      `Looks like a number a spreadsheet turned into scientific notation (${text}); its digits are lost. Format the column as text and type the number again`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Amounts

/** $, €, or a currency code such as AUD, before or after the amount. */
const CURRENCY_MARKS = /\p{Sc}|\b[A-Z]{3}\b/gu;

/** Largest amount accepted, in minor units or points: that of `money` in shared/money.ts. */
const LARGEST = 1_000_000_000_00;

interface SplitNumber {
  negative: boolean;
  whole: string;
  fraction: string;
}

/** Thousands groups after the first are three digits; the first is 1 to 3 digits and not 0. */
function isGrouped(parts: string[]): boolean {
  const [first = '', ...rest] = parts;
  return /^[1-9]\d{0,2}$/.test(first) && rest.every((part) => /^\d{3}$/.test(part));
}

/**
 * Split `1,234.56`, `1.234,56`, `1 234,5`, `12,50` into whole and fraction. With one separator
 * used once and three digits after it, it is a thousands separator (1,000 is a thousand) unless
 * the currency has three decimals.
 */
function splitNumber(text: string, exponent: number): SplitNumber | undefined {
  const negative = text.startsWith('-');
  const body = (negative ? text.slice(1) : text).replace(/[\s\u00a0\u202f'’]/g, '');
  if (!/^\d[\d.,]*$/.test(body) || /[.,]$/.test(body)) return undefined;
  const lastSeparator = Math.max(body.lastIndexOf('.'), body.lastIndexOf(','));
  if (lastSeparator < 0) return { negative, whole: body, fraction: '' };
  const decimalMark = body[lastSeparator] as '.' | ',';
  const groupMark = decimalMark === '.' ? ',' : '.';
  const usesBoth = body.includes(groupMark);
  const marks = body.split(decimalMark).length - 1;
  const after = body.slice(lastSeparator + 1);
  const onlyGrouping = !usesBoth && (marks > 1 || (after.length === 3 && exponent !== 3));
  if (onlyGrouping) {
    const groups = body.split(decimalMark);
    if (isGrouped(groups)) return { negative, whole: groups.join(''), fraction: '' };
    if (marks > 1) return undefined;
  }
  const wholePart = body.slice(0, lastSeparator);
  if (usesBoth && !isGrouped(wholePart.split(groupMark))) return undefined;
  if (wholePart.includes(decimalMark)) return undefined;
  return { negative, whole: usesBoth ? wholePart.split(groupMark).join('') : wholePart, fraction: after };
}

function readAmount(raw: string, exponent: number, what: string): CellResult<number | null> {
  return whenGiven(raw, (text) => {
    const split = splitNumber(text.replace(CURRENCY_MARKS, '').trim(), exponent);
    if (!split) return fail(`Is not ${what}: write it as 1250 or 12.50, not ${quoted(text)}`);
    if (/[1-9]/.test(split.fraction.slice(exponent))) {
      return fail(
        exponent === 0
          ? `Must be a whole number, not ${quoted(text)}`
          : `Has more than ${exponent} decimals: ${quoted(text)}`,
      );
    }
    const minor = Number(split.whole + split.fraction.slice(0, exponent).padEnd(exponent, '0'));
    if (minor > LARGEST) return fail(`Is too large: ${quoted(text)}`);
    return ok(split.negative && minor !== 0 ? -minor : minor);
  });
}

/**
 * Money in major units (12.50, 12,50, 1,234.50, 1.234,50, $12.50) as integer minor units of a
 * currency with `exponent` decimals (see `currencyExponent`).
 */
export function readMoney(raw: string, exponent: number): CellResult<number | null> {
  return readAmount(raw, exponent, 'an amount of money');
}

/** A whole number of points (250, 1,000, 12.0). */
export function readPoints(raw: string): CellResult<number | null> {
  return readAmount(raw, 0, 'a whole number of points');
}

// ---------------------------------------------------------------------------------------------
// Full names

/** Lower-case words that start a surname: "Jan van der Berg" is Jan + van der Berg. */
const SURNAME_PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'du',
  'la',
  'le',
  'dos',
]);

/**
 * Split a single name cell (Loyverse's "Customer name") into first and last name: "Last, First"
 * by the comma; otherwise the last word (with any lower-case particles before it) is the last
 * name; a single word is a first name.
 */
export function splitFullName(fullName: string): { firstName: string | null; lastName: string | null } {
  const text = fullName.trim().replace(/\s+/g, ' ');
  if (text === '') return { firstName: null, lastName: null };
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const last = text.slice(0, comma).trim();
    const first = text.slice(comma + 1).trim();
    return { firstName: first || null, lastName: last || null };
  }
  const words = text.split(' ');
  if (words.length === 1) return { firstName: text, lastName: null };
  let start = words.length - 1;
  while (start > 1 && SURNAME_PARTICLES.has(words[start - 1] ?? '')) start--;
  return { firstName: words.slice(0, start).join(' '), lastName: words.slice(start).join(' ') };
}

// ---------------------------------------------------------------------------------------------
// One cell of a column

/** How a column's cells are read (see `readCell`). */
export type CellKind = 'id' | 'text' | 'phone' | 'boolean' | 'consent' | 'date' | 'country' | 'money' | 'points';

export type CellValue = string | number | boolean | null;

export interface CellReadOptions {
  /** How the merchant said dates like 03/04/2025 are written in this file. */
  dateOrder: DateOrder;
  /** Decimals of the merchant's currency, for money cells (see `currencyExponent`). */
  currencyExponent: number;
}

const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readRecordId(raw: string): CellResult<string | null> {
  return whenGiven(raw, (text) =>
    RECORD_ID.test(text)
      ? ok(text.toLowerCase())
      : fail('Is not a Patron record id (as in an export), such as 3f2b8c1e-5d4a-4c3b-9a7e-1f2d3c4b5a69'),
  );
}

/** Money and points are opening balances: they add to nothing yet, so they cannot be negative. */
function openingBalance(result: CellResult<number | null>): CellResult<number | null> {
  if (result.ok && result.value !== null && result.value < 0)
    return fail('Must not be negative: it is an opening balance');
  return result;
}

/** Read one cell of a column of the given kind. */
export function readCell(kind: CellKind, raw: string, options: CellReadOptions): CellResult<CellValue> {
  switch (kind) {
    case 'id':
      return readRecordId(raw);
    case 'text':
      return readText(raw);
    case 'phone':
      return readPhone(raw);
    case 'boolean':
      return readBoolean(raw);
    case 'consent':
      return readBoolean(raw, { consent: true });
    case 'date':
      return readDate(raw, options.dateOrder);
    case 'country':
      return readCountry(raw);
    case 'money':
      return openingBalance(readMoney(raw, options.currencyExponent));
    case 'points':
      return openingBalance(readPoints(raw));
  }
}

import type { ExportFields } from '../../features/exports/export.schema.ts';
import { type CustomerFilterValues, FILTER_NAMES, type YesNo } from '../customers/customer-list-view.ts';
import { toMajor } from '../lib/money.ts';

/** The dates an export can be narrowed by: each is a pair of the list's filters. */
export const DATE_KINDS = [
  { value: 'created', label: 'Created', from: 'createdFrom', to: 'createdTo' },
  { value: 'firstOrder', label: 'First order', from: 'firstOrderFrom', to: 'firstOrderTo' },
  { value: 'lastOrder', label: 'Last order', from: 'lastOrderFrom', to: 'lastOrderTo' },
] as const satisfies readonly {
  value: string;
  label: string;
  from: keyof CustomerFilterValues;
  to: keyof CustomerFilterValues;
}[];
export type DateKind = (typeof DATE_KINDS)[number]['value'];

export function dateKind(kind: DateKind): (typeof DATE_KINDS)[number] {
  return DATE_KINDS.find((candidate) => candidate.value === kind) ?? DATE_KINDS[0];
}

/** The date the list is already narrowed by, so that the export form opens on it; the created date otherwise. */
export function initialDateKind(filters: CustomerFilterValues): DateKind {
  return DATE_KINDS.find((kind) => filters[kind.from] || filters[kind.to])?.value ?? 'created';
}

/** The filters with one date range set, or cleared with nulls. */
export function withDateRange(
  filters: CustomerFilterValues,
  kind: DateKind,
  from: string | null,
  to: string | null,
): CustomerFilterValues {
  const { from: fromName, to: toName } = dateKind(kind);
  return { ...filters, [fromName]: from, [toName]: to };
}

/** The fields chosen, in the order the form lists them (the file's columns come in that order). */
export function inFormOrder(chosen: ReadonlySet<string>, fields: ExportFields | undefined): string[] {
  return (fields?.groups ?? [])
    .flatMap((group) => group.fields.map((field) => field.key))
    .filter((key) => chosen.has(key));
}

export function defaultFields(fields: ExportFields | undefined): Set<string> {
  return new Set(
    (fields?.groups ?? []).flatMap((group) => group.fields.filter((field) => field.default).map((field) => field.key)),
  );
}

/** Every field of a group ticked, or none of it. */
export function withGroup(chosen: ReadonlySet<string>, keys: readonly string[], on: boolean): Set<string> {
  const next = new Set(chosen);
  for (const key of keys) {
    if (on) next.add(key);
    else next.delete(key);
  }
  return next;
}

const YES_NO_FILTERS = ['emailMarketing', 'hasEmail', 'hasPhone', 'hasBalance'] as const;

/**
 * An export's filters as the API took them (amounts in minor units, yes/no as booleans), as the customer list
 * holds them, to be described in the same words the list uses.
 */
export function listFiltersOf(filter: Record<string, unknown>, currency: string): CustomerFilterValues {
  const values = Object.fromEntries(FILTER_NAMES.map((name) => [name, null])) as unknown as CustomerFilterValues;
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : null);
  for (const name of ['groupId', 'storeId', ...DATE_KINDS.flatMap((kind) => [kind.from, kind.to])] as const) {
    values[name] = text(filter[name]);
  }
  const amount = (value: unknown) => (typeof value === 'number' ? String(toMajor(value, currency)) : null);
  values.spentMin = amount(filter.totalSpentMin);
  values.spentMax = amount(filter.totalSpentMax);
  values.ordersMin = text(filter.ordersMin);
  values.ordersMax = text(filter.ordersMax);
  for (const name of YES_NO_FILTERS) {
    const value = filter[name];
    values[name] = typeof value === 'boolean' ? (String(value) as YesNo) : null;
  }
  return values;
}

/**
 * A count the list cannot make exactly (more than 10,000 customers, searched or filtered) is exported in the
 * background, with a progress bar and a file kept for a week; fewer download at once.
 */
export function exportsInBackground(count: { count: number; exact: boolean }): boolean {
  return !count.exact;
}

const numbers = new Intl.NumberFormat('en');

/** "312 MB", "48 KB": a file's size as a download shows it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${numbers.format(Math.round((bytes / 1024 / 1024) * 10) / 10)} MB`;
  return `${numbers.format(Math.max(1, Math.round(bytes / 1024)))} KB`;
}

/** "about 20 s left", "about 3 min left": the time a running export still needs, roughly. */
export function timeLeft(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

/** How far a background export is, in words: "12,000 of 250,000 customers · 45,000 a second · about 6 s left". */
export function progressWords(progress: {
  rowsDone: number;
  rowsTotal: number | null;
  rowsPerSecond: number | null;
  secondsLeft: number | null;
}): string {
  const { rowsDone, rowsTotal, rowsPerSecond, secondsLeft } = progress;
  return [
    rowsTotal === null
      ? 'Finding the customers…'
      : `${numbers.format(rowsDone)} of ${numbers.format(rowsTotal)} customers`,
    rowsPerSecond ? `${numbers.format(rowsPerSecond)} a second` : null,
    secondsLeft !== null && rowsPerSecond ? timeLeft(secondsLeft) : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** How much of a background export is done, in whole percent (100 only once every row is written). */
export function progressPercent(progress: { rowsDone: number; rowsTotal: number | null }): number {
  if (!progress.rowsTotal) return 0;
  return Math.min(100, Math.floor((progress.rowsDone / progress.rowsTotal) * 100));
}

import { CUSTOMER_SORTS, type CustomerSort, type CustomerSortKey } from '../../features/customers/customer.schema.ts';
import type { CustomerListFilters } from '../api/customers.ts';
import { isDay } from '../lib/dates.ts';
import { toMinor } from '../lib/money.ts';

/**
 * The customers list as its address holds it, so a view can be shared, bookmarked and found again with Back:
 * `/customers?q=smith&sort=-totalSpent&spentMin=100&lastOrderFrom=2026-03-01&lastOrderTo=2026-03-31`.
 * The parameters are the API's, but for money, which is in the currency's major units (100 is £100.00), as a
 * person types it.
 */
export interface CustomerFilterValues {
  groupId: string | null;
  storeId: string | null;
  createdFrom: string | null;
  createdTo: string | null;
  firstOrderFrom: string | null;
  firstOrderTo: string | null;
  lastOrderFrom: string | null;
  lastOrderTo: string | null;
  /** Major units, as typed: "100", "12.5". */
  spentMin: string | null;
  spentMax: string | null;
  ordersMin: string | null;
  ordersMax: string | null;
  emailMarketing: YesNo | null;
  hasEmail: YesNo | null;
  hasPhone: YesNo | null;
  hasBalance: YesNo | null;
}

export type YesNo = 'true' | 'false';
export type FilterName = keyof CustomerFilterValues;

export const FILTER_NAMES = [
  'groupId',
  'storeId',
  'createdFrom',
  'createdTo',
  'firstOrderFrom',
  'firstOrderTo',
  'lastOrderFrom',
  'lastOrderTo',
  'spentMin',
  'spentMax',
  'ordersMin',
  'ordersMax',
  'emailMarketing',
  'hasEmail',
  'hasPhone',
  'hasBalance',
] as const satisfies readonly FilterName[];

export const NO_FILTERS: CustomerFilterValues = Object.fromEntries(
  FILTER_NAMES.map((name) => [name, null]),
) as unknown as CustomerFilterValues;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AMOUNT = /^\d{1,12}(\.\d{1,3})?$/;
const WHOLE = /^\d{1,9}$/;

const DAY_FILTERS = [
  'createdFrom',
  'createdTo',
  'firstOrderFrom',
  'firstOrderTo',
  'lastOrderFrom',
  'lastOrderTo',
] as const satisfies readonly FilterName[];

/** A value fit for the filter, or null: a hand-edited or outdated address shows what still makes sense. */
function clean(name: FilterName, value: string | null): string | null {
  if (value === null) return null;
  const text = value.trim();
  switch (name) {
    case 'groupId':
    case 'storeId':
      return UUID.test(text) ? text.toLowerCase() : null;
    case 'createdFrom':
    case 'createdTo':
    case 'firstOrderFrom':
    case 'firstOrderTo':
    case 'lastOrderFrom':
    case 'lastOrderTo':
      return isDay(text) ? text : null;
    case 'spentMin':
    case 'spentMax':
      return AMOUNT.test(text) ? String(Number(text)) : null;
    case 'ordersMin':
    case 'ordersMax':
      return WHOLE.test(text) ? String(Number(text)) : null;
    case 'emailMarketing':
    case 'hasEmail':
    case 'hasPhone':
    case 'hasBalance':
      return text === 'true' || text === 'false' ? text : null;
  }
}

/** The filters in an address. */
export function filtersFromParams(params: URLSearchParams): CustomerFilterValues {
  return Object.fromEntries(
    FILTER_NAMES.map((name) => [name, clean(name, params.get(name))]),
  ) as unknown as CustomerFilterValues;
}

/** The sort in an address; null for the default (by name, or best match while searching). */
export function sortFromParams(params: URLSearchParams): CustomerSort | null {
  const value = params.get('sort');
  return CUSTOMER_SORTS.find((sort) => sort === value) ?? null;
}

/** The address parameters for these filters: every filter named, null for those not set (so they are removed). */
export function filterParamChanges(filters: CustomerFilterValues): Record<FilterName, string | null> {
  return Object.fromEntries(FILTER_NAMES.map((name) => [name, clean(name, filters[name])])) as Record<
    FilterName,
    string | null
  >;
}

export function activeFilterCount(filters: CustomerFilterValues): number {
  return describeFilters(filters, PLAIN_LABELS).length;
}

/** A range whose low end is above its high end, by the field that says so; none when all is well. */
export function rangeErrors(filters: CustomerFilterValues): Partial<Record<FilterName, string>> {
  const errors: Partial<Record<FilterName, string>> = {};
  const spentMin = filters.spentMin === null ? null : Number(filters.spentMin);
  const spentMax = filters.spentMax === null ? null : Number(filters.spentMax);
  if (spentMin !== null && spentMax !== null && spentMin > spentMax) errors.spentMax = 'Must not be below the minimum';
  const ordersMin = filters.ordersMin === null ? null : Number(filters.ordersMin);
  const ordersMax = filters.ordersMax === null ? null : Number(filters.ordersMax);
  if (ordersMin !== null && ordersMax !== null && ordersMin > ordersMax)
    errors.ordersMax = 'Must not be below the minimum';
  for (const [from, to] of [
    ['createdFrom', 'createdTo'],
    ['firstOrderFrom', 'firstOrderTo'],
    ['lastOrderFrom', 'lastOrderTo'],
  ] as const) {
    const low = filters[from];
    const high = filters[to];
    if (low && high && low > high) errors[to] = 'The end must not be before the start';
  }
  return errors;
}

/** The filters as the API takes them: money in minor units of `currency`, yes/no as booleans. */
export function apiFilters(filters: CustomerFilterValues, currency: string): CustomerListFilters {
  const result: CustomerListFilters = {};
  if (filters.groupId) result.groupId = filters.groupId;
  if (filters.storeId) result.storeId = filters.storeId;
  for (const name of DAY_FILTERS) {
    const value = filters[name];
    if (value) result[name] = value;
  }
  if (filters.spentMin !== null) result.totalSpentMin = toMinor(Number(filters.spentMin), currency);
  if (filters.spentMax !== null) result.totalSpentMax = toMinor(Number(filters.spentMax), currency);
  if (filters.ordersMin !== null) result.ordersMin = Number(filters.ordersMin);
  if (filters.ordersMax !== null) result.ordersMax = Number(filters.ordersMax);
  if (filters.emailMarketing) result.emailMarketing = filters.emailMarketing === 'true';
  if (filters.hasEmail) result.hasEmail = filters.hasEmail === 'true';
  if (filters.hasPhone) result.hasPhone = filters.hasPhone === 'true';
  if (filters.hasBalance) result.hasBalance = filters.hasBalance === 'true';
  return result;
}

/** Which address parameter an API field's error is about (the API names money in minor units). */
export function filterOfApiField(field: string): FilterName | undefined {
  if (field === 'totalSpentMin') return 'spentMin';
  if (field === 'totalSpentMax') return 'spentMax';
  return FILTER_NAMES.find((name) => name === field);
}

/** How the filters read, for the pills above the list. */
export interface FilterLabels {
  groupName(id: string): string;
  storeName(id: string): string;
  /** Major units as money: "100" → "£100.00". */
  money(amount: string): string;
  day(day: string): string;
}

const PLAIN_LABELS: FilterLabels = {
  groupName: (id) => id,
  storeName: (id) => id,
  money: (amount) => amount,
  day: (day) => day,
};

/** One active filter, as a pill: what it says, and which parameters removing it clears. */
export interface ActiveFilter {
  key: string;
  label: string;
  clears: FilterName[];
}

const count = new Intl.NumberFormat();

function between(
  low: string | null,
  high: string | null,
  format: (value: string) => string,
  words: { both: string; low: string; high: string; same?: string },
): string | null {
  if (low !== null && high !== null) {
    if (low === high && words.same) return words.same.replace('{}', format(low));
    return words.both.replace('{low}', format(low)).replace('{high}', format(high));
  }
  if (low !== null) return words.low.replace('{}', format(low));
  if (high !== null) return words.high.replace('{}', format(high));
  return null;
}

/** Each active filter in words a shop manager reads at a glance: "Spent at least £100.00", "Last order 1–31 Mar 2026". */
export function describeFilters(filters: CustomerFilterValues, labels: FilterLabels): ActiveFilter[] {
  const active: ActiveFilter[] = [];
  const add = (key: string, label: string | null, clears: FilterName[]) => {
    if (label) active.push({ key, label, clears });
  };
  if (filters.groupId) add('group', `Group: ${labels.groupName(filters.groupId)}`, ['groupId']);
  if (filters.storeId) add('store', `Created in ${labels.storeName(filters.storeId)}`, ['storeId']);
  add(
    'spent',
    between(filters.spentMin, filters.spentMax, labels.money, {
      both: 'Spent {low} to {high}',
      low: 'Spent at least {}',
      high: 'Spent at most {}',
      same: 'Spent exactly {}',
    }),
    ['spentMin', 'spentMax'],
  );
  add(
    'orders',
    between(filters.ordersMin, filters.ordersMax, (value) => count.format(Number(value)), {
      both: '{low} to {high} orders',
      low: 'At least {} orders',
      high: 'At most {} orders',
      same: 'Exactly {} orders',
    }),
    ['ordersMin', 'ordersMax'],
  );
  const dates = [
    ['firstOrder', 'First order', filters.firstOrderFrom, filters.firstOrderTo, ['firstOrderFrom', 'firstOrderTo']],
    ['lastOrder', 'Last order', filters.lastOrderFrom, filters.lastOrderTo, ['lastOrderFrom', 'lastOrderTo']],
    ['created', 'Created', filters.createdFrom, filters.createdTo, ['createdFrom', 'createdTo']],
  ] as const;
  for (const [key, what, from, to, clears] of dates) {
    add(
      key,
      between(from, to, labels.day, {
        both: `${what} {low} – {high}`,
        low: `${what} on or after {}`,
        high: `${what} on or before {}`,
        same: `${what} on {}`,
      }),
      [...clears],
    );
  }
  if (filters.emailMarketing)
    add(
      'emailMarketing',
      filters.emailMarketing === 'true' ? 'Subscribed to email marketing' : 'Not subscribed to email marketing',
      ['emailMarketing'],
    );
  if (filters.hasEmail) add('hasEmail', filters.hasEmail === 'true' ? 'Has an email' : 'No email', ['hasEmail']);
  if (filters.hasPhone) add('hasPhone', filters.hasPhone === 'true' ? 'Has a phone' : 'No phone', ['hasPhone']);
  if (filters.hasBalance) {
    add('hasBalance', filters.hasBalance === 'true' ? 'Has a balance' : 'No balance', ['hasBalance']);
  }
  return active;
}

/** The sorts a person can pick, in words; `best` is the search's own order (no `sort`). */
export const SORT_OPTIONS: { value: CustomerSort; label: string }[] = [
  { value: 'name', label: 'Name, A to Z' },
  { value: '-name', label: 'Name, Z to A' },
  { value: '-totalSpent', label: 'Total spent, highest first' },
  { value: 'totalSpent', label: 'Total spent, lowest first' },
  { value: '-orders', label: 'Orders, most first' },
  { value: 'orders', label: 'Orders, fewest first' },
  { value: '-lastOrderAt', label: 'Last order, newest first' },
  { value: 'lastOrderAt', label: 'Last order, oldest first' },
  { value: '-createdAt', label: 'Created, newest first' },
  { value: 'createdAt', label: 'Created, oldest first' },
];

/** The key and direction of a sort. */
export function sortParts(sort: CustomerSort): { key: CustomerSortKey; descending: boolean } {
  return sort.startsWith('-')
    ? { key: sort.slice(1) as CustomerSortKey, descending: true }
    : { key: sort as CustomerSortKey, descending: false };
}

/**
 * What clicking a column header sorts by: the other direction when the list is already sorted by that column;
 * otherwise names A to Z, and amounts, counts and dates largest or newest first (what a manager looks for).
 */
export function nextSortFor(key: CustomerSortKey, current: CustomerSort | null): CustomerSort {
  if (current) {
    const { key: currentKey, descending } = sortParts(current);
    if (currentKey === key) return descending ? key : `-${key}`;
  }
  return key === 'name' ? 'name' : `-${key}`;
}

const counts = new Intl.NumberFormat();

/** "1,234 customers", or "more than 10,000 customers" when counting them all would be slow. */
export function customerCountText({ count, exact }: { count: number; exact: boolean }): string {
  if (!exact) return `more than ${counts.format(count)} customers`;
  if (count === 0) return 'no customers';
  return count === 1 ? '1 customer' : `${counts.format(count)} customers`;
}

/**
 * What "move all matching to a group" offers for the list as it stands: every customer the search and filters
 * match, however many the count could not finish counting.
 */
export function moveAllOffer(
  count: { count: number; exact: boolean },
  search: string,
  filterCount: number,
): { button: string; description: string; exact: boolean } {
  const number = counts.format(count.count);
  const what = [
    search ? `matching “${search}”` : null,
    filterCount > 0 ? `with ${filterCount === 1 ? 'the filter' : `the ${filterCount} filters`} in use` : null,
  ]
    .filter(Boolean)
    .join(' ');
  if (!count.exact)
    return {
      button: `Move all ${number}+ matching customers to a group…`,
      description: `${customerCountText(count)} ${what}`,
      exact: false,
    };
  return {
    button: count.count === 1 ? 'Move this customer to a group…' : `Move all ${number} matching customers to a group…`,
    description: count.count === 1 ? `the customer ${what}` : `all ${number} customers ${what}`,
    exact: true,
  };
}

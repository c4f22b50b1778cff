import { describe, expect, it } from 'vitest';
import { exportFields } from '../../features/exports/export.schema.ts';
import { describeFilters, NO_FILTERS } from '../customers/customer-list-view.ts';
import { exportUrl } from './export-api.ts';
import {
  defaultFields,
  exportsInBackground,
  formatBytes,
  inFormOrder,
  initialDateKind,
  listFiltersOf,
  progressPercent,
  progressWords,
  withDateRange,
  withGroup,
} from './export-view.ts';

const plain = {
  groupName: (id: string) => id,
  storeName: (id: string) => id,
  money: (a: string) => `£${a}`,
  day: (d: string) => d,
};

describe('the export form', () => {
  it('opens on the date the list is narrowed by, else the created date', () => {
    expect(initialDateKind(NO_FILTERS)).toBe('created');
    expect(initialDateKind({ ...NO_FILTERS, lastOrderTo: '2026-03-31' })).toBe('lastOrder');
    expect(initialDateKind({ ...NO_FILTERS, firstOrderFrom: '2026-01-01', lastOrderFrom: '2026-02-01' })).toBe(
      'firstOrder',
    );
  });

  it('sets one date range and leaves the other filters alone', () => {
    const filters = withDateRange(
      { ...NO_FILTERS, groupId: 'g', createdFrom: '2025-01-01' },
      'lastOrder',
      '2026-01-01',
      null,
    );
    expect(filters).toMatchObject({
      groupId: 'g',
      createdFrom: '2025-01-01',
      lastOrderFrom: '2026-01-01',
      lastOrderTo: null,
    });
    expect(withDateRange(filters, 'created', null, null)).toMatchObject({ createdFrom: null, createdTo: null });
  });

  it('writes the fields in the order the form lists them, whatever order they were ticked in', () => {
    const catalogue = exportFields();
    const chosen = withGroup(new Set(['email']), ['stats.totalSpent', 'firstName'], true);
    expect(inFormOrder(chosen, catalogue)).toEqual(['firstName', 'email', 'stats.totalSpent']);
    expect(inFormOrder(withGroup(chosen, ['email'], false), catalogue)).toEqual(['firstName', 'stats.totalSpent']);
    expect([...defaultFields(catalogue)]).toContain('email');
  });

  it('links to the download with the search, the filters and the fields', () => {
    const url = new URL(exportUrl('ann', { hasEmail: true, groupId: 'g' }, ['firstName', 'email']), 'http://x');
    expect(url.pathname).toBe('/api/v1/customers/export');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: 'ann',
      groupId: 'g',
      hasEmail: 'true',
      fields: 'firstName,email',
    });
  });
});

describe('the export log', () => {
  it('describes an export’s filters in the words of the list, amounts in major units', () => {
    const values = listFiltersOf(
      { groupId: 'VIP', totalSpentMin: 10050, ordersMax: 3, hasEmail: false, lastOrderFrom: '2026-01-01' },
      'GBP',
    );
    expect(describeFilters(values, plain).map((filter) => filter.label)).toEqual([
      'Group: VIP',
      'Spent at least £100.5',
      'At most 3 orders',
      'Last order on or after 2026-01-01',
      'No email',
    ]);
  });
});

describe('a background export', () => {
  it('is how more than 10,000 customers go out; a smaller list downloads at once', () => {
    expect(exportsInBackground({ count: 10_000, exact: false })).toBe(true);
    expect(exportsInBackground({ count: 10_000, exact: true })).toBe(false);
  });

  it('says how far it is: rows of the total, the rate, the time left', () => {
    const progress = { rowsDone: 12_000, rowsTotal: 250_000, rowsPerSecond: 45_000, secondsLeft: 6 };
    expect(progressWords(progress)).toBe('12,000 of 250,000 customers · 45,000 a second · about 6 s left');
    expect(progressWords({ ...progress, secondsLeft: 150 })).toBe(
      '12,000 of 250,000 customers · 45,000 a second · about 3 min left',
    );
    expect(progressWords({ rowsDone: 0, rowsTotal: null, rowsPerSecond: null, secondsLeft: null })).toBe(
      'Finding the customers…',
    );
    expect(progressPercent(progress)).toBe(4);
    expect(progressPercent({ rowsDone: 249_999, rowsTotal: 250_000 })).toBe(99);
    expect(progressPercent({ rowsDone: 0, rowsTotal: null })).toBe(0);
  });

  it('gives the size of its file as a download does', () => {
    expect(formatBytes(380_000)).toBe('371 KB');
    expect(formatBytes(312.4 * 1024 * 1024)).toBe('312.4 MB');
    expect(formatBytes(10)).toBe('1 KB');
  });
});

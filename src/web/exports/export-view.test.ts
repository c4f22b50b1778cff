import { describe, expect, it } from 'vitest';
import { exportFields } from '../../features/exports/export.schema.ts';
import { describeFilters, NO_FILTERS } from '../customers/customer-list-view.ts';
import { exportUrl } from './export-api.ts';
import { defaultFields, inFormOrder, initialDateKind, listFiltersOf, withDateRange, withGroup } from './export-view.ts';

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

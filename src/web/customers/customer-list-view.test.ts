import { describe, expect, it } from 'vitest';
import {
  apiFilters,
  describeFilters,
  FILTER_NAMES,
  filterOfApiField,
  filterParamChanges,
  filtersFromParams,
  moveAllOffer,
  NO_FILTERS,
  nextSortFor,
  rangeErrors,
  sortFromParams,
} from './customer-list-view.ts';

const labels = {
  groupName: (id: string) => (id === GROUP ? 'VIP' : 'Unknown group'),
  storeName: () => 'Main store',
  money: (amount: string) => `£${Number(amount).toFixed(2)}`,
  day: (day: string) => day,
};
const GROUP = '0191a3b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b';

describe('the customers list view in the address', () => {
  it('reads the filters a person set, and drops what is not a value of that filter', () => {
    const params = new URLSearchParams(
      `groupId=${GROUP}&storeId=nope&spentMin=100&spentMax=12.5&ordersMin=-3&lastOrderFrom=2026-03-01&lastOrderTo=31/03/2026&hasEmail=true&hasPhone=maybe&sort=-totalSpent`,
    );
    expect(filtersFromParams(params)).toEqual({
      ...NO_FILTERS,
      groupId: GROUP,
      spentMin: '100',
      spentMax: '12.5',
      lastOrderFrom: '2026-03-01',
      hasEmail: 'true',
    });
    expect(sortFromParams(params)).toBe('-totalSpent');
    expect(sortFromParams(new URLSearchParams('sort=price'))).toBeNull();
  });

  it('names every filter when writing them back, so those cleared leave the address', () => {
    const changes = filterParamChanges({ ...NO_FILTERS, ordersMin: '3' });
    expect(changes.ordersMin).toBe('3');
    expect(changes.groupId).toBeNull();
    expect(Object.keys(changes)).toEqual([...FILTER_NAMES]);
  });

  it('sends money to the API in minor units of the currency, and yes/no as booleans', () => {
    const filters = { ...NO_FILTERS, spentMin: '100', spentMax: '12.5', emailMarketing: 'false' as const };
    expect(apiFilters(filters, 'GBP')).toEqual({ totalSpentMin: 10000, totalSpentMax: 1250, emailMarketing: false });
    expect(apiFilters({ ...NO_FILTERS, spentMin: '1500' }, 'JPY')).toEqual({ totalSpentMin: 1500 });
    expect(filterOfApiField('totalSpentMax')).toBe('spentMax');
    expect(filterOfApiField('lastOrderTo')).toBe('lastOrderTo');
  });

  it('describes each active filter in words, one pill per range', () => {
    const active = describeFilters(
      {
        ...NO_FILTERS,
        groupId: GROUP,
        spentMin: '100',
        ordersMin: '2',
        ordersMax: '2',
        lastOrderFrom: '2026-03-01',
        lastOrderTo: '2026-03-31',
        createdTo: '2025-12-31',
        hasPhone: 'false',
        hasBalance: 'true',
      },
      labels,
    );
    expect(active.map((filter) => filter.label)).toEqual([
      'Group: VIP',
      'Spent at least £100.00',
      'Exactly 2 orders',
      'Last order 2026-03-01 – 2026-03-31',
      'Created on or before 2025-12-31',
      'No phone',
      'Has a balance',
    ]);
    expect(active.find((filter) => filter.key === 'lastOrder')?.clears).toEqual(['lastOrderFrom', 'lastOrderTo']);
  });

  it('finds ranges that end before they start', () => {
    expect(rangeErrors({ ...NO_FILTERS, spentMin: '100', spentMax: '50', ordersMin: '1', ordersMax: '3' })).toEqual({
      spentMax: 'Must not be below the minimum',
    });
    expect(rangeErrors({ ...NO_FILTERS, createdFrom: '2026-02-01', createdTo: '2026-01-31' })).toEqual({
      createdTo: 'The end must not be before the start',
    });
  });

  it('sorts by a clicked column: names A to Z and figures largest first, then the other way on a second click', () => {
    expect(nextSortFor('name', null)).toBe('name');
    expect(nextSortFor('name', 'name')).toBe('-name');
    expect(nextSortFor('totalSpent', 'name')).toBe('-totalSpent');
    expect(nextSortFor('totalSpent', '-totalSpent')).toBe('totalSpent');
    expect(nextSortFor('totalSpent', 'totalSpent')).toBe('-totalSpent');
  });

  it('offers to move everyone the search and filters match, however many', () => {
    const filters = moveAllOffer({ count: 10_000, exact: false }, '', 2);
    expect(filters.button).toBe('Move all 10,000+ matching customers to a group…');
    expect(filters).toMatchObject({ exact: false });
    expect(filters.description).toBe('more than 10,000 customers with the 2 filters in use');

    const search = moveAllOffer({ count: 10_000, exact: false }, 'mar', 1);
    expect(search.button).toBe('Move all 10,000+ matching customers to a group…');
    expect(search).toMatchObject({ exact: false });
    expect(search.description).toBe('more than 10,000 customers matching “mar” with the filter in use');

    expect(moveAllOffer({ count: 57, exact: true }, 'ann', 0)).toMatchObject({
      button: 'Move all 57 matching customers to a group…',
      description: 'all 57 customers matching “ann”',
      exact: true,
    });
    expect(moveAllOffer({ count: 1, exact: true }, 'ann', 0).button).toBe('Move this customer to a group…');
  });
});

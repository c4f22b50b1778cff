import { useCallback } from 'react';
import { formatMoney } from '../../shared/money.ts';
import { useCustomerGroups } from '../api/groups.ts';
import { useStores } from '../api/stores.ts';
import { type CustomerFilterValues, describeFilters } from '../customers/customer-list-view.ts';
import { toMinor } from '../lib/money.ts';

const dayFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "2026-03-01" as a person reads it: "1 Mar 2026" (a calendar day, whatever the browser's time zone). */
export function formatDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return dayFormat.format(new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1)));
}

/** The customer list's filters in the words of its filter pills: "Group: VIP", "Last order on or after 1 Mar 2026". */
export function useFilterWords(currency: string): (filters: CustomerFilterValues) => string[] {
  const groups = useCustomerGroups();
  const stores = useStores();
  return useCallback(
    (filters: CustomerFilterValues) =>
      describeFilters(filters, {
        groupName: (id) => groups.data?.find((group) => group.id === id)?.name ?? 'a group no longer there',
        storeName: (id) => stores.data?.find((store) => store.id === id)?.name ?? 'a store no longer there',
        money: (amount) => formatMoney(toMinor(Number(amount), currency), currency),
        day: formatDay,
      }).map((filter) => filter.label),
    [groups.data, stores.data, currency],
  );
}

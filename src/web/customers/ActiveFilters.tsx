import { Button, Pill } from '@mantine/core';
import { useMemo } from 'react';
import { formatMoney } from '../../shared/money.ts';
import { useCustomerGroups } from '../api/groups.ts';
import { useStores } from '../api/stores.ts';
import { toMinor } from '../lib/money.ts';
import { type CustomerFilterValues, describeFilters, type FilterName } from './customer-list-view.ts';

const dayFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "2026-03-01" as a person reads it: "1 Mar 2026" (a calendar day, whatever the browser's time zone). */
function formatDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return dayFormat.format(new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1)));
}

/** The filters in force, each a pill that removes it, and a way to remove them all. */
export function ActiveFilters({
  filters,
  currency,
  onRemove,
  onClearAll,
}: {
  filters: CustomerFilterValues;
  currency: string;
  onRemove(names: FilterName[]): void;
  onClearAll(): void;
}) {
  const groups = useCustomerGroups();
  const stores = useStores();
  const active = useMemo(
    () =>
      describeFilters(filters, {
        groupName: (id) => groups.data?.find((group) => group.id === id)?.name ?? 'a group no longer there',
        storeName: (id) => stores.data?.find((store) => store.id === id)?.name ?? 'a store no longer there',
        money: (amount) => formatMoney(toMinor(Number(amount), currency), currency),
        day: formatDay,
      }),
    [filters, groups.data, stores.data, currency],
  );
  if (active.length === 0) return null;
  return (
    <>
      <Pill.Group gap={6} role="list" aria-label="Filters in use">
        {active.map((filter) => (
          <Pill
            key={filter.key}
            role="listitem"
            size="md"
            withRemoveButton
            onRemove={() => onRemove(filter.clears)}
            // Mantine hides the remove button from keyboards and screen readers (it is made for a tags input, where
            // Backspace removes): here it is the only way to remove the filter.
            removeButtonProps={{ 'aria-label': `Remove filter: ${filter.label}`, 'aria-hidden': false, tabIndex: 0 }}
            bg="indigo.0"
            c="indigo.9"
          >
            {filter.label}
          </Pill>
        ))}
      </Pill.Group>
      <Button variant="subtle" size="compact-sm" color="gray" onClick={onClearAll}>
        Clear all
      </Button>
    </>
  );
}

import { MultiSelect } from '@mantine/core';
import type { Store } from '../../features/stores/store.schema.ts';

interface StoresFieldProps {
  stores: Store[];
  value: string[];
  onChange(storeIds: string[]): void;
  error?: string | undefined;
}

/** Where the person works; none chosen means every store, now and later. */
export function StoresField({ stores, value, onChange, error }: StoresFieldProps) {
  return (
    <MultiSelect
      label="Stores"
      description="Leave empty for all stores, including ones you add later."
      placeholder={value.length === 0 ? 'All stores' : undefined}
      data={stores.map((store) => ({ value: store.id, label: store.name }))}
      value={value}
      onChange={onChange}
      error={error}
      clearable
      searchable
      nothingFoundMessage="No store by that name"
    />
  );
}

/** "All stores", or the names of the ones chosen. */
export function storeNames(storeIds: string[], stores: Store[] | undefined): string {
  if (storeIds.length === 0) return 'All stores';
  return storeIds.map((id) => stores?.find((store) => store.id === id)?.name ?? 'A removed store').join(', ');
}

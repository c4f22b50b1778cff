import { useStores } from '../api/stores.ts';
import { StoresField } from './StoresField.tsx';

interface StaffStoresFieldProps {
  value: string[];
  onChange(storeIds: string[]): void;
  error: string | undefined;
}

/** The stores a staff member works in, asked only when the business has more than one store. */
export function StaffStoresField({ value, onChange, error }: StaffStoresFieldProps) {
  const stores = useStores();
  return stores.data && stores.data.length > 1 ? (
    <StoresField stores={stores.data} value={value} onChange={onChange} error={error} />
  ) : null;
}

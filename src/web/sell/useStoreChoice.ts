import { useLocalStorage } from '@mantine/hooks';
import type { Store } from '../../features/stores/store.schema.ts';
import { useStores } from '../api/stores.ts';

const KEY = 'patron.sell.store';

/**
 * The store this browser sells in: chosen once and remembered on this device (a till stays in its shop);
 * the first in-store one until then, or when the remembered one is gone.
 */
export function useStoreChoice() {
  const stores = useStores();
  const [chosenId, setChosenId] = useLocalStorage<string | null>({
    key: KEY,
    defaultValue: null,
    getInitialValueInEffect: false,
  });
  const list = stores.data ?? [];
  const sellable = list.filter((store) => store.channel !== 'ecommerce');
  const store: Store | undefined =
    list.find((candidate) => candidate.id === chosenId) ??
    sellable.find((candidate) => candidate.channel === 'pos') ??
    sellable[0] ??
    list[0];
  return { stores, sellable, store, choose: (id: string) => setChosenId(id) };
}

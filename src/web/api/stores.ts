import { useQuery } from '@tanstack/react-query';
import type { Store } from '../../features/stores/store.schema.ts';
import { api } from './http.ts';

export function useStores() {
  return useQuery({
    queryKey: ['stores'],
    queryFn: () => api<{ items: Store[] }>('GET', '/stores'),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

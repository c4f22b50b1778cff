import { useQuery } from '@tanstack/react-query';
import type { CustomerGroup } from '../../features/groups/group.schema.ts';
import { api } from './http.ts';

/** The merchant's customer groups: "All Customers" (the default) first, then by name. */
export function useCustomerGroups() {
  return useQuery({
    queryKey: ['customer-groups'],
    queryFn: () => api<{ items: CustomerGroup[] }>('GET', '/customer-groups'),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CustomerGroup,
  CustomerGroupUpdate,
  CustomerSelection,
  GroupDeleteResult,
  MoveResult,
} from '../../features/groups/group.schema.ts';
import { customerKeys } from './customers.ts';
import { api } from './http.ts';

export const groupKeys = { all: ['customer-groups'] as const };

/**
 * The merchant's customer groups, "All Customers" (the default) first, then by name, with their size and total
 * spent. Pickers can take them as they are cached; `fresh` reloads them on arrival (the Groups page, whose
 * figures move with every sale).
 */
export function useCustomerGroups(options: { fresh?: boolean } = {}) {
  return useQuery({
    queryKey: groupKeys.all,
    queryFn: () => api<{ items: CustomerGroup[] }>('GET', '/customer-groups'),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
    ...(options.fresh ? { refetchOnMount: 'always' as const } : {}),
  });
}

/** After a change to groups or to who is in them: the groups, and every customer shown with their group. */
function refreshAfterMove(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: groupKeys.all }),
    queryClient.invalidateQueries({ queryKey: customerKeys.all }),
  ]);
}

export function useCreateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (group: { name: string; discountPercent?: number }) =>
      api<CustomerGroup>('POST', '/customer-groups', group),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: groupKeys.all }),
  });
}

/** Rename a group or change its discount: only what is sent changes. */
export function useUpdateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...update }: CustomerGroupUpdate & { id: string }) =>
      api<CustomerGroup>('PATCH', `/customer-groups/${encodeURIComponent(id)}`, update),
    // Customers show their group's name; the till gives its discount.
    onSuccess: () => refreshAfterMove(queryClient),
  });
}

export function useDeleteGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<GroupDeleteResult>('DELETE', `/customer-groups/${encodeURIComponent(id)}`),
    onSuccess: () => refreshAfterMove(queryClient),
  });
}

/** Who to move: the customers ticked in the list, or every customer matching its search and filters. */
export type MoveSelection = { customerIds: string[] } | { matching: CustomerSelection };

export function useMoveCustomers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ groupId, selection }: { groupId: string; selection: MoveSelection }) =>
      api<MoveResult>('POST', `/customer-groups/${encodeURIComponent(groupId)}/customers`, selection),
    onSuccess: () => refreshAfterMove(queryClient),
  });
}

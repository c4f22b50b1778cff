import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditEvent } from '../../features/audit/audit.schema.ts';
import type {
  Customer,
  CustomerCreate,
  CustomerNote,
  CustomerUpdate,
} from '../../features/customers/customer.schema.ts';
import { api } from './http.ts';

export const PAGE_SIZE = 50;

interface CustomerPage {
  items: Customer[];
  next: string | null;
}

export const customerKeys = {
  all: ['customers'] as const,
  lists: () => [...customerKeys.all, 'list'] as const,
  list: (q: string) => [...customerKeys.lists(), q] as const,
  detail: (id: string) => [...customerKeys.all, 'detail', id] as const,
  notes: (id: string) => [...customerKeys.all, 'notes', id] as const,
  history: (id: string) => [...customerKeys.all, 'history', id] as const,
  search: (q: string) => [...customerKeys.all, 'search', q] as const,
};

export const SEARCH_LIMIT = 10;

export const HISTORY_PAGE_SIZE = 10;

export function useCustomerList(q: string) {
  return useInfiniteQuery({
    queryKey: customerKeys.list(q),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (q) params.set('q', q);
      if (pageParam) params.set('cursor', pageParam);
      return api<CustomerPage>('GET', `/customers?${params}`);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
    // Keep the previous results on screen while the next search runs, instead of flashing a skeleton.
    placeholderData: (previous) => previous,
  });
}

/** The first customers that match a search: for pickers, where one of a few is chosen. */
export function searchCustomers(q: string): Promise<Customer[]> {
  const params = new URLSearchParams({ q, limit: String(SEARCH_LIMIT) });
  return api<CustomerPage>('GET', `/customers?${params}`).then((page) => page.items);
}

export function useCustomerSearch(q: string) {
  return useQuery({
    queryKey: customerKeys.search(q),
    queryFn: () => searchCustomers(q),
    enabled: q !== '',
    placeholderData: (previous) => previous,
  });
}

/**
 * `fresh`: ignore what is cached and load the customer as it is now (an edit form must start from that).
 * `enabled: false` when there may be no customer to load.
 */
export function useCustomer(id: string, options: { fresh?: boolean; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: customerKeys.detail(id),
    queryFn: () => api<Customer>('GET', `/customers/${encodeURIComponent(id)}`),
    enabled: options.enabled ?? true,
    ...(options.fresh ? { refetchOnMount: 'always' as const } : {}),
  });
}

export function useCustomerNotes(id: string, enabled = true) {
  return useQuery({
    queryKey: customerKeys.notes(id),
    queryFn: () => api<{ items: CustomerNote[] }>('GET', `/customers/${encodeURIComponent(id)}/notes`),
    select: (data) => data.items,
    enabled,
  });
}

/** Who did what to this customer, newest first, a page at a time. */
export function useCustomerHistory(id: string) {
  return useInfiniteQuery({
    queryKey: customerKeys.history(id),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
      if (pageParam) params.set('cursor', pageParam);
      return api<{ items: AuditEvent[]; next: string | null }>(
        'GET',
        `/customers/${encodeURIComponent(id)}/history?${params}`,
      );
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CustomerCreate) => api<Customer>('POST', '/customers', input),
    onSuccess: (customer) => {
      queryClient.setQueryData(customerKeys.detail(customer.id), customer);
      return queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
    },
  });
}

export function useUpdateCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CustomerUpdate) => api<Customer>('PATCH', `/customers/${encodeURIComponent(id)}`, input),
    onSuccess: (customer) => {
      queryClient.setQueryData(customerKeys.detail(customer.id), customer);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: customerKeys.history(customer.id) }),
      ]);
    },
  });
}

export function useDeleteCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('DELETE', `/customers/${encodeURIComponent(id)}`),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: customerKeys.detail(id) });
      queryClient.removeQueries({ queryKey: customerKeys.notes(id) });
      queryClient.removeQueries({ queryKey: customerKeys.history(id) });
      return queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
    },
  });
}

export function useAddNote(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) =>
      api<CustomerNote>('POST', `/customers/${encodeURIComponent(customerId)}/notes`, { body }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKeys.notes(customerId) }),
        queryClient.invalidateQueries({ queryKey: customerKeys.history(customerId) }),
      ]),
  });
}

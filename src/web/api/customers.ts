import { type QueryClient, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditEvent } from '../../features/audit/audit.schema.ts';
import type {
  Customer,
  CustomerCreate,
  CustomerFilter,
  CustomerListPage,
  CustomerNote,
  CustomerSort,
  CustomerUpdate,
} from '../../features/customers/customer.schema.ts';
import type { Erasure } from '../../features/privacy/privacy.schema.ts';
import { api } from './http.ts';

/** Customers per page of the list: the list loads the next page as it is scrolled. */
export const PAGE_SIZE = 100;

/** The filters of the list as the API takes them (money in minor units, days as `YYYY-MM-DD`). */
export type CustomerListFilters = Omit<CustomerFilter, 'q'>;

/** What the customers list shows: a search, filters and an order. */
export interface CustomerListQuery {
  q: string;
  /** Left out: by name, or best match first while searching. */
  sort?: CustomerSort | undefined;
  filters: CustomerListFilters;
}

/** Search and filters as query parameters, in a stable order (the same view, the same address and cache key). */
function filterParams(q: string, filters: CustomerListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  for (const [key, value] of Object.entries(filters).sort(([a], [b]) => a.localeCompare(b))) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return params;
}

type CustomerPage = Omit<CustomerListPage, 'items'> & { items: Customer[] };

export const customerKeys = {
  all: ['customers'] as const,
  lists: () => [...customerKeys.all, 'list'] as const,
  list: (query: CustomerListQuery) => [...customerKeys.lists(), query] as const,
  count: (q: string, filters: CustomerListFilters) => [...customerKeys.lists(), 'count', q, filters] as const,
  detail: (id: string) => [...customerKeys.all, 'detail', id] as const,
  notes: (id: string) => [...customerKeys.all, 'notes', id] as const,
  history: (id: string) => [...customerKeys.all, 'history', id] as const,
  search: (q: string) => [...customerKeys.all, 'search', q] as const,
};

export const SEARCH_LIMIT = 10;

export const HISTORY_PAGE_SIZE = 10;

/**
 * The customers list, a page at a time. Every part of the view is in the key: an answer to an earlier search
 * or filter lands in its own cache entry and is never shown for the current one.
 */
export function useCustomerList(query: CustomerListQuery, enabled = true) {
  return useInfiniteQuery({
    queryKey: customerKeys.list(query),
    queryFn: ({ pageParam }) => {
      const params = filterParams(query.q, query.filters);
      if (query.sort) params.set('sort', query.sort);
      params.set('limit', String(PAGE_SIZE));
      if (pageParam) params.set('cursor', pageParam);
      return api<CustomerPage>('GET', `/customers?${params}`);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
    enabled,
    // Keep the previous results on screen while the next search runs, instead of flashing a skeleton.
    placeholderData: (previous) => previous,
    // Coming back to the window reloads every page loaded: fine for a short list, not for one scrolled deep
    // into (it would refetch them one after the other under the person's eyes).
    refetchOnWindowFocus: (query) => (query.state.data?.pages.length ?? 0) <= 3,
  });
}

/** How many customers match: `exact: false` means more than `count` (counting further would be slow). */
export function useCustomerCount(q: string, filters: CustomerListFilters, enabled = true) {
  return useQuery({
    queryKey: customerKeys.count(q, filters),
    queryFn: () => api<{ count: number; exact: boolean }>('GET', `/customers/count?${filterParams(q, filters)}`),
    enabled,
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

/** A customer gone from the directory (deleted or erased): nothing of them stays cached, and the lists reload. */
function forgetCustomer(queryClient: QueryClient, id: string) {
  queryClient.removeQueries({ queryKey: customerKeys.detail(id) });
  queryClient.removeQueries({ queryKey: customerKeys.notes(id) });
  queryClient.removeQueries({ queryKey: customerKeys.history(id) });
  return queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
}

export function useDeleteCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('DELETE', `/customers/${encodeURIComponent(id)}`),
    onSuccess: () => forgetCustomer(queryClient, id),
  });
}

/** Where a customer's personal data downloads as a JSON file (a plain link: the session cookie goes with a GET). */
export function personalDataUrl(id: string): string {
  return `/api/v1/customers/${encodeURIComponent(id)}/personal-data`;
}

/** Erase a customer's personal data (a privacy request): they leave the directory like a deleted customer. */
export function useEraseCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api<Erasure>('POST', `/customers/${encodeURIComponent(id)}/erase`, { reason }),
    onSuccess: () => forgetCustomer(queryClient, id),
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

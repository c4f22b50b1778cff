import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ExportFields, ExportLogEntry } from '../../features/exports/export.schema.ts';
import type { CustomerListFilters } from '../api/customers.ts';
import { api } from '../api/http.ts';

export const EXPORT_LOG_PAGE_SIZE = 50;

export const exportKeys = {
  fields: ['exports', 'fields'] as const,
  log: ['exports', 'log'] as const,
};

/** The columns an export can hold, in groups: the same for every merchant, for as long as the page is open. */
export function useExportFields(enabled = true) {
  return useQuery({
    queryKey: exportKeys.fields,
    queryFn: () => api<ExportFields>('GET', '/customers/export/fields'),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

/** Past exports, newest first. */
export function useExportLog() {
  return useInfiniteQuery({
    queryKey: exportKeys.log,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(EXPORT_LOG_PAGE_SIZE) });
      if (pageParam) params.set('cursor', pageParam);
      return api<{ items: ExportLogEntry[]; next: string | null }>('GET', `/exports?${params}`);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
    // A log: look again each time the page opens.
    staleTime: 0,
  });
}

/**
 * Where the file downloads: a plain link does it (the session cookie goes with a GET, and the server names the
 * file), so the browser streams it to disk however large it is.
 */
export function exportUrl(q: string, filters: CustomerListFilters, fields: readonly string[]): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  for (const [key, value] of Object.entries(filters).sort(([a], [b]) => a.localeCompare(b))) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  params.set('fields', fields.join(','));
  return `/api/v1/customers/export?${params}`;
}

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ExportFields, ExportJob, ExportLogEntry } from '../../features/exports/export.schema.ts';
import type { CustomerListFilters } from '../api/customers.ts';
import { api } from '../api/http.ts';

export const EXPORT_LOG_PAGE_SIZE = 50;

export type { ExportJob };

export const exportKeys = {
  fields: ['exports', 'fields'] as const,
  log: ['exports', 'log'] as const,
  job: (id: string) => ['exports', 'job', id] as const,
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
    // A log: look again each time the page opens, and every few seconds while a background export runs.
    staleTime: 0,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((item) => item.job?.status === 'running')) ? 2000 : false,
  });
}

/** A background export, followed twice a second while it runs (the progress bar), then left alone. */
export function useExportJob(id: string | null) {
  return useQuery({
    queryKey: exportKeys.job(id ?? ''),
    queryFn: () => api<ExportJob>('GET', `/exports/jobs/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 500 : false),
  });
}

/** Start a background export of the customers a search and filters find, with these fields. */
export function useStartExport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { q: string; filters: CustomerListFilters; fields: readonly string[] }) =>
      api<ExportJob>('POST', '/exports', {
        ...(body.q ? { q: body.q } : {}),
        ...body.filters,
        fields: body.fields,
      }),
    onSuccess: (job) => {
      queryClient.setQueryData(exportKeys.job(job.id), job);
      return queryClient.invalidateQueries({ queryKey: exportKeys.log });
    },
  });
}

export function useCancelExport(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<ExportJob>('POST', `/exports/jobs/${encodeURIComponent(id)}/cancel`),
    onSuccess: (job) => {
      queryClient.setQueryData(exportKeys.job(job.id), job);
      return queryClient.invalidateQueries({ queryKey: exportKeys.log });
    },
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

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportJob } from '../../features/imports/import.schema.ts';
import { customerKeys } from './customers.ts';
import { api } from './http.ts';

export type { ImportJob };
export type ImportMapping = Record<string, string>;

export const importKeys = {
  all: ['imports'] as const,
  list: () => [...importKeys.all, 'list'] as const,
  job: (id: string) => [...importKeys.all, 'job', id] as const,
  columns: () => [...importKeys.all, 'columns'] as const,
  problems: (id: string) => [...importKeys.all, 'problems', id] as const,
};

const RUNNING: ImportJob['status'][] = ['validating', 'committing'];

/** An import, followed twice a second while it runs (the progress bar), then left alone. */
export function useImportJob(id: string | null) {
  return useQuery({
    queryKey: importKeys.job(id ?? ''),
    queryFn: () => api<ImportJob>('GET', `/imports/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data && RUNNING.includes(query.state.data.status) ? 500 : false),
  });
}

export function useImports() {
  return useQuery({
    queryKey: importKeys.list(),
    queryFn: () => api<{ items: ImportJob[] }>('GET', '/imports'),
    select: (data) => data.items,
  });
}

export interface ColumnDoc {
  key: string;
  header: string;
  meaning: string;
  format: string;
  required: string;
  allowedValues?: string[];
  example: string;
  importable: boolean;
}

export function useImportColumns() {
  return useQuery({
    queryKey: importKeys.columns(),
    queryFn: () => api<{ items: ColumnDoc[] }>('GET', '/imports/columns'),
    select: (data) => data.items,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** `stamp` changes when the job's check does (status and counts): the rows are read again then. */
export function useImportProblems(id: string | null, enabled: boolean, stamp: string) {
  return useQuery({
    queryKey: [...importKeys.problems(id ?? ''), stamp],
    queryFn: () =>
      api<{
        items: {
          line: number;
          action: 'skip' | 'reject';
          problems: { column: string | null; reason: string }[];
          raw: string[];
        }[];
      }>('GET', `/imports/${encodeURIComponent(id ?? '')}/problems?limit=50`),
    enabled: Boolean(id) && enabled,
  });
}

export interface ImportChange {
  line: number;
  action: 'update' | 'delete';
  customer: { id: string; name: string };
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** A modify's or delete's customers and their changes, field by field. */
export function useImportChanges(id: string, enabled: boolean, stamp: string) {
  return useQuery({
    queryKey: [...importKeys.all, 'changes', id, stamp],
    queryFn: () =>
      api<{ items: ImportChange[]; next: number | null }>('GET', `/imports/${encodeURIComponent(id)}/changes?limit=50`),
    enabled,
  });
}

export function useUploadImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      file,
      dateOrder,
      mapping,
      kind = 'import',
      matchBy = 'id',
      clearEmpty = false,
    }: {
      file: File;
      dateOrder: string;
      mapping?: ImportMapping;
      kind?: ImportJob['kind'];
      matchBy?: 'id' | 'code' | 'email';
      clearEmpty?: boolean;
    }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      const params = new URLSearchParams({ dateOrder, kind });
      if (kind !== 'import') params.set('matchBy', matchBy);
      if (kind === 'modify') params.set('clearEmpty', String(clearEmpty));
      if (mapping && Object.keys(mapping).length > 0) params.set('mapping', JSON.stringify(mapping));
      return api<ImportJob>('POST', `/imports?${params}`, form);
    },
    onSuccess: (job) => {
      queryClient.setQueryData(importKeys.job(job.id), job);
      return queryClient.invalidateQueries({ queryKey: importKeys.list() });
    },
  });
}

export function useRecheckImport(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (options: { dateOrder: string; mapping: ImportMapping }) =>
      api<ImportJob>('POST', `/imports/${encodeURIComponent(id)}/options`, options),
    onSuccess: (job) => {
      queryClient.setQueryData(importKeys.job(id), job);
      return queryClient.invalidateQueries({ queryKey: importKeys.problems(id) });
    },
  });
}

export function useCommitImport(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (mode: 'all' | 'valid') =>
      api<ImportJob>('POST', `/imports/${encodeURIComponent(id)}/commit`, { mode }),
    onSuccess: (job) => {
      queryClient.setQueryData(importKeys.job(id), job);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: importKeys.list() }),
        queryClient.invalidateQueries({ queryKey: customerKeys.all }),
      ]);
    },
  });
}

export function useCancelImport(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<ImportJob>('POST', `/imports/${encodeURIComponent(id)}/cancel`),
    onSuccess: (job) => queryClient.setQueryData(importKeys.job(id), job),
  });
}

export const importErrorsUrl = (id: string) => `/api/v1/imports/${encodeURIComponent(id)}/errors.csv`;
export const importFileUrl = (id: string) => `/api/v1/imports/${encodeURIComponent(id)}/file`;
export const IMPORT_TEMPLATE_URL = '/api/v1/imports/template';

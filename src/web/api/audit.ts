import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditAction, AuditEntity, AuditEvent } from '../../features/audit/audit.schema.ts';
import { api } from './http.ts';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditPage {
  items: AuditEvent[];
  next: string | null;
}

/** What the audit log is narrowed to; `from` and `to` are ISO times (from inclusive, to exclusive). */
export interface AuditFilters {
  actorId?: string | undefined;
  action?: AuditAction | undefined;
  entityType?: AuditEntity | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export function useAuditEvents(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
      for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
      if (pageParam) params.set('cursor', pageParam);
      return api<AuditPage>('GET', `/audit-events?${params}`);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
    // The log is what happened up to now: look again each time the page opens.
    staleTime: 0,
    placeholderData: (previous) => previous,
  });
}

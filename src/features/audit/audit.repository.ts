import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import type { KeysetPosition } from '../../platform/http/cursor.ts';

export interface NewAuditEvent {
  id: string;
  actorType: 'user' | 'token' | 'system';
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, unknown> | null;
  requestId: string | null;
  ip: string | null;
}

export async function insertAuditEvent(trx: Trx, event: NewAuditEvent): Promise<void> {
  await trx
    .insertInto('auditEvent')
    .values({
      ...event,
      changes: event.changes === null ? null : JSON.stringify(event.changes),
      merchantId: sql<string>`app_current_merchant()`,
    })
    .execute();
}

export interface AuditFilter {
  actorId?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  after?: KeysetPosition | undefined;
  limit: number;
}

/** Events newest first, a page after `after` (keyset on time and id: as fast on page 10,000 as on page 1). */
export async function listAuditEvents(trx: Trx, filter: AuditFilter) {
  let query = trx
    .selectFrom('auditEvent')
    .selectAll()
    .select(sql<string>`to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position'));
  if (filter.actorId) query = query.where('actorId', '=', filter.actorId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.entityType) query = query.where('entityType', '=', filter.entityType);
  if (filter.entityId) query = query.where('entityId', '=', filter.entityId);
  if (filter.from) query = query.where('occurredAt', '>=', new Date(filter.from));
  if (filter.to) query = query.where('occurredAt', '<', new Date(filter.to));
  if (filter.after) {
    query = query.where(sql<boolean>`(occurred_at, id) < (${filter.after.at}::timestamptz, ${filter.after.id}::uuid)`);
  }
  return query.orderBy('occurredAt', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

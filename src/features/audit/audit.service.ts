import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import type { Database, Trx } from '../../platform/db/database.ts';
import { decodeCursor, pageOf } from '../../platform/http/cursor.ts';
import { type AuditFilter, insertAuditEvent, listAuditEvents } from './audit.repository.ts';
import type { AuditAction, AuditEntity, AuditEvent, AuditQuery } from './audit.schema.ts';

export interface AuditRecord {
  action: AuditAction;
  entityType: AuditEntity;
  entityId: string | null;
  changes?: Record<string, unknown> | null;
}

/** Write an audit event in the caller's transaction: the change and its record stand or fall together. */
export async function recordAudit(trx: Trx, ctx: RequestContext, record: AuditRecord): Promise<void> {
  await insertAuditEvent(trx, {
    id: uuidv7(),
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    // An action a manager approved for someone who may not do it alone says who approved it.
    changes: ctx.approvedBy ? { ...(record.changes ?? {}), approvedBy: ctx.approvedBy.name } : (record.changes ?? null),
    requestId: ctx.requestId ?? null,
    ip: ctx.ip ?? null,
  });
}

function flatten(value: unknown, prefix: string, out: Record<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out[prefix] = value;
  }
}

/**
 * The fields that differ between two versions of a record, as `{field: {from, to}}`, nested objects
 * flattened to dotted paths (`physicalAddress.city`). `ignore` leaves out bookkeeping fields.
 */
export function diffFields(
  before: object | null,
  after: object | null,
  ignore: readonly string[] = [],
): Record<string, { from: unknown; to: unknown }> {
  const a: Record<string, unknown> = {};
  const b: Record<string, unknown> = {};
  flatten(before ?? {}, '', a);
  flatten(after ?? {}, '', b);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (ignore.some((name) => field === name || field.startsWith(`${name}.`))) continue;
    const from = a[field] ?? null;
    const to = b[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>[number];

export function toAuditEvent(row: Omit<AuditRow, 'position'>): AuditEvent {
  return {
    id: row.id,
    occurredAt: new Date(row.occurredAt).toISOString(),
    actor: { type: row.actorType, id: row.actorId, name: row.actorName },
    // Only recordAudit writes these columns, always with a known action and entity.
    action: row.action as AuditAction,
    entityType: row.entityType as AuditEntity,
    entityId: row.entityId,
    changes: row.changes,
    requestId: row.requestId,
    ip: row.ip,
  };
}

export class AuditService {
  constructor(private readonly database: Database) {}

  /** One record's history, for anyone who may see the record (not only audit-log readers). */
  history(
    ctx: RequestContext,
    entityType: AuditEntity,
    entityId: string,
    query: Pick<AuditQuery, 'limit' | 'cursor'>,
  ): Promise<{ items: AuditEvent[]; next: string | null }> {
    return this.list(ctx, { ...query, entityType, entityId });
  }

  async list(ctx: RequestContext, query: AuditQuery): Promise<{ items: AuditEvent[]; next: string | null }> {
    const filter: AuditFilter = {
      actorId: query.actorId,
      action: query.action,
      entityType: query.entityType,
      entityId: query.entityId,
      from: query.from,
      to: query.to,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    };
    const rows = await this.database.withMerchant(ctx.merchantId, (trx) => listAuditEvents(trx, filter));
    return pageOf(rows, query.limit, toAuditEvent);
  }
}

import { z } from 'zod';
import { timestamp, uuid } from '../../shared/fields.ts';

export const AUDIT_ACTIONS = [
  'merchant.created',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.note_added',
  'customer.balance_adjusted',
  'customer.loyalty_card_added',
  'customer.loyalty_card_deactivated',
  'customer_group.created',
  'customer_group.renamed',
  'customer_group.updated',
  'customer_group.deleted',
  'customer_group.customers_moved',
  'settings.updated',
  'staff.invited',
  'staff.updated',
  'staff.password_reset',
  'user.signed_in',
  'user.signed_out',
  'user.password_changed',
  'user.approval_given',
  'token.created',
  'token.revoked',
  'sale.cancelled',
  'sale.refunded',
  'sale.customer_changed',
  'sale.note_changed',
  'sale.emailed',
  'invoice.credit_limit_overridden',
  'invoice.settled',
  'invoice.voided',
  'invoice.emailed',
  'customer.credit_limit_changed',
  'customer.statement_emailed',
  'customer.imported',
  'report.export_started',
  'report.exported',
  'customer.export_started',
  'customer.exported',
  'customer.export_failed',
  'customer.export_downloaded',
  'customer.personal_data_exported',
  'customer.erased',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITIES = [
  'merchant',
  'customer',
  'customer_group',
  'settings',
  'user',
  'token',
  'sale',
  'invoice',
  'import',
  'report',
  'export',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export const fieldChangeSchema = z.object({ from: z.unknown(), to: z.unknown() });

export const auditEventSchema = z
  .object({
    id: z.string(),
    occurredAt: timestamp,
    actor: z.object({ type: z.enum(['user', 'token', 'system']), id: z.string().nullable(), name: z.string() }),
    action: z.enum(AUDIT_ACTIONS),
    entityType: z.enum(AUDIT_ENTITIES),
    entityId: z.string().nullable(),
    changes: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('For an update, `{field: {from, to}}`; otherwise what was done (e.g. filters and row counts)'),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditQuerySchema = z.object({
  actorId: uuid.optional().describe('Only what this user or token did'),
  action: z.enum(AUDIT_ACTIONS).optional(),
  entityType: z.enum(AUDIT_ENTITIES).optional(),
  entityId: uuid.optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('From this time on (inclusive)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Before this time (exclusive)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditPageSchema = z
  .object({ items: z.array(auditEventSchema), next: z.string().nullable() })
  .meta({ id: 'AuditEventPage' });

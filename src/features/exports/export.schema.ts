import { z } from 'zod';
import { timestamp } from '../../shared/fields.ts';
import { customerFilterSchema } from '../customers/customer.schema.ts';
import { type ColumnKey, CUSTOMER_COLUMNS, columnByKey } from '../imports/columns.ts';

/**
 * The fields of a customer export are the columns of the import catalogue (imports/columns.ts), under
 * the same headers, so that an exported file imports back unchanged. Here they are only put in groups,
 * for choosing them, and some are picked as the default.
 */
export const EXPORT_FIELD_GROUPS = [
  { id: 'record', label: 'Record', keys: ['id', 'code'] },
  {
    id: 'contact',
    label: 'Name and contact',
    keys: ['firstName', 'lastName', 'companyName', 'email', 'phone', 'mobile', 'website', 'twitter', 'dateOfBirth'],
  },
  {
    id: 'physicalAddress',
    label: 'Physical address',
    keys: CUSTOMER_COLUMNS.filter((c) => c.key.startsWith('physicalAddress.')).map((c) => c.key),
  },
  {
    id: 'postalAddress',
    label: 'Postal address',
    keys: CUSTOMER_COLUMNS.filter((c) => c.key.startsWith('postalAddress.')).map((c) => c.key),
  },
  { id: 'account', label: 'Group, note and tax', keys: ['group', 'note', 'taxExempt', 'salesTaxNumber'] },
  {
    id: 'marketing',
    label: 'Marketing and loyalty',
    keys: ['emailMarketing', 'smsMarketing', 'loyaltyOptIn', 'loyaltyPoints', 'storeCredit'],
  },
  {
    id: 'statistics',
    label: 'Statistics (export only)',
    keys: ['stats.totalSpent', 'stats.orderCount', 'stats.firstOrderAt', 'stats.lastOrderAt', 'createdAt'],
  },
] as const satisfies readonly { id: string; label: string; keys: readonly ColumnKey[] }[];

/** What a shop usually exports: who the customer is, how to reach them, their group, consent and value. */
export const DEFAULT_EXPORT_FIELDS: readonly ColumnKey[] = [
  'id',
  'code',
  'firstName',
  'lastName',
  'companyName',
  'email',
  'phone',
  'mobile',
  'group',
  'emailMarketing',
  'smsMarketing',
  'stats.totalSpent',
  'stats.orderCount',
  'stats.lastOrderAt',
];

/** Every field, in catalogue order: what an export without `fields` holds. */
export const ALL_EXPORT_FIELDS: readonly ColumnKey[] = CUSTOMER_COLUMNS.map((column) => column.key);

const KEYS = new Set<string>(ALL_EXPORT_FIELDS);

const fieldList = z
  .string()
  .max(2000)
  .transform((text, ctx) => {
    const keys = text
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean);
    const unknown = keys.filter((key) => !KEYS.has(key));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}: see GET /api/v1/customers/export/fields`,
      });
      return z.NEVER;
    }
    const repeated = keys.filter((key, index) => keys.indexOf(key) !== index);
    if (repeated.length > 0) {
      ctx.addIssue({ code: 'custom', message: `Named more than once: ${[...new Set(repeated)].join(', ')}` });
      return z.NEVER;
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Name at least one field' });
      return z.NEVER;
    }
    return keys as ColumnKey[];
  })
  .optional()
  .describe(
    'The columns, comma-separated, in the order wanted (keys of GET /api/v1/customers/export/fields, e.g. `id,firstName,email,stats.totalSpent`). Default: every column.',
  );

/** Which customers (the list's search and filters) and which columns. */
export const customerExportQuerySchema = customerFilterSchema.safeExtend({ fields: fieldList });
export type CustomerExportQuery = z.infer<typeof customerExportQuerySchema>;

export const exportFieldSchema = z
  .object({
    key: z.string().describe('What `fields` names it by'),
    header: z.string().describe('The column header in the file (the one an import recognises)'),
    meaning: z.string(),
    format: z.string(),
    importable: z.boolean().describe('False for statistics: exported, never imported'),
    default: z.boolean().describe('In the default choice of the export form'),
  })
  .meta({ id: 'ExportField' });

export const exportFieldsSchema = z
  .object({
    groups: z.array(
      z
        .object({ id: z.string(), label: z.string(), fields: z.array(exportFieldSchema) })
        .meta({ id: 'ExportFieldGroup' }),
    ),
  })
  .meta({ id: 'ExportFields' });
export type ExportFields = z.infer<typeof exportFieldsSchema>;

/** The field catalogue as the export form shows it. */
export function exportFields(): ExportFields {
  const defaults = new Set(DEFAULT_EXPORT_FIELDS);
  return {
    groups: EXPORT_FIELD_GROUPS.map((group) => ({
      id: group.id,
      label: group.label,
      fields: group.keys.map((key) => {
        const column = columnByKey(key);
        return {
          key,
          header: column.header,
          meaning: column.meaning,
          format: column.format,
          importable: column.importable,
          default: defaults.has(key),
        };
      }),
    })),
  };
}

export const EXPORT_STATUSES = ['finished', 'failed', 'running'] as const;

export const exportLogEntrySchema = z
  .object({
    id: z.string().describe('The export'),
    startedAt: timestamp,
    finishedAt: timestamp.nullable(),
    actor: z.object({ type: z.enum(['user', 'token', 'system']), id: z.string().nullable(), name: z.string() }),
    status: z
      .enum(EXPORT_STATUSES)
      .describe(
        '`finished`: every row went out; `failed`: stopped part-way (the download was cancelled or broke); `running`: no end recorded yet (still running, or the server stopped)',
      ),
    q: z.string().nullable().describe('The search, if any'),
    filter: z.record(z.string(), z.unknown()).describe('The filters of the customer list, as the API takes them'),
    fields: z.array(z.string()).describe('The columns, by key'),
    rows: z.number().int().nullable().describe('Customers written; null until finished'),
  })
  .meta({ id: 'ExportLogEntry' });
export type ExportLogEntry = z.infer<typeof exportLogEntrySchema>;

export const exportLogQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ExportLogQuery = z.infer<typeof exportLogQuerySchema>;

export const exportLogPageSchema = z
  .object({ items: z.array(exportLogEntrySchema), next: z.string().nullable() })
  .meta({ id: 'ExportLogPage' });

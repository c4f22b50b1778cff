import { z } from 'zod';
import { EXPORT_FILE_DAYS } from '../../shared/export-files.ts';
import { timestamp, uuid } from '../../shared/fields.ts';
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

export { EXPORT_FILE_DAYS };

const yesNo = (what: string) => z.boolean().optional().describe(what);

/**
 * A background export, as a JSON body: the search, filters and fields of GET /api/v1/customers/export, with
 * yes/no filters as booleans and the fields as a list. Read into the same query the streaming export takes.
 */
export const exportJobRequestSchema = z
  .strictObject({
    ...customerFilterSchema.shape,
    emailMarketing: yesNo('Agreed (or not) to email marketing'),
    hasEmail: yesNo('Has an email address (or not)'),
    hasPhone: yesNo('Has a phone or mobile number (or not)'),
    hasBalance: yesNo('Has loyalty points, store credit or an account balance (or not)'),
    fields: z
      .array(z.enum(ALL_EXPORT_FIELDS as [ColumnKey, ...ColumnKey[]]))
      .max(ALL_EXPORT_FIELDS.length)
      .optional()
      .describe(
        'The columns, in the order wanted (keys of GET /api/v1/customers/export/fields). Default: every column.',
      ),
  })
  .meta({ id: 'ExportJobRequest' })
  .transform(({ fields, emailMarketing, hasEmail, hasPhone, hasBalance, ...rest }, ctx): CustomerExportQuery => {
    // As the streaming export's query text: then the same checks (date and amount ranges, fields) apply.
    const flags = Object.entries({ emailMarketing, hasEmail, hasPhone, hasBalance }).filter(([, v]) => v !== undefined);
    const query = customerExportQuerySchema.safeParse({
      ...rest,
      ...Object.fromEntries(flags.map(([name, value]) => [name, String(value)])),
      ...(fields ? { fields: fields.join(',') } : {}),
    });
    if (query.success) return query.data;
    for (const issue of query.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  });

export const EXPORT_JOB_STATUSES = ['running', 'done', 'failed', 'cancelled'] as const;

const actorSchema = z.object({
  type: z.enum(['user', 'token', 'system']),
  id: z.string().nullable(),
  name: z.string(),
});

export const exportJobSchema = z
  .object({
    id: z.string().describe('The job; also the export’s id in the export log and the audit log'),
    status: z
      .enum(EXPORT_JOB_STATUSES)
      .describe(
        '`running` (also while queued, and again from the start when a stopped server left it) → `done`; or `failed` / `cancelled`',
      ),
    cancelRequested: z.boolean().describe('Cancel was asked for: the job stops at its next step'),
    q: z.string().nullable().describe('The search, if any'),
    filter: z.record(z.string(), z.unknown()).describe('The filters of the customer list, as the API takes them'),
    fields: z.array(z.string()).describe('The columns, by key'),
    progress: z.object({
      rowsDone: z.number().int().describe('Customers written to the file so far (updated about every second)'),
      rowsTotal: z.number().int().nullable().describe('How many customers match: counted when the job starts'),
      rowsPerSecond: z.number().nullable(),
      secondsLeft: z.number().nullable(),
    }),
    file: z
      .object({
        name: z.string().describe('The file name the download suggests'),
        bytes: z.number().int(),
        expiresAt: timestamp.describe(`When the file is deleted: ${EXPORT_FILE_DAYS} days after the export finished`),
        url: z.string().describe('Where it downloads (GET, text/csv)'),
      })
      .nullable()
      .describe('The CSV, once the export is done and until it expires; null before and after'),
    error: z.string().nullable(),
    createdBy: actorSchema,
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: 'ExportJob' });
export type ExportJob = z.infer<typeof exportJobSchema>;

export const exportJobListSchema = z.object({ items: z.array(exportJobSchema) }).meta({ id: 'ExportJobList' });

export const exportJobParams = z.object({ id: uuid });

export const EXPORT_STATUSES = ['finished', 'failed', 'running'] as const;

export const exportLogEntrySchema = z
  .object({
    id: z.string().describe('The export'),
    startedAt: timestamp,
    finishedAt: timestamp.nullable(),
    actor: actorSchema,
    status: z
      .enum(EXPORT_STATUSES)
      .describe(
        '`finished`: every row went out; `failed`: stopped part-way (the download was cancelled or broke); `running`: no end recorded yet (still running, or the server stopped)',
      ),
    q: z.string().nullable().describe('The search, if any'),
    filter: z.record(z.string(), z.unknown()).describe('The filters of the customer list, as the API takes them'),
    fields: z.array(z.string()).describe('The columns, by key'),
    rows: z.number().int().nullable().describe('Customers written; null until finished'),
    job: exportJobSchema
      .nullable()
      .describe('An export run in the background (POST /api/v1/exports): its job, with its state and file'),
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

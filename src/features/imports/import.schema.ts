import { z } from 'zod';
import { timestamp, uuid } from '../../shared/fields.ts';
import { CUSTOMER_COLUMNS } from './columns.ts';

const IMPORT_TARGETS = [
  ...CUSTOMER_COLUMNS.filter((c) => c.importable).map((c): string => c.key),
  'fullName',
] as unknown as [string, ...string[]];

export const importOptionsSchema = z
  .strictObject({
    dateOrder: z
      .enum(['day-first', 'month-first'])
      .default('day-first')
      .describe('How dates like 03/04/2025 are written in the file (ISO dates are read either way)'),
    mapping: z
      .record(
        z.string().regex(/^\d+$/, { error: 'Must be a column number from 0' }),
        z.enum([...IMPORT_TARGETS, 'ignore']),
      )
      .optional()
      .describe(
        'By column number (from 0): the field it fills, or `ignore`. Columns left out keep what their header says.',
      ),
  })
  .meta({ id: 'ImportOptions' });
export type ImportOptionsInput = z.input<typeof importOptionsSchema>;

const problemSchema = z.object({ column: z.string().nullable(), reason: z.string() });

export const importColumnSchema = z.object({
  index: z.number().int(),
  header: z.string(),
  status: z.enum(['mapped', 'ignored', 'unknown']),
  key: z.string().optional().describe('The field a mapped column fills'),
  fallback: z.boolean().optional(),
  reason: z.string().optional().describe('Why an ignored column is not imported'),
});

export const importJobSchema = z
  .object({
    id: z.string(),
    kind: z
      .enum(['import', 'modify', 'delete'])
      .describe('`import`: new customers; `modify`: change customers matched by record id, code or email; `delete`'),
    status: z
      .enum(['validating', 'validated', 'committing', 'done', 'failed', 'cancelled'])
      .describe('`validating` (the dry run) → `validated` → `committing` → `done`; or `failed` / `cancelled`'),
    fileName: z.string().nullable(),
    fileSize: z.number().int().nullable(),
    options: z.object({
      dateOrder: z.string(),
      mapping: z.record(z.string(), z.string()).optional(),
      mode: z.string().optional(),
    }),
    file: z
      .object({
        encoding: z.string(),
        delimiter: z.string(),
        layout: z.string(),
        layoutName: z.string(),
        headers: z.array(z.string()),
        columns: z.array(importColumnSchema),
        problems: z.array(z.string()),
      })
      .nullable()
      .describe('What the file turned out to be: set once its header is read'),
    progress: z.object({
      rowsDone: z.number().int(),
      rowsTotal: z.number().int().nullable().describe('Estimated from the file size while the file is read'),
      rowsPerSecond: z.number().nullable(),
      secondsLeft: z.number().nullable(),
    }),
    counts: z
      .object({
        create: z.number().int(),
        update: z.number().int(),
        delete: z.number().int(),
        skip: z.number().int(),
        reject: z.number().int(),
        newGroups: z.array(z.string()).describe('Groups the import will create'),
      })
      .nullable()
      .describe('The dry run: rows that will be created, skipped (already customers) and rejected'),
    firstProblems: z.array(
      z.object({ line: z.number().int(), action: z.enum(['skip', 'reject']), problems: z.array(problemSchema) }),
    ),
    result: z
      .object({
        created: z.number().int(),
        groups: z.number().int(),
        updated: z.number().int(),
        deleted: z.number().int(),
      })
      .nullable(),
    error: z.string().nullable(),
    createdBy: z.string(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    filesKeptUntil: timestamp
      .nullable()
      .describe(
        'When the uploaded file, the rows to fix and the checked rows are deleted (they hold every customer of the file): 30 days after the import ended, or after a dry run nobody committed; null while it runs and once they are gone',
      ),
    filesDeletedAt: timestamp
      .nullable()
      .describe('When they were deleted; the import stays, with its counts, in the list of recent imports'),
  })
  .meta({ id: 'ImportJob' });
export type ImportJob = z.infer<typeof importJobSchema>;

export const importJobListSchema = z.object({ items: z.array(importJobSchema) }).meta({ id: 'ImportJobList' });

export const importParams = z.object({ id: uuid });

export const importCommitSchema = z
  .strictObject({
    mode: z
      .enum(['all', 'valid'])
      .describe(
        '`all`: every row or nothing, in one transaction (refused while any row is rejected); `valid`: the valid rows only, written in batches of lines two at a time (progress in customers written; it can be stopped, keeping what was written; a restart carries on where it was)',
      ),
  })
  .meta({ id: 'ImportCommit' });

export const importRowsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0).describe('Rows after this line'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const importRowPageSchema = z
  .object({
    items: z.array(
      z.object({
        line: z.number().int(),
        action: z.enum(['skip', 'reject']),
        problems: z.array(problemSchema),
        raw: z.array(z.string()),
      }),
    ),
    next: z.number().int().nullable().describe('`after` for the next page'),
  })
  .meta({ id: 'ImportRowPage' });

export const importChangePageSchema = z
  .object({
    items: z.array(
      z.object({
        line: z.number().int(),
        action: z.enum(['update', 'delete']),
        customer: z.object({ id: z.string(), name: z.string() }),
        changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
      }),
    ),
    next: z.number().int().nullable(),
  })
  .meta({ id: 'ImportChangePage' });

export const columnDocSchema = z
  .object({
    items: z.array(
      z.object({
        key: z.string(),
        header: z.string(),
        meaning: z.string(),
        format: z.string(),
        required: z.string(),
        allowedValues: z.array(z.string()).optional(),
        example: z.string(),
        importable: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'ImportColumns' });

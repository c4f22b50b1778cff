import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { neutralise } from '../../platform/http/csv.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Queue } from '../../platform/jobs/queue.ts';
import { IMPORT_FILE_DAYS } from '../../shared/export-files.ts';
import { buildTemplateCsv, CUSTOMER_COLUMNS, type CustomerColumn } from './columns.ts';
import { BULK_TASK, type BulkKind, ERROR_HEADERS, type ImportOptions, problemText } from './import.jobs.ts';
import {
  changeRows,
  FileTooLarge,
  findJob,
  insertJob,
  type JobRow,
  listJobs,
  problemRows,
  readJobFile,
  setJobOptions as setOptions,
  updateJob,
  writeJobFile,
} from './import.repository.ts';
import type { ImportJob, ImportOptionsInput } from './import.schema.ts';
import type { RowProblem } from './import-row.ts';

const BULK_KINDS: string[] = ['import', 'modify', 'delete'];

/** The largest file an import takes: a million customers with every column is about 300 MB. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

type Counts = NonNullable<ImportJob['counts']>;

export function toImportJob(row: JobRow): ImportJob {
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  const summary = (row.summary ?? {}) as {
    counts?: Counts;
    firstProblems?: ImportJob['firstProblems'];
    result?: ImportJob['result'];
  };
  const running = row.status === 'validating' || row.status === 'committing';
  const seconds = row.startedAt ? (Date.now() - new Date(row.startedAt).getTime()) / 1000 : 0;
  const rate = running && seconds > 0.5 && row.rowsDone > 0 ? row.rowsDone / seconds : null;
  const options = row.options as unknown as ImportOptions;
  // A check counts rows read; a commit of the valid rows counts customers written (batch by batch).
  const counted = row.status === 'validating' || (row.kind === 'import' && options.mode === 'valid');
  const left = rate && row.rowsTotal && counted && running ? Math.max(0, (row.rowsTotal - row.rowsDone) / rate) : null;
  return {
    id: row.id,
    kind: row.kind as ImportJob['kind'],
    status: row.status,
    fileName: row.fileName,
    fileSize: row.fileSize === null ? null : Number(row.fileSize),
    options: {
      dateOrder: options.dateOrder ?? 'day-first',
      ...(options.mapping ? { mapping: options.mapping } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.matchBy ? { matchBy: options.matchBy } : {}),
      ...(options.clearEmpty !== undefined ? { clearEmpty: options.clearEmpty } : {}),
    },
    file: (row.fileInfo as ImportJob['file']) ?? null,
    progress: {
      rowsDone: row.rowsDone,
      rowsTotal: row.rowsTotal,
      rowsPerSecond: rate === null ? null : Math.round(rate),
      secondsLeft: left === null ? null : Math.round(left),
    },
    counts: summary.counts ?? null,
    firstProblems: summary.firstProblems ?? [],
    result: summary.result ?? null,
    error: row.error,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    filesKeptUntil: row.filesDeletedAt ? null : filesKeptUntil(row),
    filesDeletedAt: iso(row.filesDeletedAt),
  };
}

/** When the hourly purge will take the job's files: IMPORT_FILE_DAYS after it ended, or after a dry run was left. */
function filesKeptUntil(row: JobRow): string | null {
  const from =
    row.status === 'validated'
      ? row.updatedAt
      : ['done', 'failed', 'cancelled'].includes(row.status)
        ? row.finishedAt
        : null;
  return from ? new Date(new Date(from).getTime() + IMPORT_FILE_DAYS * 24 * 60 * 60 * 1000).toISOString() : null;
}

/** An import whose file and rows are still kept: after IMPORT_FILE_DAYS they are gone, and so is what reads them. */
function withFiles(job: JobRow | undefined): JobRow {
  if (!job || !BULK_KINDS.includes(job.kind)) throw AppError.notFound('Import');
  if (job.filesDeletedAt) {
    throw new AppError(
      'conflict',
      `The file and the rows of this import were deleted on ${new Date(job.filesDeletedAt).toISOString().slice(0, 10)}, ${IMPORT_FILE_DAYS} days after it ended: upload the file again`,
    );
  }
  return job;
}

/**
 * Imports of customers from CSV: the upload is stored and checked as a background job (the dry run),
 * then committed (all of it or the valid rows) as another, with progress the UI follows; the rows that
 * cannot be imported come back as an error file to fix and upload again.
 */
export class ImportService {
  constructor(
    private readonly database: Database,
    private readonly queue: () => Queue | undefined,
  ) {}

  private async enqueue(ctx: RequestContext, jobId: string): Promise<void> {
    // Without a queue in this process (a tool run), the sweep of a running Patron picks the job up.
    await this.queue()?.add(BULK_TASK, { merchantId: ctx.merchantId, jobId }, { jobKey: `bulk:${jobId}` });
  }

  /** Store an uploaded file and start its dry run. */
  async start(
    ctx: RequestContext,
    file: AsyncIterable<Uint8Array>,
    fileName: string | null,
    options: Required<Pick<ImportOptionsInput, 'dateOrder'>> &
      Pick<ImportOptionsInput, 'mapping'> & {
        kind: BulkKind;
        matchBy?: 'id' | 'code' | 'email' | undefined;
        clearEmpty?: boolean | undefined;
      },
  ): Promise<ImportJob> {
    if (options.kind === 'delete' && !ctx.permissions.has('customers:delete')) {
      throw new AppError('forbidden', 'Deleting customers needs the permission to delete customers', {
        fields: [
          { field: 'kind', in: 'query', code: 'forbidden', message: 'Needs the permission to delete customers' },
        ],
      });
    }
    const { kind, ...jobOptions } = options;
    const id = uuidv7();
    await this.database.withMerchant(ctx.merchantId, (trx) =>
      insertJob(trx, {
        id,
        kind,
        fileName,
        options: jobOptions,
        createdBy: ctx.actor.name,
        createdById: ctx.actor.type === 'user' ? ctx.actor.id : null,
      }),
    );
    try {
      const size = await writeJobFile(
        (work) => this.database.withMerchant(ctx.merchantId, work),
        id,
        'upload',
        file,
        MAX_IMPORT_BYTES,
      );
      await this.database.withMerchant(ctx.merchantId, (trx) => updateJob(trx, id, { fileSize: size }));
    } catch (error) {
      const message = error instanceof FileTooLarge ? error.message : 'The upload was interrupted';
      await this.database.withMerchant(ctx.merchantId, (trx) =>
        updateJob(trx, id, { status: 'failed', error: message, finished: true }),
      );
      if (error instanceof FileTooLarge) {
        throw new AppError('payload_too_large', `${message}: split it into smaller files`);
      }
      throw error;
    }
    await this.enqueue(ctx, id);
    return this.get(ctx, id);
  }

  async get(ctx: RequestContext, id: string): Promise<ImportJob> {
    const row = await this.database.withMerchant(ctx.merchantId, (trx) => findJob(trx, id));
    if (!row || !BULK_KINDS.includes(row.kind)) throw AppError.notFound('Import');
    return toImportJob(row);
  }

  async list(ctx: RequestContext): Promise<ImportJob[]> {
    const rows = await this.database.withMerchant(ctx.merchantId, (trx) => listJobs(trx, 50));
    return rows.filter((row) => BULK_KINDS.includes(row.kind)).map(toImportJob);
  }

  /** Check the stored file again with other choices (a column mapped by hand, the other date order). */
  async recheck(ctx: RequestContext, id: string, options: ImportOptions): Promise<ImportJob> {
    await this.database.withMerchant(ctx.merchantId, async (trx) => {
      const job = withFiles(await findJob(trx, id, { forUpdate: true }));
      if (!['validated', 'failed', 'cancelled'].includes(job.status)) {
        throw new AppError(
          'conflict',
          job.status === 'done' || job.status === 'committing'
            ? 'This import has been committed'
            : 'The file is still being checked: change the choices once the check has ended',
        );
      }
      await updateJob(trx, id, {
        status: 'validating',
        summary: {},
        error: null,
        rowsDone: 0,
        rowsTotal: null,
        cancelRequested: false,
      });
      await setOptions(trx, id, options);
    });
    await this.enqueue(ctx, id);
    return this.get(ctx, id);
  }

  /** Write the checked customers: every row or none (`all`), or the valid rows only. */
  async commit(ctx: RequestContext, id: string, mode: 'all' | 'valid'): Promise<ImportJob> {
    await this.database.withMerchant(ctx.merchantId, async (trx) => {
      const job = await findJob(trx, id, { forUpdate: true });
      if (!job || !BULK_KINDS.includes(job.kind)) throw AppError.notFound('Import');
      if (job.status !== 'validated') {
        throw new AppError(
          'conflict',
          job.status === 'validating'
            ? 'The file is still being checked: commit once the dry run is done'
            : `This import is ${job.status}: only a checked import can be committed`,
        );
      }
      const counts = (job.summary as { counts?: Counts } | null)?.counts;
      if (mode === 'all' && counts && counts.reject > 0) {
        throw new AppError(
          'validation_failed',
          `${counts.reject} rows are rejected: fix them and upload again, or import the valid rows only`,
          {
            fields: [
              { field: 'mode', code: 'rows_rejected', message: `${counts.reject} rows are rejected: choose "valid"` },
            ],
          },
        );
      }
      if (counts && counts.create + counts.update + counts.delete === 0) {
        throw new AppError('conflict', 'No row of this file can be imported: there is nothing to commit');
      }
      await setOptions(trx, id, { ...(job.options as unknown as ImportOptions), mode });
      await updateJob(trx, id, { status: 'committing', rowsDone: 0, error: null });
    });
    await this.enqueue(ctx, id);
    return this.get(ctx, id);
  }

  /** Stop a check (what it staged is dropped); a checked import is set aside; a valid-rows commit stops between batches. */
  async cancel(ctx: RequestContext, id: string): Promise<ImportJob> {
    await this.database.withMerchant(ctx.merchantId, async (trx) => {
      const job = await findJob(trx, id, { forUpdate: true });
      if (!job || !BULK_KINDS.includes(job.kind)) throw AppError.notFound('Import');
      if (job.status === 'validating') await updateJob(trx, id, { cancelRequested: true });
      else if (job.status === 'validated') await updateJob(trx, id, { status: 'cancelled', finished: true });
      else if (
        job.status === 'committing' &&
        job.kind === 'import' &&
        (job.options as unknown as ImportOptions).mode === 'valid'
      ) {
        // Written batch by batch: it stops after the batches being written; what was written stays.
        await updateJob(trx, id, { cancelRequested: true });
      } else if (job.status === 'committing') {
        throw new AppError('conflict', 'The import is being written in one transaction: it cannot be stopped half way');
      } else throw new AppError('conflict', `This import is already ${job.status}`);
    });
    return this.get(ctx, id);
  }

  /** Rows that will not be (or were not) imported, with why: a page at a time. */
  async problems(ctx: RequestContext, id: string, query: { after: number; limit: number }) {
    const rows = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      withFiles(await findJob(trx, id));
      return problemRows(trx, id, { limit: query.limit + 1, after: query.after });
    });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => ({ ...row, problems: row.problems ?? [] })),
      next: rows.length > query.limit ? (page.at(-1)?.line ?? null) : null,
    };
  }

  /** What a modify or delete will do (or did), customer by customer, with the changes field by field. */
  async changes(ctx: RequestContext, id: string, query: { after: number; limit: number }) {
    const rows = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      withFiles(await findJob(trx, id));
      return changeRows(trx, id, { limit: query.limit + 1, after: query.after });
    });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => ({
        line: row.line,
        action: row.action as 'update' | 'delete',
        customer: { id: row.targetId, name: row.name },
        changes: row.changes ?? {},
      })),
      next: rows.length > query.limit ? (page.at(-1)?.line ?? null) : null,
    };
  }

  /**
   * Every row that was not imported, as it was, with its line, the column and the reason: a CSV to fix
   * and upload again (the three error columns are ignored when it comes back).
   */
  /** The file as it was uploaded, byte for byte: kept with the job for as long as the job is. */
  async uploadedFile(ctx: RequestContext, id: string): Promise<{ fileName: string; stream: Readable }> {
    const job = withFiles(await this.database.withMerchant(ctx.merchantId, (trx) => findJob(trx, id)));
    const stream = Readable.from(readJobFile((work) => this.database.withMerchant(ctx.merchantId, work), id, 'upload'));
    return { fileName: job.fileName ?? 'import.csv', stream };
  }

  async errorFile(ctx: RequestContext, id: string): Promise<{ fileName: string; stream: Readable }> {
    const job = withFiles(await this.database.withMerchant(ctx.merchantId, (trx) => findJob(trx, id)));
    const headers = ((job.fileInfo as { headers?: string[] } | null)?.headers ?? []).map(String);
    const database = this.database;
    async function* records() {
      yield [...headers, ...ERROR_HEADERS];
      for (let after = 0; ; ) {
        const rows = await database.withMerchant(ctx.merchantId, (trx) => problemRows(trx, id, { limit: 2000, after }));
        for (const row of rows) {
          const cells = headers.map((_, i) => row.raw[i] ?? '');
          const problems = (row.problems ?? []) as RowProblem[];
          yield [
            ...cells,
            String(row.line),
            [...new Set(problems.map((p) => p.column).filter(Boolean))].join(', '),
            problemText(problems),
          ];
        }
        const last = rows.at(-1);
        if (!last || rows.length < 2000) return;
        after = last.line;
      }
    }
    const stream = Readable.from(records()).pipe(
      stringify({ bom: true, cast: { string: (value) => neutralise(value) } }),
    );
    const base = (job.fileName ?? 'import').replace(/\.csv$/i, '');
    return { fileName: `${base} - rows to fix.csv`, stream };
  }

  /** The import template: every importable column and an example row. */
  template(): string {
    return buildTemplateCsv();
  }

  columns() {
    return {
      items: CUSTOMER_COLUMNS.map((column: CustomerColumn) => ({
        key: column.key,
        header: column.header,
        meaning: column.meaning,
        format: column.format,
        required: column.required,
        ...(column.allowedValues ? { allowedValues: [...column.allowedValues] } : {}),
        example: column.example,
        importable: column.importable,
      })),
    };
  }
}

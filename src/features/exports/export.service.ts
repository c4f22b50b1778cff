import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { v7 as uuidv7 } from 'uuid';
import type { Actor, RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { Gate } from '../../platform/gate.ts';
import { decodeCursor, pageOf } from '../../platform/http/cursor.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Queue } from '../../platform/jobs/queue.ts';
import { dayIn } from '../../shared/dates.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { CustomerFilter } from '../customers/customer.schema.ts';
import { listedCustomers } from '../customers/customer.service.ts';
import type { ColumnKey } from '../imports/columns.ts';
import { BULK_TASK } from '../imports/import.jobs.ts';
import { updateJob } from '../imports/import.repository.ts';
import { businessTimeZone } from '../settings/settings.service.ts';
import {
  allowLongStatements,
  copyExport,
  EXPORT_FAILED,
  EXPORT_FINISHED,
  type ExportJobRow,
  type ExportSelection,
  exportHeaders,
  exportQuery,
  findExportEnds,
  findExportJobs,
  insertExportJob,
  listExportStarts,
  readExportChunk,
} from './export.repository.ts';
import {
  ALL_EXPORT_FIELDS,
  type CustomerExportQuery,
  EXPORT_FILE_DAYS,
  type ExportFields,
  type ExportJob,
  type ExportLogEntry,
  type ExportLogQuery,
  exportFields,
} from './export.schema.ts';

/**
 * How the rows become CSV: `copy`, PostgreSQL writes them (`COPY … TO STDOUT`, several times faster);
 * `cursor`, Node quotes rows read through a cursor. Both give the same bytes; the cursor is there to
 * measure against (`PATRON_EXPORT_VIA=cursor`) and for a server that cannot COPY.
 */
export type ExportPath = 'copy' | 'cursor';

export interface ExportOptions {
  /**
   * Called once, just before the first byte is written: whatever fails before it (too many exports
   * at once, a search that times out) can still be answered as an error rather than a broken file.
   */
  onStart?: () => void;
  via?: ExportPath;
}

export interface ExportResult {
  exportId: string;
  rows: number;
}

/** The start of every export: a byte-order mark (spreadsheets then read UTF-8) and the header row. */
export function csvPreamble(fields: readonly ColumnKey[]): string {
  return `\uFEFF${stringifySync([exportHeaders(fields)])}`;
}

/**
 * A cell as COPY's CSV writes it: quoted when it holds a comma, a quote or a line break, or when it is
 * `\.` alone on its line (COPY's end-of-data mark); empty for none.
 */
function csvCell(value: string | null, alone: boolean): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) || (alone && value === '\\.') ? `"${value.replaceAll('"', '""')}"` : value;
}

function pathFromEnvironment(): ExportPath {
  return process.env.PATRON_EXPORT_VIA === 'cursor' ? 'cursor' : 'copy';
}

/** What an export is of, as the audit log, the export log and a job's options keep it. */
export interface ExportDescription {
  q?: string;
  filter: Record<string, unknown>;
  fields: ColumnKey[];
}

/** A query split into the customers it asks for (the list's search and filters) and its fields. */
function describeExport(query: CustomerExportQuery): ExportDescription {
  const { fields: chosen, q, ...filter } = query;
  return {
    ...(q ? { q } : {}),
    filter: Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined)),
    fields: [...(chosen ?? ALL_EXPORT_FIELDS)],
  };
}

/** The customer list's query of an export, back from its description. */
export function listQueryOf(description: ExportDescription): CustomerFilter {
  return { ...(description.filter as CustomerFilter), ...(description.q ? { q: description.q } : {}) };
}

/** What a background export keeps in its job's options: what it is of, and who asked for it. */
export interface ExportJobOptions extends ExportDescription {
  actor: Actor;
}

/**
 * The name a downloaded export suggests, after the business's day it was made: customers-2026-03-01.csv. A
 * background export keeps the name it was given when it finished (in its summary).
 */
export function exportFileName(at: Date, timeZone: string): string {
  return `customers-${dayIn(timeZone, at)}.csv`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function toExportJob(row: ExportJobRow): ExportJob {
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  const options = row.options as unknown as ExportJobOptions;
  const summary = (row.summary ?? {}) as { bytes?: number; fileName?: string };
  const status =
    row.status === 'done' || row.status === 'failed' || row.status === 'cancelled' ? row.status : 'running';
  const seconds = row.startedAt ? (Date.now() - new Date(row.startedAt).getTime()) / 1000 : 0;
  const rate = status === 'running' && seconds > 0.5 && row.rowsDone > 0 ? row.rowsDone / seconds : null;
  const left = rate && row.rowsTotal !== null ? Math.max(0, (row.rowsTotal - row.rowsDone) / rate) : null;
  const expiresAt = row.finishedAt ? new Date(new Date(row.finishedAt).getTime() + EXPORT_FILE_DAYS * DAY_MS) : null;
  const kept = status === 'done' && expiresAt !== null && expiresAt.getTime() > Date.now();
  return {
    id: row.id,
    status,
    cancelRequested: row.cancelRequested,
    q: options.q ?? null,
    filter: options.filter ?? {},
    fields: options.fields ?? [],
    progress: {
      rowsDone: row.rowsDone,
      rowsTotal: row.rowsTotal,
      rowsPerSecond: rate === null ? null : Math.round(rate),
      secondsLeft: left === null ? null : Math.round(left),
    },
    file:
      kept && expiresAt && row.finishedAt
        ? {
            // Jobs that finished before the name was kept were named on the UTC day.
            name: summary.fileName ?? exportFileName(new Date(row.finishedAt), 'UTC'),
            bytes: summary.bytes ?? 0,
            expiresAt: expiresAt.toISOString(),
            url: `/api/v1/exports/jobs/${row.id}/file`,
          }
        : null,
    error: row.error,
    createdBy: options.actor ?? { type: 'system', id: null, name: row.createdBy },
    createdAt: new Date(row.createdAt).toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

type StartEvent = Awaited<ReturnType<typeof listExportStarts>>[number];
type EndEvent = Awaited<ReturnType<typeof findExportEnds>>[number];

function toLogEntry(start: StartEvent, end: EndEvent | undefined, job: ExportJobRow | undefined): ExportLogEntry {
  const started = (start.changes ?? {}) as { q?: unknown; filter?: unknown; fields?: unknown };
  const ended = (end?.changes ?? {}) as { rows?: unknown };
  return {
    id: start.entityId as string,
    startedAt: new Date(start.occurredAt).toISOString(),
    finishedAt: end ? new Date(end.occurredAt).toISOString() : null,
    actor: { type: start.actorType, id: start.actorId, name: start.actorName },
    status: !end ? 'running' : end.action === EXPORT_FINISHED ? 'finished' : 'failed',
    q: typeof started.q === 'string' ? started.q : null,
    filter: started.filter && typeof started.filter === 'object' ? (started.filter as Record<string, unknown>) : {},
    fields: Array.isArray(started.fields) ? started.fields.map(String) : [],
    rows: end?.action === EXPORT_FINISHED && typeof ended.rows === 'number' ? ended.rows : null,
    job: job ? toExportJob(job) : null,
  };
}

export class ExportService {
  /** Each export holds a database connection while it streams: at most two at once per process. */
  private readonly running = new Gate(2);

  private readonly via: ExportPath;
  private readonly queue: () => Queue | undefined;

  constructor(
    private readonly database: Database,
    options: { via?: ExportPath; queue?: () => Queue | undefined } = {},
  ) {
    this.via = options.via ?? pathFromEnvironment();
    this.queue = options.queue ?? (() => undefined);
  }

  fields(): ExportFields {
    return exportFields();
  }

  /**
   * Stream the customers the list shows for this search and filters into `out` as CSV (UTF-8 with a
   * byte-order mark, the catalogue's headers, formula-looking cells neutralised), in constant memory,
   * and end it (or destroy it, when the export fails part-way). The export is in the audit log before the first row leaves (who, search, filters,
   * fields), so a download cut short is recorded too; a second event gives the rows once all went
   * out, or says that it stopped.
   */
  async exportCustomers(
    ctx: RequestContext,
    query: CustomerExportQuery,
    out: Writable,
    options: ExportOptions = {},
  ): Promise<ExportResult> {
    const described = describeExport(query);
    const { fields } = described;
    const exportId = uuidv7();
    return this.running.run(async () => {
      const found = await this.database.withMerchant(ctx.merchantId, async (trx) => {
        await recordAudit(trx, ctx, {
          action: 'customer.export_started',
          entityType: 'export',
          entityId: exportId,
          changes: { ...described },
        });
        return listedCustomers(trx, listQueryOf(described));
      });
      const selection: ExportSelection = { ...found, fields };
      options.onStart?.();
      out.write(csvPreamble(fields));
      let rows: number;
      try {
        rows =
          (options.via ?? this.via) === 'copy'
            ? await this.copy(ctx, selection, out)
            : await this.cursor(ctx, selection, out);
      } catch (error) {
        if (!out.destroyed) out.destroy(error as Error);
        const cancelled = (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE';
        await this.database
          .withMerchant(ctx.merchantId, (trx) =>
            recordAudit(trx, ctx, {
              action: EXPORT_FAILED,
              entityType: 'export',
              entityId: exportId,
              changes: { reason: cancelled ? 'The download was cancelled' : 'An error stopped it' },
            }),
          )
          .catch(() => {});
        throw error;
      }
      await this.database.withMerchant(ctx.merchantId, (trx) =>
        recordAudit(trx, ctx, {
          action: EXPORT_FINISHED,
          entityType: 'export',
          entityId: exportId,
          changes: { ...described, rows },
        }),
      );
      // The file ends once its export is on record: a download that completed is in the log.
      await new Promise<void>((resolve) => out.end(resolve));
      return { exportId, rows };
    });
  }

  /** PostgreSQL writes the CSV; Node only passes the bytes on. */
  private copy(ctx: RequestContext, selection: ExportSelection, out: Writable): Promise<number> {
    return copyExport(this.database, ctx.merchantId, selection, out);
  }

  /** Rows through a cursor, quoted into CSV in Node: the same text, CSV made here. */
  private cursor(ctx: RequestContext, selection: ExportSelection, out: Writable): Promise<number> {
    const names = selection.fields.map((_, index) => `c${index}`);
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      await allowLongStatements(trx);
      let rows = 0;
      async function* lines() {
        for await (const row of exportQuery(trx, selection).stream(1000)) {
          rows++;
          const values = row as Record<string, string | null>;
          yield `${names.map((name) => csvCell(values[name] ?? null, names.length === 1)).join(',')}\n`;
        }
      }
      await pipeline(lines(), out, { end: false });
      return rows;
    });
  }

  /** The name of a file exported now: customers-2026-11-25.csv, on the business's day. */
  async fileName(ctx: RequestContext): Promise<string> {
    return exportFileName(new Date(), await businessTimeZone(this.database, ctx.merchantId));
  }

  /** Past exports, newest first, with how each ended. */
  async log(ctx: RequestContext, query: ExportLogQuery): Promise<{ items: ExportLogEntry[]; next: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const starts = await listExportStarts(trx, { after, limit: query.limit + 1 });
      const ids = starts.slice(0, query.limit).flatMap((start) => (start.entityId ? [start.entityId] : []));
      const ends = new Map((await findExportEnds(trx, ids)).map((end) => [end.entityId, end]));
      const jobs = new Map((await findExportJobs(trx, { ids, limit: ids.length })).map((job) => [job.id, job]));
      return pageOf(starts, query.limit, (start) =>
        toLogEntry(start, ends.get(start.entityId), jobs.get(start.entityId as string)),
      );
    });
  }

  /**
   * Start an export as a background job: it is in the audit log (and the export log) from now, as a
   * streaming export is; the job writes the file, which is kept for download for EXPORT_FILE_DAYS days.
   */
  async startJob(ctx: RequestContext, query: CustomerExportQuery): Promise<ExportJob> {
    const described = describeExport(query);
    const id = uuidv7();
    const options: ExportJobOptions = { ...described, actor: ctx.actor };
    await this.database.withMerchant(ctx.merchantId, async (trx) => {
      await insertExportJob(trx, {
        id,
        options: { ...options },
        createdBy: ctx.actor.name,
        createdById: ctx.actor.type === 'user' ? ctx.actor.id : null,
      });
      await recordAudit(trx, ctx, {
        action: 'customer.export_started',
        entityType: 'export',
        entityId: id,
        changes: { ...described },
      });
    });
    // Without a queue in this process (a tool run), the sweep of a running Patron picks the job up.
    await this.queue()?.add(BULK_TASK, { merchantId: ctx.merchantId, jobId: id }, { jobKey: `bulk:${id}` });
    return this.job(ctx, id);
  }

  async job(ctx: RequestContext, id: string): Promise<ExportJob> {
    const [row] = await this.database.withMerchant(ctx.merchantId, (trx) =>
      findExportJobs(trx, { ids: [id], limit: 1 }),
    );
    if (!row) throw AppError.notFound('Export');
    return toExportJob(row);
  }

  /** Background exports, newest first. */
  async jobs(ctx: RequestContext, limit: number): Promise<ExportJob[]> {
    const rows = await this.database.withMerchant(ctx.merchantId, (trx) => findExportJobs(trx, { limit }));
    return rows.map(toExportJob);
  }

  /**
   * Ask a running export to stop: it stops within a second or so, and its partial file is deleted. The answer is
   * the job as the request left it (running, cancel asked for), not as it is a moment later: the worker may end
   * it between the two, and an answer read after the commit raced with it.
   */
  async cancelJob(ctx: RequestContext, id: string): Promise<ExportJob> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const [row] = await findExportJobs(trx, { ids: [id], limit: 1, forUpdate: true });
      if (!row) throw AppError.notFound('Export');
      const job = toExportJob(row);
      if (job.status !== 'running') throw new AppError('conflict', `This export has already ${ENDED[job.status]}`);
      await updateJob(trx, id, { cancelRequested: true });
      return { ...job, cancelRequested: true };
    });
  }

  /**
   * The file of a finished export, read chunk by chunk (each in its own short transaction), in constant
   * memory. Each download is in the audit log: the file leaves the back office again.
   */
  async jobFile(ctx: RequestContext, id: string): Promise<{ fileName: string; bytes: number; stream: Readable }> {
    const job = await this.job(ctx, id);
    if (!job.file) {
      throw new AppError(
        'conflict',
        job.status === 'running'
          ? 'The file is still being written: download it once the export is done'
          : job.status === 'done'
            ? `The file was deleted ${EXPORT_FILE_DAYS} days after the export: export again`
            : `This export has ${ENDED[job.status]}: it has no file`,
      );
    }
    await this.database.withMerchant(ctx.merchantId, (trx) =>
      recordAudit(trx, ctx, {
        action: 'customer.export_downloaded',
        entityType: 'export',
        entityId: id,
        changes: { rows: job.progress.rowsDone },
      }),
    );
    const database = this.database;
    async function* chunks() {
      for (let seq = 0; ; seq++) {
        const data = await database.withMerchant(ctx.merchantId, (trx) => readExportChunk(trx, id, seq));
        if (!data) return;
        yield data;
      }
    }
    return { fileName: job.file.name, bytes: job.file.bytes, stream: Readable.from(chunks()) };
  }
}

const ENDED = { done: 'finished', failed: 'failed', cancelled: 'been cancelled', running: 'started' } as const;

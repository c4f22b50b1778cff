/**
 * The work of an import, run by the job queue in whichever process takes it: the check (every row read
 * from the stored file, checked and staged, then the duplicate checks over all of them) and the commit
 * (every staged customer written in one transaction: all of it or none). Either restarts from its
 * beginning when a stopped process left it: the check clears what it had staged, and the commit's
 * transaction either happened or did not.
 */

import { SYSTEM_ACTOR } from '../../platform/context.ts';
import type { Database, Trx } from '../../platform/db/database.ts';
import type { Queue } from '../../platform/jobs/queue.ts';
import { repeat } from '../../platform/jobs/schedule.ts';
import { IMPORT_FILE_DAYS } from '../../shared/export-files.ts';
import { currencyExponent } from '../../shared/money.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { settingsIn } from '../settings/settings.service.ts';
import type { DateOrder } from './cells.ts';
import type { ImportableKey } from './columns.ts';
import { CUSTOMER_COLUMNS } from './columns.ts';
import {
  allowLongStatements,
  analyzeImportRows,
  clearImportRows,
  copyImportRows,
  countImportRows,
  createImportGroups,
  findJob,
  type ImportCounts,
  type JobRow,
  lastStagedLine,
  markDuplicates,
  type ProblemHeaders,
  problemRows,
  purgeImportFiles,
  readJobFile,
  resolveMatches,
  staleJobs,
  updateJob,
  writeDelete,
  writeImport,
  writeImportBatch,
  writeModify,
  writtenBatches,
} from './import.repository.ts';
import type { MatchBy, RowProblem } from './import-row.ts';
import { type ColumnMapping, columnLetter, recogniseHeader } from './layouts.ts';
import { CsvFileError, readCsv } from './parse.ts';
import { rowChecker } from './row-checker.ts';
import type { BulkKind, MappedColumn, StageContext, StagedBatch, StageRecord } from './stage-rows.ts';

export const BULK_TASK = 'bulk-job';
/** Rows a batch of a dry run holds: 1,000, or fewer when they hold more than a megabyte of text. */
const BATCH = 1000;
const BATCH_CHARS = 1024 * 1024;

export type { BulkKind } from './stage-rows.ts';

export interface ImportOptions {
  dateOrder: DateOrder;
  /** Modify and delete: how rows name their customer (default: the record id). */
  matchBy?: MatchBy;
  /** Modify: an empty cell clears the field (default: it leaves the field as it is). */
  clearEmpty?: boolean;
  /** By header index: the column key a person chose, or 'ignore'. */
  mapping?: Record<string, ImportableKey | 'fullName' | 'ignore'>;
  /** How the commit writes: everything or nothing, or the valid rows only. */
  mode?: 'all' | 'valid';
}

/** Headers of an error file Patron made: read back as the row plus what was wrong, and ignored. */
export const ERROR_HEADERS = ['Error: line', 'Error: column', 'Error: reason'] as const;

/** What the header of the file said, with a person's choices applied. */
export function applyMapping(headers: string[], options: ImportOptions) {
  const recognised = recogniseHeader(headers);
  const columns: ColumnMapping[] = recognised.columns.map((column) => {
    if ((ERROR_HEADERS as readonly string[]).includes(column.header)) {
      return { index: column.index, header: column.header, status: 'ignored', reason: 'From a Patron error file' };
    }
    const chosen = options.mapping?.[String(column.index)];
    if (chosen === undefined) return column;
    if (chosen === 'ignore')
      return { index: column.index, header: column.header, status: 'ignored', reason: 'Not imported (your choice)' };
    return {
      index: column.index,
      header: column.header,
      status: 'mapped',
      key: chosen,
      fallback: false,
      negate: false,
    };
  });
  // Two columns a person (or the layout) sent to the same field.
  const byKey = new Map<string, ColumnMapping[]>();
  for (const column of columns) {
    if (column.status !== 'mapped' || column.fallback) continue;
    byKey.set(column.key, [...(byKey.get(column.key) ?? []), column]);
  }
  const duplicates = [...byKey.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([key, list]) => ({
      key,
      message: `Columns ${list.map((c) => `${columnLetter(c.index)} "${c.header}"`).join(' and ')} both fill ${key}: map one of them to another field or ignore it`,
    }));
  const sameHeader = recognised.duplicates.filter((d) => d.key === null);
  return {
    layout: recognised.layout,
    layoutName: recognised.layoutName,
    columns,
    duplicates: [...duplicates, ...sameHeader.map((d) => ({ key: null, message: d.message }))],
  };
}

/** Run the stage of a bulk job it is at; another process already at it is left alone. */
export async function runBulkJob(database: Database, queue: Queue, payload: unknown): Promise<void> {
  const { merchantId, jobId } = payload as { merchantId: string; jobId: string };
  const lock = await queue.tryLock(`bulk:${jobId}`);
  if (!lock) return;
  try {
    const job = await database.withMerchant(merchantId, (trx) => findJob(trx, jobId));
    if (!job || !['import', 'modify', 'delete'].includes(job.kind)) return;
    if (job.status === 'validating') await checkImport(database, merchantId, job);
    else if (job.status === 'committing') await commitImport(database, merchantId, job);
  } catch (error) {
    await database.withMerchant(merchantId, (trx) =>
      updateJob(trx, jobId, {
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
        finished: true,
      }),
    );
    throw error;
  } finally {
    await lock.release();
  }
}

class Cancelled extends Error {}

async function checkImport(database: Database, merchantId: string, job: JobRow): Promise<void> {
  const options = job.options as unknown as ImportOptions;
  const settings = await database.withMerchant(merchantId, async (trx) => {
    await clearImportRows(trx, job.id);
    await updateJob(trx, job.id, { rowsDone: 0, rowsTotal: null, started: true, error: null });
    return settingsIn(trx);
  });
  // Bytes read so far: with the file's size, they estimate how many rows there are while reading.
  let bytesRead = 0;
  async function* counted(source: AsyncIterable<Uint8Array>) {
    for await (const chunk of source) {
      bytesRead += chunk.length;
      yield chunk;
    }
  }
  const reading = await readCsv(
    counted(readJobFile((work) => database.withMerchant(merchantId, work), job.id, 'upload')),
  );
  let header: ReturnType<typeof applyMapping> | undefined;
  // The columns an email's or a code's problem is reported under, once the header is read.
  let headers: ProblemHeaders = { email: null, code: null };
  let context: StageContext | undefined;
  let records: StageRecord[] = [];
  let batchChars = 0;
  let done = 0;
  // Batches being checked, oldest first, and the one being written: this thread reads the file and writes to
  // PostgreSQL while the checking runs on worker threads (large files) or between reads (small ones).
  const checker = rowChecker(job.fileSize ?? 0);
  const checking: { batch: Promise<StagedBatch>; lines: { from: number; to: number } }[] = [];
  let writing: Promise<void> = Promise.resolve();
  const writeOldest = async () => {
    const oldest = checking.shift() as (typeof checking)[number];
    const batch = await oldest.batch;
    await writing;
    done += batch.rows;
    const estimate =
      job.fileSize && bytesRead > 0 ? Math.max(done, Math.round((done * job.fileSize) / bytesRead)) : null;
    const existing = job.kind === 'import' ? { lines: oldest.lines, headers } : undefined;
    writing = copyImportRows(
      database.pool,
      merchantId,
      job.id,
      batch.text,
      { rowsDone: done, rowsTotal: estimate },
      existing,
    ).then((cancel) => {
      if (cancel) throw new Cancelled();
    });
    // Awaited by the next write or at the end; until then a failure must not count as unhandled.
    writing.catch(() => {});
  };
  const submit = async () => {
    const task = checker.check(context as StageContext, records);
    task.catch(() => {});
    checking.push({
      batch: task,
      lines: { from: (records[0] as StageRecord).line, to: (records[records.length - 1] as StageRecord).line },
    });
    records = [];
    batchChars = 0;
    if (checking.length >= checker.inFlight) await writeOldest();
  };
  try {
    for await (const record of reading.records) {
      if (!header) {
        const found = applyMapping(record.cells, options);
        header = found;
        headers = problemHeaders(found.columns);
        const fileInfo = fileInfoOf(reading, found, record.cells);
        if (found.duplicates.length > 0) {
          await database.withMerchant(merchantId, (trx) =>
            updateJob(trx, job.id, {
              status: 'failed',
              error: found.duplicates.map((d) => d.message).join('. '),
              fileInfo,
              finished: true,
            }),
          );
          return;
        }
        await database.withMerchant(merchantId, (trx) => updateJob(trx, job.id, { fileInfo }));
        context = {
          merchantId,
          jobId: job.id,
          kind: job.kind as BulkKind,
          mapped: found.columns.filter((c): c is MappedColumn => c.status === 'mapped'),
          settings,
          dateOrder: options.dateOrder ?? 'day-first',
          currencyExponent: currencyExponent(settings.currency),
          ...bulkOptionsOf(options),
        };
        continue;
      }
      records.push({ line: record.line, cells: record.cells });
      for (const cell of record.cells) batchChars += cell.length;
      if (records.length >= BATCH || batchChars >= BATCH_CHARS) await submit();
    }
    if (records.length > 0) await submit();
    while (checking.length > 0) await writeOldest();
    await writing;
  } catch (error) {
    // A batch still being written when reading failed: let it end before anything is cleared.
    await writing.catch(() => {});
    if (error instanceof Cancelled) {
      await database.withMerchant(merchantId, async (trx) => {
        await clearImportRows(trx, job.id);
        await updateJob(trx, job.id, { status: 'cancelled', finished: true });
      });
      return;
    }
    if (error instanceof CsvFileError) {
      await database.withMerchant(merchantId, (trx) =>
        updateJob(trx, job.id, { status: 'failed', error: `Line ${error.line}: ${error.message}`, finished: true }),
      );
      return;
    }
    throw error;
  } finally {
    await checker.close();
  }
  if (!header) {
    await database.withMerchant(merchantId, (trx) =>
      updateJob(trx, job.id, { status: 'failed', error: 'The file is empty: it has no header row', finished: true }),
    );
    return;
  }
  await analyzeImportRows(database.pool);
  await database.withMerchant(merchantId, async (trx) => {
    await allowLongStatements(trx);
    // The directory was looked up batch by batch as the rows were staged.
    await crossCheck(trx, job, headers, { directory: false });
    const counts = await countImportRows(trx, job.id);
    const first = await problemRows(trx, job.id, { limit: 20 });
    await updateJob(trx, job.id, {
      status: 'validated',
      rowsTotal: done,
      rowsDone: done,
      summary: { counts, firstProblems: first.map(({ line, action, problems }) => ({ line, action, problems })) },
    });
  });
}

function fileInfoOf(
  reading: { encoding: string; delimiter: string; byteOrderMark: boolean },
  header: ReturnType<typeof applyMapping>,
  headers: string[],
) {
  return {
    encoding: reading.encoding,
    delimiter: reading.delimiter,
    byteOrderMark: reading.byteOrderMark,
    layout: header.layout,
    layoutName: header.layoutName,
    headers,
    columns: header.columns,
    problems: header.duplicates.map((d) => d.message),
  };
}

/** The columns a problem with an email or a code is reported under: the headers of the columns that fill them. */
function problemHeaders(columns: readonly ColumnMapping[] | undefined): ProblemHeaders {
  const headerOf = (key: string) =>
    columns?.find((c) => c.status === 'mapped' && c.key === key && !c.fallback)?.header ?? null;
  return { email: headerOf('email'), code: headerOf('code') };
}

async function commitImport(database: Database, merchantId: string, job: JobRow): Promise<void> {
  const options = job.options as unknown as ImportOptions;
  if (job.kind === 'import' && options.mode === 'valid') {
    await commitValidRows(database, merchantId, job);
    return;
  }
  // As the check mapped the file's columns.
  const headers = problemHeaders((job.fileInfo as { columns?: ColumnMapping[] } | null)?.columns);
  await database.withMerchant(merchantId, async (trx) => {
    await updateJob(trx, job.id, { started: true });
  });
  await database.withMerchant(merchantId, async (trx) => {
    await allowLongStatements(trx);
    // Customers added or changed since the check may now clash: check again, in the transaction that writes.
    if (job.kind === 'import') await crossCheck(trx, job, headers, { directory: true });
    const counts = await countImportRows(trx, job.id);
    if (options.mode !== 'valid' && counts.reject > 0) {
      await updateJob(trx, job.id, {
        status: 'failed',
        error: `${counts.reject} rows cannot be imported: nothing was written. Fix them, or import the valid rows only.`,
        summary: { ...(job.summary ?? {}), counts },
        finished: true,
      });
      return;
    }
    const actor = { type: job.createdById ? 'user' : 'system', id: job.createdById, name: job.createdBy };
    if (job.kind !== 'import') {
      const changed =
        job.kind === 'modify' ? await writeModify(trx, job.id, actor) : await writeDelete(trx, job.id, actor);
      await updateJob(trx, job.id, {
        status: 'done',
        rowsDone: job.rowsTotal ?? 0,
        summary: {
          ...(job.summary ?? {}),
          counts,
          result: {
            created: 0,
            groups: 0,
            updated: job.kind === 'modify' ? changed : 0,
            deleted: job.kind === 'delete' ? changed : 0,
          },
        },
        finished: true,
      });
      return;
    }
    const written = await writeImport(trx, job.id, job.createdBy);
    await finishImport(trx, merchantId, job, { counts, written, status: 'done' });
    await updateJob(trx, job.id, { rowsDone: job.rowsTotal ?? 0 });
  });
}

/** The end of an import's commit: the audit log's entry and the job's summary. */
async function finishImport(
  trx: Trx,
  merchantId: string,
  job: JobRow,
  outcome: { counts: ImportCounts; written: { created: number; groups: number }; status: 'done' | 'cancelled' },
): Promise<void> {
  const options = job.options as unknown as ImportOptions;
  const { counts, written } = outcome;
  await recordAudit(
    trx,
    { merchantId, actor: { ...SYSTEM_ACTOR, name: job.createdBy }, permissions: new Set() },
    {
      action: 'customer.imported',
      entityType: 'import',
      entityId: job.id,
      changes: {
        file: job.fileName,
        created: written.created,
        skipped: counts.skip,
        rejected: counts.reject,
        groupsCreated: written.groups,
        mode: options.mode ?? 'all',
        ...(outcome.status === 'cancelled' ? { stoppedEarly: true } : {}),
      },
    },
  );
  await updateJob(trx, job.id, {
    status: outcome.status,
    summary: { ...(job.summary ?? {}), counts, result: { ...written, updated: 0, deleted: 0 } },
    finished: true,
  });
}

/** Lines a batch of a valid-rows commit holds, and how many batches are written at once. */
const COMMIT_STREAMS = 2;
/** 10,000 lines; `PATRON_IMPORT_BATCH_LINES` sets it otherwise (tests of restarts use a few lines). */
function commitBatchLines(): number {
  const set = Number(process.env.PATRON_IMPORT_BATCH_LINES);
  return Number.isInteger(set) && set > 0 ? set : 10_000;
}

/**
 * The valid rows of an import, written in batches of lines, two at a time (each on a core of its own),
 * each batch in a transaction with its record in bulk_job_batch: a restart carries on with the batches
 * not written yet; a person's Stop ends it after the batches being written, keeping what was written.
 * The dry run's checks are not run again over every row: a customer whose email or code was taken since
 * is skipped by its batch, with the reason.
 */
async function commitValidRows(database: Database, merchantId: string, job: JobRow): Promise<void> {
  const summary = (job.summary ?? {}) as { commit?: { groups: number } };
  let prepared = summary.commit;
  if (!prepared) {
    prepared = await database.withMerchant(merchantId, async (trx) => {
      await allowLongStatements(trx);
      // The dry run's checks stand (the rows have not changed); a customer whose email or code was taken
      // since is left out by its batch, with the reason.
      const counts = await countImportRows(trx, job.id);
      const commit = { groups: await createImportGroups(trx, job.id) };
      await updateJob(trx, job.id, {
        summary: { ...summary, counts, commit },
        rowsDone: 0,
        rowsTotal: counts.create,
        started: true,
      });
      return commit;
    });
  }
  const { last, written } = await database.withMerchant(merchantId, async (trx) => {
    const batches = await writtenBatches(trx, job.id);
    // Customers written by the batches already done (a restart): progress carries on from there.
    await updateJob(trx, job.id, { rowsDone: batches.reduce((sum, b) => sum + b.created, 0), started: true });
    return { last: await lastStagedLine(trx, job.id), written: new Set(batches.map((b) => b.batch)) };
  });
  const size = commitBatchLines();
  let next = 0;
  let stop = false;
  let cancelled = false;
  const stream = async () => {
    while (!stop) {
      const batch = next++;
      if (batch * size > last) return;
      if (written.has(batch)) continue;
      const lines = { batch, from: batch * size, to: (batch + 1) * size };
      const asked = await database.withMerchant(merchantId, async (trx) => {
        await allowLongStatements(trx);
        await writeImportBatch(trx, job.id, job.createdBy, lines);
        return (await findJob(trx, job.id))?.cancelRequested ?? false;
      });
      if (asked) {
        cancelled = true;
        stop = true;
      }
    }
  };
  const ends = await Promise.allSettled(
    Array.from({ length: COMMIT_STREAMS }, () =>
      stream().catch((error: unknown) => {
        stop = true;
        throw error;
      }),
    ),
  );
  const failure = ends.find((end): end is PromiseRejectedResult => end.status === 'rejected');
  if (failure) throw failure.reason;
  await database.withMerchant(merchantId, async (trx) => {
    const current = (await findJob(trx, job.id)) ?? job;
    const counts = await countImportRows(trx, job.id);
    const created = (await writtenBatches(trx, job.id)).reduce((sum, b) => sum + b.created, 0);
    await finishImport(trx, merchantId, current, {
      counts,
      written: { created, groups: prepared.groups },
      status: cancelled ? 'cancelled' : 'done',
    });
  });
}

function bulkOptionsOf(options: ImportOptions) {
  return { matchBy: options.matchBy ?? 'id', clearEmpty: options.clearEmpty ?? false };
}

/** Customer columns (snake_case) as the API and the audit log name the fields. */
const FIELD_NAMES: Record<string, string> = Object.fromEntries(
  CUSTOMER_COLUMNS.flatMap((column) => {
    const key: string = column.key;
    if (key.includes('.')) {
      const [address, part] = key.split('.') as [string, string];
      return [[`${address.replace('Address', '')}_${part}`, key]];
    }
    if (key === 'dateOfBirth')
      return [
        ['birth_year', 'dateOfBirth.year'],
        ['birth_month', 'dateOfBirth.month'],
        ['birth_day', 'dateOfBirth.day'],
      ];
    return [[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), key]];
  }),
);

/** The checks over every staged row and the directory, for what the job does. */
async function crossCheck(
  trx: Trx,
  job: JobRow,
  headers: ProblemHeaders,
  imports: { directory: boolean },
): Promise<void> {
  const options = bulkOptionsOf(job.options as unknown as ImportOptions);
  if (job.kind === 'import') {
    await markDuplicates(trx, job.id, headers, imports);
    return;
  }
  await resolveMatches(trx, job.id, {
    matchBy: options.matchBy,
    fieldNames: FIELD_NAMES,
    what: job.kind === 'modify' ? 'update' : 'delete',
  });
}

/** Problems of a rejected or skipped row, as one line for people. */
export function problemText(problems: RowProblem[] | null): string {
  return (problems ?? []).map((p) => (p.column ? `${p.column}: ${p.reason}` : p.reason)).join('; ');
}

/**
 * Every 15 s (and at start), in every process: bulk jobs that stopped moving and that no process holds
 * are queued again. Returns a stop function.
 */
export function scheduleBulkSweep(
  database: Database,
  queue: Queue,
  onError: (error: unknown) => void,
  options: { everyMs?: number | undefined; staleAfterSeconds?: number | undefined } = {},
): () => void {
  const sweep = async () => {
    for (const row of await staleJobs(database.system, options.staleAfterSeconds ?? 20)) {
      if (await queue.isLocked(`bulk:${row.id}`)) continue;
      await queue.add(BULK_TASK, { merchantId: row.merchantId, jobId: row.id }, { jobKey: `bulk:${row.id}` });
    }
  };
  const run = () => void sweep().catch(onError);
  const first = setTimeout(run, Math.min(1000, options.everyMs ?? 1000));
  const timer = setInterval(run, options.everyMs ?? 15_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

/**
 * Every hour (and soon after start), in every process: the files and checked rows of imports that ended more
 * than IMPORT_FILE_DAYS days ago, or of dry runs left uncommitted as long, are deleted. Returns a stop function.
 */
export function scheduleImportPurge(
  database: Database,
  onError: (error: unknown) => void,
  options: { everyMs?: number | undefined } = {},
): () => void {
  return repeat(() => void purgeImportFiles(database.system, IMPORT_FILE_DAYS).catch(onError), {
    firstMs: 6000,
    everyMs: options.everyMs ?? 60 * 60 * 1000,
  });
}

/**
 * The work of a background export, run by the job queue in whichever process takes it: the customers are
 * counted (for the progress bar), then the same COPY the streaming export runs writes the CSV, which is
 * stored in chunks of 1 MiB as it comes (memory stays flat however large the file), its rows counted as
 * they pass. A job a stopped process left behind (status committing, no process holding it) is queued
 * again by the bulk sweep and runs again from the beginning, replacing the part of the file it had written.
 */

import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Queue } from '../../platform/jobs/queue.ts';
import { repeat } from '../../platform/jobs/schedule.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { listedCustomers } from '../customers/customer.service.ts';
import { updateJob } from '../imports/import.repository.ts';
import { settingsIn } from '../settings/settings.service.ts';
import {
  allowLongStatements,
  copyExport,
  countExportRows,
  deleteExportFile,
  EXPORT_FAILED,
  EXPORT_FINISHED,
  type ExportJobRow,
  findExportJobs,
  insertExportChunk,
  purgeExportFiles,
} from './export.repository.ts';
import { EXPORT_FILE_DAYS } from './export.schema.ts';
import { csvPreamble, type ExportJobOptions, exportFileName, listQueryOf } from './export.service.ts';

const CHUNK = 1024 * 1024;

class Cancelled extends Error {}

/**
 * Counts the rows of COPY's CSV as the bytes pass: a line break ends a row unless it is inside a quoted
 * cell (COPY quotes a cell with a line break, and doubles the quotes inside one, which toggles twice).
 */
export class CsvRowCounter {
  rows = 0;
  private quoted = false;

  count(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length) {
      const quote = bytes.indexOf(34, at);
      if (this.quoted) {
        if (quote === -1) return;
        this.quoted = false;
        at = quote + 1;
        continue;
      }
      const end = quote === -1 ? bytes.length : quote;
      for (let line = bytes.indexOf(10, at); line !== -1 && line < end; line = bytes.indexOf(10, line + 1)) {
        this.rows++;
      }
      if (quote === -1) return;
      this.quoted = true;
      at = quote + 1;
    }
  }
}

/** The file of an export as it is written: bytes gathered into chunks, each stored once it is full. */
class ExportFileWriter extends Writable {
  readonly counter = new CsvRowCounter();
  bytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private seq = 0;

  constructor(
    private readonly store: (seq: number, data: Buffer) => Promise<void>,
    preamble: string,
  ) {
    super();
    this.add(Buffer.from(preamble, 'utf8'));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.counter.count(chunk);
    this.add(chunk);
    if (this.pendingBytes < CHUNK) done();
    else this.flush().then(() => done(), done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush().then(() => done(), done);
  }

  private add(chunk: Buffer) {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.bytes += chunk.length;
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.store(this.seq++, data);
  }
}

/** The context an export job acts in: the person who started it. */
function jobContext(merchantId: string, options: ExportJobOptions): RequestContext {
  return { merchantId, actor: options.actor, permissions: new Set() };
}

/** Run an export job, unless another process is at it; returns at once for jobs of other kinds. */
export async function runExportJob(database: Database, queue: Queue, payload: unknown): Promise<void> {
  const { merchantId, jobId } = payload as { merchantId: string; jobId: string };
  const lock = await queue.tryLock(`bulk:${jobId}`);
  if (!lock) return;
  let job: ExportJobRow | undefined;
  try {
    [job] = await database.withMerchant(merchantId, (trx) => findExportJobs(trx, { ids: [jobId], limit: 1 }));
    if (job?.status !== 'committing') return;
    await writeExport(database, merchantId, job);
  } catch (error) {
    if (job) await endExport(database, merchantId, job, 'failed', 'An error stopped the export: try again');
    throw error;
  } finally {
    await lock.release();
  }
}

async function writeExport(database: Database, merchantId: string, job: ExportJobRow): Promise<void> {
  const options = job.options as unknown as ExportJobOptions;
  if (job.cancelRequested) return endExport(database, merchantId, job, 'cancelled');
  // From the beginning: a process that stopped part-way may have left the start of the file.
  const selection = await database.withMerchant(merchantId, async (trx) => {
    await deleteExportFile(trx, job.id);
    const found = await listedCustomers(trx, listQueryOf(options));
    await allowLongStatements(trx);
    const total = await countExportRows(trx, found);
    await updateJob(trx, job.id, { rowsDone: 0, rowsTotal: total, started: true, error: null });
    return { ...found, fields: options.fields };
  });

  const file = new ExportFileWriter(
    (seq, data) => database.withMerchant(merchantId, (trx) => insertExportChunk(trx, job.id, seq, data)),
    csvPreamble(options.fields),
  );
  // About every second: the rows so far for the progress bar, and whether someone asked to stop.
  let busy = false;
  const ticker = setInterval(() => {
    if (busy) return;
    busy = true;
    database
      .withMerchant(merchantId, async (trx) => {
        await updateJob(trx, job.id, { rowsDone: file.counter.rows });
        return (await findExportJobs(trx, { ids: [job.id], limit: 1 }))[0]?.cancelRequested ?? false;
      })
      .then((cancelled) => {
        if (cancelled) file.destroy(new Cancelled());
      })
      // A missed tick is made up by the next.
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, 1000);
  let rows: number;
  try {
    rows = await copyExport(database, merchantId, selection, file);
    file.end();
    await finished(file);
  } catch (error) {
    if (error instanceof Cancelled || file.errored instanceof Cancelled) {
      return endExport(database, merchantId, job, 'cancelled');
    }
    throw error;
  } finally {
    clearInterval(ticker);
  }
  const ended = await database.withMerchant(merchantId, async (trx) => {
    // A cancel asked for while the last rows went out still wins: the export has not finished yet.
    const [current] = await findExportJobs(trx, { ids: [job.id], limit: 1, forUpdate: true });
    if (current?.cancelRequested) return false;
    const { timeZone } = await settingsIn(trx);
    await updateJob(trx, job.id, {
      status: 'done',
      rowsDone: rows,
      rowsTotal: rows,
      summary: { rows, bytes: file.bytes, fileName: exportFileName(new Date(), timeZone) },
      finished: true,
    });
    await recordAudit(trx, jobContext(merchantId, options), {
      action: EXPORT_FINISHED,
      entityType: 'export',
      entityId: job.id,
      changes: { ...(options.q ? { q: options.q } : {}), filter: options.filter, fields: options.fields, rows },
    });
    return true;
  });
  if (!ended) await endExport(database, merchantId, job, 'cancelled');
}

/** An export that did not finish: its part of a file deleted, its end in the job and the audit log. */
async function endExport(
  database: Database,
  merchantId: string,
  job: ExportJobRow,
  status: 'failed' | 'cancelled',
  reason = 'The export was cancelled',
): Promise<void> {
  await database.withMerchant(merchantId, async (trx) => {
    await deleteExportFile(trx, job.id);
    await updateJob(trx, job.id, { status, error: status === 'failed' ? reason : null, finished: true });
    await recordAudit(trx, jobContext(merchantId, job.options as unknown as ExportJobOptions), {
      action: EXPORT_FAILED,
      entityType: 'export',
      entityId: job.id,
      changes: { reason },
    });
  });
}

/**
 * Every hour (and soon after start), in every process: the files of exports that finished more than
 * EXPORT_FILE_DAYS days ago are deleted; the jobs stay in the export log with their rows. Returns a stop function.
 */
export function scheduleExportPurge(
  database: Database,
  onError: (error: unknown) => void,
  options: { everyMs?: number | undefined } = {},
): () => void {
  return repeat(() => void purgeExportFiles(database.system, EXPORT_FILE_DAYS).catch(onError), {
    firstMs: 5000,
    everyMs: options.everyMs ?? 60 * 60 * 1000,
  });
}

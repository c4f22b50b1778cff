/**
 * Where a dry run checks its rows. Checking is what a dry run spends its time on (a phone number read by
 * libphonenumber, the API's schema and rules, for every row: ~75 µs a row), and one thread checking while
 * PostgreSQL stages the rows leaves a core idle: PostgreSQL needs a tenth of one. Files from 256 KB on are
 * checked on a pool of worker threads (Piscina), a batch of rows at a time, while the job's
 * thread reads the file and writes the checked batches to PostgreSQL in the order they were read. Smaller
 * files are checked on the job's thread: starting threads would cost more than it saves.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import { type StageContext, type StagedBatch, type StageRecord, stageBatch } from './stage-rows.ts';

export interface RowChecker {
  /** How many batches may be waiting to be checked or written before reading waits. */
  readonly inFlight: number;
  check(context: StageContext, records: StageRecord[]): Promise<StagedBatch>;
  close(): Promise<void>;
}

/** Files from this size are checked on worker threads. */
export const PARALLEL_FROM_BYTES = 256 * 1024;

const onThisThread: RowChecker = {
  inFlight: 1,
  check: async (context, records) => stageBatch(context, records),
  close: async () => {},
};

/**
 * Worker threads for a large file: one per core but one, which the job's thread (reading the file, writing
 * the batches), PostgreSQL and everyone else's requests share; at least one. PATRON_IMPORT_THREADS sets it
 * (0: check on the job's thread).
 */
function threadCount(): number {
  const set = Number(process.env.PATRON_IMPORT_THREADS);
  if (process.env.PATRON_IMPORT_THREADS && Number.isInteger(set) && set >= 0) return set;
  return Math.max(1, os.availableParallelism() - 1);
}

export function rowChecker(fileSize: number): RowChecker {
  const threads = threadCount();
  if (fileSize < PARALLEL_FROM_BYTES || threads < 1) return onThisThread;
  // Compiled (npm start) the worker is JavaScript; under tsx and the tests it is TypeScript, read through tsx.
  const typescript = import.meta.url.endsWith('.ts');
  const pool = new Piscina({
    filename: new URL(`./stage.worker.${typescript ? 'ts' : 'js'}`, import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    execArgv: typescript ? ['--import', 'tsx'] : [],
    // A batch is at most a megabyte of text (import.jobs.ts); small limits keep each thread's garbage from
    // piling up (see PATRON_HEAP_MB).
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
  });
  return {
    inFlight: threads + 1,
    check: (context, records) => pool.run({ context, records }),
    close: () => pool.destroy(),
  };
}

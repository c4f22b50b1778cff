/**
 * Background work on a PostgreSQL-backed queue (graphile-worker: jobs in its own schema, picked up with
 * SKIP LOCKED and woken by LISTEN/NOTIFY, retried with back-off). Every Patron process runs a small
 * worker pool; any of them may take any job, so nothing depends on which process queued it.
 *
 * Bulk jobs are also Patron rows (bulk_job) that say how far they got. Liveness is a PostgreSQL advisory
 * lock held on a dedicated connection while a process works on a job: when the process dies, its
 * connection closes and the lock goes with it. A sweep in every process finds bulk jobs that stopped
 * moving and whose lock is free, and queues them again, so an interrupted job resumes on its own.
 */
import { Logger, type Runner, run, runMigrations } from 'graphile-worker';
import pg from 'pg';

export type TaskHandler = (payload: unknown) => Promise<void>;

/** Create or update graphile-worker's schema (run with Patron's migrations, as the database owner). */
export async function migrateQueue(url: string): Promise<void> {
  await runMigrations({ connectionString: url, logger: quietLogger() });
}

export interface Queue {
  /** Queue `task`; a job with the same key that has not started yet is replaced, not doubled. */
  add(task: string, payload: Record<string, unknown>, options?: { jobKey?: string }): Promise<void>;
  /** A connection holding a session advisory lock on `key`, or null when another holds it. */
  tryLock(key: string): Promise<{ release(): Promise<void> } | null>;
  /** Whether anyone holds the lock on `key` now. */
  isLocked(key: string): Promise<boolean>;
  stop(): Promise<void>;
}

/** graphile-worker's own log lines stay quiet; a failing task reaches ours through `onError`. */
function quietLogger(): Logger {
  return new Logger(() => () => {});
}

/** Two 32-bit halves of a text key, for pg_advisory_lock(int, int). */
const LOCK_SQL = 'hashtext($1), hashtext(reverse($1))';

export async function startQueue(options: {
  url: string;
  tasks: Record<string, TaskHandler>;
  concurrency?: number;
  onError(error: unknown): void;
}): Promise<Queue> {
  // The queue's own small pool: its polling and locks never wait behind requests.
  const pool = new pg.Pool({ connectionString: options.url, max: 4, application_name: 'patron-jobs' });
  pool.on('error', () => {});
  // A connection that breaks while idle must not crash the process; the pool replaces it.
  pool.on('connect', (client) => client.on('error', () => {}));
  let runner: Runner | undefined = await run({
    pgPool: pool,
    concurrency: options.concurrency ?? 2,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: quietLogger(),
    taskList: Object.fromEntries(
      Object.entries(options.tasks).map(([name, handler]) => [
        name,
        async (payload: unknown) => {
          try {
            await handler(payload);
          } catch (error) {
            options.onError(error);
            throw error;
          }
        },
      ]),
    ),
  });
  const queue: Queue = {
    async add(task, payload, addOptions = {}) {
      await pool.query('SELECT graphile_worker.add_job($1, $2::json, job_key => $3, max_attempts => 5)', [
        task,
        JSON.stringify(payload),
        addOptions.jobKey ?? null,
      ]);
    },
    async tryLock(key) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_SQL}) AS ok`, [key]);
        if (!rows[0]?.ok) {
          client.release();
          return null;
        }
      } catch (error) {
        client.release(true);
        throw error;
      }
      return {
        async release() {
          try {
            await client.query(`SELECT pg_advisory_unlock(${LOCK_SQL})`, [key]);
            client.release();
          } catch {
            // A broken connection lets go of its locks by closing.
            client.release(true);
          }
        },
      };
    },
    async isLocked(key) {
      const lock = await queue.tryLock(key);
      await lock?.release();
      return lock === null;
    },
    async stop() {
      const stopping = runner;
      runner = undefined;
      await stopping?.stop();
      await pool.end();
    },
  };
  return queue;
}

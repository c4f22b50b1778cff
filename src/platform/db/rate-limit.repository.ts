import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface WindowCount {
  hits: number;
  /** Seconds until the window (and its count) resets. */
  resetIn: number;
}

/**
 * Count one more hit for `key` in a fixed window of `windowSeconds`, shared by every process through
 * PostgreSQL (one statement, no read-then-write race), and return the count so far.
 */
export async function hitWindow(db: Db, key: string, windowSeconds: number): Promise<WindowCount> {
  const { rows } = await sql<{ hits: number; resetIn: number }>`
    INSERT INTO rate_limit_counter AS c (key, window_start, hits) VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN c.window_start <= now() - make_interval(secs => ${windowSeconds}) THEN now() ELSE c.window_start END,
      hits = CASE WHEN c.window_start <= now() - make_interval(secs => ${windowSeconds}) THEN 1 ELSE c.hits + 1 END
    RETURNING hits, ceil(extract(epoch FROM window_start + make_interval(secs => ${windowSeconds}) - now()))::int AS "resetIn"`.execute(
    db,
  );
  const row = rows[0] as { hits: number; resetIn: number };
  return { hits: row.hits, resetIn: Math.max(1, row.resetIn) };
}

/** Take back one hit of `key` (an attempt that turned out legitimate). */
export async function unhitWindow(db: Db, key: string): Promise<void> {
  await sql`UPDATE rate_limit_counter SET hits = greatest(hits - 1, 0) WHERE key = ${key}`.execute(db);
}

export async function clearWindow(db: Db, key: string): Promise<void> {
  await sql`DELETE FROM rate_limit_counter WHERE key = ${key}`.execute(db);
}

/** Counters whose window ended long ago: they count nothing any more. */
export async function deleteStaleWindows(db: Db, windowSeconds: number): Promise<void> {
  await sql`DELETE FROM rate_limit_counter WHERE window_start < now() - make_interval(secs => ${windowSeconds * 4})`.execute(
    db,
  );
}

import { sql } from 'kysely';
import type { Database, Db } from '../../platform/db/database.ts';
import { repeat } from '../../platform/jobs/schedule.ts';

/**
 * How long an `Idempotency-Key` is remembered. Long enough for any retry (a register that was offline for
 * a weekend resends its queue on Monday); a sale retried later still meets its receipt reference, unique
 * per store, and is answered with the first sale.
 */
export const IDEMPOTENCY_KEY_DAYS = 30;

/** Forget idempotency keys older than `days`, a batch at a time so no statement runs long. How many went. */
export async function purgeIdempotencyKeys(db: Db, days: number, batch = 10_000): Promise<number> {
  let purged = 0;
  for (;;) {
    const result = await sql`
      DELETE FROM idempotency_key k
      USING (SELECT merchant_id, key FROM idempotency_key
             WHERE created_at < now() - make_interval(days => ${days}) LIMIT ${batch}) old
      WHERE k.merchant_id = old.merchant_id AND k.key = old.key`.execute(db);
    const count = Number(result.numAffectedRows ?? 0);
    purged += count;
    if (count < batch) return purged;
  }
}

/** Purge a minute after start, then hourly. Any number of processes may: a second finds nothing left. */
export function scheduleIdempotencyPurge(database: Database, onError: (error: unknown) => void): () => void {
  return repeat(() => void purgeIdempotencyKeys(database.system, IDEMPOTENCY_KEY_DAYS).catch(onError), {
    firstMs: 60_000,
    everyMs: 3_600_000,
  });
}

import type { Database } from '../../platform/db/database.ts';
import { repeat } from '../../platform/jobs/schedule.ts';
import { purgeIdempotencyKeys } from './sale.repository.ts';

/**
 * How long an `Idempotency-Key` is remembered. Long enough for any retry (a register that was offline for
 * a weekend resends its queue on Monday); a sale retried later still meets its receipt reference, unique
 * per store, and is answered with the first sale.
 */
export const IDEMPOTENCY_KEY_DAYS = 30;

/** Purge a minute after start, then hourly. Any number of processes may: a second finds nothing left. */
export function scheduleIdempotencyPurge(database: Database, onError: (error: unknown) => void): () => void {
  return repeat(() => void purgeIdempotencyKeys(database.system, IDEMPOTENCY_KEY_DAYS).catch(onError), {
    firstMs: 60_000,
    everyMs: 3_600_000,
  });
}

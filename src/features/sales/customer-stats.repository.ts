import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/database.ts';

/**
 * The one definition of a customer's statistics, as an aggregate over their sales. Incremental
 * updates must always agree with it; `npm run verify` checks that they do.
 */
export const STATS_AGGREGATE = sql`
  coalesce(sum(s.total) FILTER (WHERE s.status <> 'cancelled'), 0)::bigint AS total_spent,
  count(*) FILTER (WHERE s.kind = 'sale' AND s.status <> 'cancelled')::int AS order_count,
  count(*) FILTER (WHERE s.kind = 'sale' AND s.status <> 'cancelled' AND s.channel = 'pos')::int AS visit_count,
  count(*) FILTER (WHERE s.kind = 'refund' AND s.status <> 'cancelled')::int AS return_count,
  min(s.sold_at) FILTER (WHERE s.kind = 'sale' AND s.status <> 'cancelled') AS first_order_at,
  max(s.sold_at) FILTER (WHERE s.kind = 'sale' AND s.status <> 'cancelled') AS last_order_at`;

export interface StatsDelta {
  total: number;
  orders: number;
  visits: number;
  returns: number;
  /** The time of the sale, for first and last order (sales only). */
  orderAt: Date | null;
}

/** Add one new sale or refund to its customer's statistics: one statement, safe under concurrency. */
export async function addToStats(trx: Trx, customerId: string, delta: StatsDelta): Promise<void> {
  await sql`
    INSERT INTO customer_stats AS c (merchant_id, customer_id, total_spent, order_count, visit_count, return_count, first_order_at, last_order_at)
    VALUES (app_current_merchant(), ${customerId}, ${delta.total}, ${delta.orders}, ${delta.visits}, ${delta.returns}, ${delta.orderAt}, ${delta.orderAt})
    ON CONFLICT (merchant_id, customer_id) DO UPDATE SET
      total_spent = c.total_spent + EXCLUDED.total_spent,
      order_count = c.order_count + EXCLUDED.order_count,
      visit_count = c.visit_count + EXCLUDED.visit_count,
      return_count = c.return_count + EXCLUDED.return_count,
      first_order_at = least(c.first_order_at, EXCLUDED.first_order_at),
      last_order_at = greatest(c.last_order_at, EXCLUDED.last_order_at)`.execute(trx);
}

/**
 * Lock the statistics rows of these customers (creating them if need be), in a fixed order so that two
 * transactions never wait on each other. A recomputation after the lock sees every committed sale.
 */
export async function lockStats(trx: Trx, customerIds: string[]): Promise<void> {
  const ids = [...new Set(customerIds)].sort();
  if (ids.length === 0) return;
  await sql`
    INSERT INTO customer_stats (merchant_id, customer_id)
    SELECT app_current_merchant(), id FROM unnest(${ids}::uuid[]) AS id
    ON CONFLICT DO NOTHING`.execute(trx);
  await sql`
    SELECT customer_id FROM customer_stats WHERE customer_id = ANY(${ids}::uuid[]) ORDER BY customer_id FOR UPDATE`.execute(
    trx,
  );
}

/** Set a customer's statistics from their sales (after a cancellation, refund or move). Call lockStats first. */
export async function recomputeStats(trx: Trx, customerId: string): Promise<void> {
  await sql`
    UPDATE customer_stats c SET
      total_spent = a.total_spent, order_count = a.order_count, visit_count = a.visit_count,
      return_count = a.return_count, first_order_at = a.first_order_at, last_order_at = a.last_order_at
    FROM (SELECT ${STATS_AGGREGATE} FROM sale s WHERE s.customer_id = ${customerId}) a
    WHERE c.customer_id = ${customerId}`.execute(trx);
}

export interface StatsDifference {
  merchantId: string;
  customerId: string;
  field: string;
  kept: string | null;
  recomputed: string | null;
}

/**
 * Every customer (of every merchant) whose kept statistics differ from a recomputation from the sales.
 * Runs as the table owner: it checks the whole database.
 */
export async function findStatsDifferences(db: Db): Promise<{ checked: number; differences: StatsDifference[] }> {
  const { rows } = await sql<{
    merchant_id: string;
    customer_id: string;
    kept: Record<string, unknown> | null;
    recomputed: Record<string, unknown>;
  }>`
    WITH recomputed AS (
      SELECT s.merchant_id, s.customer_id, ${STATS_AGGREGATE}
      FROM sale s WHERE s.customer_id IS NOT NULL
      GROUP BY s.merchant_id, s.customer_id
    )
    SELECT coalesce(r.merchant_id, c.merchant_id) AS merchant_id, coalesce(r.customer_id, c.customer_id) AS customer_id,
      CASE WHEN c.customer_id IS NULL THEN NULL ELSE jsonb_build_object(
        'totalSpent', c.total_spent, 'orderCount', c.order_count, 'visitCount', c.visit_count,
        'returnCount', c.return_count, 'firstOrderAt', c.first_order_at, 'lastOrderAt', c.last_order_at) END AS kept,
      jsonb_build_object(
        'totalSpent', coalesce(r.total_spent, 0), 'orderCount', coalesce(r.order_count, 0), 'visitCount', coalesce(r.visit_count, 0),
        'returnCount', coalesce(r.return_count, 0), 'firstOrderAt', r.first_order_at, 'lastOrderAt', r.last_order_at) AS recomputed
    FROM recomputed r
    FULL JOIN customer_stats c ON c.merchant_id = r.merchant_id AND c.customer_id = r.customer_id`.execute(db);
  const differences: StatsDifference[] = [];
  for (const row of rows) {
    for (const [field, value] of Object.entries(row.recomputed)) {
      const kept = row.kept ? (row.kept[field] ?? null) : field.endsWith('At') ? null : 0;
      const same = JSON.stringify(kept) === JSON.stringify(value);
      if (!same) {
        differences.push({
          merchantId: row.merchant_id,
          customerId: row.customer_id,
          field,
          kept: kept === null ? null : String(kept),
          recomputed: value === null ? null : String(value),
        });
      }
    }
  }
  return { checked: rows.length, differences };
}

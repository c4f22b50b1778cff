import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import type { CustomerRowUpdate, NewCustomerRow } from '../../platform/db/schema.ts';
import type { KeysetPosition } from '../../platform/http/cursor.ts';
import type { SearchPlan } from './customer-search.ts';

/** The maintained statistics, read beside the customer (zeros before the first sale). */
const STATS_COLUMNS = [
  'customerStats.totalSpent',
  'customerStats.orderCount',
  'customerStats.visitCount',
  'customerStats.returnCount',
  'customerStats.firstOrderAt',
  'customerStats.lastOrderAt',
] as const;

/** A customer row with what the API shows beside it (its group's name, its statistics). */
export async function findCustomer(trx: Trx, id: string, options: { forUpdate?: boolean } = {}) {
  let query = trx
    .selectFrom('customer')
    .innerJoin('customerGroup', (join) =>
      join
        .onRef('customerGroup.merchantId', '=', 'customer.merchantId')
        .onRef('customerGroup.id', '=', 'customer.groupId'),
    )
    .leftJoin('customerStats', (join) =>
      join
        .onRef('customerStats.merchantId', '=', 'customer.merchantId')
        .onRef('customerStats.customerId', '=', 'customer.id'),
    )
    .selectAll('customer')
    .select(STATS_COLUMNS)
    .select('customerGroup.name as groupName')
    .where('customer.id', '=', id)
    .where('customer.deletedAt', 'is', null);
  if (options.forUpdate) query = query.forUpdate('customer');
  return query.executeTakeFirst();
}
export type CustomerRecord = NonNullable<Awaited<ReturnType<typeof findCustomer>>>;

export async function insertCustomer(trx: Trx, row: Omit<NewCustomerRow, 'merchantId'>): Promise<void> {
  await trx
    .insertInto('customer')
    .values({ ...row, merchantId: sql<string>`app_current_merchant()` })
    .execute();
}

export async function updateCustomer(trx: Trx, id: string, changes: CustomerRowUpdate): Promise<void> {
  await trx
    .updateTable('customer')
    .set({ ...changes, updatedAt: sql`now()`, version: sql`version + 1` })
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .execute();
}

export async function softDeleteCustomer(trx: Trx, id: string): Promise<boolean> {
  const result = await trx
    .updateTable('customer')
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()`, version: sql`version + 1` })
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Live customers, newest first, a page after `after` (keyset: stable while rows are added). */
export async function listCustomers(trx: Trx, options: { limit: number; after?: KeysetPosition }) {
  let query = trx
    .selectFrom('customer')
    .innerJoin('customerGroup', (join) =>
      join
        .onRef('customerGroup.merchantId', '=', 'customer.merchantId')
        .onRef('customerGroup.id', '=', 'customer.groupId'),
    )
    .leftJoin('customerStats', (join) =>
      join
        .onRef('customerStats.merchantId', '=', 'customer.merchantId')
        .onRef('customerStats.customerId', '=', 'customer.id'),
    )
    .selectAll('customer')
    .select(STATS_COLUMNS)
    .select([
      'customerGroup.name as groupName',
      // Microsecond precision: a JavaScript Date would round the cursor to milliseconds.
      sql<string>`to_char(customer.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position'),
    ])
    .where('customer.deletedAt', 'is', null);
  if (options.after) {
    const { at, id } = options.after;
    query = query.where(sql<boolean>`(customer.created_at, customer.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  return query.orderBy('customer.createdAt', 'desc').orderBy('customer.id', 'desc').limit(options.limit).execute();
}

export async function findGroup(trx: Trx, id: string) {
  return trx.selectFrom('customerGroup').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function findDefaultGroup(trx: Trx) {
  return trx.selectFrom('customerGroup').select(['id', 'name']).where('isDefault', '=', true).executeTakeFirstOrThrow();
}

export async function storeExists(trx: Trx, id: string): Promise<boolean> {
  const row = await trx.selectFrom('store').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export async function insertNote(trx: Trx, note: { id: string; customerId: string; authorName: string; body: string }) {
  return trx
    .insertInto('customerNote')
    .values({ ...note, merchantId: sql<string>`app_current_merchant()` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A customer's notes, newest first. */
export async function listNotes(trx: Trx, customerId: string) {
  return trx
    .selectFrom('customerNote')
    .selectAll()
    .where('customerId', '=', customerId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** A search box must never hold a connection for long, whatever is typed: 3 s, then an error. */
export async function limitSearchTime(trx: Trx): Promise<void> {
  await sql`SELECT set_config('statement_timeout', '3000', true)`.execute(trx);
}

/** Ranks of a search result: exact match, whole-word or contains match, prefix match, typo match. */
export type SearchRank = 0 | 1 | 2 | 3;

/**
 * Customers matching a planned search, best first: by rank, then most recent activity. Each branch
 * uses its own index (email and code prefixes, the names' full-text vector, the phone digits' trigrams)
 * and the candidates are filtered before they are sorted.
 */
export async function searchCustomerIds(
  trx: Trx,
  plan: SearchPlan,
  limit: number,
): Promise<{ id: string; rank: SearchRank }[]> {
  const branches = [
    sql`SELECT id, 0 AS rank FROM customer WHERE deleted_at IS NULL AND (lower(code) = lower(${plan.whole}) OR lower(email) = lower(${plan.whole}))`,
  ];
  if (plan.email) {
    branches.push(
      sql`SELECT id, 1 FROM customer WHERE deleted_at IS NULL AND lower(email) LIKE ${`${escapeLike(plan.email)}%`} LIMIT 2000`,
    );
  }
  if (!plan.email && !plan.whole.includes(' ') && plan.whole.length >= 3 && plan.digits.length === 0) {
    // An email typed without its @ yet: "jsmith" is the start of jsmith@example.com.
    branches.push(
      sql`SELECT id, 2 FROM customer WHERE deleted_at IS NULL AND lower(email) LIKE ${`${escapeLike(plan.whole.toLowerCase())}%`} LIMIT 2000`,
    );
  }
  if (!plan.whole.includes(' ') && plan.whole.length >= 2) {
    branches.push(
      sql`SELECT id, 2 FROM customer WHERE deleted_at IS NULL AND lower(code) LIKE ${`${escapeLike(plan.whole.toLowerCase())}%`} LIMIT 2000`,
    );
  }
  const digitFilters = plan.digits.map((d) => sql`phone_digits LIKE ${`%${d}%`}`);
  if (plan.words.length > 0) {
    const words = sql`unnest(${plan.words}::text[]) AS w WHERE patron_fold(w) <> ''`;
    const prefixQuery = sql`(SELECT string_agg(quote_literal(patron_fold(w)) || ':*', ' & ') FROM ${words})::tsquery`;
    const wholeQuery = sql`(SELECT string_agg(quote_literal(patron_fold(w)), ' & ') FROM ${words})::tsquery`;
    branches.push(sql`
      SELECT id, CASE WHEN search_names @@ ${wholeQuery} THEN 1 ELSE 2 END
      FROM customer
      WHERE deleted_at IS NULL AND search_names @@ ${prefixQuery}
        ${digitFilters.length > 0 ? sql`AND ${sql.join(digitFilters, sql` AND `)}` : sql``}
      LIMIT 2000`);
  } else if (digitFilters.length > 0) {
    const exact =
      plan.digits.length === 1 ? sql`(' ' || phone_digits || ' ') LIKE ${`% ${plan.digits[0]} %`}` : sql`false`;
    branches.push(sql`
      SELECT id, CASE WHEN ${exact} THEN 0 ELSE 1 END
      FROM customer WHERE deleted_at IS NULL AND ${sql.join(digitFilters, sql` AND `)}
      LIMIT 2000`);
  }
  const { rows } = await sql<{ id: string; rank: SearchRank }>`
    WITH candidates AS MATERIALIZED (${sql.join(
      branches.map((branch) => sql`(${branch})`),
      sql` UNION ALL `,
    )}),
    best AS (SELECT id, min(rank) AS rank FROM candidates GROUP BY id)
    SELECT best.id, best.rank
    FROM best
    JOIN customer c ON c.id = best.id
    LEFT JOIN customer_stats s ON s.customer_id = best.id
    ORDER BY best.rank, coalesce(s.last_order_at, c.updated_at) DESC, best.id
    LIMIT ${limit}`.execute(trx);
  return rows;
}

/** When nothing matches as typed: names within a typo or two, most similar first (slower: a fallback). */
export async function searchCustomerIdsFuzzy(
  trx: Trx,
  text: string,
  limit: number,
): Promise<{ id: string; rank: SearchRank }[]> {
  await sql`SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', true)`.execute(trx);
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM customer
    WHERE deleted_at IS NULL AND patron_fold(${text}) <% search_text
    ORDER BY patron_fold(${text}) <<-> search_text, updated_at DESC, id
    LIMIT ${limit}`.execute(trx);
  return rows.map((r) => ({ id: r.id, rank: 3 }));
}

/** Full customer rows (with group and statistics) for these ids, in no particular order. */
export async function findCustomersByIds(trx: Trx, ids: string[]) {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('customer')
    .innerJoin('customerGroup', (join) =>
      join
        .onRef('customerGroup.merchantId', '=', 'customer.merchantId')
        .onRef('customerGroup.id', '=', 'customer.groupId'),
    )
    .leftJoin('customerStats', (join) =>
      join
        .onRef('customerStats.merchantId', '=', 'customer.merchantId')
        .onRef('customerStats.customerId', '=', 'customer.id'),
    )
    .selectAll('customer')
    .select(STATS_COLUMNS)
    .select('customerGroup.name as groupName')
    .where('customer.id', 'in', ids)
    .where('customer.deletedAt', 'is', null)
    .execute();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

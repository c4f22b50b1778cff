import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import type { CustomerRowUpdate, NewCustomerRow } from '../../platform/db/schema.ts';
import type { KeysetPosition } from '../../platform/http/cursor.ts';
import type { SearchPlan } from './customer-search.ts';

/**
 * How a customer is named on receipts and reports, one definition for all: their name, else company,
 * email or code. `table` is the alias the query gives the customer table.
 */
export function customerLabel(table = 'customer') {
  const t = sql.ref(table);
  return sql<string>`coalesce(nullif(concat_ws(' ', ${t}.first_name, ${t}.last_name), ''), ${t}.company_name, ${t}.email, ${t}.code)`;
}

/** The maintained statistics, read beside the customer (zeros before the first sale). */
const STATS_COLUMNS = [
  'customerStats.totalSpent',
  'customerStats.orderCount',
  'customerStats.visitCount',
  'customerStats.returnCount',
  'customerStats.firstOrderAt',
  'customerStats.lastOrderAt',
] as const;

/** Customers with what the API shows beside them: their group and their statistics. */
function liveCustomers(trx: Trx) {
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
    .where('customer.deletedAt', 'is', null);
}

/** A customer row with what the API shows beside it (its group's name, its statistics). */
export async function findCustomer(trx: Trx, id: string, options: { forUpdate?: boolean } = {}) {
  let query = liveCustomers(trx).select('customerGroup.name as groupName').where('customer.id', '=', id);
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
  let query = liveCustomers(trx).select([
    'customerGroup.name as groupName',
    // Microsecond precision: a JavaScript Date would round the cursor to milliseconds.
    sql<string>`to_char(customer.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position'),
  ]);
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
 * Customers matching a planned search, best first: by rank, then most recent activity. The SQL is the
 * function search_customer_ids (migration 0006): it runs for the current merchant only, as the table
 * owner, because row-level security would keep every search index out of use.
 */
export async function searchCustomerIds(
  trx: Trx,
  plan: SearchPlan,
  limit: number,
): Promise<{ id: string; rank: SearchRank }[]> {
  const { rows } = await sql<{ id: string; rank: SearchRank }>`
    SELECT id, rank FROM search_customer_ids(${plan.whole}, ${plan.words}::text[], ${plan.digits}::text[], ${plan.email}, ${limit})`.execute(
    trx,
  );
  return rows;
}

/** When nothing matches as typed: names within a typo or two, most similar first (slower: a fallback). */
export async function searchCustomerIdsFuzzy(
  trx: Trx,
  text: string,
  limit: number,
): Promise<{ id: string; rank: SearchRank }[]> {
  const { rows } = await sql<{
    id: string;
    rank: SearchRank;
  }>`SELECT id, rank FROM search_customer_ids_fuzzy(${text}, ${limit})`.execute(trx);
  return rows;
}

/** Full customer rows (with group and statistics) for these ids, in no particular order. */
export async function findCustomersByIds(trx: Trx, ids: string[]) {
  if (ids.length === 0) return [];
  return liveCustomers(trx).select('customerGroup.name as groupName').where('customer.id', 'in', ids).execute();
}

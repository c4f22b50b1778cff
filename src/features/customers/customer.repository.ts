import { type RawBuilder, sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import type { CustomerRowUpdate, NewCustomerRow } from '../../platform/db/schema.ts';
import type { CustomerSortKey } from './customer.schema.ts';
import type { SearchPlan } from './customer-search.ts';

/**
 * How a customer is named on receipts and reports: their name, else company, email or code. The SQL
 * function customer_label (migration 0008) is the one definition. `table` is the customer table's alias.
 */
export function customerLabel(table = 'customer') {
  const t = sql.ref(table);
  return sql<string>`customer_label(${t}.first_name, ${t}.last_name, ${t}.company_name, ${t}.email, ${t}.code)`;
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

/** Live customers with what the API shows beside them: their group and their statistics. */
function liveCustomers(trx: Trx) {
  return customersWithDetails(trx).where('customer.deletedAt', 'is', null);
}

/** Customers, deleted ones included, with their group and their statistics. */
function customersWithDetails(trx: Trx) {
  return (
    trx
      .selectFrom('customer')
      .innerJoin('customerGroup', (join) =>
        join
          .onRef('customerGroup.merchantId', '=', 'customer.merchantId')
          .onRef('customerGroup.id', '=', 'customer.groupId'),
      )
      // Every customer has a statistics row (a trigger adds it), so the list can start from its indexes.
      .innerJoin('customerStats', (join) =>
        join
          .onRef('customerStats.merchantId', '=', 'customer.merchantId')
          .onRef('customerStats.customerId', '=', 'customer.id'),
      )
      .selectAll('customer')
      .select(STATS_COLUMNS)
  );
}

/** A customer row with what the API shows beside it (its group's name, its statistics). */
export async function findCustomer(trx: Trx, id: string, options: { forUpdate?: boolean } = {}) {
  let query = liveCustomers(trx).select('customerGroup.name as groupName').where('customer.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('customer');
  return query.executeTakeFirst();
}
export type CustomerRecord = NonNullable<Awaited<ReturnType<typeof findCustomer>>>;

/** A customer, deleted or not (a privacy request reaches a deleted customer's data too), locked when asked. */
export async function findAnyCustomer(trx: Trx, id: string, options: { forUpdate?: boolean } = {}) {
  let query = customersWithDetails(trx).select('customerGroup.name as groupName').where('customer.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('customer');
  return query.executeTakeFirst();
}

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

/** The filters of the customer list, as the API takes them. */
export interface CustomerFilterValues {
  groupId?: string | undefined;
  storeId?: string | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  firstOrderFrom?: string | undefined;
  firstOrderTo?: string | undefined;
  lastOrderFrom?: string | undefined;
  lastOrderTo?: string | undefined;
  totalSpentMin?: number | undefined;
  totalSpentMax?: number | undefined;
  ordersMin?: number | undefined;
  ordersMax?: number | undefined;
  emailMarketing?: boolean | undefined;
  hasEmail?: boolean | undefined;
  hasPhone?: boolean | undefined;
  hasBalance?: boolean | undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_FILTERS = [
  'createdFrom',
  'createdTo',
  'firstOrderFrom',
  'firstOrderTo',
  'lastOrderFrom',
  'lastOrderTo',
] as const satisfies readonly (keyof CustomerFilterValues)[];

/** The start of a day (YYYY-MM-DD) in the merchant's time zone; `next` for the day after it. */
function startOfDay(day: string, next = false) {
  const date = next ? sql`${day}::date + 1` : sql`${day}::date`;
  return sql`timezone((SELECT time_zone FROM merchant WHERE id = app_current_merchant()), (${date})::timestamp)`;
}

/**
 * The day filters as the instants they stand for (the start of a "from" day, the end of a "to" day, in the
 * merchant's time zone), looked up first: row-level security keeps a condition calling timezone() (not
 * leakproof) from using an index, and a range on a plain value can.
 */
export async function resolveDays(trx: Trx, filter: CustomerFilterValues): Promise<CustomerFilterValues> {
  const days = DAY_FILTERS.filter((name) => DAY.test(filter[name] ?? ''));
  if (days.length === 0) return filter;
  const { rows } = await sql<Record<string, string>>`SELECT ${sql.join(
    days.map(
      (name) =>
        sql`to_char(${startOfDay(filter[name] as string, name.endsWith('To'))} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ${sql.ref(name)}`,
    ),
  )}`.execute(trx);
  return { ...filter, ...rows[0] };
}

/** A bound of a day filter: the instant resolveDays found, or (not resolved) the day in SQL. */
function dayBound(value: string, end: boolean) {
  return DAY.test(value) ? startOfDay(value, end) : sql`${value}::timestamptz`;
}

/**
 * The conditions of the filters that are set: on the customer's row (as `customer`) and on their statistics (as
 * `customer_stats`).
 */
function filterConditions(f: CustomerFilterValues): { customer: RawBuilder<boolean>[]; stats: RawBuilder<boolean>[] } {
  const customer: RawBuilder<boolean>[] = [];
  const stats: RawBuilder<boolean>[] = [];
  const add = (condition: RawBuilder<unknown>) => customer.push(condition as RawBuilder<boolean>);
  const addStats = (condition: RawBuilder<unknown>) => stats.push(condition as RawBuilder<boolean>);
  if (f.groupId) add(sql`customer.group_id = ${f.groupId}::uuid`);
  if (f.storeId) add(sql`customer.created_store_id = ${f.storeId}::uuid`);
  if (f.createdFrom) add(sql`customer.created_at >= ${dayBound(f.createdFrom, false)}`);
  if (f.createdTo) add(sql`customer.created_at < ${dayBound(f.createdTo, true)}`);
  if (f.firstOrderFrom) addStats(sql`customer_stats.first_order_at >= ${dayBound(f.firstOrderFrom, false)}`);
  if (f.firstOrderTo) addStats(sql`customer_stats.first_order_at < ${dayBound(f.firstOrderTo, true)}`);
  // On the last-order sort's column (never ordered = -infinity), so its index serves the range too.
  if (f.lastOrderFrom) addStats(sql`customer_stats.last_order_sort >= ${dayBound(f.lastOrderFrom, false)}`);
  if (f.lastOrderTo) {
    addStats(sql`customer_stats.last_order_sort < ${dayBound(f.lastOrderTo, true)}`);
    addStats(sql`customer_stats.last_order_sort > '-infinity'::timestamptz`);
  }
  if (f.totalSpentMin !== undefined) addStats(sql`customer_stats.total_spent >= ${f.totalSpentMin}::bigint`);
  if (f.totalSpentMax !== undefined) addStats(sql`customer_stats.total_spent <= ${f.totalSpentMax}::bigint`);
  if (f.ordersMin !== undefined) addStats(sql`customer_stats.order_count >= ${f.ordersMin}::int`);
  if (f.ordersMax !== undefined) addStats(sql`customer_stats.order_count <= ${f.ordersMax}::int`);
  if (f.emailMarketing !== undefined) add(sql`customer.email_marketing = ${f.emailMarketing}`);
  if (f.hasEmail !== undefined) add(sql`(customer.email IS NOT NULL) = ${f.hasEmail}`);
  if (f.hasBalance !== undefined) {
    add(sql`EXISTS (SELECT FROM customer_balance b WHERE b.merchant_id = customer.merchant_id AND b.customer_id = customer.id
              AND (b.loyalty_points <> 0 OR b.store_credit <> 0 OR b.account <> 0)) = ${f.hasBalance}`);
  }
  if (f.hasPhone !== undefined) {
    add(sql`(customer.phone_e164 IS NOT NULL OR customer.mobile_e164 IS NOT NULL) = ${f.hasPhone}`);
  }
  return { customer, stats };
}

/**
 * What each sort orders by, and the id that breaks ties in the same direction, both from the table
 * whose index serves the sort. The key is sent back in cursors as text, and read back with its type.
 */
const SORT_COLUMNS: Record<CustomerSortKey, { key: RawBuilder<unknown>; id: RawBuilder<unknown>; type: string }> = {
  name: { key: sql`customer.name_sort`, id: sql`customer.id`, type: 'text' },
  createdAt: { key: sql`customer.created_at`, id: sql`customer.id`, type: 'timestamptz' },
  totalSpent: { key: sql`customer_stats.total_spent`, id: sql`customer_stats.customer_id`, type: 'bigint' },
  orders: { key: sql`customer_stats.order_count`, id: sql`customer_stats.customer_id`, type: 'int' },
  lastOrderAt: {
    key: sql`customer_stats.last_order_sort`,
    id: sql`customer_stats.customer_id`,
    type: 'timestamptz',
  },
};

/** A position in a sorted list: the sort key of the last row a page showed (as text), and its id. */
export interface SortPosition {
  key: string;
  id: string;
}

/**
 * Most customers that filters on statistics may match for the list to gather them first when it is sorted by a
 * column of the customer's own (name, created): it then walks the sort's index checking each customer against the
 * set gathered (a hash), instead of reading each customer's statistics row on the way. Gathering costs about a µs a
 * match; each statistics row read on the way about 5 µs, and a page walks past 50 / (share matching) customers: the
 * two meet near 16,000 matches in a million. Customers with 100 orders or more (9,381) by name: 25–39 ms → ~11 ms.
 */
const FEW_STATS_MATCHES = 16_000;

/** A node of PostgreSQL's plan, as EXPLAIN (FORMAT JSON) gives it. */
interface PlanNode {
  'Node Type'?: string;
  'Plan Rows'?: number;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
}

/** The plan PostgreSQL makes for `query`, for the values given (not run). */
async function explained(query: {
  explain: (format: 'json') => Promise<Record<string, unknown>[]>;
}): Promise<PlanNode | undefined> {
  const [row] = await query.explain('json');
  return (row?.['QUERY PLAN'] as { Plan?: PlanNode }[] | undefined)?.[0]?.Plan;
}

/** How many rows PostgreSQL expects `query` to give (its plan's estimate, for the values given). */
async function expectedRows(query: Parameters<typeof explained>[0]) {
  return (await explained(query))?.['Plan Rows'] ?? Number.POSITIVE_INFINITY;
}

/**
 * Live customers matching the filters (and, if given, among `ids`), in the order of `sort`, a page
 * after `after`. Keyset pagination: stable while customers are added or change.
 */
export async function listCustomers(
  trx: Trx,
  options: {
    filter: CustomerFilterValues;
    sort: CustomerSortKey;
    descending: boolean;
    limit: number;
    after?: SortPosition | undefined;
    /** Only the customers a search matches (see `searchMatch`). */
    match?: CustomerMatch | undefined;
  },
) {
  const { key, id, type } = SORT_COLUMNS[options.sort];
  const direction = sql.raw(options.descending ? 'DESC' : 'ASC');
  const keyset = options.after
    ? sql<boolean>`(${key}, ${id}) ${sql.raw(options.descending ? '<' : '>')} (${options.after.key}::${sql.raw(type)}, ${options.after.id}::uuid)`
    : undefined;
  const conditions = filterConditions(options.filter);
  let query = liveCustomers(trx).select(['customerGroup.name as groupName', sql<string>`${key}::text`.as('position')]);
  if (!options.match && conditions.stats.length > 0 && (options.sort === 'name' || options.sort === 'createdAt')) {
    let matches = trx.selectFrom('customerStats').select('customerStats.customerId');
    for (const condition of conditions.stats) matches = matches.where(condition);
    if ((await expectedRows(matches)) <= FEW_STATS_MATCHES) {
      // `IS TRUE` keeps the IN a hashed subplan checked on the sort's index, rather than a join (which would read
      // the statistics of each customer walked past, or lose the index's order).
      let page = trx
        .selectFrom('customer')
        .select('customer.id')
        .where('customer.deletedAt', 'is', null)
        .where(sql<boolean>`(customer.id IN (${matches})) IS TRUE`);
      for (const condition of conditions.customer) page = page.where(condition);
      if (keyset) page = page.where(keyset);
      page = page.orderBy(sql`${key} ${direction}`).orderBy(sql`${id} ${direction}`).limit(options.limit);
      return query
        .where(sql<boolean>`customer.id IN (${page})`)
        .orderBy(sql`${key} ${direction}`)
        .orderBy(sql`${id} ${direction}`)
        .execute();
    }
  }
  for (const condition of [...conditions.customer, ...conditions.stats]) query = query.where(condition);
  if (options.match) query = query.where(options.match);
  if (keyset) query = query.where(keyset);
  return query.orderBy(sql`${key} ${direction}`).orderBy(sql`${id} ${direction}`).limit(options.limit).execute();
}

/**
 * Ids of the live customers matching the filters (and `match`, if given). Joined with their
 * statistics when a filter reads them or `withStats` asks (every customer has a statistics row, so the
 * join drops nobody); otherwise not: joining a million statistics rows costs more than reading the
 * customers.
 */
export function matchingCustomerIds(
  trx: Trx,
  filter: CustomerFilterValues,
  match?: CustomerMatch,
  options: { withStats?: boolean } = {},
) {
  const conditions = filterConditions(filter);
  const withStats = options.withStats || conditions.stats.length > 0;
  let query = trx
    .selectFrom('customer')
    .$if(withStats, (customers) =>
      customers.innerJoin('customerStats', (join) =>
        join
          .onRef('customerStats.merchantId', '=', 'customer.merchantId')
          .onRef('customerStats.customerId', '=', 'customer.id'),
      ),
    )
    .select('customer.id')
    .where('customer.deletedAt', 'is', null);
  for (const condition of [...conditions.customer, ...conditions.stats]) query = query.where(condition);
  if (match) query = query.where(match);
  return query;
}

/** How many live customers match the filters (and `match`, if given), counting no further than `bound`. */
export async function countCustomers(
  trx: Trx,
  filter: CustomerFilterValues,
  bound: number,
  match?: CustomerMatch,
): Promise<number> {
  const row = await trx
    .selectFrom(matchingCustomerIds(trx, filter, match).limit(bound).as('matching'))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Which of `ids` are live customers matching the filters. */
export async function filterCustomerIds(trx: Trx, filter: CustomerFilterValues, ids: string[]): Promise<Set<string>> {
  return new Set((await matchingCustomerIds(trx, filter, idsMatch(ids)).execute()).map((row) => row.id));
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
export const SEARCH_TIMEOUT_MS = 3000;

/** The search's time limit for the rest of a transaction that did not start with it (see `withMerchant`). */
export async function limitSearchTime(trx: Trx): Promise<void> {
  await sql`SELECT set_config('statement_timeout', ${String(SEARCH_TIMEOUT_MS)}, true)`.execute(trx);
}

/** Ranks of a search result: exact match, whole-word or contains match, prefix match, typo match. */
export type SearchRank = 0 | 1 | 2 | 3;

/**
 * Customers matching a planned search, best first: a loyalty card number's customer, then by rank, then most
 * recent activity. The SQL is the function search_customer_ids (migrations 0006, 0030): it runs for the current
 * merchant only, as the table owner, because row-level security would keep every search index out of use.
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

/**
 * Which customers a list, a count or an export keeps: a condition on `customer`, from a search (`searchMatch`) or a
 * list of ids (`idsMatch`).
 */
export type CustomerMatch = RawBuilder<boolean>;

/** The customers among `ids`. */
export function idsMatch(ids: string[]): CustomerMatch {
  return sql<boolean>`customer.id = ANY(${ids}::uuid[])`;
}

/** What a search looks for, as the SQL function search_terms (migration 0034) reads what was typed. */
interface SearchTerms {
  /** Every word typed, as the start of a word of the name (a tsquery's text), or null. */
  names: string | null;
  /** Every word typed, whole. */
  wholeNames: string | null;
  typed: string;
  codePrefix: boolean;
  emailPrefix: string | null;
  digitPatterns: string[] | null;
  cardCustomers: string[];
  /** The merchant's customers, as PostgreSQL expects them (outside row-level security). */
  customersExpected: number;
}

/** Cost of a customer gathered from the search indexes, and of one a list walks past to check it (µs, measured). */
const GATHER_COST = 4;
const WALK_COST = 10;

/**
 * Every customer a search matches as typed, as a condition for a list, a count or an export: not ranked, and not
 * cut at the 2,000 best a ranking looks at. Two ways give the same customers (migration 0034): gathered from the
 * search indexes by search_customer_matches, or checked on each customer the list walks past in its sort's (or a
 * filter's) index. Gathering reads every match; walking reads customers until `wanted` of them match the search and
 * the filters. PostgreSQL's estimates of the matches, of the filters' and of all customers choose the cheaper:
 * "mar" (5 % of names), top spenders first, walks ~1,000 customers instead of gathering 51,000; "smith" in London
 * gathers 2,800 instead of walking a quarter of the directory. `undefined` when what was typed looks for nothing.
 */
export async function searchMatch(
  trx: Trx,
  plan: SearchPlan,
  filter: CustomerFilterValues,
  wanted: number,
  /** One way, without estimating (tests compare the two). */
  way?: 'gathered' | 'checked',
): Promise<SearchSelection | undefined> {
  const { rows } = await sql<SearchTerms>`
    SELECT names::text AS names, whole_names::text AS "wholeNames", typed, code_prefix AS "codePrefix", email_prefix AS "emailPrefix",
           digit_patterns AS "digitPatterns", card_customers AS "cardCustomers",
           merchant_customers_expected() AS "customersExpected"
      FROM search_terms(${plan.whole}, ${plan.words}::text[], ${plan.digits}::text[], ${plan.email})`.execute(trx);
  const terms = rows[0];
  if (!terms) return undefined;
  const checked = checkedMatch(terms);
  if (way)
    return { match: way === 'gathered' ? gatheredMatch(plan) : checked, checked, rank: rankOf(terms), expected: 0 };
  const [searchedSeen = 0, filteredSeen = 0, allSeen = 0] = await expectedMembers(
    matchingCustomerIds(trx, {}, checked)
      .unionAll(matchingCustomerIds(trx, filter))
      .unionAll(matchingCustomerIds(trx, {})),
  );
  // Through row-level security PostgreSQL sees an average merchant's share of the table: scaled to this merchant's.
  const scale = allSeen > 0 ? terms.customersExpected / allSeen : 1;
  const [searched, filtered, all] = [searchedSeen * scale, filteredSeen * scale, allSeen * scale];
  // Filters and search taken as independent: a walk passes all / both customers for each it keeps.
  const both = (searched * filtered) / Math.max(all, 1);
  const walked = both > 0 ? Math.min(all, (wanted * all) / both) : all;
  const match = searched * GATHER_COST <= walked * WALK_COST ? gatheredMatch(plan) : checked;
  return { match, checked, rank: rankOf(terms), expected: searched };
}

/**
 * Who a search matches (`searchMatch`), how well each matches, and how many it is expected to match. The rank
 * is coarser than search_customer_ids's: 0 a card, code or email as typed, 1 a name with every word whole, 2 the
 * others (there, a card comes before a code, an email typed with its @ ranks 1, and phone numbers have ranks of
 * their own).
 */
export interface SearchSelection {
  match: CustomerMatch;
  /** The same customers, always checked on the way (for a walk, whatever the estimates chose for `match`). */
  checked: CustomerMatch;
  rank: RawBuilder<number>;
  /** How many customers PostgreSQL expects the search to match, scaled to the merchant (0 when not estimated). */
  expected: number;
}

function rankOf(t: SearchTerms): RawBuilder<number> {
  const whole = t.wholeNames === null ? sql`` : sql`WHEN customer.search_names @@ ${t.wholeNames}::tsquery THEN 1`;
  return sql<number>`CASE WHEN ${sql.join(exactConditions(t), sql` OR `)} THEN 0 ${whole} ELSE 2 END`;
}

/** A card, code or email as typed. */
function exactConditions(t: SearchTerms): RawBuilder<unknown>[] {
  const exact: RawBuilder<unknown>[] = [
    sql`lower(customer.code) = ${t.typed}`,
    sql`lower(customer.email) = ${t.typed}`,
  ];
  if (t.cardCustomers.length > 0) exact.push(sql`customer.id = ANY(${t.cardCustomers}::uuid[])`);
  return exact;
}

/**
 * The first `limit` ids of the customers a search matches with the filters, best first: by rank, then the most
 * recent activity (as search_customer_ids orders them). Every match is ranked: for a search with filters.
 */
export async function rankedMatchIds(
  trx: Trx,
  filter: CustomerFilterValues,
  search: SearchSelection,
  limit: number,
): Promise<string[]> {
  const rows = await matchingCustomerIds(trx, filter, search.match, { withStats: true })
    .orderBy(search.rank)
    .orderBy(sql`coalesce(customer_stats.last_order_at, customer.updated_at) DESC`)
    .orderBy('customer.id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Up to `limit` ids of the live customers a search matches as typed, as the SQL function gathers them. */
function customerMatches(plan: SearchPlan, limit: number) {
  return sql`search_customer_matches(${plan.whole}, ${plan.words}::text[], ${plan.digits}::text[], ${plan.email},
                                     ${limit}::int)`;
}

/** Whether anyone matches what was typed as it was typed (else a search looks for names within a typo). */
export async function matchesAsTyped(trx: Trx, plan: SearchPlan): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    SELECT EXISTS (SELECT FROM ${customerMatches(plan, 1)}) AS found`.execute(trx);
  return rows[0]?.found ?? false;
}

/** search_customer_matches's customers, checked on one customer row (the same conditions, without their indexes). */
function checkedMatch(t: SearchTerms): CustomerMatch {
  const either = exactConditions(t);
  if (t.names !== null) {
    either.push(
      t.digitPatterns
        ? sql`(customer.search_names @@ ${t.names}::tsquery AND customer.phone_digits LIKE ALL (${t.digitPatterns}::text[]))`
        : sql`customer.search_names @@ ${t.names}::tsquery`,
    );
  } else if (t.digitPatterns) {
    either.push(sql`customer.phone_digits LIKE ALL (${t.digitPatterns}::text[])`);
  }
  if (t.codePrefix) either.push(sql`starts_with(lower(customer.code), ${t.typed})`);
  if (t.emailPrefix !== null) either.push(sql`starts_with(lower(customer.email), ${t.emailPrefix})`);
  return sql<boolean>`(${sql.join(either, sql` OR `)})`;
}

/**
 * Every customer search_customer_matches finds. As an array, which PostgreSQL reads once and looks up in the primary
 * key: as `IN (SELECT …)` it may walk a sort's index instead, checking each customer against the set (a page of
 * "smith" in London by name: 72 ms against 33, in EXPLAIN ANALYZE).
 */
function gatheredMatch(plan: SearchPlan): CustomerMatch {
  return sql<boolean>`customer.id = ANY(ARRAY(SELECT found FROM ${customerMatches(plan, MATCHES_ALL)} AS found))`;
}

/** Up to `limit` of the live customers a search matches as typed (gathered, in no particular order). */
export async function gatherMatchIds(trx: Trx, plan: SearchPlan, limit: number): Promise<string[]> {
  const { rows } = await sql<{ found: string }>`SELECT found FROM ${customerMatches(plan, limit)} AS found`.execute(
    trx,
  );
  return rows.map((row) => row.found);
}

/** How many live customers a search matches as typed, counting no further than `bound` (no filters: no join). */
export async function countSearchMatches(trx: Trx, plan: SearchPlan, bound: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${customerMatches(plan, bound)}`.execute(
    trx,
  );
  return rows[0]?.n ?? 0;
}

/** No limit, for search_customer_matches. */
const MATCHES_ALL = 2_147_483_647;

/** The rows PostgreSQL expects each member of a UNION ALL to give, in order. */
async function expectedMembers(query: Parameters<typeof explained>[0]) {
  let plan = await explained(query);
  // Through a Gather (parallel workers) to the Append of the members.
  while (plan && plan['Node Type'] !== 'Append') {
    plan = plan.Plans?.find((node) => node['Parent Relationship'] === 'Outer');
  }
  return (plan?.Plans ?? [])
    .filter((node) => node['Parent Relationship'] === 'Member')
    .map((node) => node['Plan Rows']);
}

/** Full customer rows (with group and statistics) for these ids, in no particular order. */
export async function findCustomersByIds(trx: Trx, ids: string[]) {
  if (ids.length === 0) return [];
  return liveCustomers(trx).select('customerGroup.name as groupName').where('customer.id', 'in', ids).execute();
}

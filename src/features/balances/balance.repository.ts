import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/database.ts';
import type { BalanceKind, BalanceReason } from '../../platform/db/schema.ts';
import type { KeysetPosition } from '../../platform/http/cursor.ts';

/** A customer's balances (zeros before the first entry) and what a point is worth. */
export async function findBalances(trx: Trx, customerId: string) {
  const row = await trx
    .selectFrom('merchant')
    .leftJoin('customerBalance', (join) => join.on('customerBalance.customerId', '=', customerId))
    .select([
      'merchant.loyaltyPointValue',
      sql<number>`coalesce(customer_balance.loyalty_points, 0)`.as('loyaltyPoints'),
      sql<number>`coalesce(customer_balance.store_credit, 0)`.as('storeCredit'),
      sql<number>`coalesce(customer_balance.account, 0)`.as('account'),
    ])
    .executeTakeFirstOrThrow();
  return row;
}

/** A customer's ledger, newest first, a page after `after`. */
export async function listEntries(
  trx: Trx,
  customerId: string,
  options: { balance?: BalanceKind | undefined; limit: number; after?: KeysetPosition | undefined },
) {
  let query = trx
    .selectFrom('balanceEntry')
    .leftJoin('sale', 'sale.id', 'balanceEntry.saleId')
    .leftJoin('invoice', 'invoice.id', 'balanceEntry.invoiceId')
    .selectAll('balanceEntry')
    .select([
      'sale.receiptRef',
      'invoice.number as invoiceNumber',
      sql<string>`to_char(balance_entry.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position'),
    ])
    .where('balanceEntry.customerId', '=', customerId);
  if (options.balance) query = query.where('balanceEntry.balance', '=', options.balance);
  if (options.after) {
    query = query.where(
      sql<boolean>`(balance_entry.created_at, balance_entry.id) < (${options.after.at}::timestamptz, ${options.after.id}::uuid)`,
    );
  }
  return query
    .orderBy('balanceEntry.createdAt', 'desc')
    .orderBy('balanceEntry.id', 'desc')
    .limit(options.limit)
    .execute();
}

/**
 * Add an entry to the ledger and its balance (the SQL function post_balance_entry, migration 0010):
 * refused with balance_insufficient when it would take the balance below zero.
 */
export async function postEntry(
  trx: Trx,
  entry: { customerId: string; balance: BalanceKind; amount: number; reason: BalanceReason; note: string; by: string },
): Promise<number> {
  const { rows } = await sql<{ after: number }>`
    SELECT post_balance_entry(${entry.customerId}::uuid, ${entry.balance}, ${entry.amount}::bigint, ${entry.reason},
      ${entry.note}, NULL, NULL, ${entry.by}, false) AS after`.execute(trx);
  return Number(rows[0]?.after);
}

/** Merchants whose points lapse (loyalty on, with an expiry): all of them, as the table owner sees them. */
export async function merchantsWithExpiry(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('merchant')
    .select('id')
    .where('loyaltyEnabled', '=', true)
    .where('loyaltyExpiryMonths', 'is not', null)
    .execute();
  return rows.map((row) => row.id);
}

/** Lapse the points whose time is up (SQL function expire_loyalty_points); how many customers lost some. */
export async function expirePoints(trx: Trx, now: Date, by: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT expire_loyalty_points(${now}, ${by}) AS n`.execute(trx);
  return rows[0]?.n ?? 0;
}

export async function listCards(trx: Trx, customerId: string) {
  return trx
    .selectFrom('loyaltyCard')
    .selectAll()
    .where('customerId', '=', customerId)
    .orderBy('active', 'desc')
    .orderBy('createdAt', 'desc')
    .execute();
}

export async function insertCard(
  trx: Trx,
  card: { id: string; customerId: string; number: string; createdBy: string },
) {
  return trx
    .insertInto('loyaltyCard')
    .values({ ...card, merchantId: sql<string>`app_current_merchant()` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deactivateCard(trx: Trx, customerId: string, cardId: string, by: string) {
  return trx
    .updateTable('loyaltyCard')
    .set({ active: false, deactivatedAt: sql`now()`, deactivatedBy: by })
    .where('id', '=', cardId)
    .where('customerId', '=', customerId)
    .where('active', '=', true)
    .returningAll()
    .executeTakeFirst();
}

/** The live customer an exact code, email or active card number names (SQL function customer_id_by). */
export async function customerIdBy(trx: Trx, kind: 'code' | 'email' | 'card', value: string) {
  const { rows } = await sql<{ id: string | null }>`SELECT customer_id_by(${kind}, ${value}) AS id`.execute(trx);
  return rows[0]?.id ?? null;
}

export interface BalanceDifference {
  merchantId: string;
  customerId: string;
  balance: BalanceKind;
  kept: number;
  ledger: number;
}

/**
 * Every customer (of every merchant) whose kept balance differs from the sum of their ledger. Runs as
 * the table owner: it checks the whole database.
 */
export async function findBalanceDifferences(db: Db): Promise<{ checked: number; differences: BalanceDifference[] }> {
  const { rows } = await sql<{
    merchantId: string;
    customerId: string;
    balance: BalanceKind;
    kept: string;
    ledger: string;
  }>`
    WITH ledger AS (
      SELECT merchant_id, customer_id,
             coalesce(sum(amount) FILTER (WHERE balance = 'loyalty'), 0) AS loyalty_points,
             coalesce(sum(amount) FILTER (WHERE balance = 'store_credit'), 0) AS store_credit,
             coalesce(sum(amount) FILTER (WHERE balance = 'account'), 0) AS account
      FROM balance_entry GROUP BY merchant_id, customer_id
    )
    SELECT coalesce(b.merchant_id, l.merchant_id) AS "merchantId", coalesce(b.customer_id, l.customer_id) AS "customerId",
           x.balance, x.kept, x.ledger
    FROM customer_balance b
    FULL JOIN ledger l ON l.merchant_id = b.merchant_id AND l.customer_id = b.customer_id
    CROSS JOIN LATERAL (VALUES
      ('loyalty', coalesce(b.loyalty_points, 0), coalesce(l.loyalty_points, 0)),
      ('store_credit', coalesce(b.store_credit, 0), coalesce(l.store_credit, 0)),
      ('account', coalesce(b.account, 0), coalesce(l.account, 0))) AS x(balance, kept, ledger)
    WHERE x.kept <> x.ledger
    LIMIT 1000`.execute(db);
  const checked = await db
    .selectFrom('customerBalance')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return {
    checked: checked.n,
    differences: rows.map((r) => ({ ...r, kept: Number(r.kept), ledger: Number(r.ledger) })),
  };
}

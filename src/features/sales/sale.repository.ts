import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db, Trx } from '../../platform/db/database.ts';
import type { SaleLineTable, SalePaymentTable, SaleTable } from '../../platform/db/schema.ts';
import type { KeysetPosition } from '../../platform/http/cursor.ts';
import { customerLabel } from '../customers/customer.repository.ts';

export async function insertSale(
  trx: Trx,
  sale: Omit<Insertable<SaleTable>, 'merchantId'>,
  lines: Omit<Insertable<SaleLineTable>, 'merchantId' | 'saleId'>[],
  payments: Omit<Insertable<SalePaymentTable>, 'merchantId' | 'saleId'>[],
): Promise<void> {
  const merchantId = sql<string>`app_current_merchant()`;
  await trx
    .insertInto('sale')
    .values({ ...sale, merchantId })
    .execute();
  await trx
    .insertInto('saleLine')
    .values(lines.map((line) => ({ ...line, saleId: sale.id, merchantId })))
    .execute();
  if (payments.length > 0) {
    await trx
      .insertInto('salePayment')
      .values(payments.map((payment) => ({ ...payment, saleId: sale.id, merchantId })))
      .execute();
  }
}

export async function findSaleRow(trx: Trx, id: string, options: { forUpdate?: boolean } = {}) {
  let query = trx.selectFrom('sale').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}
export type SaleRow = NonNullable<Awaited<ReturnType<typeof findSaleRow>>>;

export async function findSaleByReceipt(trx: Trx, storeId: string, receiptRef: string) {
  return trx
    .selectFrom('sale')
    .select(['id', 'requestHash'])
    .where('storeId', '=', storeId)
    .where('receiptRef', '=', receiptRef)
    .executeTakeFirst();
}

/** Sales with their store, customer, lines and payments, as the API shows them. */
function saleDetails(trx: Trx) {
  return trx
    .selectFrom('sale')
    .innerJoin('store', (join) =>
      join.onRef('store.merchantId', '=', 'sale.merchantId').onRef('store.id', '=', 'sale.storeId'),
    )
    .leftJoin('customer', (join) =>
      join.onRef('customer.merchantId', '=', 'sale.merchantId').onRef('customer.id', '=', 'sale.customerId'),
    )
    .selectAll('sale')
    .select([
      'store.name as storeName',
      'store.timeZone as storeTimeZone',
      sql<string | null>`CASE WHEN customer.deleted_at IS NULL THEN ${customerLabel()} END`.as('customerName'),
      sql<string>`to_char(sale.sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position'),
      sql<LineJson[]>`(
        SELECT coalesce(json_agg(json_build_object(
          'lineNo', l.line_no, 'productId', l.product_id, 'sku', l.sku, 'description', l.description,
          'quantity', l.quantity, 'unitPrice', l.unit_price, 'unitCost', l.unit_cost, 'discount', l.discount,
          'tax', l.tax, 'total', l.total, 'refundsLineNo', l.refunds_line_no) ORDER BY l.line_no), '[]')
        FROM sale_line l WHERE l.sale_id = sale.id)`.as('lines'),
      sql<{ id: string; number: number } | null>`(
        SELECT json_build_object('id', i.id, 'number', i.number) FROM invoice i WHERE i.sale_id = sale.id)`.as(
        'invoice',
      ),
      sql<PaymentJson[]>`(
        SELECT coalesce(json_agg(json_build_object('method', p.method, 'amount', p.amount) ORDER BY p.line_no), '[]')
        FROM sale_payment p WHERE p.sale_id = sale.id)`.as('payments'),
    ]);
}

export interface LineJson {
  lineNo: number;
  productId: string | null;
  sku: string | null;
  description: string;
  quantity: number;
  unitPrice: number;
  unitCost: number | null;
  discount: number;
  tax: number;
  total: number;
  refundsLineNo: number | null;
}

export interface PaymentJson {
  method: SalePaymentTable['method'];
  amount: number;
}

export async function loadSale(trx: Trx, id: string) {
  return saleDetails(trx).where('sale.id', '=', id).executeTakeFirst();
}
export type SaleDetails = NonNullable<Awaited<ReturnType<typeof loadSale>>>;

/** A customer's sales and refunds, newest first, a page after `after`. */
export async function listCustomerSales(
  trx: Trx,
  customerId: string,
  options: { limit: number; after?: KeysetPosition },
) {
  let query = saleDetails(trx).where('sale.customerId', '=', customerId);
  if (options.after) {
    query = query.where(
      sql<boolean>`(sale.sold_at, sale.id) < (${options.after.at}::timestamptz, ${options.after.id}::uuid)`,
    );
  }
  return query.orderBy('sale.soldAt', 'desc').orderBy('sale.id', 'desc').limit(options.limit).execute();
}

export async function loadLines(trx: Trx, saleId: string) {
  return trx.selectFrom('saleLine').selectAll().where('saleId', '=', saleId).orderBy('lineNo').execute();
}

/** How much of each line of a sale its (live) refunds have returned, as a positive quantity. */
export async function refundedQuantities(trx: Trx, saleId: string): Promise<Map<number, number>> {
  const rows = await trx
    .selectFrom('saleLine')
    .innerJoin('sale', (join) =>
      join.onRef('sale.merchantId', '=', 'saleLine.merchantId').onRef('sale.id', '=', 'saleLine.saleId'),
    )
    .select(['saleLine.refundsLineNo', sql<string>`-sum(sale_line.quantity)`.as('returned')])
    .where('sale.refundOf', '=', saleId)
    .where('sale.status', '<>', 'cancelled')
    .groupBy('saleLine.refundsLineNo')
    .execute();
  return new Map(rows.map((r) => [r.refundsLineNo as number, Number(r.returned)]));
}

/** Every refund of a sale, cancelled or not. */
export async function refundIds(trx: Trx, saleId: string): Promise<string[]> {
  const rows = await trx.selectFrom('sale').select('id').where('refundOf', '=', saleId).execute();
  return rows.map((r) => r.id);
}

export async function liveRefundIds(trx: Trx, saleId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('sale')
    .select('id')
    .where('refundOf', '=', saleId)
    .where('status', '<>', 'cancelled')
    .execute();
  return rows.map((r) => r.id);
}

export async function updateSale(
  trx: Trx,
  ids: string[],
  changes: Partial<
    Pick<
      Updateable<SaleTable>,
      'status' | 'customerId' | 'note' | 'cancelledBy' | 'cancelReason' | 'groupDiscountName' | 'groupDiscountPercent'
    >
  > & {
    cancelled?: boolean;
  },
): Promise<void> {
  const { cancelled, ...rest } = changes;
  await trx
    .updateTable('sale')
    .set({ ...rest, ...(cancelled ? { cancelledAt: sql`now()` } : {}) })
    .where('id', 'in', ids)
    .execute();
}

export async function customerEmail(trx: Trx, customerId: string): Promise<string | null> {
  const row = await trx
    .selectFrom('customer')
    .select('email')
    .where('id', '=', customerId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return row?.email ?? null;
}

/**
 * What a recorded sale or refund's payments take from (or give back to) loyalty points and store
 * credit (SQL function apply_sale_payments, migration 0010); refused with balance_insufficient.
 */
export async function applySalePayments(trx: Trx, saleId: string, by: string): Promise<void> {
  await sql`SELECT apply_sale_payments(${saleId}::uuid, ${by})`.execute(trx);
}

/** A cancelled sale or refund gives back what its payments took from the balances (and the reverse). */
export async function reverseSalePayments(trx: Trx, saleId: string, by: string): Promise<void> {
  await sql`SELECT reverse_sale_payments(${saleId}::uuid, ${by})`.execute(trx);
}

/** Make the points a sale and its refunds earned what they should be now (SQL function settle_sale_loyalty). */
export async function settleSaleLoyalty(trx: Trx, saleId: string, by: string): Promise<void> {
  await sql`SELECT settle_sale_loyalty(${saleId}::uuid, ${by})`.execute(trx);
}

/** A sale moved to a customer earns at today's rate if they collect points; with no customer, none. */
export async function resetLoyaltyRate(trx: Trx, saleId: string, customerId: string | null): Promise<void> {
  await sql`UPDATE sale SET loyalty_rate = CASE WHEN ${customerId}::uuid IS NULL THEN NULL
              ELSE loyalty_rate_for(${customerId}::uuid) END WHERE id = ${saleId}::uuid`.execute(trx);
}

/** Customers whose balances these sales changed (they may no longer be the sales' customers). */
export async function balanceCustomers(trx: Trx, saleIds: string[]): Promise<string[]> {
  const rows = await trx
    .selectFrom('balanceEntry')
    .select('customerId')
    .distinct()
    .where('saleId', 'in', saleIds)
    .execute();
  return rows.map((r) => r.customerId);
}

/** Record a sale with the SQL function record_sale (migration 0010) inside the caller's transaction. */
export async function recordSaleIn<T>(trx: Trx, argument: unknown): Promise<T> {
  const { rows } = await sql<{ result: T }>`SELECT record_sale(${JSON.stringify(argument)}::jsonb) AS result`.execute(
    trx,
  );
  return rows[0]?.result as T;
}

/** The group a customer is in, with its discount at the till (numeric, as a string). */
export async function customerGroupDiscount(trx: Trx, customerId: string) {
  return trx
    .selectFrom('customer')
    .innerJoin('customerGroup', 'customerGroup.id', 'customer.groupId')
    .select(['customerGroup.name', 'customerGroup.discountPercent'])
    .where('customer.id', '=', customerId)
    .executeTakeFirst();
}

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

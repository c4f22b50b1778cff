import { type Insertable, sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
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
  changes: Partial<Pick<SaleTable, 'status' | 'customerId' | 'note' | 'cancelledBy' | 'cancelReason'>> & {
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

export async function findLiveCustomerBy(
  trx: Trx,
  ref: { id?: string | undefined; code?: string | undefined; email?: string | undefined },
) {
  let query = trx.selectFrom('customer').select('id').where('deletedAt', 'is', null);
  if (ref.id) query = query.where('id', '=', ref.id);
  else if (ref.code) query = query.where(sql`lower(code)`, '=', ref.code.toLowerCase());
  else if (ref.email) query = query.where(sql`lower(email)`, '=', ref.email.toLowerCase());
  else return undefined;
  return query.executeTakeFirst();
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

export async function recordIdempotentResult(trx: Trx, key: string, resourceId: string): Promise<void> {
  await trx.updateTable('idempotencyKey').set({ resourceId }).where('key', '=', key).execute();
}

/** What an idempotency key was first used for: its request's fingerprint and the sale it made. */
export async function findIdempotencyKey(trx: Trx, key: string) {
  return trx
    .selectFrom('idempotencyKey')
    .select(['requestHash', 'resourceId'])
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

/**
 * What recording a sale needs to know, in one round trip: whether this request claimed its
 * idempotency key (and if not, what the key's first request made), the store, an earlier sale with
 * the same receipt reference, and the customer named by id, code or email.
 */
export async function saleContext(
  trx: Trx,
  input: {
    storeId: string;
    receiptRef: string;
    customer?: { id?: string | undefined; code?: string | undefined; email?: string | undefined } | undefined;
  },
  idempotency: { key: string; requestHash: string } | null,
) {
  const ref = input.customer;
  const customerMatch = ref?.id
    ? sql`id = ${ref.id}::uuid`
    : ref?.code
      ? sql`lower(code) = lower(${ref.code})`
      : ref?.email
        ? sql`lower(email) = lower(${ref.email})`
        : sql`false`;
  const { rows } = await sql<{
    claimed: boolean;
    prior: { requestHash: string; resourceId: string | null } | null;
    store: { name: string; timeZone: string } | null;
    earlier: { id: string; requestHash: string } | null;
    customer: { id: string; name: string } | null;
  }>`
    WITH claim AS (
      INSERT INTO idempotency_key (merchant_id, key, request_hash)
      SELECT app_current_merchant(), ${idempotency?.key ?? null}::text, ${idempotency?.requestHash ?? null}::text
      WHERE ${idempotency !== null}
      ON CONFLICT DO NOTHING RETURNING key
    )
    SELECT
      EXISTS (SELECT FROM claim) AS claimed,
      (SELECT json_build_object('requestHash', request_hash, 'resourceId', resource_id) FROM idempotency_key
         WHERE key = ${idempotency?.key ?? null}::text) AS prior,
      (SELECT json_build_object('name', name, 'timeZone', time_zone) FROM store WHERE id = ${input.storeId}::uuid) AS store,
      (SELECT json_build_object('id', id, 'requestHash', request_hash) FROM sale
         WHERE store_id = ${input.storeId}::uuid AND receipt_ref = ${input.receiptRef}) AS earlier,
      (SELECT json_build_object('id', id, 'name', ${customerLabel()}) FROM customer
         WHERE deleted_at IS NULL AND ${customerMatch} LIMIT 1) AS customer`.execute(trx);
  return rows[0] as NonNullable<(typeof rows)[number]>;
}

/** The products the lines of a sale name, by id or SKU, in one query. */
export async function productsNamed(trx: Trx, ids: string[], skus: string[]) {
  if (ids.length === 0 && skus.length === 0) return [];
  return trx
    .selectFrom('product')
    .select(['id', 'sku', 'name', 'cost'])
    .where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb('id', 'in', ids)] : []),
        ...(skus.length > 0
          ? [
              eb(
                sql`lower(sku)`,
                'in',
                skus.map((s) => s.toLowerCase()),
              ),
            ]
          : []),
      ]),
    )
    .execute();
}

/**
 * Write a new sale, its lines and payments, add it to its customer's statistics and note it under its
 * idempotency key: one statement, so one round trip, all or nothing.
 */
export async function insertNewSale(
  trx: Trx,
  sale: Omit<Insertable<SaleTable>, 'merchantId'> & { soldAt: Date; createdAt: Date },
  lines: Omit<Insertable<SaleLineTable>, 'merchantId' | 'saleId'>[],
  payments: Omit<Insertable<SalePaymentTable>, 'merchantId' | 'saleId'>[],
  stats: { customerId: string; total: number; visits: number } | null,
  idempotencyKey: string | null,
): Promise<void> {
  await sql`
    WITH new_sale AS (
      INSERT INTO sale (merchant_id, id, store_id, register, receipt_ref, channel, kind, status, sold_at, customer_id, refund_of,
                        subtotal, discount_total, tax_total, total, cost_total, note, request_hash, created_by, created_at)
      VALUES (app_current_merchant(), ${sale.id}, ${sale.storeId}, ${sale.register ?? null}, ${sale.receiptRef}, ${sale.channel}, 'sale',
              ${sale.status}, ${sale.soldAt}, ${sale.customerId ?? null}, NULL, ${sale.subtotal}, ${sale.discountTotal}, ${sale.taxTotal},
              ${sale.total}, ${sale.costTotal}, ${sale.note ?? null}, ${sale.requestHash}, ${sale.createdBy}, ${sale.createdAt})
      RETURNING merchant_id, id
    ), new_lines AS (
      INSERT INTO sale_line (merchant_id, sale_id, line_no, product_id, sku, description, quantity, unit_price, unit_cost, discount, tax, total)
      SELECT s.merchant_id, s.id, l."lineNo", l."productId", l.sku, l.description, l.quantity, l."unitPrice", l."unitCost", l.discount, l.tax, l.total
      FROM new_sale s, jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) AS l(
        "lineNo" smallint, "productId" uuid, sku text, description text, quantity numeric, "unitPrice" bigint,
        "unitCost" bigint, discount bigint, tax bigint, total bigint)
    ), new_payments AS (
      INSERT INTO sale_payment (merchant_id, sale_id, line_no, method, amount)
      SELECT s.merchant_id, s.id, p."lineNo", p.method, p.amount
      FROM new_sale s, jsonb_to_recordset(${JSON.stringify(payments)}::jsonb) AS p("lineNo" smallint, method text, amount bigint)
    ), stats AS (
      INSERT INTO customer_stats AS c (merchant_id, customer_id, total_spent, order_count, visit_count, return_count, first_order_at, last_order_at)
      SELECT s.merchant_id, ${stats?.customerId ?? null}::uuid, ${stats?.total ?? 0}, 1, ${stats?.visits ?? 0}, 0, ${sale.soldAt}::timestamptz, ${sale.soldAt}::timestamptz
      FROM new_sale s WHERE ${stats !== null}
      ON CONFLICT (merchant_id, customer_id) DO UPDATE SET
        total_spent = c.total_spent + EXCLUDED.total_spent,
        order_count = c.order_count + 1,
        visit_count = c.visit_count + EXCLUDED.visit_count,
        first_order_at = least(c.first_order_at, EXCLUDED.first_order_at),
        last_order_at = greatest(c.last_order_at, EXCLUDED.last_order_at)
    ), key AS (
      UPDATE idempotency_key SET resource_id = (SELECT id FROM new_sale) WHERE key = ${idempotencyKey}
    )
    SELECT 1 FROM new_sale`.execute(trx);
}

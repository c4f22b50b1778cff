import { type ExpressionBuilder, sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { KeysetPosition } from '../../platform/http/cursor.ts';
import { customerLabel } from '../customers/customer.repository.ts';

export interface SaleFilter {
  customerId?: string | undefined;
  storeId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function filtered(filter: SaleFilter) {
  return (eb: ExpressionBuilder<DB, 'sale'>) =>
    eb.and([
      ...(filter.customerId ? [eb('sale.customerId', '=', filter.customerId)] : []),
      ...(filter.storeId ? [eb('sale.storeId', '=', filter.storeId)] : []),
      ...(filter.from ? [eb('sale.soldAt', '>=', new Date(filter.from))] : []),
      ...(filter.to ? [eb('sale.soldAt', '<', new Date(filter.to))] : []),
    ]);
}

/** Every receipt (sales and refunds, cancelled too) in the filter, newest first. */
export function receiptsQuery(trx: Trx, filter: SaleFilter, options: { after?: KeysetPosition; limit?: number } = {}) {
  let query = trx
    .selectFrom('sale')
    .innerJoin('store', (join) =>
      join.onRef('store.merchantId', '=', 'sale.merchantId').onRef('store.id', '=', 'sale.storeId'),
    )
    .leftJoin('customer', (join) =>
      join.onRef('customer.merchantId', '=', 'sale.merchantId').onRef('customer.id', '=', 'sale.customerId'),
    )
    .select([
      'sale.id',
      'sale.soldAt',
      'sale.receiptRef',
      'sale.storeId',
      'store.name as storeName',
      'store.timeZone as storeTimeZone',
      'sale.channel',
      'sale.kind',
      'sale.status',
      'sale.customerId',
      'sale.total',
      sql<string | null>`CASE WHEN customer.deleted_at IS NULL THEN ${customerLabel()} END`.as('customerName'),
      sql<string>`(SELECT coalesce(sum(l.quantity), 0) FROM sale_line l WHERE l.sale_id = sale.id)`.as('items'),
      sql<
        string[]
      >`(SELECT coalesce(array_agg(DISTINCT p.method), '{}') FROM sale_payment p WHERE p.sale_id = sale.id)`.as(
        'paymentMethods',
      ),
      sql<string>`to_char(sale.sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position'),
    ])
    .where(filtered(filter));
  if (options.after) {
    query = query.where(
      sql<boolean>`(sale.sold_at, sale.id) < (${options.after.at}::timestamptz, ${options.after.id}::uuid)`,
    );
  }
  query = query.orderBy('sale.soldAt', 'desc').orderBy('sale.id', 'desc');
  return options.limit ? query.limit(options.limit) : query;
}
export type ReceiptRecord = Awaited<ReturnType<ReturnType<typeof receiptsQuery>['execute']>>[number];

// ORDER BY cannot use output names inside expressions: spell the aggregates out.
const VALUE = sql`sum(sale_line.total)`;
// Unknown (null) when a line sold had no cost recorded: a sum that took it as zero would show a margin of 100 %.
const COST = sql`CASE WHEN bool_and(sale_line.unit_cost IS NOT NULL) THEN sum(round(sale_line.quantity * sale_line.unit_cost)) END`;
const PRODUCT_ORDER = {
  value: VALUE,
  quantity: sql`sum(sale_line.quantity)`,
  cost: COST,
  margin: sql`${VALUE} - ${COST}`,
  name: sql`lower(max(sale_line.description))`,
} as const;

/** What was sold per product (less returns, cancelled sales left out), in the filter. */
export function productsQuery(
  trx: Trx,
  filter: SaleFilter,
  sort: keyof typeof PRODUCT_ORDER,
  direction: 'asc' | 'desc',
) {
  return (
    trx
      .selectFrom('saleLine')
      .innerJoin('sale', (join) =>
        join.onRef('sale.merchantId', '=', 'saleLine.merchantId').onRef('sale.id', '=', 'saleLine.saleId'),
      )
      .select([
        sql<string | null>`sale_line.product_id`.as('productId'),
        sql<string | null>`max(sale_line.sku)`.as('sku'),
        sql<string>`max(sale_line.description)`.as('name'),
        sql<string>`sum(sale_line.quantity)`.as('quantity'),
        sql<string>`sum(sale_line.total)`.as('value'),
        sql<string | null>`${COST}`.as('cost'),
      ])
      .where('sale.status', '<>', 'cancelled')
      .where(filtered(filter))
      .groupBy([
        sql`sale_line.product_id`,
        sql`CASE WHEN sale_line.product_id IS NULL THEN lower(sale_line.description) END`,
      ])
      // Products whose cost is unknown come last, whichever way cost or margin is sorted.
      .orderBy(sql`${PRODUCT_ORDER[sort]} ${sql.raw(direction)} NULLS LAST`)
      .orderBy(sql`lower(max(sale_line.description))`)
  );
}
export type ProductRecord = Awaited<ReturnType<ReturnType<typeof productsQuery>['execute']>>[number];

/**
 * Sales per customer in the filter, largest first. A deleted customer keeps its sales under its
 * record id, with no name: it cannot be found by name.
 */
export function salesByCustomerQuery(trx: Trx, filter: SaleFilter & { q?: string | undefined }) {
  let query = trx
    .selectFrom('sale')
    .innerJoin('customer', (join) =>
      join.onRef('customer.merchantId', '=', 'sale.merchantId').onRef('customer.id', '=', 'sale.customerId'),
    )
    .select([
      'sale.customerId',
      sql<boolean>`bool_or(customer.deleted_at IS NOT NULL)`.as('deleted'),
      sql<string | null>`max(CASE WHEN customer.deleted_at IS NULL THEN ${customerLabel()} END)`.as('name'),
      sql<number>`count(*) FILTER (WHERE sale.kind = 'sale')::int`.as('orders'),
      sql<string>`sum(sale.total)`.as('total'),
      sql<Date | null>`min(sale.sold_at) FILTER (WHERE sale.kind = 'sale')`.as('firstSaleAt'),
      sql<Date | null>`max(sale.sold_at) FILTER (WHERE sale.kind = 'sale')`.as('lastSaleAt'),
    ])
    .where('sale.status', '<>', 'cancelled')
    .where(filtered(filter));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query
      .where('customer.deletedAt', 'is', null)
      .where((eb) =>
        eb.or([
          eb(sql`concat_ws(' ', customer.first_name, customer.last_name)`, 'ilike', pattern),
          eb('customer.companyName', 'ilike', pattern),
          eb('customer.email', 'ilike', pattern),
        ]),
      );
  }
  return query.groupBy('sale.customerId').orderBy(sql`sum(sale.total)`, 'desc').orderBy('sale.customerId');
}
export type CustomerSalesRecord = Awaited<ReturnType<ReturnType<typeof salesByCustomerQuery>['execute']>>[number];

export async function liveCustomerExists(trx: Trx, id: string): Promise<boolean> {
  const row = await trx
    .selectFrom('customer')
    .select('id')
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

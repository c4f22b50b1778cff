import type { PassThrough } from 'node:stream';
import type { RequestContext } from '../../platform/context.ts';
import { byValues, type Database } from '../../platform/db/database.ts';
import { Gate } from '../../platform/gate.ts';
import { type CsvColumn, streamCsv } from '../../platform/http/csv.ts';
import { decodeCursor, pageOf } from '../../platform/http/cursor.ts';
import { AppError } from '../../platform/http/errors.ts';
import { dayIn } from '../../shared/dates.ts';
import { currencyExponent, minorToDecimal } from '../../shared/money.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { businessTimeZone, settingsIn } from '../settings/settings.service.ts';
import {
  type CustomerSalesRecord,
  liveCustomerExists,
  type ProductRecord,
  productsQuery,
  type ReceiptRecord,
  receiptsQuery,
  type SaleFilter,
  salesByCustomerQuery,
} from './report.repository.ts';
import type { CustomerSalesRow, PRODUCT_SORTS, ProductRow, ReceiptRow } from './report.schema.ts';

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** A time as the store's clock showed it, for people reading a spreadsheet. */
function storeTime(value: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short', timeZone }).format(new Date(value));
}

function toReceiptRow(row: ReceiptRecord): ReceiptRow {
  return {
    id: row.id,
    soldAt: new Date(row.soldAt).toISOString(),
    receiptRef: row.receiptRef,
    store: { id: row.storeId, name: row.storeName, timeZone: row.storeTimeZone },
    channel: row.channel,
    kind: row.kind,
    status: row.status,
    customer: row.customerId ? { id: row.customerId, name: row.customerName ?? 'Deleted customer' } : null,
    items: Number(row.items),
    total: row.total,
    paymentMethods: row.paymentMethods as ReceiptRow['paymentMethods'],
  };
}

function toProductRow(row: ProductRecord): ProductRow {
  const value = Number(row.value);
  const cost = row.cost === null ? null : Number(row.cost);
  return {
    productId: row.productId,
    sku: row.sku,
    name: row.name,
    quantity: Number(row.quantity),
    value,
    cost,
    margin: cost === null ? null : value - cost,
  };
}

function toCustomerSalesRow(row: CustomerSalesRecord): CustomerSalesRow {
  return {
    customerId: row.customerId as string,
    name: row.deleted ? 'Deleted customer' : (row.name ?? 'Unnamed customer'),
    deleted: row.deleted,
    orders: row.orders,
    total: Number(row.total),
    firstSaleAt: iso(row.firstSaleAt),
    lastSaleAt: iso(row.lastSaleAt),
  };
}

/**
 * Amounts in a downloaded report are for people and their spreadsheets: the merchant's currency in major
 * units, named in the header ("Total (AUD)": 58.50), where the JSON API keeps integer minor units.
 */
function moneyIn(currency: string) {
  const exponent = currencyExponent(currency);
  return {
    header: (what: string) => `${what} (${currency})`,
    value: (minor: number | null) => (minor === null ? null : minorToDecimal(minor, exponent)),
  };
}

function receiptColumns(currency: string): CsvColumn<ReceiptRow>[] {
  const money = moneyIn(currency);
  return [
    { header: 'Sold at (store time)', value: (r) => storeTime(r.soldAt, r.store.timeZone) },
    { header: 'Sold at (UTC)', value: (r) => r.soldAt },
    { header: 'Receipt', value: (r) => r.receiptRef },
    { header: 'Store', value: (r) => r.store.name },
    { header: 'Channel', value: (r) => r.channel },
    { header: 'Kind', value: (r) => r.kind },
    { header: 'Status', value: (r) => r.status },
    { header: 'Customer record id', value: (r) => r.customer?.id },
    { header: 'Customer', value: (r) => r.customer?.name },
    { header: 'Items', value: (r) => r.items },
    { header: money.header('Total'), value: (r) => money.value(r.total) },
    { header: 'Payment methods', value: (r) => r.paymentMethods.join(' ') },
    { header: 'Sale id', value: (r) => r.id },
  ];
}

function productColumns(currency: string): CsvColumn<ProductRow>[] {
  const money = moneyIn(currency);
  return [
    { header: 'SKU', value: (r) => r.sku },
    { header: 'Product', value: (r) => r.name },
    { header: 'Quantity', value: (r) => r.quantity },
    { header: money.header('Value'), value: (r) => money.value(r.value) },
    { header: money.header('Cost'), value: (r) => money.value(r.cost) },
    { header: money.header('Margin'), value: (r) => money.value(r.margin) },
  ];
}

/** Over every store, the times are on the business's clock (the time zone of Settings), beside UTC. */
function customerColumns(currency: string, timeZone: string): CsvColumn<CustomerSalesRow>[] {
  const money = moneyIn(currency);
  const local = (value: string | null) => (value === null ? null : storeTime(value, timeZone));
  return [
    { header: 'Customer record id', value: (r) => r.customerId },
    { header: 'Customer', value: (r) => r.name },
    { header: 'Orders', value: (r) => r.orders },
    { header: money.header('Total'), value: (r) => money.value(r.total) },
    { header: 'First sale (business time)', value: (r) => local(r.firstSaleAt) },
    { header: 'Last sale (business time)', value: (r) => local(r.lastSaleAt) },
    { header: 'First sale (UTC)', value: (r) => r.firstSaleAt },
    { header: 'Last sale (UTC)', value: (r) => r.lastSaleAt },
  ];
}

export type ReportName = 'receipts' | 'products' | 'sales-by-customer';

async function* mapRows<From, To>(source: AsyncIterable<From>, map: (row: From) => To): AsyncIterable<To> {
  for await (const row of source) yield map(row);
}

export class ReportService {
  private readonly exports = new Gate(2);

  constructor(private readonly database: Database) {}

  receipts(ctx: RequestContext, filter: SaleFilter & { limit: number; cursor?: string | undefined }) {
    const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    return this.database.withMerchant(ctx.merchantId, async (trx) =>
      pageOf(
        await receiptsQuery(trx, filter, { limit: filter.limit + 1, ...(after ? { after } : {}) }).execute(),
        filter.limit,
        toReceiptRow,
      ),
    );
  }

  products(
    ctx: RequestContext,
    filter: SaleFilter & { sort: (typeof PRODUCT_SORTS)[number]; direction: 'asc' | 'desc' },
  ): Promise<ProductRow[]> {
    return this.database.withMerchant(byValues(ctx.merchantId), async (trx) =>
      (await productsQuery(trx, filter, filter.sort, filter.direction).limit(1000).execute()).map(toProductRow),
    );
  }

  /** The products report of one (live) customer, for the customer page. */
  customerProducts(
    ctx: RequestContext,
    customerId: string,
    filter: Omit<SaleFilter, 'customerId' | 'storeId'> & {
      sort: (typeof PRODUCT_SORTS)[number];
      direction: 'asc' | 'desc';
    },
  ): Promise<ProductRow[]> {
    return this.database.withMerchant(byValues(ctx.merchantId), async (trx) => {
      if (!(await liveCustomerExists(trx, customerId))) throw AppError.notFound('Customer');
      const query = productsQuery(trx, { ...filter, customerId }, filter.sort, filter.direction);
      return (await query.limit(1000).execute()).map(toProductRow);
    });
  }

  salesByCustomer(
    ctx: RequestContext,
    filter: SaleFilter & { q?: string | undefined; limit: number },
  ): Promise<CustomerSalesRow[]> {
    return this.database.withMerchant(byValues(ctx.merchantId), async (trx) =>
      (await salesByCustomerQuery(trx, filter).limit(filter.limit).execute()).map(toCustomerSalesRow),
    );
  }

  /** The business's day today (YYYY-MM-DD): a downloaded report is named after it. */
  async today(ctx: RequestContext): Promise<string> {
    return dayIn(await businessTimeZone(this.database, ctx.merchantId));
  }

  /**
   * Stream a whole report as CSV into `out`, in constant memory. The export is in the audit log before
   * the first row leaves (who, which report, which filter), so a download cut short is recorded too;
   * a second event gives the rows once all of them went out. At most two exports run at once per
   * process: each holds a database connection while it streams.
   */
  async exportCsv(
    ctx: RequestContext,
    report: ReportName,
    filter: SaleFilter & { q?: string | undefined; sort?: (typeof PRODUCT_SORTS)[number]; direction?: 'asc' | 'desc' },
    out: PassThrough,
  ): Promise<number> {
    const described = { report, filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) };
    await this.database.withMerchant(ctx.merchantId, (trx) =>
      recordAudit(trx, ctx, {
        action: 'report.export_started',
        entityType: 'report',
        entityId: null,
        changes: described,
      }),
    );
    const rows = await this.exports.run(() =>
      this.database.withMerchant(ctx.merchantId, async (trx) => {
        const { currency, timeZone } = await settingsIn(trx);
        if (report === 'receipts') {
          return streamCsv(
            mapRows(receiptsQuery(trx, filter).stream(500), toReceiptRow),
            receiptColumns(currency),
            out,
          );
        }
        if (report === 'products') {
          const query = productsQuery(trx, filter, filter.sort ?? 'value', filter.direction ?? 'desc');
          return streamCsv(mapRows(query.stream(500), toProductRow), productColumns(currency), out);
        }
        return streamCsv(
          mapRows(salesByCustomerQuery(trx, filter).stream(500), toCustomerSalesRow),
          customerColumns(currency, timeZone),
          out,
        );
      }),
    );
    await this.database.withMerchant(ctx.merchantId, (trx) =>
      recordAudit(trx, ctx, {
        action: 'report.exported',
        entityType: 'report',
        entityId: null,
        changes: { ...described, rows },
      }),
    );
    // The file ends once its export is on record: a download that completed is in the log (as customer exports do).
    await new Promise<void>((resolve) => out.end(resolve));
    return rows;
  }
}

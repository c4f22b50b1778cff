import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/database.ts';
import type { InvoicePaymentKind } from '../../platform/db/schema.ts';
import { customerLabel } from '../customers/customer.repository.ts';
import type { InvoiceQuery } from './invoice.schema.ts';

/** An invoice as lists and pages show it: with its customer, sale, status and days overdue. */
function invoices(trx: Trx, today: string | null = null) {
  const day = today === null ? sql<string>`merchant_today()` : sql<string>`${today}::date`;
  return trx
    .selectFrom('invoice')
    .innerJoin('sale', 'sale.id', 'invoice.saleId')
    .innerJoin('store', 'store.id', 'sale.storeId')
    .innerJoin('customer', 'customer.id', 'invoice.customerId')
    .selectAll('invoice')
    .select([
      'sale.receiptRef',
      'store.name as storeName',
      customerLabel().as('customerName'),
      sql<number>`CASE WHEN invoice.open_amount > 0 THEN greatest(${day} - invoice.due_on, 0) ELSE 0 END`.as(
        'daysOverdue',
      ),
      sql<string>`to_char(invoice.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position'),
    ]);
}
export type InvoiceRow = Awaited<ReturnType<ReturnType<typeof invoices>['executeTakeFirstOrThrow']>>;

type InvoiceSelect = ReturnType<typeof invoices>;

/** The SQL condition of a status filter. */
function whereStatus(query: InvoiceSelect, status: NonNullable<InvoiceQuery['status']>): InvoiceSelect {
  const overdue = sql<boolean>`invoice.due_on < merchant_today()`;
  switch (status) {
    case 'void':
      return query.where('invoice.voidedAt', 'is not', null);
    case 'paid':
      return query.where('invoice.voidedAt', 'is', null).where('invoice.openAmount', '=', 0);
    case 'unpaid':
      return query.where('invoice.openAmount', '>', 0);
    case 'overdue':
      return query.where('invoice.openAmount', '>', 0).where(overdue);
    case 'open':
      return query
        .where('invoice.openAmount', '>', 0)
        .where(sql<boolean>`NOT ${overdue}`)
        .where(sql<boolean>`invoice.paid + invoice.credited = 0`);
    case 'partly_paid':
      return query
        .where('invoice.openAmount', '>', 0)
        .where(sql<boolean>`NOT ${overdue}`)
        .where(sql<boolean>`invoice.paid + invoice.credited > 0`);
  }
}

/** Invoices newest first (by when they were issued), a page after `after`. */
export async function listInvoices(
  trx: Trx,
  query: Omit<InvoiceQuery, 'limit' | 'cursor'> & { limit: number; after?: { at: string; id: string } | undefined },
) {
  let select = invoices(trx);
  if (query.customerId) select = select.where('invoice.customerId', '=', query.customerId);
  if (query.status) select = whereStatus(select, query.status);
  if (query.after) {
    select = select.where(
      sql<boolean>`(invoice.created_at, invoice.id) < (${query.after.at}::timestamptz, ${query.after.id}::uuid)`,
    );
  }
  return select.orderBy('invoice.createdAt', 'desc').orderBy('invoice.id', 'desc').limit(query.limit).execute();
}

export async function findInvoice(trx: Trx, id: string, options: { forUpdate?: boolean } = {}) {
  let query = invoices(trx).where('invoice.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('invoice');
  return query.executeTakeFirst();
}

export async function findInvoiceBySale(trx: Trx, saleId: string, options: { forUpdate?: boolean } = {}) {
  let query = invoices(trx).where('invoice.saleId', '=', saleId);
  if (options.forUpdate) query = query.forUpdate('invoice');
  return query.executeTakeFirst();
}

/** A customer's invoices with something open, oldest due first, locked for a payment. */
export async function openInvoicesOf(trx: Trx, customerId: string, options: { asOf?: string; forUpdate?: boolean }) {
  let query = invoices(trx, options.asOf ?? null)
    .where('invoice.customerId', '=', customerId)
    .where('invoice.openAmount', '>', 0);
  if (options.asOf) query = query.where('invoice.issuedOn', '<=', options.asOf);
  if (options.forUpdate) query = query.forUpdate('invoice');
  return query.orderBy('invoice.dueOn').orderBy('invoice.number').execute();
}

export async function paymentsOf(trx: Trx, invoiceId: string) {
  return trx
    .selectFrom('invoicePayment')
    .selectAll()
    .where('invoiceId', '=', invoiceId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** The next invoice number of the current merchant; the counter row stays locked until commit. */
export async function nextInvoiceNumber(trx: Trx): Promise<number> {
  const { rows } = await sql<{ number: number }>`
    INSERT INTO invoice_counter AS c (merchant_id, last_number) VALUES (app_current_merchant(), 1)
    ON CONFLICT (merchant_id) DO UPDATE SET last_number = c.last_number + 1
    RETURNING last_number AS number`.execute(trx);
  return Number(rows[0]?.number);
}

export async function insertInvoice(
  trx: Trx,
  invoice: {
    id: string;
    number: number;
    customerId: string;
    saleId: string;
    issuedOn: string;
    dueOn: string;
    amount: number;
    limitOverrideBy: string | null;
    limitOverrideReason: string | null;
    createdBy: string;
  },
): Promise<void> {
  await trx
    .insertInto('invoice')
    .values({ ...invoice, merchantId: sql<string>`app_current_merchant()` })
    .execute();
}

/** Add to what an invoice has had paid or credited (negative: a cancelled credit). */
export async function addToInvoice(
  trx: Trx,
  id: string,
  change: { paid?: number; credited?: number; voided?: { amount: number; by: string; reason: string } },
): Promise<void> {
  await trx
    .updateTable('invoice')
    .set((eb) => ({
      paid: eb('paid', '+', change.paid ?? 0),
      credited: eb('credited', '+', change.credited ?? 0),
      ...(change.voided
        ? {
            voidedAmount: change.voided.amount,
            voidedAt: sql<Date>`now()`,
            voidedBy: change.voided.by,
            voidReason: change.voided.reason,
          }
        : {}),
    }))
    .where('id', '=', id)
    .execute();
}

export async function insertInvoicePayment(
  trx: Trx,
  row: {
    id: string;
    paymentId: string;
    invoiceId: string;
    customerId: string;
    kind: InvoicePaymentKind;
    amount: number;
    method: string | null;
    paidOn: string | null;
    reference: string | null;
    note: string | null;
    saleId: string | null;
    createdBy: string;
  },
): Promise<void> {
  const { paidOn, ...rest } = row;
  await trx
    .insertInto('invoicePayment')
    .values({
      ...rest,
      paidOn: paidOn ?? sql<string>`merchant_today()`,
      merchantId: sql<string>`app_current_merchant()`,
    })
    .execute();
}

/** What a refund has taken off an invoice so far (its credits less their reversals). */
export async function creditedByRefund(trx: Trx, invoiceId: string, refundId: string): Promise<number> {
  const row = await trx
    .selectFrom('invoicePayment')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('amount'))
    .where('invoiceId', '=', invoiceId)
    .where('saleId', '=', refundId)
    .executeTakeFirstOrThrow();
  return Number(row.amount);
}

/** A change of the account, with the invoice it concerns (SQL function post_account_entry, migration 0012). */
export async function postAccountEntry(
  trx: Trx,
  entry: {
    customerId: string;
    amount: number;
    reason: 'invoiced' | 'settled' | 'credited' | 'credit_reversed' | 'voided';
    note: string | null;
    saleId: string | null;
    invoiceId: string;
    by: string;
  },
): Promise<number> {
  const { rows } = await sql<{ after: number }>`
    SELECT post_account_entry(${entry.customerId}::uuid, ${entry.amount}::bigint, ${entry.reason}, ${entry.note},
      ${entry.saleId}::uuid, ${entry.invoiceId}::uuid, ${entry.by}) AS after`.execute(trx);
  return Number(rows[0]?.after);
}

/** What a customer owes and may owe: their account, overdue part, limits and the invoicing settings. */
export async function accountOf(trx: Trx, customerId: string) {
  return trx
    .selectFrom('customer')
    .innerJoin('merchant', 'merchant.id', 'customer.merchantId')
    .leftJoin('customerBalance', 'customerBalance.customerId', 'customer.id')
    .select([
      'customer.creditLimit',
      'merchant.defaultCreditLimit',
      'merchant.invoicingEnabled',
      'merchant.paymentTermsDays',
      'merchant.currency',
      'customer.email',
      customerLabel().as('name'),
      sql<number>`coalesce(customer_balance.account, 0)`.as('balance'),
      (eb) =>
        eb
          .selectFrom('invoice')
          .select(sql<number>`coalesce(sum(open_amount), 0)::bigint`.as('n'))
          .where('invoice.customerId', '=', customerId)
          .where('invoice.openAmount', '>', 0)
          .where(sql<boolean>`invoice.due_on < merchant_today()`)
          .as('overdue'),
      (eb) =>
        eb
          .selectFrom('invoice')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('invoice.customerId', '=', customerId)
          .where('invoice.openAmount', '>', 0)
          .as('openInvoices'),
    ])
    .where('customer.id', '=', customerId)
    .where('customer.deletedAt', 'is', null)
    .executeTakeFirst();
}

/** What the whole business is owed on account, and how much of it is overdue (the open-invoice index). */
export async function invoiceTotals(trx: Trx) {
  return trx
    .selectFrom('invoice')
    .select([
      sql<number>`count(*)::int`.as('openCount'),
      sql<number>`coalesce(sum(open_amount), 0)::bigint`.as('openAmount'),
      sql<number>`(count(*) FILTER (WHERE due_on < merchant_today()))::int`.as('overdueCount'),
      sql<number>`coalesce(sum(open_amount) FILTER (WHERE due_on < merchant_today()), 0)::bigint`.as('overdueAmount'),
      sql<number>`count(DISTINCT customer_id)::int`.as('customers'),
    ])
    .where('openAmount', '>', 0)
    .executeTakeFirstOrThrow();
}

export async function setCreditLimit(trx: Trx, customerId: string, creditLimit: number | null) {
  return trx
    .updateTable('customer')
    .set({ creditLimit })
    .where('id', '=', customerId)
    .where('deletedAt', 'is', null)
    .returning(['creditLimit'])
    .executeTakeFirst();
}

/** The day a moment falls on in a time zone (YYYY-MM-DD), and that plus `days`. */
export async function dayIn(trx: Trx, at: Date, timeZone: string, plusDays: number) {
  const { rows } = await sql<{ day: string; plus: string }>`
    SELECT (${at}::timestamptz AT TIME ZONE ${timeZone})::date AS day,
           ((${at}::timestamptz AT TIME ZONE ${timeZone})::date + ${plusDays}::int) AS plus`.execute(trx);
  const row = rows[0];
  if (!row) throw new Error('dayIn: no row');
  return row;
}

export async function merchantToday(trx: Trx): Promise<string> {
  const { rows } = await sql<{ day: string }>`SELECT merchant_today() AS day`.execute(trx);
  return rows[0]?.day ?? '';
}

export interface InvoiceDifference {
  merchantId: string;
  invoiceId: string;
  number: number;
  kept: { paid: number; credited: number };
  payments: { paid: number; credited: number };
  account: { ledger: number; expected: number };
}

/**
 * Every invoice (of every merchant) whose paid and credited amounts differ from its payments, or whose
 * ledger entries do not add up to its open amount. Runs as the table owner: it checks the whole database.
 */
export async function findInvoiceDifferences(db: Db): Promise<{ checked: number; differences: InvoiceDifference[] }> {
  const { rows } = await sql<{
    merchantId: string;
    invoiceId: string;
    number: string;
    paid: string;
    credited: string;
    paymentsPaid: string;
    paymentsCredited: string;
    ledger: string;
    openAmount: string;
  }>`
    SELECT i.merchant_id AS "merchantId", i.id AS "invoiceId", i.number, i.paid, i.credited, i.open_amount AS "openAmount",
           coalesce(p.paid, 0) AS "paymentsPaid", coalesce(p.credited, 0) AS "paymentsCredited",
           coalesce(l.amount, 0) AS ledger
    FROM invoice i
    LEFT JOIN (SELECT merchant_id, invoice_id,
                      sum(amount) FILTER (WHERE kind = 'payment') AS paid,
                      sum(amount) FILTER (WHERE kind <> 'payment') AS credited
               FROM invoice_payment GROUP BY merchant_id, invoice_id) p
      ON p.merchant_id = i.merchant_id AND p.invoice_id = i.id
    LEFT JOIN (SELECT merchant_id, invoice_id, sum(amount) AS amount
               FROM balance_entry WHERE balance = 'account' AND invoice_id IS NOT NULL
               GROUP BY merchant_id, invoice_id) l
      ON l.merchant_id = i.merchant_id AND l.invoice_id = i.id
    WHERE i.paid <> coalesce(p.paid, 0) OR i.credited <> coalesce(p.credited, 0)
       OR i.open_amount <> coalesce(l.amount, 0)
    LIMIT 1000`.execute(db);
  const checked = await db.selectFrom('invoice').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return {
    checked: checked.n,
    differences: rows.map((r) => ({
      merchantId: r.merchantId,
      invoiceId: r.invoiceId,
      number: Number(r.number),
      kept: { paid: Number(r.paid), credited: Number(r.credited) },
      payments: { paid: Number(r.paymentsPaid), credited: Number(r.paymentsCredited) },
      account: { ledger: Number(r.ledger), expected: Number(r.openAmount) },
    })),
  };
}

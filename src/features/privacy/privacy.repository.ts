import { type Selectable, sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import type { AuditEventTable } from '../../platform/db/schema.ts';
import { ADDRESS_PARTS, column } from '../customers/customer.columns.ts';
import { ERASED } from './privacy.schema.ts';

/** Open invoices of a customer: an erasure waits until they are settled or voided. */
export async function openInvoicesOf(trx: Trx, customerId: string) {
  return trx
    .selectFrom('invoice')
    .select(['number', 'openAmount'])
    .where('customerId', '=', customerId)
    .where('openAmount', '>', 0)
    .orderBy('number')
    .execute();
}

/** The words of the customer's names as the search index holds them (for forget_name_words). */
export async function nameWordsOf(trx: Trx, customerId: string): Promise<string[]> {
  const row = await trx
    .selectFrom('customer')
    .select(sql<string[]>`tsvector_to_array(search_names)`.as('words'))
    .where('id', '=', customerId)
    .executeTakeFirst();
  return row?.words ?? [];
}

/** Both addresses, every part (customer.columns.ts): a part added there is wiped here too. */
const ADDRESS_COLUMNS_EMPTY = Object.fromEntries(
  (['physical', 'postal'] as const).flatMap((kind) => ADDRESS_PARTS.map((part) => [column(kind, part), null])),
) as Record<ReturnType<typeof column>, null>;

/**
 * Wipe every personal field of the customer; the row stays, deleted and marked erased, so that its
 * sales, statistics, ledgers and invoices keep their record id. The code becomes the record id: unique,
 * and no longer anything a till could scan.
 */
export async function wipeCustomer(trx: Trx, customerId: string, actorName: string): Promise<Date> {
  const row = await trx
    .updateTable('customer')
    .set({
      code: sql`id::text`,
      firstName: null,
      lastName: null,
      companyName: null,
      email: null,
      phone: null,
      phoneE164: null,
      mobile: null,
      mobileE164: null,
      website: null,
      twitter: null,
      birthYear: null,
      birthMonth: null,
      birthDay: null,
      ...ADDRESS_COLUMNS_EMPTY,
      note: null,
      taxExempt: false,
      salesTaxNumber: null,
      emailMarketing: false,
      smsMarketing: false,
      loyaltyOptIn: false,
      creditLimit: null,
      erasedAt: sql`now()`,
      deletedAt: sql`coalesce(deleted_at, now())`,
      updatedAt: sql`now()`,
      updatedByName: actorName,
      version: sql`version + 1`,
    })
    .where('id', '=', customerId)
    .returning('erasedAt')
    .executeTakeFirstOrThrow();
  return row.erasedAt as Date;
}

export async function deleteNotesOf(trx: Trx, customerId: string): Promise<number> {
  const result = await trx.deleteFrom('customerNote').where('customerId', '=', customerId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deactivateCardsOf(trx: Trx, customerId: string, actorName: string): Promise<number> {
  const result = await trx
    .updateTable('loyaltyCard')
    .set({ active: false, deactivatedAt: sql`now()`, deactivatedBy: actorName })
    .where('customerId', '=', customerId)
    .where('active', '=', true)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function clearSaleNotesOf(trx: Trx, customerId: string): Promise<number> {
  const result = await trx
    .updateTable('sale')
    .set({ note: null })
    .where('customerId', '=', customerId)
    .where('note', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function countSalesOf(trx: Trx, customerId: string): Promise<number> {
  const row = await trx
    .selectFrom('sale')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('customerId', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The audit events about the customer, its sales and its invoices, oldest first: three lookups of the entity
 * index (one OR over them would read every event of the business).
 */
export async function auditEventsAbout(trx: Trx, customerId: string) {
  const { rows } = await sql<Selectable<AuditEventTable>>`
    SELECT e.* FROM audit_event e WHERE e.entity_type = 'customer' AND e.entity_id = ${customerId}
    UNION ALL
    SELECT e.* FROM sale s JOIN audit_event e
      ON e.merchant_id = s.merchant_id AND e.entity_type = 'sale' AND e.entity_id = s.id
    WHERE s.customer_id = ${customerId}
    UNION ALL
    SELECT e.* FROM invoice i JOIN audit_event e
      ON e.merchant_id = i.merchant_id AND e.entity_type = 'invoice' AND e.entity_id = i.id
    WHERE i.customer_id = ${customerId}
    ORDER BY occurred_at, id`.execute(trx);
  return rows;
}

/** Reasons staff wrote on their sales and invoices (a cancellation, a void, a limit let past), replaced. */
export async function redactReasonsOf(trx: Trx, customerId: string): Promise<void> {
  await trx
    .updateTable('sale')
    .set({ cancelReason: ERASED })
    .where('customerId', '=', customerId)
    .where('cancelReason', 'is not', null)
    .execute();
  await trx
    .updateTable('invoice')
    .set({
      voidReason: sql`CASE WHEN void_reason IS NULL THEN NULL ELSE ${ERASED} END`,
      limitOverrideReason: sql`CASE WHEN limit_override_reason IS NULL THEN NULL ELSE ${ERASED} END`,
    })
    .where('customerId', '=', customerId)
    .where((eb) => eb.or([eb('voidReason', 'is not', null), eb('limitOverrideReason', 'is not', null)]))
    .execute();
}

/** Name the customer being erased for this transaction: the audit log lets its events be redacted (0027). */
export async function markErasing(trx: Trx, customerId: string): Promise<void> {
  await sql`SELECT set_config('patron.erasing_customer', ${customerId}, true)`.execute(trx);
}

export async function redactAuditEvent(trx: Trx, id: string, changes: unknown): Promise<void> {
  await trx
    .updateTable('auditEvent')
    .set({ changes: JSON.stringify(changes) as never })
    .where('id', '=', id)
    .execute();
}

export async function forgetNameWords(trx: Trx, words: string[]): Promise<number> {
  if (words.length === 0) return 0;
  const row = await sql<{ forgotten: number }>`SELECT forget_name_words(${words}::text[]) AS forgotten`.execute(trx);
  return row.rows[0]?.forgotten ?? 0;
}

/** What a personal-data export holds beside the profile. */
export async function personalRecordsOf(trx: Trx, customerId: string) {
  const [notes, cards, balance, entries, invoices, sales, lines, payments] = await Promise.all([
    trx
      .selectFrom('customerNote')
      .select(['createdAt', 'authorName', 'body'])
      .where('customerId', '=', customerId)
      .orderBy('createdAt')
      .execute(),
    trx
      .selectFrom('loyaltyCard')
      .select(['number', 'active', 'createdAt', 'deactivatedAt'])
      .where('customerId', '=', customerId)
      .orderBy('createdAt')
      .execute(),
    trx
      .selectFrom('customerBalance')
      .select(['loyaltyPoints', 'storeCredit', 'account'])
      .where('customerId', '=', customerId)
      .executeTakeFirst(),
    trx
      .selectFrom('balanceEntry')
      .leftJoin('sale', (join) =>
        join.onRef('sale.merchantId', '=', 'balanceEntry.merchantId').onRef('sale.id', '=', 'balanceEntry.saleId'),
      )
      .select([
        'balanceEntry.createdAt',
        'balanceEntry.balance',
        'balanceEntry.amount',
        'balanceEntry.reason',
        'balanceEntry.note',
        'sale.receiptRef',
      ])
      .where('balanceEntry.customerId', '=', customerId)
      .orderBy('balanceEntry.createdAt')
      .orderBy('balanceEntry.id')
      .execute(),
    trx
      .selectFrom('invoice')
      .select(['number', 'issuedOn', 'dueOn', 'amount', 'paid', 'openAmount', 'voidedAt'])
      .where('customerId', '=', customerId)
      .orderBy('number')
      .execute(),
    trx
      .selectFrom('sale')
      .innerJoin('store', (join) =>
        join.onRef('store.merchantId', '=', 'sale.merchantId').onRef('store.id', '=', 'sale.storeId'),
      )
      .select([
        'sale.id',
        'sale.receiptRef',
        'store.name as store',
        'sale.channel',
        'sale.kind',
        'sale.status',
        'sale.soldAt',
        'sale.total',
        'sale.note',
      ])
      .where('sale.customerId', '=', customerId)
      .orderBy('sale.soldAt')
      .orderBy('sale.id')
      .execute(),
    trx
      .selectFrom('saleLine')
      .select(['saleId', 'description', 'sku', 'quantity', 'unitPrice', 'discount', 'tax', 'total'])
      .where('saleId', 'in', (eb) => eb.selectFrom('sale').select('id').where('customerId', '=', customerId))
      .orderBy('saleId')
      .orderBy('lineNo')
      .execute(),
    trx
      .selectFrom('salePayment')
      .select(['saleId', 'method', 'amount'])
      .where('saleId', 'in', (eb) => eb.selectFrom('sale').select('id').where('customerId', '=', customerId))
      .orderBy('saleId')
      .orderBy('lineNo')
      .execute(),
  ]);
  return { notes, cards, balance, entries, invoices, sales, lines, payments };
}

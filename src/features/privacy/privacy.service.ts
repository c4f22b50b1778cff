import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';
import { formatMoney } from '../../shared/money.ts';
import { recordAudit, toAuditEvent } from '../audit/audit.service.ts';
import { findAnyCustomer } from '../customers/customer.repository.ts';
import { toCustomer } from '../customers/customer.service.ts';
import { invoiceReference } from '../invoices/invoice.rules.ts';
import { settingsIn } from '../settings/settings.service.ts';
import {
  auditEventsAbout,
  clearSaleNotesOf,
  countSalesOf,
  deactivateCardsOf,
  deleteNotesOf,
  forgetNameWords,
  markErasing,
  nameWordsOf,
  openInvoicesOf,
  personalRecordsOf,
  redactAuditEvent,
  redactReasonsOf,
  wipeCustomer,
} from './privacy.repository.ts';
import { ERASED, type Erasure, type PersonalData } from './privacy.schema.ts';

/**
 * Values an erased customer's audit events keep: references to the business's own records, not to the
 * person. Everything else that is text (names, addresses, e-mail addresses, notes, reasons) is replaced.
 */
const KEPT_KEYS = new Set(['receiptRef', 'reference', 'refundId', 'balance', 'method', 'customerId']);

/** The changes of an event about the customer itself: every text value but references replaced. */
export function redactCustomerChanges(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return KEPT_KEYS.has(key) ? value : ERASED;
  if (Array.isArray(value)) return value.map((item) => redactCustomerChanges(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([inner, item]) => [
        inner,
        // {field: {from, to}}: the values are the field's.
        redactCustomerChanges(item, inner === 'from' || inner === 'to' ? key : inner),
      ]),
    );
  }
  return value;
}

/** Free text in an event about one of their sales or invoices: where it was e-mailed, its note, a reason given. */
const RECORD_TEXT_KEYS = new Set(['to', 'note', 'reason']);

/** The changes of an event about one of their sales or invoices: its free text replaced, amounts and references kept. */
export function redactRecordChanges(changes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(changes).map(([key, value]) => [
      key,
      RECORD_TEXT_KEYS.has(key) ? redactCustomerChanges(value, key) : value,
    ]),
  );
}

/** The UTC day of an instant, as the erasure messages name it. */
const dayOf = (instant: Date | string) => new Date(instant).toISOString().slice(0, 10);

function bySale<T extends { saleId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.saleId);
    if (group) group.push(row);
    else groups.set(row.saleId, [row]);
  }
  return groups;
}

/** Privacy requests: a customer's personal data, given to them, or erased. */
export class PrivacyService {
  constructor(private readonly database: Database) {}

  /** Everything held about one customer, deleted or not; recorded in the audit log as an export. */
  async personalData(ctx: RequestContext, customerId: string): Promise<PersonalData> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const row = await findAnyCustomer(trx, customerId);
      if (!row) throw AppError.notFound('Customer');
      if (row.erasedAt) {
        throw new AppError(
          'conflict',
          `This customer's personal data was erased on ${dayOf(row.erasedAt)}: there is none left to export`,
        );
      }
      const records = await personalRecordsOf(trx, customerId);
      const { businessName, currency, timeZone } = await settingsIn(trx);
      const history = await auditEventsAbout(trx, customerId);
      const linesOf = bySale(records.lines);
      const paymentsOf = bySale(records.payments);
      const iso = (value: Date | string) => new Date(value).toISOString();
      const data: PersonalData = {
        generatedAt: new Date().toISOString(),
        business: {
          name: businessName,
          currency,
          timeZone,
          amounts: `In minor units of ${currency}: 4299 is ${formatMoney(4299, currency, 'en')}`,
        },
        customer: { ...toCustomer(row), deletedAt: row.deletedAt ? iso(row.deletedAt) : null },
        notes: records.notes.map((note) => ({
          createdAt: iso(note.createdAt),
          author: note.authorName,
          body: note.body,
        })),
        loyaltyCards: records.cards.map((card) => ({
          number: card.number,
          active: card.active,
          createdAt: iso(card.createdAt),
          deactivatedAt: card.deactivatedAt ? iso(card.deactivatedAt) : null,
        })),
        balances: {
          loyaltyPoints: Number(records.balance?.loyaltyPoints ?? 0),
          storeCredit: Number(records.balance?.storeCredit ?? 0),
          account: Number(records.balance?.account ?? 0),
          entries: records.entries.map((entry) => ({
            createdAt: iso(entry.createdAt),
            balance: entry.balance,
            amount: Number(entry.amount),
            reason: entry.reason,
            note: entry.note,
            receiptRef: entry.receiptRef,
          })),
        },
        invoices: records.invoices.map((invoice) => ({
          reference: invoiceReference(Number(invoice.number)),
          number: Number(invoice.number),
          issuedOn: invoice.issuedOn,
          dueOn: invoice.dueOn,
          amount: Number(invoice.amount),
          paid: Number(invoice.paid),
          open: Number(invoice.openAmount),
          voidedAt: invoice.voidedAt ? iso(invoice.voidedAt) : null,
        })),
        sales: records.sales.map((sale) => ({
          id: sale.id,
          receiptRef: sale.receiptRef,
          store: sale.store,
          channel: sale.channel,
          kind: sale.kind,
          status: sale.status,
          soldAt: iso(sale.soldAt),
          total: Number(sale.total),
          note: sale.note,
          lines: (linesOf.get(sale.id) ?? []).map((line) => ({
            description: line.description,
            sku: line.sku,
            quantity: line.quantity,
            unitPrice: Number(line.unitPrice),
            discount: Number(line.discount),
            tax: Number(line.tax),
            total: Number(line.total),
          })),
          payments: (paymentsOf.get(sale.id) ?? []).map((payment) => ({
            method: payment.method,
            amount: Number(payment.amount),
          })),
        })),
        // What was done and when; not the staff's addresses nor the server's request ids.
        history: history.map((event) => ({ ...toAuditEvent(event), ip: null, requestId: null })),
      };
      await recordAudit(trx, ctx, {
        action: 'customer.personal_data_exported',
        entityType: 'customer',
        entityId: customerId,
        changes: { sales: data.sales.length, notes: data.notes.length, events: data.history.length },
      });
      return data;
    });
  }

  /**
   * Erase a customer's personal data for good, in one transaction: the profile's fields, team notes,
   * the notes on their sales and the values in the audit trail about them; cards are deactivated (their
   * numbers are never handed on). Sales, statistics, balances and invoices stay under the record id, so
   * that the books still add up and reports still count them, with no name. Refused while they owe on
   * account: the debt is a reason to keep the data until it is settled or written off.
   */
  async erase(ctx: RequestContext, customerId: string, reason: string): Promise<Erasure> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const row = await findAnyCustomer(trx, customerId, { forUpdate: true });
      if (!row) throw AppError.notFound('Customer');
      if (row.erasedAt) {
        throw new AppError('conflict', `This customer's personal data was already erased on ${dayOf(row.erasedAt)}`);
      }
      const open = await openInvoicesOf(trx, customerId);
      if (open.length > 0) {
        const { currency } = await settingsIn(trx);
        const owed = open.reduce((sum, invoice) => sum + Number(invoice.openAmount), 0);
        const numbers = open.map((invoice) => invoiceReference(Number(invoice.number)));
        throw new AppError(
          'conflict',
          `The customer owes ${formatMoney(owed, currency)} on ${open.length === 1 ? 'invoice' : 'invoices'} ${numbers.join(', ')}: settle or void ${open.length === 1 ? 'it' : 'them'} before erasing their data`,
          { extra: { openInvoices: numbers, owed } },
        );
      }
      const words = await nameWordsOf(trx, customerId);
      const erasedAt = await wipeCustomer(trx, customerId, ctx.actor.name);
      const notesDeleted = await deleteNotesOf(trx, customerId);
      const loyaltyCardsDeactivated = await deactivateCardsOf(trx, customerId, ctx.actor.name);
      const saleNotesCleared = await clearSaleNotesOf(trx, customerId);
      await redactReasonsOf(trx, customerId);
      await markErasing(trx, customerId);
      let auditEventsRedacted = 0;
      for (const event of await auditEventsAbout(trx, customerId)) {
        if (!event.changes) continue;
        const redacted =
          event.entityType === 'customer'
            ? redactCustomerChanges(event.changes)
            : redactRecordChanges(event.changes as Record<string, unknown>);
        if (JSON.stringify(redacted) === JSON.stringify(event.changes)) continue;
        await redactAuditEvent(trx, event.id, redacted);
        auditEventsRedacted += 1;
      }
      await forgetNameWords(trx, words);
      const erasure: Erasure = {
        id: customerId,
        erasedAt: new Date(erasedAt).toISOString(),
        notesDeleted,
        loyaltyCardsDeactivated,
        saleNotesCleared,
        auditEventsRedacted,
        salesKept: await countSalesOf(trx, customerId),
      };
      const { id: _id, erasedAt: _at, ...counts } = erasure;
      await recordAudit(trx, ctx, {
        action: 'customer.erased',
        entityType: 'customer',
        entityId: customerId,
        changes: { reason, ...counts },
      });
      return erasure;
    });
  }
}

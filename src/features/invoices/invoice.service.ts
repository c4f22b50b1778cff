import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import type { Database, Trx } from '../../platform/db/database.ts';
import { sendMail } from '../../platform/email/mailer.ts';
import { decodeCursor, pageOf } from '../../platform/http/cursor.ts';
import { AppError } from '../../platform/http/errors.ts';
import { formatMoney } from '../../shared/money.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findCustomer } from '../customers/customer.repository.ts';
import { lockStats } from '../sales/customer-stats.repository.ts';
import { customerEmail, loadSale } from '../sales/sale.repository.ts';
import { toSale } from '../sales/sale.service.ts';
import { documentContext, settingsIn, smtpIn } from '../settings/settings.service.ts';
import { voidInvoice } from './invoice.ledger.ts';
import { printable, type Rendered, renderInvoice, renderStatement } from './invoice.render.ts';
import {
  accountOf,
  addToInvoice,
  findInvoice,
  type InvoiceRow,
  insertInvoicePayment,
  invoiceTotals,
  listInvoices,
  merchantToday,
  openInvoicesOf,
  paymentsOf,
  postAccountEntry,
  setCreditLimit,
} from './invoice.repository.ts';
import { ageingBucket, allocatePayment, invoiceReference, invoiceStatus } from './invoice.rules.ts';
import {
  AGEING_BUCKETS,
  type AgeingBucket,
  type CustomerAccount,
  type Invoice,
  type InvoiceDetail,
  type InvoicePayment,
  type InvoicePaymentCreate,
  type InvoicePaymentMethod,
  type InvoicePaymentResult,
  type InvoiceQuery,
  type InvoiceTotals,
  type Statement,
} from './invoice.schema.ts';

export function toInvoice(row: InvoiceRow): Invoice {
  const daysOverdue = Number(row.daysOverdue);
  return {
    id: row.id,
    number: row.number,
    reference: invoiceReference(row.number),
    customer: { id: row.customerId, name: row.customerName },
    saleId: row.saleId,
    receiptRef: row.receiptRef,
    storeName: row.storeName,
    issuedOn: row.issuedOn,
    dueOn: row.dueOn,
    amount: row.amount,
    paid: row.paid,
    credited: row.credited,
    voidedAmount: row.voidedAmount,
    openAmount: row.openAmount,
    status: invoiceStatus({ ...row, voided: row.voidedAt !== null, daysOverdue }),
    daysOverdue,
    voidedAt: row.voidedAt ? new Date(row.voidedAt).toISOString() : null,
    voidedBy: row.voidedBy,
    voidReason: row.voidReason,
    limitOverride:
      row.limitOverrideBy !== null ? { by: row.limitOverrideBy, reason: row.limitOverrideReason ?? '' } : null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function toPayment(row: Awaited<ReturnType<typeof paymentsOf>>[number]): InvoicePayment {
  return {
    id: row.id,
    paymentId: row.paymentId,
    kind: row.kind,
    amount: row.amount,
    method: row.method as InvoicePaymentMethod | null,
    paidOn: row.paidOn,
    reference: row.reference,
    note: row.note,
    saleId: row.saleId,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/**
 * Invoices of on-account sales: listed per customer and for the whole business, settled (one, part of
 * one, or several with one payment), voided, printed and emailed; a customer's account, credit limit
 * and statement with ageing.
 */
export class InvoiceService {
  constructor(private readonly database: Database) {}

  async list(ctx: RequestContext, query: InvoiceQuery): Promise<{ items: Invoice[]; next: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      if (query.customerId && !(await findCustomer(trx, query.customerId))) throw AppError.notFound('Customer');
      return listInvoices(trx, { ...query, limit: query.limit + 1, after });
    });
    return pageOf(rows, query.limit, toInvoice);
  }

  /** What the business is owed on account, and what of it is overdue. */
  async totals(ctx: RequestContext): Promise<InvoiceTotals> {
    const row = await this.database.withMerchant(ctx.merchantId, invoiceTotals);
    return {
      openCount: row.openCount,
      openAmount: Number(row.openAmount),
      overdueCount: row.overdueCount,
      overdueAmount: Number(row.overdueAmount),
      customers: row.customers,
    };
  }

  private async detail(trx: Trx, id: string): Promise<InvoiceDetail> {
    const row = await findInvoice(trx, id);
    if (!row) throw AppError.notFound('Invoice');
    return { ...toInvoice(row), payments: (await paymentsOf(trx, id)).map(toPayment) };
  }

  get(ctx: RequestContext, id: string): Promise<InvoiceDetail> {
    return this.database.withMerchant(ctx.merchantId, (trx) => this.detail(trx, id));
  }

  /**
   * Settle open invoices of a customer with one payment: the ones named, or the oldest due first. The
   * customer's invoices are locked while they are checked and settled: two payments at once can never
   * settle the same amount twice.
   */
  async settle(ctx: RequestContext, input: InvoicePaymentCreate): Promise<InvoicePaymentResult> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      if (!(await findCustomer(trx, input.customerId))) {
        throw AppError.invalid([{ field: 'customerId', code: 'not_found', message: 'No customer has this id' }]);
      }
      const today = await merchantToday(trx);
      if (input.paidOn && input.paidOn > today) {
        throw AppError.invalid([{ field: 'paidOn', code: 'future', message: `Must not be after today (${today})` }]);
      }
      await lockStats(trx, [input.customerId]);
      const open = await openInvoicesOf(trx, input.customerId, { forUpdate: true });
      const { currency } = await settingsIn(trx);
      const plan = allocatePayment(
        input.amount,
        open.map((row) => ({ id: row.id, reference: invoiceReference(row.number), openAmount: row.openAmount, row })),
        input.allocations,
        (minor) => formatMoney(minor, currency, 'en'),
      );
      if ('errors' in plan) throw AppError.invalid(plan.errors);
      const paymentId = uuidv7();
      let account = 0;
      for (const { invoice, amount } of plan.allocations) {
        await insertInvoicePayment(trx, {
          id: uuidv7(),
          paymentId,
          invoiceId: invoice.id,
          customerId: input.customerId,
          kind: 'payment',
          amount,
          method: input.method,
          paidOn: input.paidOn ?? today,
          reference: input.reference || null,
          note: input.note || null,
          saleId: null,
          createdBy: ctx.actor.name,
        });
        await addToInvoice(trx, invoice.id, { paid: amount });
        account = await postAccountEntry(trx, {
          customerId: input.customerId,
          amount: -amount,
          reason: 'settled',
          note: input.reference || null,
          saleId: null,
          invoiceId: invoice.id,
          by: ctx.actor.name,
        });
      }
      const allocations = plan.allocations.map(({ invoice, amount }) => ({
        invoiceId: invoice.id,
        reference: invoice.reference,
        amount,
        openAmount: invoice.openAmount - amount,
      }));
      await recordAudit(trx, ctx, {
        action: 'invoice.settled',
        entityType: 'customer',
        entityId: input.customerId,
        changes: {
          paymentId,
          amount: input.amount,
          method: input.method,
          paidOn: input.paidOn ?? today,
          reference: input.reference ?? null,
          allocations: allocations.map(({ reference, amount }) => ({ reference, amount })),
        },
      });
      return { paymentId, customerId: input.customerId, amount: input.amount, allocations, account };
    });
  }

  /** Write off what is still open on an invoice; what was paid stays paid. */
  async void(ctx: RequestContext, id: string, reason: string): Promise<InvoiceDetail> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const found = await findInvoice(trx, id);
      if (!found) throw AppError.notFound('Invoice');
      await lockStats(trx, [found.customerId]);
      const invoice = await findInvoice(trx, id, { forUpdate: true });
      if (!invoice) throw AppError.notFound('Invoice');
      if (invoice.voidedAt)
        throw new AppError('conflict', `Invoice ${invoiceReference(invoice.number)} is already void`);
      if (invoice.openAmount === 0) {
        throw new AppError(
          'conflict',
          `Invoice ${invoiceReference(invoice.number)} is paid in full: nothing is left to void (refund the sale instead)`,
        );
      }
      await voidInvoice(trx, ctx, invoice, reason);
      return this.detail(trx, id);
    });
  }

  private async account(trx: Trx, customerId: string): Promise<CustomerAccount> {
    const row = await accountOf(trx, customerId);
    if (!row) throw AppError.notFound('Customer');
    const balance = Number(row.balance);
    const limit = row.creditLimit ?? row.defaultCreditLimit;
    return {
      invoicingEnabled: row.invoicingEnabled,
      balance,
      overdue: Number(row.overdue ?? 0),
      openInvoices: Number(row.openInvoices ?? 0),
      creditLimit: row.creditLimit,
      defaultCreditLimit: row.defaultCreditLimit,
      effectiveCreditLimit: limit,
      available: limit === null ? null : Math.max(0, limit - balance),
    };
  }

  getAccount(ctx: RequestContext, customerId: string): Promise<CustomerAccount> {
    return this.database.withMerchant(ctx.merchantId, (trx) => this.account(trx, customerId));
  }

  /** A manager sets (or clears, back to the default) how much a customer may owe. */
  async setCreditLimit(ctx: RequestContext, customerId: string, creditLimit: number | null): Promise<CustomerAccount> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const before = await accountOf(trx, customerId);
      if (!before) throw AppError.notFound('Customer');
      await setCreditLimit(trx, customerId, creditLimit);
      if (before.creditLimit !== creditLimit) {
        await recordAudit(trx, ctx, {
          action: 'customer.credit_limit_changed',
          entityType: 'customer',
          entityId: customerId,
          changes: { creditLimit: { from: before.creditLimit, to: creditLimit } },
        });
      }
      return this.account(trx, customerId);
    });
  }

  private async statementIn(trx: Trx, customerId: string, asOf: string | undefined): Promise<Statement> {
    const customer = await accountOf(trx, customerId);
    if (!customer) throw AppError.notFound('Customer');
    const day = asOf ?? (await merchantToday(trx));
    const rows = await openInvoicesOf(trx, customerId, { asOf: day });
    const ageing = Object.fromEntries(AGEING_BUCKETS.map((bucket) => [bucket, 0])) as Record<AgeingBucket, number>;
    const invoices = rows.map((row) => {
      const invoice = toInvoice(row);
      const bucket = ageingBucket(invoice.daysOverdue);
      ageing[bucket] += invoice.openAmount;
      return { ...invoice, bucket };
    });
    return {
      customer: { id: customerId, name: customer.name, email: customer.email },
      asOf: day,
      invoices,
      ageing,
      total: invoices.reduce((sum, invoice) => sum + invoice.openAmount, 0),
    };
  }

  statement(ctx: RequestContext, customerId: string, asOf?: string): Promise<Statement> {
    return this.database.withMerchant(ctx.merchantId, (trx) => this.statementIn(trx, customerId, asOf));
  }

  private async invoiceDocument(trx: Trx, id: string): Promise<{ rendered: Rendered; email: string | null }> {
    const invoice = await this.detail(trx, id);
    const sale = await loadSale(trx, invoice.saleId);
    if (!sale) throw AppError.notFound('Sale');
    const email = await customerEmail(trx, invoice.customer.id);
    const settings = await settingsIn(trx);
    return {
      rendered: renderInvoice(invoice, toSale(sale), { email }, documentContext(settings)),
      email,
    };
  }

  async invoicePage(ctx: RequestContext, id: string): Promise<string> {
    return this.database.withMerchant(ctx.merchantId, async (trx) =>
      printable((await this.invoiceDocument(trx, id)).rendered.html),
    );
  }

  async statementPage(ctx: RequestContext, customerId: string, asOf?: string): Promise<string> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const settings = await settingsIn(trx);
      return printable(renderStatement(await this.statementIn(trx, customerId, asOf), documentContext(settings)).html);
    });
  }

  /** Email an invoice to its customer (or the address given), after the transaction that read it. */
  async emailInvoice(ctx: RequestContext, id: string, to: string | undefined): Promise<{ to: string }> {
    const { rendered, smtp, address } = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      const { rendered, email } = await this.invoiceDocument(trx, id);
      return { rendered, smtp: await smtpIn(trx), address: to ?? email };
    });
    if (!address) throw noAddress();
    await sendMail(smtp, { to: address, ...rendered });
    await this.database.withMerchant(ctx.merchantId, (trx) =>
      recordAudit(trx, ctx, {
        action: 'invoice.emailed',
        entityType: 'invoice',
        entityId: id,
        changes: { to: address },
      }),
    );
    return { to: address };
  }

  async emailStatement(
    ctx: RequestContext,
    customerId: string,
    to: string | undefined,
    asOf?: string,
  ): Promise<{ to: string }> {
    const { rendered, smtp, address } = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      const statement = await this.statementIn(trx, customerId, asOf);
      const settings = await settingsIn(trx);
      return {
        rendered: renderStatement(statement, documentContext(settings)),
        smtp: await smtpIn(trx),
        address: to ?? statement.customer.email,
      };
    });
    if (!address) throw noAddress();
    await sendMail(smtp, { to: address, ...rendered });
    await this.database.withMerchant(ctx.merchantId, (trx) =>
      recordAudit(trx, ctx, {
        action: 'customer.statement_emailed',
        entityType: 'customer',
        entityId: customerId,
        changes: { to: address, asOf: asOf ?? null },
      }),
    );
    return { to: address };
  }
}

function noAddress(): AppError {
  return AppError.invalid([{ field: 'to', code: 'required', message: 'The customer has no email address: give one' }]);
}

import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import type { Database, Trx } from '../../platform/db/database.ts';
import { raisedBy, uniqueViolation } from '../../platform/db/errors.ts';
import { sendMail } from '../../platform/email/mailer.ts';
import { decodeCursor, pageOf } from '../../platform/http/cursor.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { FieldError } from '../../shared/problem.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { insufficient } from '../balances/balance.service.ts';
import { findCustomer } from '../customers/customer.repository.ts';
import {
  assertNoLiveInvoice,
  creditInvoiceForRefund,
  openInvoiceForSale,
  reverseRefundCredit,
  voidInvoiceOfCancelledSale,
} from '../invoices/invoice.ledger.ts';
import { invoiceReference } from '../invoices/invoice.rules.ts';
import { documentContext, settingsIn, smtpIn } from '../settings/settings.service.ts';
import { addToStats, lockStats, recomputeStats } from './customer-stats.repository.ts';
import { renderReceipt } from './receipt.render.ts';
import { SaleBatcher, type SaleBatcherOptions } from './sale.batcher.ts';
import {
  applySalePayments,
  balanceCustomers,
  customerEmail,
  customerGroupDiscount,
  findSaleByReceipt,
  findSaleRow,
  insertSale,
  listCustomerSales,
  liveRefundIds,
  loadLines,
  loadSale,
  recordSaleIn,
  refundedQuantities,
  refundIds,
  resetLoyaltyRate,
  reverseSalePayments,
  type SaleDetails,
  settleSaleLoyalty,
  updateSale,
} from './sale.repository.ts';
import {
  checkPaymentsMatch,
  checkRoundedCash,
  checkRounding,
  lineTotal,
  saleTotals,
  shareOf,
  statusFromPayments,
  type Totals,
  toMilli,
} from './sale.rules.ts';
import type { Sale, SaleCreate, SaleRefund } from './sale.schema.ts';

export function toSale(row: SaleDetails): Sale {
  const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
  return {
    id: row.id,
    store: { id: row.storeId, name: row.storeName, timeZone: row.storeTimeZone },
    register: row.register,
    receiptRef: row.receiptRef,
    channel: row.channel,
    kind: row.kind,
    status: row.status,
    soldAt: new Date(row.soldAt).toISOString(),
    customer: row.customerId ? { id: row.customerId, name: row.customerName ?? 'Deleted customer' } : null,
    refundOf: row.refundOf,
    subtotal: row.subtotal,
    discountTotal: row.discountTotal,
    taxTotal: row.taxTotal,
    total: row.total,
    // Not stored: what the total is beyond its lines is the cash rounding (migration 0026).
    rounding: row.total - row.lines.reduce((sum, line) => sum + line.total, 0),
    lines: row.lines.map((line) => ({ ...line, quantity: Number(line.quantity) })),
    payments: row.payments,
    note: row.note,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    cancelledAt: iso(row.cancelledAt),
    cancelledBy: row.cancelledBy,
    cancelReason: row.cancelReason,
    groupDiscount:
      row.groupDiscountName !== null && row.groupDiscountPercent !== null
        ? { name: row.groupDiscountName, percent: Number(row.groupDiscountPercent) }
        : null,
    invoice: row.invoice ? { id: row.invoice.id, reference: invoiceReference(row.invoice.number) } : null,
  };
}

/** A stable fingerprint of a request body, to tell a retry from a different request. */
function fingerprint(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url');
}

export interface Recorded {
  sale: Sale;
  /** True when this answer repeats the first one (a retry): nothing was written. */
  replayed: boolean;
}

export class SaleService {
  private readonly batcher: SaleBatcher<RecordSaleResult>;

  constructor(
    private readonly database: Database,
    options: { batcher?: SaleBatcherOptions } = {},
  ) {
    this.batcher = new SaleBatcher(database, options.batcher);
  }

  /**
   * Record a sale with its lines and payments, and add it to its customer's statistics in the same
   * transaction. A retry (same Idempotency-Key, or same store and receipt reference, with the same
   * body) answers with the first sale and writes nothing.
   *
   * The hot path of a busy shop: the request's shape and totals are checked here; then the SQL
   * function record_sales (migration 0022) writes it with the other sales that arrived meanwhile
   * (see SaleBatcher), or, for a sale with more to check (points, credit, an invoice, a group
   * discount) or one the batch left out, record_sale (migration 0010) writes it alone: either claims
   * the key, looks up the store, customer and products, and writes everything in one round trip; the
   * answer is built from what it returns.
   */
  async record(
    ctx: RequestContext,
    input: SaleCreate,
    idempotencyKey?: string,
    options: { approval?: string | undefined } = {},
  ): Promise<Recorded> {
    const requestHash = fingerprint(input);
    const { lines, totals } = checkSale(input);
    if (input.rounding) {
      // Only a rounded cash sale reads the settings: the business's coin is the bound.
      const { cashRounding } = await this.database.withMerchant(ctx.merchantId, settingsIn);
      const wrong = checkRounding(input.rounding, input.payments, cashRounding);
      if (wrong) throw AppError.invalid([wrong]);
    }
    const id = uuidv7();
    const now = new Date();
    const soldAt = input.soldAt ? new Date(input.soldAt) : now;
    const status = statusFromPayments(input.payments);
    const argument = {
      key: idempotencyKey ?? null,
      requestHash,
      id,
      storeId: input.storeId,
      register: input.register ?? null,
      receiptRef: input.receiptRef,
      channel: input.channel,
      status,
      soldAt,
      createdAt: now,
      createdBy: ctx.actor.name,
      note: input.note ?? null,
      customer: input.customer ?? null,
      ...totals,
      lines,
      payments: input.payments.map((payment, index) => ({ lineNo: index + 1, ...payment })),
    };
    const onAccount = input.payments.reduce((sum, p) => (p.method === 'on_account' ? sum + p.amount : sum), 0);
    let extras: Pick<Sale, 'groupDiscount' | 'invoice'> = { groupDiscount: null, invoice: null };
    let result: RecordSaleResult;
    try {
      if (onAccount === 0 && input.groupDiscountPercent === undefined) {
        // The hot path: one round trip, in a batch unless its payments draw on a balance.
        const batched = input.payments.some((p) => p.method === 'loyalty' || p.method === 'store_credit')
          ? undefined
          : await this.batcher.record(ctx.merchantId, argument);
        result =
          batched && batched.outcome !== 'single'
            ? batched
            : await this.database.callAsMerchant<RecordSaleResult>(ctx.merchantId, 'record_sale', argument);
      } else {
        // A group discount to check, or an invoice to open: in the same transaction as the sale.
        result = await this.database.withMerchant(ctx.merchantId, async (trx) => {
          const recorded = await recordSaleIn<RecordSaleResult>(trx, argument);
          if (recorded.outcome !== 'recorded') return recorded;
          const customerId = recorded.customer?.id ?? null;
          if (input.groupDiscountPercent !== undefined) {
            extras.groupDiscount = await this.checkGroupDiscount(trx, id, customerId, input.groupDiscountPercent);
          }
          if (onAccount > 0) {
            const invoice = await openInvoiceForSale(trx, ctx, {
              saleId: id,
              customerId,
              amount: onAccount,
              soldAt,
              storeTimeZone: recorded.store.timeZone,
              paymentIndex: input.payments.findIndex((p) => p.method === 'on_account'),
              creditLimitOverride: input.creditLimitOverride,
              // A manager's approval at the till, for this sale: its Idempotency-Key is the record approved.
              approval: options.approval ? { secret: options.approval, recordId: idempotencyKey } : undefined,
            });
            extras = { ...extras, invoice: { id: invoice.id, reference: invoice.reference } };
          }
          return recorded;
        });
      }
    } catch (error) {
      const raised = raisedBy(error);
      if (raised?.message === 'sale_invalid') {
        const fields = JSON.parse(raised.detail ?? '[]') as FieldError[];
        throw new AppError(
          'validation_failed',
          fields.length === 1 ? `${fields[0]?.field}: ${fields[0]?.message}` : `${fields.length} fields are invalid`,
          { fields },
        );
      }
      if (raised?.message === 'sale_receipt_taken') throw receiptTaken();
      // The first payment from the balance that fell short.
      const short = insufficient(
        error,
        (balance) =>
          `payments.${Math.max(
            0,
            input.payments.findIndex((payment) => payment.method === balance),
          )}.amount`,
      );
      if (short) throw short;
      // The same receipt arrived twice at once: the second waited for the first, then collided.
      if (uniqueViolation(error) === 'sale_receipt_key') {
        return this.database.withMerchant(ctx.merchantId, async (trx) => {
          const earlier = await findSaleByReceipt(trx, input.storeId, input.receiptRef);
          if (!earlier) throw error;
          return this.replay(trx, earlier.requestHash, requestHash, earlier.id, 'receiptRef');
        });
      }
      throw error;
    }
    if (result.outcome === 'replay') {
      const earlier = result;
      return this.database.withMerchant(ctx.merchantId, (trx) =>
        this.replay(
          trx,
          earlier.requestHash,
          requestHash,
          earlier.saleId,
          earlier.by === 'key' ? 'Idempotency-Key' : 'receiptRef',
        ),
      );
    }
    return {
      replayed: false,
      sale: {
        id,
        store: { id: input.storeId, ...result.store },
        register: input.register ?? null,
        receiptRef: input.receiptRef,
        channel: input.channel,
        kind: 'sale',
        status,
        soldAt: soldAt.toISOString(),
        customer: result.customer,
        refundOf: null,
        subtotal: totals.subtotal,
        discountTotal: totals.discountTotal,
        taxTotal: totals.taxTotal,
        total: totals.total,
        rounding: input.rounding ?? 0,
        lines: result.lines,
        payments: input.payments,
        note: input.note ?? null,
        createdBy: ctx.actor.name,
        createdAt: now.toISOString(),
        cancelledAt: null,
        cancelledBy: null,
        cancelReason: null,
        ...extras,
      },
    };
  }

  /**
   * A sale that says it gave the customer's group discount: it must be that group's discount. The sale
   * records the group's name and percent for its receipt.
   */
  private async checkGroupDiscount(
    trx: Trx,
    saleId: string,
    customerId: string | null,
    percent: number,
  ): Promise<{ name: string; percent: number }> {
    const group = customerId ? await customerGroupDiscount(trx, customerId) : undefined;
    const given = Math.round(percent * 100);
    if (!group || Math.round(Number(group.discountPercent) * 100) !== given) {
      const message = !group
        ? 'Only a sale with a customer can have a group discount'
        : Number(group.discountPercent) > 0
          ? `The customer's group (${group.name}) gives ${Number(group.discountPercent)}%`
          : `The customer's group (${group.name}) gives no discount`;
      throw AppError.invalid([{ field: 'groupDiscountPercent', code: 'not_group_discount', message }]);
    }
    await updateSale(trx, [saleId], { groupDiscountName: group.name, groupDiscountPercent: group.discountPercent });
    return { name: group.name, percent: Number(group.discountPercent) };
  }

  private async replay(
    trx: Trx,
    firstHash: string,
    hash: string,
    saleId: string | null,
    by: 'Idempotency-Key' | 'receiptRef',
  ): Promise<Recorded> {
    if (firstHash !== hash || !saleId) {
      if (by === 'Idempotency-Key') {
        throw new AppError('idempotency_mismatch', 'This Idempotency-Key was already used for a different request');
      }
      throw receiptTaken();
    }
    return { sale: await this.load(trx, saleId), replayed: true };
  }

  private async load(trx: Trx, id: string): Promise<Sale> {
    const row = await loadSale(trx, id);
    if (!row) throw AppError.notFound('Sale');
    return toSale(row);
  }

  async get(ctx: RequestContext, id: string): Promise<Sale> {
    return this.database.withMerchant(ctx.merchantId, (trx) => this.load(trx, id));
  }

  async listForCustomer(
    ctx: RequestContext,
    customerId: string,
    query: { limit: number; cursor?: string | undefined },
  ) {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      if (!(await findCustomer(trx, customerId))) throw AppError.notFound('Customer');
      return listCustomerSales(trx, customerId, { limit: query.limit + 1, ...(after ? { after } : {}) });
    });
    return pageOf(rows, query.limit, toSale);
  }

  /** Void a sale (or a refund). Its customer's statistics no longer count it. */
  async cancel(ctx: RequestContext, id: string, reason: string): Promise<Sale> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      // Locks are always taken original sale first, then its refunds, then statistics: the order every
      // other change of a sale uses, so two of them never wait on each other in a circle.
      const refundOf = (await findSaleRow(trx, id))?.refundOf;
      if (refundOf) await findSaleRow(trx, refundOf, { forUpdate: true });
      const sale = await findSaleRow(trx, id, { forUpdate: true });
      if (!sale) throw AppError.notFound('Sale');
      if (sale.status === 'cancelled') throw new AppError('conflict', 'This sale is already cancelled');
      if ((await liveRefundIds(trx, id)).length > 0) {
        throw new AppError('conflict', 'This sale has refunds: cancel them first');
      }
      const holders = await balanceCustomers(trx, [id]);
      await lockStats(trx, [...(sale.customerId ? [sale.customerId] : []), ...holders]);
      await updateSale(trx, [id], {
        status: 'cancelled',
        cancelled: true,
        cancelledBy: actedBy(ctx),
        cancelReason: reason,
      });
      if (sale.refundOf) await this.settleRefundedStatus(trx, sale.refundOf);
      if (sale.customerId) await recomputeStats(trx, sale.customerId);
      // What it paid with points or credit goes back; what it (or, for a refund, its sale) earned is settled.
      await reverseSalePayments(trx, id, ctx.actor.name);
      await settleSaleLoyalty(trx, sale.refundOf ?? id, ctx.actor.name);
      // An invoice of the sale is voided; what a refund took off its sale's invoice goes back on.
      if (sale.refundOf) await reverseRefundCredit(trx, ctx, { originalSaleId: sale.refundOf, refundId: id });
      else await voidInvoiceOfCancelledSale(trx, ctx, id, reason);
      await recordAudit(trx, ctx, {
        action: 'sale.cancelled',
        entityType: 'sale',
        entityId: id,
        changes: { reason, receiptRef: sale.receiptRef },
      });
      return this.load(trx, id);
    });
  }

  /** After a refund or its cancellation: a sale all of whose lines went back is "refunded". */
  private async settleRefundedStatus(trx: Trx, saleId: string): Promise<void> {
    const original = await findSaleRow(trx, saleId, { forUpdate: true });
    if (!original || original.status === 'cancelled') return;
    const lines = await loadLines(trx, saleId);
    const returned = await refundedQuantities(trx, saleId);
    const fully = lines.every((line) => toMilli(returned.get(line.lineNo) ?? 0) >= toMilli(Number(line.quantity)));
    const status = fully
      ? 'refunded'
      : original.status === 'refunded'
        ? await this.paymentStatus(trx, saleId)
        : original.status;
    if (status !== original.status) await updateSale(trx, [saleId], { status });
  }

  private async paymentStatus(trx: Trx, saleId: string): Promise<'completed' | 'on_account'> {
    const sale = await loadSale(trx, saleId);
    return statusFromPayments(sale?.payments ?? []);
  }

  /** Return items of a sale: a refund sale with negative lines that references it. */
  async refund(ctx: RequestContext, id: string, input: SaleRefund): Promise<Sale> {
    try {
      return await this.database.withMerchant(ctx.merchantId, async (trx) => {
        const original = await findSaleRow(trx, id, { forUpdate: true });
        if (!original) throw AppError.notFound('Sale');
        if (original.kind !== 'sale') throw new AppError('conflict', 'A refund cannot itself be refunded');
        if (original.status === 'cancelled') throw new AppError('conflict', 'A cancelled sale cannot be refunded');
        const lines = new Map((await loadLines(trx, id)).map((line) => [line.lineNo, line]));
        const returned = await refundedQuantities(trx, id);
        const errors: FieldError[] = [];
        const refundLines = [];
        // What this request returns of each line so far: the same line may be named twice.
        const takenHere = new Map<number, number>();
        for (const [index, wanted] of input.lines.entries()) {
          const line = lines.get(wanted.lineNo);
          if (!line) {
            errors.push({ field: `lines.${index}.lineNo`, code: 'not_found', message: 'The sale has no such line' });
            continue;
          }
          const soldMilli = toMilli(Number(line.quantity));
          const before = toMilli(returned.get(line.lineNo) ?? 0) + (takenHere.get(line.lineNo) ?? 0);
          const wantMilli = toMilli(wanted.quantity);
          if (before + wantMilli > soldMilli) {
            errors.push({
              field: `lines.${index}.quantity`,
              code: 'too_large',
              message: `Only ${(soldMilli - before) / 1000} of this line can still be returned`,
            });
            continue;
          }
          takenHere.set(line.lineNo, before - toMilli(returned.get(line.lineNo) ?? 0) + wantMilli);
          // Cumulative shares: returning 1 + 1 + 1 of a discounted line of 3 gives back exactly what was paid.
          const originalGross = line.total + line.discount - line.tax;
          const share = (amount: number) => shareOf(amount, before, before + wantMilli, soldMilli);
          const quantity = -wanted.quantity;
          const gross = -share(originalGross);
          const discount = -share(line.discount);
          const tax = -share(line.tax);
          refundLines.push({
            lineNo: index + 1,
            productId: line.productId,
            sku: line.sku,
            description: line.description,
            quantity,
            unitPrice: line.unitPrice,
            unitCost: line.unitCost,
            discount,
            tax,
            gross,
            total: lineTotal({ quantity, unitPrice: line.unitPrice, discount, tax, gross }).total,
            refundsLineNo: line.lineNo,
          });
        }
        const rounding = input.rounding ?? 0;
        const totals = saleTotals(refundLines);
        totals.total += rounding;
        const mismatch = checkPaymentsMatch(totals.total, input.payments, rounding);
        if (mismatch) errors.push(mismatch);
        if (rounding !== 0) {
          const wrong = checkRounding(rounding, input.payments, (await settingsIn(trx)).cashRounding);
          if (wrong) errors.push(wrong);
        }
        if (!original.customerId) {
          for (const [index, payment] of input.payments.entries()) {
            if (payment.method === 'loyalty' || payment.method === 'store_credit') {
              errors.push({
                field: `payments.${index}.method`,
                code: 'customer_required',
                message: 'Only a sale with a customer can be refunded to points or store credit',
              });
            }
          }
        }
        for (const [index, payment] of input.payments.entries()) {
          if (payment.method === 'on_account' && payment.amount > 0) {
            errors.push({
              field: `payments.${index}.amount`,
              code: 'positive',
              message: 'A refund pays back to the account: the amount must be negative',
            });
          }
        }
        if (errors.length > 0) throw AppError.invalid(errors);
        const refundId = uuidv7();
        const soldAt = new Date();
        await insertSale(
          trx,
          {
            id: refundId,
            storeId: original.storeId,
            register: original.register,
            receiptRef: input.receiptRef,
            channel: original.channel,
            kind: 'refund',
            status: 'completed',
            soldAt,
            customerId: original.customerId,
            refundOf: id,
            ...totals,
            note: input.reason,
            requestHash: fingerprint(input),
            createdBy: actedBy(ctx),
          },
          refundLines.map(({ gross: _gross, ...line }) => ({ ...line, quantity: String(line.quantity) })),
          input.payments.map((payment, index) => ({ lineNo: index + 1, ...payment })),
        );
        await this.settleRefundedStatus(trx, id);
        if (original.customerId) {
          await addToStats(trx, original.customerId, {
            total: totals.total,
            orders: 0,
            visits: 0,
            returns: 1,
            orderAt: null,
          });
          // Refunded to store credit or points: issued; and the refund takes back its share of the points.
          await applySalePayments(trx, refundId, ctx.actor.name);
          await settleSaleLoyalty(trx, id, ctx.actor.name);
        }
        // Paid back to the account: taken off the invoice of the sale.
        const toAccount = -input.payments.reduce((sum, p) => (p.method === 'on_account' ? sum + p.amount : sum), 0);
        if (toAccount > 0) {
          await creditInvoiceForRefund(trx, ctx, {
            originalSaleId: id,
            refundId,
            amount: toAccount,
            paymentIndex: input.payments.findIndex((p) => p.method === 'on_account'),
          });
        }
        await recordAudit(trx, ctx, {
          action: 'sale.refunded',
          entityType: 'sale',
          entityId: id,
          changes: { refundId, receiptRef: input.receiptRef, total: totals.total, reason: input.reason },
        });
        return this.load(trx, refundId);
      });
    } catch (error) {
      if (uniqueViolation(error) === 'sale_receipt_key') {
        // A retry of this very refund (same sale, same body) answers with it; anything else clashes.
        const earlier = await this.database.withMerchant(ctx.merchantId, async (trx) => {
          const original = await findSaleRow(trx, id);
          const found = original ? await findSaleByReceipt(trx, original.storeId, input.receiptRef) : undefined;
          if (!found || found.requestHash !== fingerprint(input)) return undefined;
          const refund = await findSaleRow(trx, found.id);
          return refund?.refundOf === id ? this.load(trx, found.id) : undefined;
        });
        if (earlier) return earlier;
        throw receiptTaken();
      }
      throw error;
    }
  }

  /** Attach a sale (and its refunds) to a customer, move it to another, or detach it; both customers' figures follow. */
  async changeCustomer(ctx: RequestContext, id: string, customerId: string | null, reason: string): Promise<Sale> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const sale = await findSaleRow(trx, id, { forUpdate: true });
      if (!sale) throw AppError.notFound('Sale');
      if (sale.kind === 'refund') throw new AppError('conflict', 'Move the original sale: its refunds follow it');
      await assertNoLiveInvoice(trx, id);
      if (customerId && !(await findCustomer(trx, customerId))) {
        throw AppError.invalid([{ field: 'customerId', code: 'not_found', message: 'No customer has this id' }]);
      }
      if (sale.customerId === customerId) return this.load(trx, id);
      const affected = [sale.customerId, customerId].filter((c): c is string => c !== null);
      await lockStats(trx, affected);
      await updateSale(trx, [id, ...(await refundIds(trx, id))], { customerId });
      for (const customer of affected) await recomputeStats(trx, customer);
      // Points earned follow the sale; what was paid with points or credit stays with whoever paid.
      await resetLoyaltyRate(trx, id, customerId);
      await settleSaleLoyalty(trx, id, ctx.actor.name);
      await recordAudit(trx, ctx, {
        action: 'sale.customer_changed',
        entityType: 'sale',
        entityId: id,
        changes: { customerId: { from: sale.customerId, to: customerId }, reason },
      });
      return this.load(trx, id);
    });
  }

  async setNote(ctx: RequestContext, id: string, note: string | null): Promise<Sale> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const sale = await findSaleRow(trx, id, { forUpdate: true });
      if (!sale) throw AppError.notFound('Sale');
      await updateSale(trx, [id], { note: note || null });
      await recordAudit(trx, ctx, {
        action: 'sale.note_changed',
        entityType: 'sale',
        entityId: id,
        changes: { note: { from: sale.note, to: note || null } },
      });
      return this.load(trx, id);
    });
  }

  /** The receipt as a page laid out for printing. */
  async receiptPage(ctx: RequestContext, id: string): Promise<string> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const sale = await this.load(trx, id);
      const settings = await settingsIn(trx);
      return renderReceipt(sale, documentContext(settings)).html.replace(
        '</div></body>',
        '<div class="print"><button onclick="window.print()">Print</button></div></div></body>',
      );
    });
  }

  /**
   * Email the receipt to the customer's address, or to another one, through the merchant's SMTP server.
   * The message is sent after the transaction that reads the sale: a slow mail server holds no lock.
   */
  async email(ctx: RequestContext, id: string, to: string | undefined): Promise<{ to: string }> {
    const { message, smtp, address } = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      const sale = await this.load(trx, id);
      const address = to ?? (sale.customer ? await customerEmail(trx, sale.customer.id) : null);
      if (!address) {
        throw AppError.invalid([
          { field: 'to', code: 'required', message: 'The sale has no customer with an email address: give one' },
        ]);
      }
      const settings = await settingsIn(trx);
      return {
        message: renderReceipt(sale, documentContext(settings)),
        smtp: await smtpIn(trx),
        address,
      };
    });
    await sendMail(smtp, { to: address, ...message });
    await this.database.withMerchant(ctx.merchantId, (trx) =>
      recordAudit(trx, ctx, { action: 'sale.emailed', entityType: 'sale', entityId: id, changes: { to: address } }),
    );
    return { to: address };
  }
}

/** What record_sale (migration 0008) answers. */
type RecordSaleResult =
  | { outcome: 'replay'; by: 'key' | 'receipt'; requestHash: string; saleId: string | null }
  | {
      outcome: 'recorded';
      store: { name: string; timeZone: string };
      customer: { id: string; name: string } | null;
      lines: Sale['lines'];
      costTotal: number;
    };

function receiptTaken(): AppError {
  const message = 'Another sale of this store already has this receipt reference';
  return new AppError('conflict', message, { fields: [{ field: 'receiptRef', code: 'taken', message }] });
}

/**
 * What can be checked of a new sale without the database: each line's amount and discount, a
 * description where no product is named, and that the payments add up to the lines. The products a
 * line names are looked up (and their name and cost filled in) when the sale is written.
 */
function checkSale(input: SaleCreate): {
  lines: (Omit<Sale['lines'][number], 'refundsLineNo' | 'description'> & { description: string | null })[];
  totals: Totals;
} {
  const errors: FieldError[] = [];
  const lines = input.lines.map((line, index) => {
    if (!line.productId && !line.sku && !line.description) {
      errors.push({
        field: `lines.${index}.description`,
        code: 'required',
        message: 'A line without a product needs a description',
      });
    }
    const { gross, total } = lineTotal(line);
    if (line.discount > Math.abs(gross)) {
      errors.push({
        field: `lines.${index}.discount`,
        code: 'too_large',
        message: `Is more than the line's amount (${gross})`,
      });
    }
    return {
      lineNo: index + 1,
      productId: line.productId ?? null,
      sku: line.sku ?? null,
      // Filled in from the product when the sale is written.
      description: line.description ?? null,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      unitCost: line.unitCost ?? null,
      discount: line.discount,
      tax: line.tax,
      total,
    };
  });
  for (const [index, payment] of input.payments.entries()) {
    if (payment.method === 'on_account' && payment.amount < 0) {
      errors.push({
        field: `payments.${index}.amount`,
        code: 'negative',
        message: 'A sale cannot pay money back to the account: refund the sale that was put on account',
      });
    }
  }
  const rounding = input.rounding ?? 0;
  const totals = saleTotals(lines);
  // Cash rounding moves what is paid away from the lines; its bound is the business's (checked with it).
  totals.total += rounding;
  const mismatch = checkPaymentsMatch(totals.total, input.payments, rounding);
  if (mismatch) errors.push(mismatch);
  const noCash = checkRoundedCash(rounding, input.payments);
  if (noCash) errors.push(noCash);
  if (errors.length > 0) {
    const paid = input.payments.reduce((sum, p) => sum + p.amount, 0);
    throw new AppError(
      'validation_failed',
      errors.length === 1 ? `${errors[0]?.field}: ${errors[0]?.message}` : `${errors.length} fields are invalid`,
      {
        fields: errors,
        ...(mismatch
          ? {
              extra: {
                totals: {
                  lines: totals.total - rounding,
                  ...(rounding !== 0 ? { rounding } : {}),
                  payments: paid,
                  difference: paid - totals.total,
                },
              },
            }
          : {}),
      },
    );
  }
  return { lines, totals };
}

/** Who did it, as a receipt names them: with the manager who approved it at the till, if one did. */
function actedBy(ctx: RequestContext): string {
  return ctx.approvedBy ? `${ctx.actor.name} (approved by ${ctx.approvedBy.name})` : ctx.actor.name;
}

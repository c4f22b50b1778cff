/**
 * What sales do to invoices, inside the sale's transaction: an on-account sale opens one (within the
 * customer's credit limit, unless a manager overrides), a refund to the account credits it, cancelling
 * that refund takes the credit back, and cancelling the sale voids it. Callers have locked the
 * customer's customer_stats row (the lock order every balance change keeps).
 */
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import type { Trx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';
import { formatMoney } from '../../shared/money.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { spendApprovalIn } from '../auth/auth.service.ts';
import {
  accountOf,
  addToInvoice,
  creditedByRefund,
  dayIn,
  findInvoiceBySale,
  insertInvoice,
  insertInvoicePayment,
  nextInvoiceNumber,
  postAccountEntry,
} from './invoice.repository.ts';
import { invoiceReference } from './invoice.rules.ts';

export interface OnAccountSale {
  saleId: string;
  customerId: string | null;
  /** What the sale put on account (minor units, > 0). */
  amount: number;
  soldAt: Date;
  storeTimeZone: string;
  /** Which payment of the sale is on account: errors name it. */
  paymentIndex: number;
  /** A manager lets the sale past the customer's credit limit, saying why. */
  creditLimitOverride?: { reason: string } | undefined;
  /**
   * For someone who may not override a limit: a manager's approval given at their till (POST /auth/approvals) for
   * `invoices:manage` on `recordId`, the sale's Idempotency-Key. Spent in the sale's transaction: a sale that fails
   * after it leaves it unspent.
   */
  approval?: { secret: string; recordId: string | undefined } | undefined;
}

/** Open the invoice of an on-account sale; refused (422) past the credit limit unless overridden. */
export async function openInvoiceForSale(
  trx: Trx,
  ctx: RequestContext,
  sale: OnAccountSale,
): Promise<{ id: string; number: number; reference: string }> {
  const field = `payments.${sale.paymentIndex}`;
  if (!sale.customerId) {
    throw AppError.invalid([
      { field: `${field}.method`, code: 'customer_required', message: 'Attach a customer to put a sale on account' },
    ]);
  }
  const account = await accountOf(trx, sale.customerId);
  if (!account) throw AppError.notFound('Customer');
  if (!account.invoicingEnabled) {
    throw AppError.invalid([
      {
        field: `${field}.method`,
        code: 'invoicing_off',
        message: 'Sales on account are off: turn invoicing on in Settings → Invoicing',
      },
    ]);
  }
  const limit = account.creditLimit ?? account.defaultCreditLimit;
  const balance = Number(account.balance);
  const over = limit !== null && balance + sale.amount > limit;
  if (over && !sale.creditLimitOverride) {
    const money = (minor: number) => formatMoney(minor, account.currency);
    const message =
      `Would take the account to ${money(balance + sale.amount)}, over the credit limit of ${money(limit)}` +
      ` (owes ${money(balance)} now; ${money(Math.max(0, limit - balance))} available)`;
    throw new AppError('validation_failed', `${field}.amount: ${message}`, {
      fields: [{ field: `${field}.amount`, code: 'credit_limit', message }],
      extra: { creditLimit: limit, balance, available: Math.max(0, limit - balance) },
    });
  }
  let overriddenBy = ctx.actor.name;
  let audited = ctx;
  if (over && !ctx.permissions.has('invoices:manage')) {
    const approver = sale.approval
      ? await spendApprovalIn(trx, ctx.actor, 'invoices:manage', sale.approval.recordId, sale.approval.secret, {
          customerId: sale.customerId,
          amount: sale.amount,
        })
      : undefined;
    if (!approver) {
      const message = sale.approval
        ? 'The approval to go past the credit limit is used, expired, for another sale, customer or a smaller amount, or not yours: ask again'
        : 'Only a manager may let a sale past a credit limit';
      throw new AppError('forbidden', message, {
        fields: [
          {
            field: 'creditLimitOverride',
            code: sale.approval ? 'approval_invalid' : 'forbidden',
            message: sale.approval ? message : 'Needs the permission to manage invoices (ask a manager)',
          },
        ],
      });
    }
    // The manager who approved at the till let it through; the audit entry names both.
    overriddenBy = approver.name;
    audited = { ...ctx, approvedBy: approver };
  }
  const number = await nextInvoiceNumber(trx);
  const { day, plus } = await dayIn(trx, sale.soldAt, sale.storeTimeZone, account.paymentTermsDays);
  const id = uuidv7();
  await insertInvoice(trx, {
    id,
    number,
    customerId: sale.customerId,
    saleId: sale.saleId,
    issuedOn: day,
    dueOn: plus,
    amount: sale.amount,
    limitOverrideBy: over ? overriddenBy : null,
    limitOverrideReason: over ? (sale.creditLimitOverride?.reason ?? null) : null,
    createdBy: ctx.actor.name,
  });
  await postAccountEntry(trx, {
    customerId: sale.customerId,
    amount: sale.amount,
    reason: 'invoiced',
    note: null,
    saleId: sale.saleId,
    invoiceId: id,
    by: ctx.actor.name,
  });
  const reference = invoiceReference(number);
  if (over) {
    await recordAudit(trx, audited, {
      action: 'invoice.credit_limit_overridden',
      entityType: 'invoice',
      entityId: id,
      changes: {
        reference,
        saleId: sale.saleId,
        customerId: sale.customerId,
        creditLimit: limit,
        balanceBefore: balance,
        amount: sale.amount,
        reason: sale.creditLimitOverride?.reason ?? null,
      },
    });
  }
  return { id, number, reference };
}

/**
 * A refund paid back to the account takes its amount off the invoice of the sale it refunds: at most
 * what is still open there (the rest must go back another way).
 */
export async function creditInvoiceForRefund(
  trx: Trx,
  ctx: RequestContext,
  refund: { originalSaleId: string; refundId: string; amount: number; paymentIndex: number },
): Promise<void> {
  const invoice = await findInvoiceBySale(trx, refund.originalSaleId, { forUpdate: true });
  const field = `payments.${refund.paymentIndex}`;
  if (!invoice || invoice.voidedAt) {
    throw AppError.invalid([
      {
        field: `${field}.method`,
        code: 'no_open_invoice',
        message: invoice
          ? `Invoice ${invoiceReference(invoice.number)} of this sale is void: refund another way`
          : 'The sale was not on account: refund another way',
      },
    ]);
  }
  if (refund.amount > invoice.openAmount) {
    throw AppError.invalid([
      {
        field: `${field}.amount`,
        code: 'too_large',
        message: `At most ${invoice.openAmount} (minor units) is still open on ${invoiceReference(invoice.number)}: refund the rest another way`,
      },
    ]);
  }
  await insertInvoicePayment(trx, {
    id: uuidv7(),
    paymentId: uuidv7(),
    invoiceId: invoice.id,
    customerId: invoice.customerId,
    kind: 'credit',
    amount: refund.amount,
    method: null,
    paidOn: null,
    reference: null,
    note: null,
    saleId: refund.refundId,
    createdBy: ctx.actor.name,
  });
  await addToInvoice(trx, invoice.id, { credited: refund.amount });
  await postAccountEntry(trx, {
    customerId: invoice.customerId,
    amount: -refund.amount,
    reason: 'credited',
    note: null,
    saleId: refund.refundId,
    invoiceId: invoice.id,
    by: ctx.actor.name,
  });
}

/** A cancelled refund that had credited an invoice opens that amount on it again. */
export async function reverseRefundCredit(
  trx: Trx,
  ctx: RequestContext,
  refund: { originalSaleId: string; refundId: string },
): Promise<void> {
  const invoice = await findInvoiceBySale(trx, refund.originalSaleId, { forUpdate: true });
  if (!invoice) return;
  const amount = await creditedByRefund(trx, invoice.id, refund.refundId);
  if (amount === 0) return;
  if (invoice.voidedAt) {
    throw new AppError(
      'conflict',
      `This refund was credited to invoice ${invoiceReference(invoice.number)}, which is void since: it cannot be cancelled`,
    );
  }
  await insertInvoicePayment(trx, {
    id: uuidv7(),
    paymentId: uuidv7(),
    invoiceId: invoice.id,
    customerId: invoice.customerId,
    kind: 'credit_reversed',
    amount: -amount,
    method: null,
    paidOn: null,
    reference: null,
    note: null,
    saleId: refund.refundId,
    createdBy: ctx.actor.name,
  });
  await addToInvoice(trx, invoice.id, { credited: -amount });
  await postAccountEntry(trx, {
    customerId: invoice.customerId,
    amount,
    reason: 'credit_reversed',
    note: null,
    saleId: refund.refundId,
    invoiceId: invoice.id,
    by: ctx.actor.name,
  });
}

/**
 * A cancelled on-account sale leaves nothing owed: its invoice is voided. Refused when the customer has
 * already paid some of it (that money is theirs: refund the items instead).
 */
export async function voidInvoiceOfCancelledSale(
  trx: Trx,
  ctx: RequestContext,
  saleId: string,
  reason: string,
): Promise<void> {
  const invoice = await findInvoiceBySale(trx, saleId, { forUpdate: true });
  if (!invoice || invoice.voidedAt) return;
  if (invoice.paid > 0) {
    throw new AppError(
      'conflict',
      `Invoice ${invoiceReference(invoice.number)} of this sale has payments: refund the items instead of cancelling the sale`,
    );
  }
  await voidInvoice(trx, ctx, invoice, `Sale cancelled: ${reason}`);
}

/** Write off what is open on an invoice (locked by the caller). */
export async function voidInvoice(
  trx: Trx,
  ctx: RequestContext,
  invoice: { id: string; number: number; customerId: string; saleId: string; openAmount: number },
  reason: string,
): Promise<void> {
  await addToInvoice(trx, invoice.id, { voided: { amount: invoice.openAmount, by: ctx.actor.name, reason } });
  if (invoice.openAmount > 0) {
    await postAccountEntry(trx, {
      customerId: invoice.customerId,
      amount: -invoice.openAmount,
      reason: 'voided',
      note: reason,
      saleId: invoice.saleId,
      invoiceId: invoice.id,
      by: ctx.actor.name,
    });
  }
  await recordAudit(trx, ctx, {
    action: 'invoice.voided',
    entityType: 'invoice',
    entityId: invoice.id,
    changes: { reference: invoiceReference(invoice.number), amount: invoice.openAmount, reason },
  });
}

/** An on-account sale with a live invoice stays with its customer: the invoice is theirs. */
export async function assertNoLiveInvoice(trx: Trx, saleId: string): Promise<void> {
  const invoice = await findInvoiceBySale(trx, saleId);
  if (invoice && !invoice.voidedAt) {
    throw new AppError(
      'conflict',
      `This sale is on account (invoice ${invoiceReference(invoice.number)}): the invoice belongs to its customer. Void the invoice first to move the sale`,
    );
  }
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import { type SmtpTestServer, startSmtpServer } from '../../../tests/support/smtp.ts';
import { verifyBalances, verifyInvoices } from '../sales/verify-stats.ts';

/**
 * On-account sales and their invoices: opened by the sale within the credit limit (a manager may
 * override), settled in part or several at once, voided, credited by refunds, aged on a statement,
 * printed and emailed; the account always the sum of what is open.
 * The business: invoicing on, 30-day terms, a default limit of $500.
 */
let t: TestApp;
let smtp: SmtpTestServer;
let storeId: string;
let cashier: Client;
let manager: Client;
let receipt = 0;

beforeAll(async () => {
  [t, smtp] = await Promise.all([createTestApp(), startSmtpServer()]);
  cashier = await t.as('cashier');
  manager = await t.as('manager');
  storeId = await firstStoreId(t.owner);
});
afterAll(async () => {
  await Promise.all([t?.close(), smtp?.stop()]);
});

async function settings(payload: Record<string, unknown>) {
  const res = await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function customer(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** A sale of `total` cents, `onAccount` of it on account and the rest by card. */
async function sale(
  customerId: string | null,
  total: number,
  onAccount: number,
  options: { by?: Client; soldAt?: string; extra?: Record<string, unknown> } = {},
) {
  return (options.by ?? cashier).inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef: `A-${++receipt}`,
      ...(customerId ? { customer: { id: customerId } } : {}),
      ...(options.soldAt ? { soldAt: options.soldAt } : {}),
      lines: [{ description: 'Timber', quantity: 1, unitPrice: total }],
      payments: [
        { method: 'on_account', amount: onAccount },
        ...(total > onAccount ? [{ method: 'card', amount: total - onAccount }] : []),
      ],
      ...options.extra,
    },
  });
}

async function account(customerId: string) {
  return (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/account` })).json();
}

async function invoice(id: string) {
  return (await t.owner.inject({ method: 'GET', url: `/api/v1/invoices/${id}` })).json();
}

/** `approver` approves, at the cashier's till, what `asking` asked (by default a sale past a credit limit). */
async function approval(
  recordId: string,
  options: {
    onAccount?: { customerId: string; amount: number };
    permission?: string;
    approver?: Client;
    asking?: Client;
  } = {},
) {
  const approver = options.approver ?? manager;
  return (options.asking ?? cashier).inject({
    method: 'POST',
    url: '/api/v1/auth/approvals',
    payload: {
      email: approver.email,
      password: approver.password,
      permission: options.permission ?? 'invoices:manage',
      recordId,
      ...(options.onAccount ? { onAccount: options.onAccount } : {}),
    },
  });
}

/** A cashier's sale of `amount` all on account, sent with a manager's approval and the key it was given for. */
async function approvedSale(
  secret: string,
  key: string,
  customerId: string,
  options: { amount?: number; extra?: Record<string, unknown> } = {},
) {
  return cashier.inject({
    method: 'POST',
    url: '/api/v1/sales',
    headers: { 'idempotency-key': key, 'x-approval': secret },
    payload: {
      storeId,
      receiptRef: `A-${++receipt}`,
      customer: { id: customerId },
      lines: [{ description: 'Timber', quantity: 1, unitPrice: options.amount ?? 10000 }],
      payments: [{ method: 'on_account', amount: options.amount ?? 10000 }],
      ...(options.extra ?? { creditLimitOverride: { reason: 'Builder, pays monthly' } }),
    },
  });
}

async function pay(payload: Record<string, unknown>, by: Client = cashier) {
  return by.inject({ method: 'POST', url: '/api/v1/invoice-payments', payload });
}

async function expectConsistent() {
  expect((await verifyInvoices(t.database)).differences).toEqual([]);
  expect((await verifyBalances(t.database)).differences).toEqual([]);
}

describe('invoicing off', () => {
  it('refuses a sale on account, saying where to turn invoicing on', async () => {
    const c = await customer();
    const res = await sale(c, 1000, 1000);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'payments.0.method', code: 'invoicing_off' })]);
    expect(res.json().errors[0].message).toContain('Settings → Invoicing');
    // Nothing was kept: the same receipt can be used again.
    expect((await account(c)).balance).toBe(0);
  });
});

describe('on-account sales', () => {
  beforeAll(async () => {
    const saved = await settings({ invoicingEnabled: true, paymentTermsDays: 30, defaultCreditLimit: 50000 });
    expect(saved).toMatchObject({ invoicingEnabled: true, paymentTermsDays: 30, defaultCreditLimit: 50000 });
  });

  it('opens an invoice for the part on account, due after the payment terms', async () => {
    const c = await customer();
    const res = await sale(c, 30000, 20000, { soldAt: '2026-03-10T12:00:00Z' });
    expect(res.statusCode, res.body).toBe(201);
    const recorded = res.json();
    expect(recorded.status).toBe('on_account');
    expect(recorded.invoice.reference).toMatch(/^INV-\d{5}$/);
    const opened = await invoice(recorded.invoice.id);
    expect(opened).toMatchObject({
      customer: { id: c },
      saleId: recorded.id,
      amount: 20000,
      openAmount: 20000,
      paid: 0,
      issuedOn: '2026-03-10',
      dueOn: '2026-04-09',
      receiptRef: recorded.receiptRef,
    });
    // Long past due by now.
    expect(opened.status).toBe('overdue');
    expect(await account(c)).toMatchObject({
      balance: 20000,
      overdue: 20000,
      openInvoices: 1,
      creditLimit: null,
      effectiveCreditLimit: 50000,
      available: 30000,
    });
    // The ledger names the invoice.
    const entries = (
      await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${c}/balance-entries?balance=account` })
    ).json().items;
    expect(entries).toEqual([
      expect.objectContaining({ amount: 20000, reason: 'invoiced', invoiceId: recorded.invoice.id }),
    ]);
    // A sale read back shows its invoice too.
    const read = (await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${recorded.id}` })).json();
    expect(read.invoice).toEqual(recorded.invoice);
    await expectConsistent();
  });

  it('numbers invoices one after another', async () => {
    const c = await customer();
    const first = (await sale(c, 100, 100)).json().invoice;
    const second = (await sale(c, 100, 100)).json().invoice;
    const n = (ref: string) => Number(ref.slice(4));
    expect(n(second.reference)).toBe(n(first.reference) + 1);
  });

  it('needs a customer', async () => {
    const res = await sale(null, 1000, 1000);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'payments.0.method', code: 'customer_required' });
  });

  it('refuses a sale past the credit limit, naming the limit and the balance', async () => {
    const c = await customer();
    expect((await sale(c, 30000, 30000)).statusCode).toBe(201);
    const res = await sale(c, 25000, 25000);
    expect(res.statusCode).toBe(422);
    const problem = res.json();
    expect(problem).toMatchObject({ creditLimit: 50000, balance: 30000, available: 20000 });
    expect(problem.errors[0]).toMatchObject({ field: 'payments.0.amount', code: 'credit_limit' });
    expect(problem.errors[0].message).toContain('$500.00');
    expect(problem.errors[0].message).toContain('$300.00');
    expect((await account(c)).balance).toBe(30000);
  });

  it('lets a manager override the limit, recorded on the invoice and in the audit log; a cashier may not', async () => {
    const c = await customer();
    expect((await sale(c, 45000, 45000)).statusCode).toBe(201);
    const override = { creditLimitOverride: { reason: 'Builder, pays monthly' } };
    const refused = await sale(c, 10000, 10000, { extra: override });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().errors[0].field).toBe('creditLimitOverride');

    const res = await sale(c, 10000, 10000, { by: manager, extra: override });
    expect(res.statusCode, res.body).toBe(201);
    const opened = await invoice(res.json().invoice.id);
    expect(opened.limitOverride).toEqual({ by: expect.any(String), reason: 'Builder, pays monthly' });
    const events = (await t.owner.inject({ method: 'GET', url: `/api/v1/audit-events?entityId=${opened.id}` })).json()
      .items;
    expect(events[0]).toMatchObject({
      action: 'invoice.credit_limit_overridden',
      changes: { creditLimit: 50000, balanceBefore: 45000, amount: 10000 },
    });
    expect((await account(c)).balance).toBe(55000);
  });

  it('lets a cashier’s sale past the limit with a manager’s approval at the till, for that sale alone', async () => {
    const c = await customer();
    expect((await sale(c, 45000, 45000)).statusCode).toBe(201);
    const override = { creditLimitOverride: { reason: 'Builder, pays monthly' } };
    const other = await customer();
    const key = randomUUID();
    const approve = (recordId: string, onAccount?: { customerId: string; amount: number }) =>
      approval(recordId, onAccount ? { onAccount } : {});
    const withApproval = (
      secret: string,
      idempotencyKey: string,
      options: { extra?: Record<string, unknown>; amount?: number; customerId?: string } = {},
    ) =>
      approvedSale(secret, idempotencyKey, options.customerId ?? c, { ...options, extra: options.extra ?? override });

    // A cashier cannot approve themselves.
    const own = await approval(key, { approver: cashier, onAccount: { customerId: c, amount: 10000 } });
    expect(own.json().errors[0]).toMatchObject({ field: 'email', code: 'cannot_approve' });

    // A manager approves this much on this customer's account, not any sale.
    const vague = await approve(key);
    expect(vague.statusCode).toBe(422);
    expect(vague.json().errors[0]).toMatchObject({ field: 'onAccount' });
    const given = await approve(key, { customerId: c, amount: 10000 });
    expect(given.statusCode, given.body).toBe(201);
    const { approval: secret, approvedBy } = given.json();
    expect(approvedBy.id).toBe(manager.userId);
    // For another sale (another key) it is refused, and stays good for its own.
    const elsewhere = await withApproval(secret, randomUUID());
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().detail).toMatch(/approval .* for another sale/);
    // Nor for more than was approved, nor on another customer's account.
    const more = await withApproval(secret, key, { amount: 500000 });
    expect(more.statusCode).toBe(403);
    expect(more.json().errors[0]).toMatchObject({ field: 'creditLimitOverride', code: 'approval_invalid' });
    await settings({ defaultCreditLimit: 0 });
    const elsewhose = await withApproval(secret, key, { customerId: other });
    await settings({ defaultCreditLimit: 50000 });
    expect(elsewhose.json().errors[0]).toMatchObject({ code: 'approval_invalid' });
    // Without the reason the sale is refused as over the limit, and the approval is not spent.
    const noReason = await withApproval(secret, key, { extra: {} });
    expect(noReason.json().errors[0]).toMatchObject({ code: 'credit_limit' });

    const res = await withApproval(secret, key);
    expect(res.statusCode, res.body).toBe(201);
    const opened = await invoice(res.json().invoice.id);
    // The manager let it through; the cashier rang it up.
    expect(opened.limitOverride).toEqual({ by: approvedBy.name, reason: 'Builder, pays monthly' });
    const events = (await t.owner.inject({ method: 'GET', url: `/api/v1/audit-events?entityId=${opened.id}` })).json()
      .items;
    expect(events[0]).toMatchObject({
      action: 'invoice.credit_limit_overridden',
      actor: { id: cashier.userId },
      changes: { approvedBy: approvedBy.name, amount: 10000, balanceBefore: 45000 },
    });
    expect((await account(c)).balance).toBe(55000);
  });

  it('spends no approval on a sale the limit lets through, and takes no amount on an approval of a cancel', async () => {
    const c = await customer();
    const key = randomUUID();
    const given = await approval(key, { onAccount: { customerId: c, amount: 10000 } });
    expect(given.statusCode, given.body).toBe(201);
    const res = await approvedSale(given.json().approval, key, c, {
      extra: { creditLimitOverride: { reason: 'Not needed after all' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await invoice(res.json().invoice.id)).limitOverride).toBeNull();
    const row = await t.database.system
      .selectFrom('approval')
      .select('usedAt')
      .where('recordId', '=', key)
      .executeTakeFirstOrThrow();
    expect(row.usedAt).toBeNull();

    const cancelWithAmount = await approval(res.json().id, {
      permission: 'sales:cancel',
      onAccount: { customerId: c, amount: 999999 },
    });
    expect(cancelWithAmount.statusCode).toBe(422);
    expect(cancelWithAmount.json().errors[0]).toMatchObject({ field: 'onAccount' });
  });

  it('takes an approval to go past a credit limit for nothing else a manager may do', async () => {
    const c = await customer();
    const opened = (await sale(c, 2000, 2000)).json().invoice.id;
    // Asked for on the invoice's id (or the customer's) instead of a sale's key: it voids nothing, sets no limit.
    for (const [recordId, request] of [
      [opened, { method: 'POST', url: `/api/v1/invoices/${opened}/void`, payload: { reason: 'Gone' } }],
      [c, { method: 'PUT', url: `/api/v1/customers/${c}/credit-limit`, payload: { creditLimit: 900000 } }],
    ] as const) {
      const given = await approval(recordId, { onAccount: { customerId: c, amount: 900000 } });
      expect(given.statusCode, given.body).toBe(201);
      const res = await cashier.inject({ ...request, headers: { 'x-approval': given.json().approval } });
      expect(res.statusCode, res.body).toBe(403);
    }
    expect((await invoice(opened)).status).not.toBe('void');
    expect((await account(c)).creditLimit).toBeNull();
  });

  it("uses the customer's own limit over the default; only a manager sets it", async () => {
    const c = await customer();
    const cashierTry = await cashier.inject({
      method: 'PUT',
      url: `/api/v1/customers/${c}/credit-limit`,
      payload: { creditLimit: 100 },
    });
    expect(cashierTry.statusCode).toBe(403);
    const set = await manager.inject({
      method: 'PUT',
      url: `/api/v1/customers/${c}/credit-limit`,
      payload: { creditLimit: 10000 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ creditLimit: 10000, effectiveCreditLimit: 10000, available: 10000 });
    expect((await sale(c, 10001, 10001)).statusCode).toBe(422);
    expect((await sale(c, 10000, 10000)).statusCode).toBe(201);
    // Back to the default.
    const cleared = await manager.inject({
      method: 'PUT',
      url: `/api/v1/customers/${c}/credit-limit`,
      payload: { creditLimit: null },
    });
    expect(cleared.json()).toMatchObject({ creditLimit: null, effectiveCreditLimit: 50000, available: 40000 });
  });

  it('never lets two sales at once take a customer past the limit', async () => {
    const c = await customer();
    const results = await Promise.all(Array.from({ length: 4 }, () => sale(c, 20000, 20000)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 422, 422]);
    expect((await account(c)).balance).toBe(40000);
    await expectConsistent();
  });
});

describe('settling invoices', () => {
  it('settles an invoice partly, then fully; a payment can never settle more than is open', async () => {
    const c = await customer();
    const inv = (await sale(c, 20000, 20000)).json().invoice;
    const part = await pay({
      customerId: c,
      amount: 5000,
      method: 'bank_transfer',
      reference: 'BT-991',
      allocations: [{ invoiceId: inv.id, amount: 5000 }],
    });
    expect(part.statusCode, part.body).toBe(201);
    expect(part.json()).toMatchObject({
      amount: 5000,
      account: 15000,
      allocations: [{ invoiceId: inv.id, reference: inv.reference, amount: 5000, openAmount: 15000 }],
    });
    expect(await invoice(inv.id)).toMatchObject({ status: 'partly_paid', paid: 5000, openAmount: 15000 });

    const tooMuch = await pay({ customerId: c, amount: 15001, method: 'cash' });
    expect(tooMuch.statusCode).toBe(422);
    // The amounts in the merchant's money, as the back office shows them.
    expect(tooMuch.json().errors[0]).toMatchObject({
      field: 'amount',
      code: 'too_large',
      message: expect.stringMatching(/owes on open invoices \(\D*150\.00\)$/),
    });
    const overInvoice = await pay({
      customerId: c,
      amount: 15001,
      method: 'cash',
      allocations: [{ invoiceId: inv.id, amount: 15001 }],
    });
    expect(overInvoice.json().errors[0]).toMatchObject({
      field: 'allocations.0.amount',
      code: 'too_large',
      message: expect.stringMatching(/^Is more than is open on INV-\d{5} \(\D*150\.00\)$/),
    });

    const rest = await pay({ customerId: c, amount: 15000, method: 'card', paidOn: '2026-11-01' });
    expect(rest.statusCode).toBe(201);
    const paid = await invoice(inv.id);
    expect(paid).toMatchObject({ status: 'paid', paid: 20000, openAmount: 0 });
    expect(paid.payments.map((p: { amount: number; method: string }) => [p.amount, p.method])).toEqual([
      [5000, 'bank_transfer'],
      [15000, 'card'],
    ]);
    expect((await account(c)).balance).toBe(0);
    await expectConsistent();
  });

  it('settles several invoices with one payment, oldest due first', async () => {
    const c = await customer();
    const older = (await sale(c, 3000, 3000, { soldAt: '2026-01-05T12:00:00Z' })).json().invoice;
    const newer = (await sale(c, 4000, 4000, { soldAt: '2026-02-05T12:00:00Z' })).json().invoice;
    const res = await pay({ customerId: c, amount: 5000, method: 'cheque' });
    expect(res.statusCode).toBe(201);
    expect(res.json().allocations).toEqual([
      { invoiceId: older.id, reference: older.reference, amount: 3000, openAmount: 0 },
      { invoiceId: newer.id, reference: newer.reference, amount: 2000, openAmount: 2000 },
    ]);
    expect((await invoice(older.id)).status).toBe('paid');
    expect((await invoice(newer.id)).openAmount).toBe(2000);
    const unpaid = (await t.owner.inject({ method: 'GET', url: `/api/v1/invoices?customerId=${c}&status=unpaid` }))
      .json()
      .items.map((i: { id: string }) => i.id);
    expect(unpaid).toEqual([newer.id]);
    // The business's totals count what is open, overdue or not.
    const totals = (await t.owner.inject({ method: 'GET', url: '/api/v1/invoices/totals' })).json();
    const everything = (await t.owner.inject({ method: 'GET', url: '/api/v1/invoices?status=unpaid&limit=200' })).json()
      .items as { openAmount: number; daysOverdue: number }[];
    expect(totals).toMatchObject({
      openCount: everything.length,
      openAmount: everything.reduce((sum, i) => sum + i.openAmount, 0),
      overdueAmount: everything.filter((i) => i.daysOverdue > 0).reduce((sum, i) => sum + i.openAmount, 0),
    });
    expect(totals.overdueAmount).toBeGreaterThanOrEqual(2000);
  });

  it("refuses another customer's invoice and a future payment date", async () => {
    const a = await customer();
    const b = await customer();
    const theirs = (await sale(b, 1000, 1000)).json().invoice;
    await sale(a, 1000, 1000);
    const res = await pay({
      customerId: a,
      amount: 1000,
      method: 'cash',
      allocations: [{ invoiceId: theirs.id, amount: 1000 }],
    });
    expect(res.json().errors[0]).toMatchObject({ field: 'allocations.0.invoiceId', code: 'not_open' });
    const future = await pay({ customerId: a, amount: 1000, method: 'cash', paidOn: '2099-01-01' });
    expect(future.json().errors[0]).toMatchObject({ field: 'paidOn', code: 'future' });
  });
});

describe('voiding', () => {
  it('writes off what is open; a paid invoice cannot be voided; only a manager voids', async () => {
    const c = await customer();
    const inv = (await sale(c, 8000, 8000)).json().invoice;
    await pay({ customerId: c, amount: 3000, method: 'cash' });
    const byCashier = await cashier.inject({
      method: 'POST',
      url: `/api/v1/invoices/${inv.id}/void`,
      payload: { reason: 'Goods returned to supplier' },
    });
    expect(byCashier.statusCode).toBe(403);
    const res = await manager.inject({
      method: 'POST',
      url: `/api/v1/invoices/${inv.id}/void`,
      payload: { reason: 'Goodwill' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'void', voidedAmount: 5000, openAmount: 0, paid: 3000 });
    expect((await account(c)).balance).toBe(0);
    const again = await manager.inject({
      method: 'POST',
      url: `/api/v1/invoices/${inv.id}/void`,
      payload: { reason: 'Twice' },
    });
    expect(again.statusCode).toBe(409);

    const paidInv = (await sale(c, 1000, 1000)).json().invoice;
    await pay({ customerId: c, amount: 1000, method: 'cash' });
    const paidVoid = await manager.inject({
      method: 'POST',
      url: `/api/v1/invoices/${paidInv.id}/void`,
      payload: { reason: 'x' },
    });
    expect(paidVoid.statusCode).toBe(409);
    await expectConsistent();
  });

  it('voids the invoice of a cancelled sale, and refuses to cancel one the customer has paid towards', async () => {
    const c = await customer();
    const s = (await sale(c, 6000, 6000)).json();
    const cancelled = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${s.id}/cancel`,
      payload: { reason: 'Wrong customer' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await invoice(s.invoice.id)).toMatchObject({ status: 'void', voidedAmount: 6000 });
    expect((await account(c)).balance).toBe(0);

    const paidTowards = (await sale(c, 6000, 6000)).json();
    await pay({ customerId: c, amount: 100, method: 'cash' });
    const refused = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${paidTowards.id}/cancel`,
      payload: { reason: 'Changed mind' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain(paidTowards.invoice.reference);
    await expectConsistent();
  });
});

describe('refunds and moves', () => {
  it('a refund to the account takes its amount off the invoice; cancelling the refund puts it back', async () => {
    const c = await customer();
    const s = (await sale(c, 5000, 5000)).json();
    const refund = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${s.id}/refund`,
      payload: {
        receiptRef: `R-${++receipt}`,
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'on_account', amount: -5000 }],
        reason: 'Returned',
      },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    expect(await invoice(s.invoice.id)).toMatchObject({ credited: 5000, openAmount: 0, status: 'paid' });
    expect((await account(c)).balance).toBe(0);

    const undo = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${refund.json().id}/cancel`,
      payload: { reason: 'Entered by mistake' },
    });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(await invoice(s.invoice.id)).toMatchObject({ credited: 0, openAmount: 5000 });
    expect((await account(c)).balance).toBe(5000);
    await expectConsistent();
  });

  it('refuses a refund to the account of more than is open, or of a sale not on account', async () => {
    const c = await customer();
    const s = (await sale(c, 5000, 2000)).json();
    const tooMuch = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${s.id}/refund`,
      payload: {
        receiptRef: `R-${++receipt}`,
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'on_account', amount: -5000 }],
        reason: 'Returned',
      },
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().errors[0]).toMatchObject({ field: 'payments.0.amount', code: 'too_large' });

    const cardSale = (
      await cashier.inject({
        method: 'POST',
        url: '/api/v1/sales',
        payload: {
          storeId,
          receiptRef: `A-${++receipt}`,
          customer: { id: c },
          lines: [{ description: 'Nails', quantity: 1, unitPrice: 500 }],
          payments: [{ method: 'card', amount: 500 }],
        },
      })
    ).json();
    const notOnAccount = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${cardSale.id}/refund`,
      payload: {
        receiptRef: `R-${++receipt}`,
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'on_account', amount: -500 }],
        reason: 'Returned',
      },
    });
    expect(notOnAccount.json().errors[0]).toMatchObject({ code: 'no_open_invoice' });
  });

  it('keeps an on-account sale with its customer', async () => {
    const a = await customer();
    const b = await customer();
    const s = (await sale(a, 1000, 1000)).json();
    const res = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${s.id}/customer`,
      payload: { customerId: b, reason: 'Wrong one' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain(s.invoice.reference);
  });
});

describe('statements', () => {
  it('ages open invoices by days past due on a fixed date', async () => {
    const c = await customer({ email: 'accounts@builder.example.com' });
    // 30-day terms: due dates 2026-07-05, 06-20, 05-16, 04-16 and 01-01; the statement is as of 2026-06-30.
    const sold = ['2026-06-05', '2026-05-21', '2026-04-16', '2026-03-17', '2025-12-02'];
    const amounts = [100, 200, 300, 400, 500];
    for (const [i, day] of sold.entries()) {
      const res = await sale(c, amounts[i] as number, amounts[i] as number, {
        by: manager,
        soldAt: `${day}T12:00:00Z`,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${c}/statement?asOf=2026-06-30` });
    expect(res.statusCode, res.body).toBe(200);
    const statement = res.json();
    expect(statement.ageing).toEqual({ current: 100, days1to30: 200, days31to60: 300, days61to90: 400, over90: 500 });
    expect(statement.total).toBe(1500);
    expect(statement.invoices.map((i: { dueOn: string; daysOverdue: number }) => [i.dueOn, i.daysOverdue])).toEqual([
      ['2026-01-01', 180],
      ['2026-04-16', 75],
      ['2026-05-16', 45],
      ['2026-06-20', 10],
      ['2026-07-05', 0],
    ]);
    // Earlier, the later invoices did not exist yet.
    const before = (
      await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${c}/statement?asOf=2026-01-15` })
    ).json();
    expect(before.total).toBe(500);
    expect(before.ageing.days1to30).toBe(500);

    const page = await t.owner.inject({
      method: 'GET',
      url: `/api/v1/customers/${c}/statement/document?asOf=2026-06-30`,
    });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('STATEMENT');
    expect(page.body).toContain('61–90 days');
    // Its day as the business's country writes it (this merchant is in the US).
    expect(page.body).toContain('Jun 30, 2026');
    expect(page.body).not.toContain('30 Jun 2026');
  });

  it('prints an invoice and emails it and the statement through SMTP', async () => {
    await t.owner.inject({
      method: 'PUT',
      url: '/api/v1/settings/email',
      payload: { host: '127.0.0.1', port: smtp.port, security: 'none', fromAddress: 'accounts@shop.example.com' },
    });
    const c = await customer({ email: 'site@builder.example.com' });
    const s = (await sale(c, 12345, 12345)).json();
    const page = await t.owner.inject({ method: 'GET', url: `/api/v1/invoices/${s.invoice.id}/document` });
    expect(page.body).toContain(s.invoice.reference);
    expect(page.body).toContain('Amount due');
    expect(page.body).toContain('$123.45');
    expect(page.body).toContain(`Please pay by`);
    // Past its due date, an invoice asks to be paid now rather than by a day gone by.
    const late = await customer({ email: 'late@builder.example.com' });
    const old = (await sale(late, 500, 500, { by: manager, soldAt: '2025-12-02T12:00:00Z' })).json();
    const overdue = await t.owner.inject({ method: 'GET', url: `/api/v1/invoices/${old.invoice.id}/document` });
    expect(overdue.body).toMatch(/This was due on [^:]+: please pay now, quoting INV-\d{5}\./);
    expect(overdue.body).not.toContain('Please pay by');

    const before = (await smtp.messages()).length;
    const sent = await t.owner.inject({ method: 'POST', url: `/api/v1/invoices/${s.invoice.id}/email`, payload: {} });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ to: 'site@builder.example.com' });
    const statement = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${c}/statement/email`,
      payload: { to: 'boss@builder.example.com' },
    });
    expect(statement.statusCode, statement.body).toBe(200);
    const messages = (await smtp.waitFor(before + 2)).slice(before);
    expect(messages[0]?.subject).toContain(`Invoice ${s.invoice.reference}`);
    expect(messages[0]?.text).toContain('Amount due: $123.45');
    expect(messages[1]?.envelopeTo).toBe('boss@builder.example.com');
    expect(messages[1]?.text).toContain('Total due: $123.45');
  });
});

describe('group discount', () => {
  it("records the customer's group discount on the sale and its receipt; refuses another percentage", async () => {
    const group = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customer-groups',
      payload: { name: 'Trade', discountPercent: 10 },
    });
    expect(group.statusCode, group.body).toBe(201);
    expect(group.json().discountPercent).toBe(10);
    const c = await customer({ groupId: group.json().id });
    const body = (percent: number) => ({
      storeId,
      receiptRef: `G-${++receipt}`,
      customer: { id: c },
      groupDiscountPercent: percent,
      lines: [{ description: 'Paint', quantity: 2, unitPrice: 2500, discount: 500 }],
      payments: [{ method: 'card', amount: 4500 }],
    });
    const wrong = await cashier.inject({ method: 'POST', url: '/api/v1/sales', payload: body(15) });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'groupDiscountPercent' });
    expect(wrong.json().errors[0].message).toContain('Trade');
    const res = await cashier.inject({ method: 'POST', url: '/api/v1/sales', payload: body(10) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().groupDiscount).toEqual({ name: 'Trade', percent: 10 });
    const receiptPage = await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${res.json().id}/receipt` });
    expect(receiptPage.body).toContain('Trade discount 10%');
  });
});

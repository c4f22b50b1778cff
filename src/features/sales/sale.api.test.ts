import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProducts, type Client, createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import { IDEMPOTENCY_KEY_DAYS } from './idempotency.ts';
import { purgeIdempotencyKeys } from './sale.repository.ts';
import { verifyCustomerStats } from './verify-stats.ts';

let t: TestApp;
let storeId: string;
let cashier: Client;
let manager: Client;
let receipt = 0;

beforeAll(async () => {
  t = await createTestApp();
  cashier = await t.as('cashier');
  manager = await t.as('manager');
  storeId = await firstStoreId(t.owner);
  await addProducts(t.owner, [
    { sku: 'LATTE', name: 'Latte', price: 450, cost: 90 },
    { sku: 'BEANS-1KG', name: 'Beans 1 kg', price: 3200, cost: 1400 },
  ]);
});
afterAll(async () => {
  await t?.close();
});

async function customer(overrides: Record<string, unknown> = {}) {
  return (await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) })).json();
}

/** A sale of `lattes` lattes paid by card, for `customerId`. */
function saleBody(customerId: string | null, lattes = 2, extra: Record<string, unknown> = {}) {
  return {
    storeId,
    register: 'Till 1',
    receiptRef: `R-${++receipt}`,
    ...(customerId ? { customer: { id: customerId } } : {}),
    lines: [{ sku: 'LATTE', quantity: lattes, unitPrice: 450 }],
    payments: [{ method: 'card', amount: 450 * lattes }],
    ...extra,
  };
}

const post = (payload: object, headers: Record<string, string> = {}) =>
  cashier.inject({ method: 'POST', url: '/api/v1/sales', payload, headers });

async function statsOf(customerId: string) {
  return (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customerId}` })).json().stats;
}

describe('recording sales', () => {
  it("records a sale and shows it in the customer's history and statistics at once", async () => {
    const c = await customer();
    const res = await post(saleBody(c.id, 2, { soldAt: '2026-03-01T09:30:00Z' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'completed',
      total: 900,
      store: { id: storeId, name: 'Main store' },
      customer: { id: c.id },
      lines: [{ lineNo: 1, sku: 'LATTE', description: 'Latte', quantity: 2, unitPrice: 450, unitCost: 90, total: 900 }],
      payments: [{ method: 'card', amount: 900 }],
      createdBy: expect.stringMatching(/^Cashier/),
    });
    await post(saleBody(c.id, 1, { soldAt: '2026-04-01T09:30:00Z', channel: 'ecommerce' }));
    expect(await statsOf(c.id)).toEqual({
      totalSpent: 1350,
      orderCount: 2,
      averageOrder: 675,
      visitCount: 1,
      returnCount: 0,
      firstOrderAt: '2026-03-01T09:30:00.000Z',
      lastOrderAt: '2026-04-01T09:30:00.000Z',
    });
    const history = (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${c.id}/sales` })).json();
    expect(history.items.map((s: { total: number }) => s.total)).toEqual([450, 900]);
  });

  it('finds the customer by code or email', async () => {
    const c = await customer({ code: 'CARD-123', email: 'regular@example.com' });
    expect((await post({ ...saleBody(null), customer: { code: 'card-123' } })).json().customer.id).toBe(c.id);
    expect((await post({ ...saleBody(null), customer: { email: 'REGULAR@example.com' } })).json().customer.id).toBe(
      c.id,
    );
    const unknown = await post({ ...saleBody(null), customer: { code: 'NOPE' } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'customer', code: 'not_found' });
  });

  it("never sees another merchant's store, customer or product, and keeps nothing of a refused sale", async () => {
    const other = await t.addMerchant('Other Shop');
    const theirStore = await firstStoreId(other.owner);
    const theirs = (
      await other.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer({ code: 'THEIRS' }) })
    ).json();
    await other.owner.inject({
      method: 'POST',
      url: '/api/v1/products',
      payload: { sku: 'THEIR-SKU', name: 'Theirs', price: 100 },
    });
    const key = 'refused-once';
    const res = await post(
      {
        ...saleBody(null),
        storeId: theirStore,
        customer: { id: theirs.id },
        lines: [{ sku: 'THEIR-SKU', quantity: 2, unitPrice: 450 }],
      },
      { 'idempotency-key': key },
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['storeId', 'customer', 'lines.0.sku']);
    // The key was not kept: the corrected sale goes through under it.
    const fixed = await post(saleBody(null), { 'idempotency-key': key });
    expect(fixed.statusCode).toBe(201);
  });

  it('refuses a sale whose payments do not add up, naming both totals', async () => {
    const res = await post({ ...saleBody(null, 2), payments: [{ method: 'cash', amount: 800 }] });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      totals: { lines: 900, payments: 800, difference: -100 },
      errors: [{ field: 'payments', code: 'totals_mismatch', message: expect.stringContaining('800') }],
    });
  });

  it('adds discounts, tax and fractional quantities exactly', async () => {
    const res = await post({
      storeId,
      receiptRef: `R-${++receipt}`,
      lines: [
        { description: 'Cheese by weight', quantity: 0.375, unitPrice: 4990, discount: 100, tax: 17 },
        { sku: 'BEANS-1KG', quantity: 1, unitPrice: 3200 },
      ],
      payments: [
        { method: 'cash', amount: 2000 },
        { method: 'card', amount: 2988 },
      ],
    });
    expect(res.statusCode).toBe(201);
    // 0.375 × 49.90 = 18.7125 → 18.71; − 1.00 + 0.17 = 17.88; + 32.00 = 49.88
    expect(res.json()).toMatchObject({ subtotal: 5071, discountTotal: 100, taxTotal: 17, total: 4988 });
  });
});

describe('cash rounding', () => {
  const roundTo = (cashRounding: number) =>
    t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { cashRounding } });
  const oddSale = (customerId: string | null, extra: Record<string, unknown>) => ({
    storeId,
    receiptRef: `CR-${++receipt}`,
    ...(customerId ? { customer: { id: customerId } } : {}),
    lines: [{ description: 'Cheese by weight', quantity: 1, unitPrice: 1237 }],
    ...extra,
  });

  it('refuses a rounding where the business does not round cash', async () => {
    const res = await post(oddSale(null, { payments: [{ method: 'cash', amount: 1235 }], rounding: -2 }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'rounding', code: 'not_rounding' })]);
  });

  it('records cash rounded to 5 cents: the total is what was paid, the receipt and the statistics say so', async () => {
    expect((await roundTo(5)).json()).toMatchObject({ cashRounding: 5 });
    const c = await customer();
    const res = await post(oddSale(c.id, { payments: [{ method: 'cash', amount: 1235 }], rounding: -2 }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ subtotal: 1237, total: 1235, rounding: -2 });
    const read = (await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${res.json().id}` })).json();
    expect(read).toMatchObject({ total: 1235, rounding: -2, lines: [{ total: 1237 }] });
    expect(await statsOf(c.id)).toMatchObject({ totalSpent: 1235, orderCount: 1 });
    const receipt = await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${res.json().id}/receipt` });
    expect(receipt.body).toMatch(/Cash rounding<\/td><td class="num">−\$0\.02/);

    // Given back in cash, rounded again: the customer's figures return to nothing, as a recomputation says.
    const refund = await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${res.json().id}/refund`,
      payload: {
        receiptRef: `RF-${res.json().receiptRef}`,
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'cash', amount: -1235 }],
        rounding: 2,
        reason: 'Wrong cheese',
      },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    expect(refund.json()).toMatchObject({ total: -1235, rounding: 2 });
    expect(await statsOf(c.id)).toMatchObject({ totalSpent: 0 });
    expect((await verifyCustomerStats(t.database)).differences).toEqual([]);
  });

  it('refuses more than half a coin, a rounding without cash, and says what the payments miss', async () => {
    await roundTo(5);
    const tooMuch = await post(oddSale(null, { payments: [{ method: 'cash', amount: 1234 }], rounding: -3 }));
    expect(tooMuch.json().errors).toEqual([expect.objectContaining({ field: 'rounding', code: 'too_large' })]);
    const card = await post(oddSale(null, { payments: [{ method: 'card', amount: 1235 }], rounding: -2 }));
    expect(card.json().errors).toEqual([expect.objectContaining({ field: 'rounding', code: 'cash_required' })]);
    const short = await post(oddSale(null, { payments: [{ method: 'cash', amount: 1230 }], rounding: -2 }));
    expect(short.json()).toMatchObject({
      totals: { lines: 1237, rounding: -2, payments: 1230, difference: -5 },
      errors: [expect.objectContaining({ field: 'payments', message: expect.stringContaining('cash rounding') })],
    });
    await roundTo(0);
  });
});

describe('retries never count twice', () => {
  it('answers a retry with the same Idempotency-Key with the first sale, and writes nothing', async () => {
    const c = await customer();
    const body = saleBody(c.id, 3);
    const first = await post(body, { 'idempotency-key': 'key-abc' });
    const again = await post(body, { 'idempotency-key': 'key-abc' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect((await statsOf(c.id)).orderCount).toBe(1);
  });

  it('forgets keys after 30 days, while a retry of an old sale still meets its receipt reference', async () => {
    const c = await customer();
    const old = saleBody(c.id, 1);
    const recent = saleBody(c.id, 2);
    const first = await post(old, { 'idempotency-key': 'key-old' });
    const second = await post(recent, { 'idempotency-key': 'key-recent' });
    await sql`UPDATE idempotency_key SET created_at = now() - interval '31 days' WHERE key = 'key-old'`.execute(
      t.database.system,
    );
    await sql`UPDATE idempotency_key SET created_at = now() - interval '29 days' WHERE key = 'key-recent'`.execute(
      t.database.system,
    );
    expect(await purgeIdempotencyKeys(t.database.system, IDEMPOTENCY_KEY_DAYS, 1)).toBe(1);
    const left = await sql<{
      key: string;
    }>`SELECT key FROM idempotency_key WHERE key IN ('key-old', 'key-recent')`.execute(t.database.system);
    expect(left.rows.map((row) => row.key)).toEqual(['key-recent']);
    // The recent key still replays; the forgotten one is caught by the receipt reference: nothing counts twice.
    const again = await post(recent, { 'idempotency-key': 'key-recent' });
    expect(again.json().id).toBe(second.json().id);
    const late = await post(old, { 'idempotency-key': 'key-old' });
    expect(late.statusCode, late.body).toBe(201);
    expect(late.json().id).toBe(first.json().id);
    expect((await statsOf(c.id)).orderCount).toBe(2);
  });

  it('refuses the same key with a different body', async () => {
    await post(saleBody(null, 1), { 'idempotency-key': 'key-xyz' });
    const res = await post(saleBody(null, 5), { 'idempotency-key': 'key-xyz' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('idempotency_mismatch');
  });

  it('treats the same receipt of the same store as a retry, and refuses it with a different body', async () => {
    const c = await customer();
    const body = saleBody(c.id, 1);
    const first = await post(body);
    expect((await post(body)).json().id).toBe(first.json().id);
    const clash = await post({
      ...body,
      lines: [{ sku: 'LATTE', quantity: 2, unitPrice: 450 }],
      payments: [{ method: 'card', amount: 900 }],
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().errors[0]).toMatchObject({ field: 'receiptRef', code: 'taken' });
    expect((await statsOf(c.id)).orderCount).toBe(1);
  });

  it('keeps a fresh key usable when its first use replayed a sale by its receipt reference', async () => {
    const body = saleBody(null, 1);
    const first = await post(body, { 'idempotency-key': `k1-${body.receiptRef}` });
    const second = await post(body, { 'idempotency-key': `k2-${body.receiptRef}` });
    const third = await post(body, { 'idempotency-key': `k2-${body.receiptRef}` });
    expect([second.statusCode, third.statusCode]).toEqual([201, 201]);
    expect(new Set([first.json().id, second.json().id, third.json().id]).size).toBe(1);
  });

  it('records one sale when the same request arrives many times at once', async () => {
    const c = await customer();
    const body = saleBody(c.id, 1);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => post(body, { 'idempotency-key': `burst-${body.receiptRef}` })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    const noKey = saleBody(c.id, 2);
    const racing = await Promise.all(Array.from({ length: 6 }, () => post(noKey)));
    expect(new Set(racing.map((a) => a.json().id)).size).toBe(1);
    expect((await statsOf(c.id)).orderCount).toBe(2);
  });
});

describe('changing sales', () => {
  it("cancels a sale, which leaves the customer's statistics, once", async () => {
    const c = await customer();
    const sale = (await post(saleBody(c.id, 2))).json();
    await post(saleBody(c.id, 1));
    const res = await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/cancel`,
      payload: { reason: 'Rang up twice' },
    });
    expect(res.json()).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Rang up twice',
      cancelledBy: expect.stringMatching(/^Manager/),
    });
    expect(await statsOf(c.id)).toMatchObject({ totalSpent: 450, orderCount: 1 });
    const again = await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/cancel`,
      payload: { reason: 'again' },
    });
    expect(again.statusCode).toBe(409);
    const noReason = await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/cancel`,
      payload: { reason: '' },
    });
    expect(noReason.statusCode).toBe(422);
  });

  it('leaves cancelling and refunding to managers: a cashier is refused and the sale stays as it was', async () => {
    const c = await customer();
    const sale = (await post(saleBody(c.id, 2))).json();
    const cancel = await cashier.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/cancel`,
      payload: { reason: 'Rang up twice' },
    });
    expect(cancel.statusCode).toBe(403);
    expect(cancel.json()).toMatchObject({ code: 'forbidden', permission: 'sales:cancel' });
    const refund = await cashier.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/refund`,
      payload: {
        receiptRef: `RFX-${sale.receiptRef}`,
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'cash', amount: -450 }],
        reason: 'Pocketed',
      },
    });
    expect(refund.statusCode).toBe(403);
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${sale.id}` })).json().status).toBe('completed');
    expect(await statsOf(c.id)).toMatchObject({ totalSpent: 900, orderCount: 1, returnCount: 0 });
  });

  it('refunds items with a sale of negative lines, and never more than was sold', async () => {
    const c = await customer();
    const sale = (await post(saleBody(c.id, 3))).json();
    const refund = await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/refund`,
      payload: {
        receiptRef: `RF-${sale.receiptRef}`,
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'card', amount: -450 }],
        reason: 'Spilled',
      },
    });
    expect(refund.statusCode).toBe(201);
    expect(refund.json()).toMatchObject({
      kind: 'refund',
      refundOf: sale.id,
      total: -450,
      lines: [{ quantity: -1, refundsLineNo: 1, total: -450 }],
    });
    expect(await statsOf(c.id)).toMatchObject({ totalSpent: 900, orderCount: 1, returnCount: 1 });
    const tooMany = await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/refund`,
      payload: {
        receiptRef: `RF2-${sale.receiptRef}`,
        lines: [{ lineNo: 1, quantity: 3 }],
        payments: [{ method: 'card', amount: -1350 }],
        reason: 'All',
      },
    });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors[0]).toMatchObject({
      field: 'lines.0.quantity',
      message: 'Only 2 of this line can still be returned',
    });
    await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/refund`,
      payload: {
        receiptRef: `RF3-${sale.receiptRef}`,
        lines: [{ lineNo: 1, quantity: 2 }],
        payments: [{ method: 'cash', amount: -900 }],
        reason: 'Rest',
      },
    });
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${sale.id}` })).json().status).toBe('refunded');
    expect(await statsOf(c.id)).toMatchObject({ totalSpent: 0, orderCount: 1, returnCount: 2 });
  });

  it('answers a retried refund with the refund it made', async () => {
    const sale = (await post(saleBody(null, 2))).json();
    const refund = {
      receiptRef: `RFR-${sale.receiptRef}`,
      lines: [{ lineNo: 1, quantity: 1 }],
      payments: [{ method: 'card', amount: -450 }],
      reason: 'Retry',
    };
    const first = await manager.inject({ method: 'POST', url: `/api/v1/sales/${sale.id}/refund`, payload: refund });
    const retry = await manager.inject({ method: 'POST', url: `/api/v1/sales/${sale.id}/refund`, payload: refund });
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(first.json().id);
    const other = await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/refund`,
      payload: { ...refund, reason: 'Another' },
    });
    expect(other.statusCode).toBe(409);
  });

  it('refuses to return the same line twice in one request beyond what was sold', async () => {
    const sale = (await post(saleBody(null, 1))).json();
    const res = await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/refund`,
      payload: {
        receiptRef: `RFD-${sale.receiptRef}`,
        lines: [
          { lineNo: 1, quantity: 1 },
          { lineNo: 1, quantity: 1 },
        ],
        payments: [{ method: 'cash', amount: -900 }],
        reason: 'Twice',
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'lines.1.quantity', code: 'too_large' });
  });

  it('gives back exactly what was paid when a discounted line is returned in parts', async () => {
    const sale = (
      await post({
        storeId,
        receiptRef: `R-${++receipt}`,
        lines: [{ description: 'Glass', quantity: 3, unitPrice: 1000, discount: 100 }],
        payments: [{ method: 'card', amount: 2900 }],
      })
    ).json();
    const refunds = [];
    for (let i = 1; i <= 3; i++) {
      const before = (await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${sale.id}` })).json();
      expect(before.status).toBe('completed');
      // 3 × 10.00 less 1.00: the discount goes back as 0.33, 0.34 and 0.33.
      const amount = [-967, -966, -967][i - 1] as number;
      const res = await manager.inject({
        method: 'POST',
        url: `/api/v1/sales/${sale.id}/refund`,
        payload: {
          receiptRef: `RFP-${sale.receiptRef}-${i}`,
          lines: [{ lineNo: 1, quantity: 1 }],
          payments: [{ method: 'card', amount }],
          reason: 'Broken',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      refunds.push(res.json().total);
    }
    expect(refunds.reduce((a, b) => a + b, 0)).toBe(-2900);
  });

  it('attaches a forgotten customer and moves a sale to another, correcting both', async () => {
    const a = await customer();
    const b = await customer();
    const sale = (await post(saleBody(null, 2))).json();
    const attached = await cashier.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/customer`,
      payload: { customerId: a.id, reason: 'Forgot the card' },
    });
    expect(attached.json().customer.id).toBe(a.id);
    expect(await statsOf(a.id)).toMatchObject({ totalSpent: 900, orderCount: 1 });
    await cashier.inject({
      method: 'POST',
      url: `/api/v1/sales/${sale.id}/customer`,
      payload: { customerId: b.id, reason: 'Wrong Smith' },
    });
    expect(await statsOf(a.id)).toMatchObject({ totalSpent: 0, orderCount: 0, lastOrderAt: null });
    expect(await statsOf(b.id)).toMatchObject({ totalSpent: 900, orderCount: 1 });
    const history = (await t.owner.inject({ method: 'GET', url: `/api/v1/audit-events?entityId=${sale.id}` })).json()
      .items;
    expect(history[0]).toMatchObject({ action: 'sale.customer_changed', changes: { reason: 'Wrong Smith' } });
  });

  it('keeps every customer figure equal to a recomputation after a burst of concurrent sales, cancellations and moves', async () => {
    const people = [await customer(), await customer(), await customer()];
    const made = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post(saleBody((people[i % 3] as { id: string }).id, 1 + (i % 4)))),
    );
    const ids = made.map((r) => r.json().id as string);
    await Promise.all([
      ...ids
        .slice(0, 8)
        .map((id) =>
          manager.inject({ method: 'POST', url: `/api/v1/sales/${id}/cancel`, payload: { reason: 'burst' } }),
        ),
      ...ids.slice(8, 20).map((id, i) =>
        cashier.inject({
          method: 'POST',
          url: `/api/v1/sales/${id}/customer`,
          payload: { customerId: (people[(i + 1) % 3] as { id: string }).id, reason: 'burst' },
        }),
      ),
      ...Array.from({ length: 10 }, (_, i) => post(saleBody((people[i % 3] as { id: string }).id, 2))),
    ]);
    const report = await verifyCustomerStats(t.database);
    expect(report.differences).toEqual([]);
    expect(report.checked).toBeGreaterThan(3);
  });
});

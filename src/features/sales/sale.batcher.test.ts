import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addProducts, type Client, createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import { SaleBatcher } from './sale.batcher.ts';
import { verifyBalances, verifyCustomerStats } from './verify-stats.ts';

/**
 * Sales that reach the server together are written together (record_sales, migration 0022). What a
 * till sees must not change: each sale gets the answer it would get alone, retries still replay,
 * refusals still name their field, and every figure still equals a recomputation.
 */
let t: TestApp;
let storeId: string;
let cashier: Client;
let receipt = 0;
/** What each call of record_sales since the test began was given, and how many of its sales it wrote. */
let batches: { size: number; recorded: number }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  cashier = await t.as('cashier');
  storeId = await firstStoreId(t.owner);
  await addProducts(t.owner, [{ sku: 'LATTE', name: 'Latte', price: 450, cost: 90 }]);
  const settings = await t.owner.inject({
    method: 'PATCH',
    url: '/api/v1/settings',
    payload: { loyaltyEnabled: true, loyaltyPointsPerUnit: 1, loyaltyPointValue: 10, loyaltyEarningMethods: ['card'] },
  });
  expect(settings.statusCode, settings.body).toBe(200);
  const call = t.database.callAsMerchant.bind(t.database);
  t.database.callAsMerchant = async <T>(merchantId: string, fn: string, argument: unknown): Promise<T> => {
    const result = await call<T>(merchantId, fn, argument);
    if (fn === 'record_sales') {
      const outcomes = result as { outcome: string }[];
      batches.push({
        size: (argument as unknown[]).length,
        recorded: outcomes.filter((o) => o.outcome === 'recorded').length,
      });
    }
    return result;
  };
});
afterEach(() => {
  batches = [];
});
afterAll(async () => {
  await t?.close();
});

async function customer(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

function saleBody(customer: Record<string, string> | null, lattes = 1, extra: Record<string, unknown> = {}) {
  return {
    storeId,
    register: 'Till 1',
    receiptRef: `T-${++receipt}`,
    ...(customer ? { customer } : {}),
    lines: [
      { sku: 'LATTE', quantity: lattes, unitPrice: 450 },
      { description: 'Croissant', quantity: 1, unitPrice: 380, unitCost: 120 },
    ],
    payments: [{ method: 'card', amount: 450 * lattes + 380 }],
    ...extra,
  };
}

const post = (payload: object, headers: Record<string, string> = {}) =>
  cashier.inject({ method: 'POST', url: '/api/v1/sales', payload, headers });

describe('sales that arrive together', () => {
  it('are written in batches, each answered as if it came alone', async () => {
    const regular = await customer({ loyaltyOptIn: true });
    const carded = await customer({ code: 'CARD-77', loyaltyOptIn: false });
    const earlier = saleBody({ id: regular }, 1);
    expect((await post(earlier, { 'idempotency-key': 'earlier' })).statusCode).toBe(201);
    batches = [];

    const twice = saleBody(null, 3);
    const sameReceipt = saleBody(null, 2);
    const online = saleBody({ id: regular }, 1, { channel: 'ecommerce' });
    const requests: { body: object; headers?: Record<string, string>; expect: number }[] = [
      // Ten sales for one customer, five by card number, three anonymous.
      ...Array.from({ length: 10 }, (_, i) => ({ body: saleBody({ id: regular }, 1 + (i % 3)), expect: 201 })),
      ...Array.from({ length: 5 }, () => ({ body: saleBody({ code: 'card-77' }, 2), expect: 201 })),
      ...Array.from({ length: 3 }, () => ({ body: saleBody(null, 1), expect: 201 })),
      // Refused, each for its own reason.
      { body: saleBody({ id: '00000000-0000-7000-8000-000000000000' }), expect: 422 },
      {
        body: { ...saleBody(null), lines: [{ sku: 'NO-SUCH-SKU', quantity: 1, unitPrice: 830 }] },
        expect: 422,
      },
      { body: saleBody(null), headers: { 'idempotency-key': 'earlier' }, expect: 422 },
      // Retries: of an earlier sale, and of one in this burst.
      { body: earlier, headers: { 'idempotency-key': 'earlier' }, expect: 201 },
      { body: twice, headers: { 'idempotency-key': 'twice' }, expect: 201 },
      { body: twice, headers: { 'idempotency-key': 'twice' }, expect: 201 },
      // The same receipt twice, without a key; and an online order (not a visit).
      { body: sameReceipt, expect: 201 },
      { body: sameReceipt, expect: 201 },
      { body: online, expect: 201 },
    ];
    // Another merchant's tills at the same time.
    const other = await t.addMerchant('Other Cafe');
    const otherCashier = await other.as('cashier');
    const otherStore = await firstStoreId(other.owner);
    const theirs = (
      await other.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer({ code: 'CARD-77' }) })
    ).json().id;
    const theirSales = Array.from({ length: 6 }, () =>
      otherCashier.inject({
        method: 'POST',
        url: '/api/v1/sales',
        payload: {
          ...saleBody({ code: 'CARD-77' }, 1),
          storeId: otherStore,
          lines: [{ description: 'Tea', quantity: 1, unitPrice: 830 }],
        },
      }),
    );
    const [answers, theirAnswers] = await Promise.all([
      Promise.all(requests.map((r) => post(r.body, r.headers))),
      Promise.all(theirSales),
    ]);

    expect(answers.map((a) => a.statusCode)).toEqual(requests.map((r) => r.expect));
    expect(theirAnswers.map((a) => a.statusCode)).toEqual(Array(6).fill(201));
    expect(theirAnswers.every((a) => a.json().customer.id === theirs)).toBe(true);
    expect(
      batches.some((b) => b.recorded > 1),
      'a batch wrote several sales',
    ).toBe(true);
    expect(answers[24]?.json().id).toBe(answers[25]?.json().id);
    const [unknownCustomer, unknownSku, otherBody] = answers.slice(18, 21).map((a) => a.json());
    expect(unknownCustomer.errors[0]).toMatchObject({ field: 'customer', code: 'not_found' });
    expect(unknownSku.errors[0]).toMatchObject({ field: 'lines.0.sku', code: 'not_found' });
    expect(otherBody.title).toMatch(/Idempotency/i);
    expect(answers[21]?.headers['idempotent-replayed']).toBe('true');
    expect(answers[22]?.json().id).toBe(answers[23]?.json().id);

    // Each answer is the sale as stored, and names its customer, store and products.
    for (const answer of answers.filter((a) => a.statusCode === 201)) {
      const stored = await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${answer.json().id}` });
      expect(stored.json()).toEqual(answer.json());
    }
    expect(answers[0]?.json()).toMatchObject({
      customer: { id: regular },
      store: { name: 'Main store' },
      lines: [
        { sku: 'LATTE', description: 'Latte', unitCost: 90, productId: expect.any(String) },
        { description: 'Croissant', unitCost: 120 },
      ],
    });
    expect(answers[10]?.json().customer.id).toBe(carded);

    // Statistics and points: the sum of the sales, as if recorded one by one.
    const stats = (id: string) => t.owner.inject({ method: 'GET', url: `/api/v1/customers/${id}` });
    const regularTotals = [830, ...Array.from({ length: 10 }, (_, i) => 450 * (1 + (i % 3)) + 380)];
    expect((await stats(regular)).json().stats).toMatchObject({
      orderCount: 12,
      visitCount: 11,
      totalSpent: regularTotals.reduce((sum, total) => sum + total, 0) + 830,
    });
    expect((await stats(theirs)).statusCode, "another merchant's customer").toBe(404);
    const theirStats = await other.owner.inject({ method: 'GET', url: `/api/v1/customers/${theirs}` });
    expect(theirStats.json().stats).toMatchObject({ orderCount: 6, totalSpent: 6 * 830 });
    expect((await stats(carded)).json().stats).toMatchObject({ orderCount: 5, totalSpent: 5 * 1280 });
    // A point a dollar paid by card, whole points a sale; the carded customer is not in the programme.
    const points = (id: string) => t.owner.inject({ method: 'GET', url: `/api/v1/customers/${id}/balances` });
    expect((await points(regular)).json().loyaltyPoints).toBe(
      [...regularTotals, 830].reduce((sum, total) => sum + Math.floor(total / 100), 0),
    );
    expect((await points(carded)).json().loyaltyPoints).toBe(0);
    expect((await verifyCustomerStats(t.database)).differences).toEqual([]);
    expect((await verifyBalances(t.database)).differences).toEqual([]);
  });

  it('writes nothing of a batch that fails, and its sales are then recorded one by one', async () => {
    const c = await customer();
    // One batch at a time for a merchant: the first sale goes alone, the next two wait for it and go together.
    const batcher = new SaleBatcher<{ outcome: string }>(t.database);
    const argument = (key: string) => {
      const body = saleBody({ id: c });
      return {
        key,
        requestHash: key,
        id: crypto.randomUUID(),
        storeId,
        register: null,
        receiptRef: body.receiptRef,
        channel: 'pos',
        status: 'completed',
        soldAt: new Date(),
        createdAt: new Date(),
        createdBy: 'Test',
        note: null,
        customer: body.customer,
        subtotal: 830,
        discountTotal: 0,
        taxTotal: 0,
        total: 830,
        lines: body.lines.map((line, i) => ({ lineNo: i + 1, discount: 0, tax: 0, total: 0, ...line })),
        payments: [{ lineNo: 1, method: 'card', amount: 830 }],
      };
    };
    // A request elsewhere holds the key `contested` when the batch claims it, and then commits.
    let release = () => {};
    const holding = new Promise<void>((resolve) => {
      release = resolve;
    });
    let claimed = () => {};
    const isClaimed = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    const elsewhere = t.database.withMerchant(t.merchantId, async (trx) => {
      await sql`INSERT INTO idempotency_key (merchant_id, key, request_hash) VALUES (${t.merchantId}, 'contested', 'x')`.execute(
        trx,
      );
      claimed();
      await holding;
    });
    await isClaimed;
    const first = argument('uncontested');
    const outcomes = Promise.all([
      batcher.record(t.merchantId, argument('alone')),
      batcher.record(t.merchantId, first),
      batcher.record(t.merchantId, argument('contested')),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await elsewhere;
    expect((await outcomes).map((o) => o.outcome)).toEqual(['recorded', 'single', 'single']);
    const written = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM sale WHERE receipt_ref = ${first.receiptRef}`.execute(t.database.system);
    expect(written.rows[0]?.n).toBe(0);
    const keys = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM idempotency_key WHERE key = 'uncontested'`.execute(t.database.system);
    expect(keys.rows[0]?.n).toBe(0);
    // Through the API, the uncontested sale goes through on its own; the contested key is refused.
    expect((await post(saleBody({ id: c }), { 'idempotency-key': 'uncontested' })).statusCode).toBe(201);
    expect((await post(saleBody({ id: c }), { 'idempotency-key': 'contested' })).statusCode).toBe(422);
  });
});

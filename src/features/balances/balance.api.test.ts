import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import { verifyBalances } from '../sales/verify-stats.ts';

/**
 * Loyalty points and store credit: earned and redeemed by sales, taken back by cancellations and
 * refunds, adjusted by hand with a reason, lapsing, found by card; each balance always its ledger's sum.
 * The merchant: 1 point per dollar paid by cash or card, a point worth 10 cents.
 */
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
  const res = await t.owner.inject({
    method: 'PATCH',
    url: '/api/v1/settings',
    payload: {
      loyaltyEnabled: true,
      loyaltyPointsPerUnit: 1,
      loyaltyPointValue: 10,
      loyaltyEarningMethods: ['cash', 'card'],
    },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

async function customer(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/customers',
    payload: newCustomer({ loyaltyOptIn: true, ...overrides }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** A sale of `total` cents for `customerId`, paid as `payments` (default: all by card). */
async function sale(customerId: string | null, total: number, payments = [{ method: 'card', amount: total }]) {
  return cashier.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef: `B-${++receipt}`,
      ...(customerId ? { customer: { id: customerId } } : {}),
      lines: [{ description: 'Goods', quantity: 1, unitPrice: total }],
      payments,
    },
  });
}

async function balances(customerId: string) {
  return (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/balances` })).json();
}

async function ledger(customerId: string) {
  const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/balance-entries` });
  return res.json().items as { balance: string; amount: number; reason: string }[];
}

async function adjust(customerId: string, payload: Record<string, unknown>, by: Client = t.owner) {
  return by.inject({ method: 'POST', url: `/api/v1/customers/${customerId}/balance-adjustments`, payload });
}

describe('earning points', () => {
  it('earns a point per dollar paid by an earning method, for a customer who opted in', async () => {
    const c = await customer();
    expect((await sale(c, 4599)).statusCode).toBe(201);
    // $45.99 → 45 points (whole points, rounded down); store credit does not earn.
    expect(await balances(c)).toMatchObject({ loyaltyPoints: 45, loyaltyValue: 450 });
    await adjust(c, { balance: 'store_credit', amount: 1000, reason: 'issued', note: 'Goodwill' });
    await sale(c, 2000, [
      { method: 'store_credit', amount: 1000 },
      { method: 'cash', amount: 1000 },
    ]);
    expect((await balances(c)).loyaltyPoints).toBe(55);
    expect((await ledger(c)).filter((e) => e.reason === 'earned').map((e) => e.amount)).toEqual([10, 45]);

    const notOptedIn = await customer({ loyaltyOptIn: false });
    await sale(notOptedIn, 5000);
    expect((await balances(notOptedIn)).loyaltyPoints).toBe(0);
  });

  it('takes the points back when the sale is cancelled, and its share when items are refunded', async () => {
    const c = await customer();
    const made = (await sale(c, 10000)).json();
    expect((await balances(c)).loyaltyPoints).toBe(100);
    const refund = async (quantity: number, amount: number) => {
      const res = await manager.inject({
        method: 'POST',
        url: `/api/v1/sales/${made.id}/refund`,
        payload: {
          receiptRef: `B-${++receipt}`,
          reason: 'Returned',
          lines: [{ lineNo: 1, quantity }],
          payments: [{ method: 'card', amount }],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    // The sale was one item of $100: a refund of 0.333 of it takes back 33 points...
    const first = await refund(0.333, -3330);
    expect((await balances(c)).loyaltyPoints).toBe(67);
    // ...and the rest takes back exactly what is left.
    await refund(0.667, -6670);
    expect((await balances(c)).loyaltyPoints).toBe(0);
    // Cancelling a refund gives its points back.
    await t.owner.inject({ method: 'POST', url: `/api/v1/sales/${first.id}/cancel`, payload: { reason: 'Mistake' } });
    expect((await balances(c)).loyaltyPoints).toBe(33);

    const other = await customer();
    const second = (await sale(other, 2500)).json();
    expect((await balances(other)).loyaltyPoints).toBe(25);
    await t.owner.inject({ method: 'POST', url: `/api/v1/sales/${second.id}/cancel`, payload: { reason: 'Void' } });
    expect((await balances(other)).loyaltyPoints).toBe(0);
  });

  it('gives the points to the customer a sale is attached or moved to', async () => {
    const first = await customer();
    const second = await customer();
    const made = (await sale(null, 3000)).json();
    const move = (customerId: string | null) =>
      t.owner.inject({
        method: 'POST',
        url: `/api/v1/sales/${made.id}/customer`,
        payload: { customerId, reason: 'Forgot to attach' },
      });
    expect((await move(first)).statusCode).toBe(200);
    expect((await balances(first)).loyaltyPoints).toBe(30);
    await move(second);
    expect((await balances(first)).loyaltyPoints).toBe(0);
    expect((await balances(second)).loyaltyPoints).toBe(30);
  });
});

describe('paying with points and store credit', () => {
  it('pays with points up to the balance, in whole points, and gives them back on cancellation', async () => {
    const c = await customer();
    await sale(c, 5000); // 50 points, worth $5.00
    const tooMuch = await sale(c, 1000, [
      { method: 'loyalty', amount: 600 },
      { method: 'card', amount: 400 },
    ]);
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().errors[0]).toMatchObject({ field: 'payments.0.amount', code: 'insufficient_balance' });
    expect(tooMuch.json().errors[0].message).toContain('50 points');
    const oddCents = await sale(c, 1000, [
      { method: 'loyalty', amount: 305 },
      { method: 'card', amount: 695 },
    ]);
    expect(oddCents.json().errors[0]).toMatchObject({ field: 'payments.0.amount', code: 'not_whole_points' });

    const paid = await sale(c, 1000, [
      { method: 'loyalty', amount: 300 },
      { method: 'card', amount: 700 },
    ]);
    expect(paid.statusCode, paid.body).toBe(201);
    // 50 − 30 redeemed + 7 earned on the card part.
    expect((await balances(c)).loyaltyPoints).toBe(27);
    await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${paid.json().id}/cancel`,
      payload: { reason: 'Void' },
    });
    expect((await balances(c)).loyaltyPoints).toBe(50);
  });

  it('needs a customer to pay with points or store credit', async () => {
    const res = await sale(null, 500, [{ method: 'store_credit', amount: 500 }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'payments.0.method', code: 'customer_required' });
  });

  it('issues store credit on a return instead of a refund, and spends it', async () => {
    const c = await customer({ loyaltyOptIn: false });
    const made = (await sale(c, 2000)).json();
    const returned = await manager.inject({
      method: 'POST',
      url: `/api/v1/sales/${made.id}/refund`,
      payload: {
        receiptRef: `B-${++receipt}`,
        reason: 'Wrong size',
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'store_credit', amount: -2000 }],
      },
    });
    expect(returned.statusCode, returned.body).toBe(201);
    expect((await balances(c)).storeCredit).toBe(2000);
    expect((await sale(c, 2500, [{ method: 'store_credit', amount: 2500 }])).statusCode).toBe(422);
    expect((await sale(c, 1500, [{ method: 'store_credit', amount: 1500 }])).statusCode).toBe(201);
    expect((await balances(c)).storeCredit).toBe(500);
    expect((await ledger(c)).map((e) => [e.reason, e.amount])).toEqual([
      ['redeemed', -1500],
      ['issued', 2000],
    ]);
  });

  it('never lets two sales at once spend the same credit', async () => {
    const c = await customer({ loyaltyOptIn: false });
    await adjust(c, { balance: 'store_credit', amount: 1000, reason: 'issued', note: 'Apology' });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => sale(c, 600, [{ method: 'store_credit', amount: 600 }])),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    expect((await balances(c)).storeCredit).toBe(400);
    expect((await verifyBalances(t.database)).differences).toEqual([]);
  });
});

describe('adjusting balances', () => {
  it('lets a manager adjust with a reason, in the audit log; a cashier may not', async () => {
    const c = await customer();
    const res = await adjust(c, { balance: 'loyalty', amount: 120, note: 'Birthday bonus' }, manager);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().loyaltyPoints).toBe(120);
    expect(
      (await adjust(c, { balance: 'loyalty', amount: -500, note: 'Too many' }, manager)).json().errors[0],
    ).toMatchObject({ field: 'amount', code: 'insufficient_balance' });
    expect((await adjust(c, { balance: 'loyalty', amount: 5, note: 'Sneaky' }, cashier)).statusCode).toBe(403);
    const noReason = await adjust(c, { balance: 'loyalty', amount: 5, note: ' ' }, manager);
    expect(noReason.json().errors[0]).toMatchObject({ field: 'note' });
    const audit = await t.owner.inject({
      method: 'GET',
      url: `/api/v1/audit-events?entityId=${c}&action=customer.balance_adjusted`,
    });
    expect(audit.json().items[0].changes).toMatchObject({ balance: 'loyalty', amount: 120, note: 'Birthday bonus' });
  });

  it('keeps the ledger as it was written: entries cannot be changed or removed', async () => {
    const c = await customer();
    await adjust(c, { balance: 'loyalty', amount: 10, note: 'Welcome' });
    // Requests may not even try; and not the table's owner either.
    await expect(
      t.database.withMerchant(t.merchantId, (trx) => sql`UPDATE balance_entry SET amount = 1000`.execute(trx)),
    ).rejects.toThrow(/permission denied/);
    await expect(sql`UPDATE balance_entry SET amount = 1000`.execute(t.database.system)).rejects.toThrow(
      /never changed/,
    );
    await expect(sql`DELETE FROM balance_entry`.execute(t.database.system)).rejects.toThrow(/never changed/);
  });
});

describe('points expiry', () => {
  it('lapses points earned longer ago than the expiry, oldest first, once', async () => {
    await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { loyaltyExpiryMonths: 12 } });
    const c = await customer();
    const old = await cashier.inject({
      method: 'POST',
      url: '/api/v1/sales',
      payload: {
        storeId,
        receiptRef: `B-${++receipt}`,
        soldAt: '2025-01-10T10:00:00Z',
        customer: { id: c },
        lines: [{ description: 'Goods', quantity: 1, unitPrice: 8000 }],
        payments: [{ method: 'card', amount: 8000 }],
      },
    });
    expect(old.statusCode).toBe(201);
    await sale(c, 2000); // 20 points earned now
    // 30 of the old 80 points were spent: 50 are left to lapse.
    await sale(c, 300, [{ method: 'loyalty', amount: 300 }]);
    expect((await balances(c)).loyaltyPoints).toBe(70);
    const { BalanceService } = await import('./balance.service.ts');
    const service = new BalanceService(t.database);
    await service.expireAll(new Date('2026-11-23T00:00:00Z'));
    expect((await balances(c)).loyaltyPoints).toBe(20);
    await service.expire(t.merchantId, new Date('2026-11-24T00:00:00Z'));
    expect((await balances(c)).loyaltyPoints).toBe(20);
    expect((await ledger(c))[0]).toMatchObject({ reason: 'expired', amount: -50 });
    await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { loyaltyExpiryMonths: null } });
  });
});

describe('loyalty cards', () => {
  it('finds the customer by an active card at the till and in search; a lost card finds nobody', async () => {
    const c = await customer();
    const card = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${c}/loyalty-cards`,
      payload: { number: 'LC-0042-7781' },
    });
    expect(card.statusCode, card.body).toBe(201);
    const atTill = await cashier.inject({
      method: 'POST',
      url: '/api/v1/sales',
      payload: {
        storeId,
        receiptRef: `B-${++receipt}`,
        customer: { code: 'lc-0042-7781' },
        lines: [{ description: 'Coffee', quantity: 1, unitPrice: 450 }],
        payments: [{ method: 'cash', amount: 450 }],
      },
    });
    expect(atTill.json().customer.id).toBe(c);
    const found = await cashier.inject({ method: 'GET', url: '/api/v1/customers?q=LC-0042-7781' });
    expect(found.json().items[0].id).toBe(c);

    const taken = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${await customer()}/loyalty-cards`,
      payload: { number: 'lc-0042-7781' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().errors[0]).toMatchObject({ field: 'number', code: 'taken' });

    // Nor can a card carry another customer's code: a scan must find one customer.
    const other = (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${await customer()}` })).json();
    const clash = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${c}/loyalty-cards`,
      payload: { number: other.code.toLowerCase() },
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().errors[0]).toMatchObject({
      field: 'number',
      code: 'taken',
      message: "Is another customer's code",
    });

    await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${c}/loyalty-cards/${card.json().id}/deactivate`,
    });
    const lost = await cashier.inject({ method: 'GET', url: '/api/v1/customers?q=LC-0042-7781' });
    expect(lost.json().items.map((x: { id: string }) => x.id)).not.toContain(c);
    const cards = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${c}/loyalty-cards` });
    expect(cards.json().items[0]).toMatchObject({ number: 'LC-0042-7781', active: false });
  });
});

describe('the customer list', () => {
  it('filters customers who have a balance', async () => {
    const withCredit = await customer({ loyaltyOptIn: false });
    await adjust(withCredit, { balance: 'store_credit', amount: 100, reason: 'issued', note: 'Sorry' });
    const none = await customer({ loyaltyOptIn: false });
    const ids = async (query: string) =>
      (await t.owner.inject({ method: 'GET', url: `/api/v1/customers?limit=200&${query}` }))
        .json()
        .items.map((c: { id: string }) => c.id);
    expect(await ids('hasBalance=true')).toContain(withCredit);
    expect(await ids('hasBalance=true')).not.toContain(none);
    expect(await ids('hasBalance=false')).toContain(none);
    expect(await ids('hasBalance=false')).not.toContain(withCredit);
  });
});

describe('npm run verify', () => {
  it('finds every balance equal to its ledger after all of the above', async () => {
    const report = await verifyBalances(t.database);
    expect(report.checked).toBeGreaterThan(5);
    expect(report.differences).toEqual([]);
  });
});

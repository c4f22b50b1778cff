import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';

let t: TestApp;
let storeId: string;
let otherStoreId: string;
let ana: { id: string };
let ben: { id: string };
let gone: { id: string };
let n = 0;

async function sell(
  customerId: string | null,
  lines: object[],
  payments: object[],
  extra: Record<string, unknown> = {},
) {
  const res = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef: `T-${++n}`,
      ...(customerId ? { customer: { id: customerId } } : {}),
      lines,
      payments,
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  // Downloaded amounts are named by the currency: set before any sale, as a business does. The business is in
  // Sydney; its stores keep their own zone (UTC here).
  await t.owner.inject({
    method: 'PATCH',
    url: '/api/v1/settings',
    payload: { currency: 'AUD', timeZone: 'Australia/Sydney' },
  });
  storeId = await firstStoreId(t.owner);
  otherStoreId = '01a20657-0000-7000-8000-00000000beef';
  await t.database.system
    .insertInto('store')
    .values({ merchantId: t.merchantId, id: otherStoreId, name: 'Online shop', timeZone: 'UTC', channel: 'ecommerce' })
    .execute();
  for (const [sku, name, price, cost] of [
    ['LATTE', 'Latte', 450, 90],
    ['MUG', '=Mug (formula-looking)', 1800, 700],
  ] as const) {
    await t.owner.inject({ method: 'POST', url: '/api/v1/products', payload: { sku, name, price, cost } });
  }
  ana = (
    await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: newCustomer({ firstName: 'Ana', lastName: 'Lima' }),
    })
  ).json();
  ben = (
    await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: newCustomer({ firstName: 'Ben', lastName: 'Okafor' }),
    })
  ).json();
  gone = (
    await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: newCustomer({ firstName: 'Gone', lastName: 'Away' }),
    })
  ).json();

  await sell(ana.id, [{ sku: 'LATTE', quantity: 2, unitPrice: 450 }], [{ method: 'card', amount: 900 }], {
    soldAt: '2026-01-10T10:00:00Z',
  });
  const mug = await sell(ana.id, [{ sku: 'MUG', quantity: 2, unitPrice: 1800 }], [{ method: 'cash', amount: 3600 }], {
    soldAt: '2026-02-10T10:00:00Z',
  });
  await t.owner.inject({
    method: 'POST',
    url: `/api/v1/sales/${mug.id}/refund`,
    payload: {
      receiptRef: 'T-RF',
      lines: [{ lineNo: 1, quantity: 1 }],
      payments: [{ method: 'cash', amount: -1800 }],
      reason: 'Chipped',
    },
  });
  await sell(ben.id, [{ sku: 'LATTE', quantity: 10, unitPrice: 450 }], [{ method: 'card', amount: 4500 }], {
    soldAt: '2026-03-10T10:00:00Z',
  });
  const cancelled = await sell(
    ben.id,
    [{ sku: 'LATTE', quantity: 1, unitPrice: 450 }],
    [{ method: 'card', amount: 450 }],
  );
  await t.owner.inject({ method: 'POST', url: `/api/v1/sales/${cancelled.id}/cancel`, payload: { reason: 'test' } });
  await sell(gone.id, [{ sku: 'LATTE', quantity: 1, unitPrice: 450 }], [{ method: 'cash', amount: 450 }], {
    soldAt: '2026-04-10T10:00:00Z',
  });
  await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${gone.id}` });
  await sell(
    null,
    [{ description: 'Walk-in muffin', quantity: 1, unitPrice: 400 }],
    [{ method: 'cash', amount: 400 }],
    {
      storeId: otherStoreId,
      soldAt: '2026-05-10T10:00:00Z',
    },
  );
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string) => t.owner.inject({ method: 'GET', url });

describe('reports', () => {
  it('lists receipts newest first, filtered by customer, store and time', async () => {
    const all = (await get('/api/v1/reports/receipts?limit=50')).json().items;
    expect(all).toHaveLength(7);
    const anas = (await get(`/api/v1/reports/receipts?customerId=${ana.id}`)).json().items;
    expect(anas.map((r: { receiptRef: string; total: number }) => [r.receiptRef, r.total])).toEqual([
      ['T-RF', -1800],
      ['T-2', 3600],
      ['T-1', 900],
    ]);
    const online = (await get(`/api/v1/reports/receipts?storeId=${otherStoreId}`)).json().items;
    expect(online.map((r: { receiptRef: string }) => r.receiptRef)).toEqual(['T-6']);
    const february = (await get('/api/v1/reports/receipts?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z')).json()
      .items;
    expect(february.map((r: { receiptRef: string }) => r.receiptRef)).toEqual(['T-2']);
  });

  it("sums each product's quantity, value, cost and margin, less returns and without cancelled sales", async () => {
    const items = (await get('/api/v1/reports/products')).json().items;
    expect(items).toEqual([
      {
        productId: expect.any(String),
        sku: 'LATTE',
        name: 'Latte',
        quantity: 13,
        value: 5850,
        cost: 1170,
        margin: 4680,
      },
      {
        productId: expect.any(String),
        sku: 'MUG',
        name: '=Mug (formula-looking)',
        quantity: 1,
        value: 1800,
        cost: 700,
        margin: 1100,
      },
      // No cost recorded for the free-text line: unknown, not zero (which would show a 100 % margin).
      { productId: null, sku: null, name: 'Walk-in muffin', quantity: 1, value: 400, cost: null, margin: null },
    ]);
    // An unknown margin comes last, whichever way margins are sorted.
    for (const direction of ['asc', 'desc']) {
      const byMargin = (await get(`/api/v1/reports/products?sort=margin&direction=${direction}`)).json().items;
      const known = ['=Mug (formula-looking)', 'Latte'];
      expect(byMargin.map((r: { name: string }) => r.name)).toEqual([
        ...(direction === 'asc' ? known : known.reverse()),
        'Walk-in muffin',
      ]);
    }
  });

  it("shows a customer's products for a time range", async () => {
    const items = (await get(`/api/v1/customers/${ana.id}/products?from=2026-02-01T00:00:00Z`)).json().items;
    expect(items).toEqual([expect.objectContaining({ sku: 'MUG', quantity: 1, value: 1800, margin: 1100 })]);
  });

  it('keeps a deleted customer in sales by customer under its record id, not findable by name', async () => {
    const items = (await get('/api/v1/reports/sales-by-customer')).json().items;
    expect(items.map((r: { name: string; total: number; orders: number }) => [r.name, r.total, r.orders])).toEqual([
      ['Ben Okafor', 4500, 1],
      ['Ana Lima', 2700, 2],
      ['Deleted customer', 450, 1],
    ]);
    expect(items[2]).toMatchObject({ customerId: gone.id, deleted: true });
    expect((await get('/api/v1/reports/sales-by-customer?q=Gone')).json().items).toEqual([]);
    expect((await get('/api/v1/reports/sales-by-customer?q=okafor')).json().items).toHaveLength(1);
  });

  it('downloads a report as CSV, neutralising formula-looking cells, and records the export', async () => {
    const res = await get('/api/v1/reports/products?format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    // Named after the business's day (Sydney), not the server's: 08:00 in Sydney is the day before in UTC.
    const sydneyDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(new Date());
    expect(res.headers['content-disposition']).toBe(`attachment; filename="products-${sydneyDay}.csv"`);
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.Product)).toEqual(['Latte', "'=Mug (formula-looking)", 'Walk-in muffin']);
    // Amounts in the currency's major units, as a spreadsheet sums them.
    expect(rows[0]).toMatchObject({ SKU: 'LATTE', Quantity: '13', 'Value (AUD)': '58.50' });
    // An unknown cost is an empty cell, not 0.
    expect(rows[2]).toMatchObject({ 'Cost (AUD)': '', 'Margin (AUD)': '' });
    const [started] = (await get('/api/v1/audit-events?action=report.export_started')).json().items;
    expect(started).toMatchObject({ changes: { report: 'products', filter: { sort: 'value', direction: 'desc' } } });
    const [event] = (await get('/api/v1/audit-events?action=report.exported')).json().items;
    expect(event).toMatchObject({
      actor: { name: expect.stringMatching(/^Owner/) },
      changes: { report: 'products', rows: 3 },
    });
  });

  it('downloads sales by customer with amounts in dollars and times on the business clock beside UTC', async () => {
    const res = await get('/api/v1/reports/sales-by-customer?format=csv');
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.Customer)).toEqual(['Ben Okafor', 'Ana Lima', 'Deleted customer']);
    expect(rows[1]).toMatchObject({
      'Customer record id': ana.id,
      Orders: '2',
      'Total (AUD)': '27.00',
      'First sale (business time)': '2026-01-10 21:00',
      'First sale (UTC)': '2026-01-10T10:00:00.000Z',
    });
  });

  it('downloads receipts with the store time beside UTC', async () => {
    const res = await get(`/api/v1/reports/receipts?format=csv&customerId=${ana.id}`);
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.Receipt)).toEqual(['T-RF', 'T-2', 'T-1']);
    // A refund's total is negative, in dollars and cents.
    expect(rows[0]?.['Total (AUD)']).toMatch(/^-\d+\.\d{2}$/);
    expect(rows[2]).toMatchObject({
      'Sold at (UTC)': '2026-01-10T10:00:00.000Z',
      'Sold at (store time)': '2026-01-10 10:00',
      Customer: 'Ana Lima',
    });
  });

  it('is for those who may read reports: not a cashier', async () => {
    const cashier = await t.as('cashier');
    expect((await cashier.inject({ method: 'GET', url: '/api/v1/reports/receipts' })).statusCode).toBe(403);
    expect((await cashier.inject({ method: 'GET', url: `/api/v1/customers/${ana.id}/products` })).statusCode).toBe(200);
  });
});

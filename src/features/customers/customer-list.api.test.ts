import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';

/**
 * The customer list of a merchant with a known set of customers: every sort in both directions,
 * every filter, paging under each, and the count. Each customer's figures come from real sales.
 */
let t: TestApp;
let storeId: string;
let receipt = 0;
let vipGroup: string;
let otherStore: string;

interface Made {
  id: string;
  name: string;
  spent: number;
  orders: number;
  lastOrderAt: string | null;
}
const made: Made[] = [];

async function createCustomer(overrides: Record<string, unknown> = {}) {
  const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; firstName: string | null; lastName: string | null };
}

async function sell(customerId: string, amount: number, soldAt: string) {
  const res = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef: `L-${++receipt}`,
      soldAt,
      customer: { id: customerId },
      lines: [{ description: 'Goods', quantity: 1, unitPrice: amount }],
      payments: [{ method: 'card', amount }],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function get(url: string) {
  const res = await t.owner.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Every page of a list, following `next`, with pages of `size`. */
async function everyPage(query: string, size = 2): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { items: { id: string }[]; next: string | null } = await get(
      `/api/v1/customers?limit=${size}&${query}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    ids.push(...page.items.map((c) => c.id));
    cursor = page.next;
    if (++pages > 100) throw new Error('The list does not end');
  } while (cursor);
  return ids;
}

beforeAll(async () => {
  t = await createTestApp();
  storeId = (await get('/api/v1/stores')).items[0].id;
  otherStore = uuidv7();
  vipGroup = uuidv7();
  await sql`INSERT INTO store (merchant_id, id, name, time_zone, channel) VALUES (${t.merchantId}, ${otherStore}, 'Harbour Street', 'Australia/Sydney', 'pos')`.execute(
    t.database.system,
  );
  await sql`INSERT INTO customer_group (merchant_id, id, name) VALUES (${t.merchantId}, ${vipGroup}, 'VIP')`.execute(
    t.database.system,
  );
  const people: [string, string | null, number[]][] = [
    ['Zoë', 'Álvarez', [5000, 1200]],
    ['Adam', 'alvarez', [300]],
    ['Ben', 'Young', []],
    ['Chloé', 'Brown', [9900, 100, 100]],
    ['Dan', null, [700]],
    ['Eve', 'Young', [2500]],
    ['Émile', 'Ōta', [4100, 4100]],
    ['Fay', 'brown', []],
  ];
  for (const [index, [firstName, lastName, sales]] of people.entries()) {
    // Emails that no search here can match (a random one may start with "brown" or "young").
    const email = index % 2 === 0 ? null : `person${index}@list.example.com`;
    const c = await createCustomer({ firstName, lastName, email });
    let lastOrderAt: string | null = null;
    for (const [i, amount] of sales.entries()) {
      lastOrderAt = new Date(Date.UTC(2026, 0, 10 + index * 3 + i, 12)).toISOString();
      await sell(c.id, amount, lastOrderAt);
    }
    made.push({
      id: c.id,
      name: [firstName, lastName].filter(Boolean).join(' '),
      spent: sales.reduce((a, b) => a + b, 0),
      orders: sales.length,
      lastOrderAt,
    });
  }
});
afterAll(async () => {
  await t?.close();
});

const byId = (ids: string[]) => ids.map((id) => made.find((m) => m.id === id)?.name);

describe('sorting the customer list', () => {
  it('sorts by surname then first name, accents and case folded, people without a surname by first name', async () => {
    expect(byId(await everyPage('sort=name'))).toEqual([
      'Adam alvarez',
      'Zoë Álvarez',
      'Chloé Brown',
      'Fay brown',
      'Dan',
      'Émile Ōta',
      'Ben Young',
      'Eve Young',
    ]);
    // The default order is by name too; and the group key of each follows it.
    const page = await get('/api/v1/customers?limit=8');
    expect(page.items.map((c: { groupKey: string }) => c.groupKey)).toEqual(['A', 'A', 'B', 'B', 'D', 'O', 'Y', 'Y']);
    expect(byId(await everyPage('sort=-name', 3))).toEqual(byId(await everyPage('sort=name')).reverse());
  });

  it('sorts by total spent, orders and last order in either direction, without skipping or repeating', async () => {
    const check = async (sort: string, value: (m: Made) => number) => {
      const asc = await everyPage(`sort=${sort}`);
      const desc = await everyPage(`sort=-${sort}`, 3);
      expect(new Set(asc).size).toBe(made.length);
      expect(asc.map((id) => value(made.find((m) => m.id === id) as Made))).toEqual(
        made.map(value).sort((a, b) => a - b),
      );
      // Ties (two customers who never ordered) keep one order, reversed in the other direction.
      expect(desc).toEqual([...asc].reverse());
    };
    await check('totalSpent', (m) => m.spent);
    await check('orders', (m) => m.orders);
    await check('lastOrderAt', (m) => (m.lastOrderAt ? Date.parse(m.lastOrderAt) : Number.NEGATIVE_INFINITY));
    const created = await everyPage('sort=createdAt');
    expect(created).toEqual(made.map((m) => m.id));
  });

  it('keeps paging stable while customers are added under every sort', async () => {
    for (const sort of ['name', '-totalSpent', 'lastOrderAt', '-createdAt']) {
      const first = await get(`/api/v1/customers?limit=3&sort=${sort}`);
      const added = await createCustomer({ firstName: 'Aaron', lastName: 'Aardvark' });
      const rest = await everyPage(`sort=${sort}`, 3).then(async () => {
        const ids: string[] = [];
        let cursor: string | null = first.next;
        while (cursor) {
          const page: { items: { id: string }[]; next: string | null } = await get(
            `/api/v1/customers?limit=3&sort=${sort}&cursor=${cursor}`,
          );
          ids.push(...page.items.map((c) => c.id));
          cursor = page.next;
        }
        return ids;
      });
      const seen = [...first.items.map((c: { id: string }) => c.id), ...rest];
      expect(new Set(seen).size, sort).toBe(seen.length);
      for (const m of made) expect(seen, `${sort}: ${m.name}`).toContain(m.id);
      await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${added.id}` });
    }
  });

  it('refuses a cursor from another sort and a sort it does not know', async () => {
    const page = await get('/api/v1/customers?limit=2&sort=totalSpent');
    const other = await t.owner.inject({ method: 'GET', url: `/api/v1/customers?sort=name&cursor=${page.next}` });
    expect(other.statusCode).toBe(422);
    expect(other.json().errors[0]).toMatchObject({ field: 'cursor', in: 'query' });
    const unknown = await t.owner.inject({ method: 'GET', url: '/api/v1/customers?sort=height' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'sort', in: 'query' });
  });
});

describe('filtering the customer list', () => {
  const names = async (query: string) =>
    byId(await everyPage(`sort=name&${query}`, 50))
      .filter(Boolean)
      .sort();
  const expected = (keep: (m: Made, index: number) => boolean) =>
    made
      .filter(keep)
      .map((m) => m.name)
      .sort();

  it('filters by total spent, number of orders and order dates, inclusive, combinable', async () => {
    expect(await names('totalSpentMin=5000')).toEqual(expected((m) => m.spent >= 5000));
    expect(await names('totalSpentMin=300&totalSpentMax=2500')).toEqual(
      expected((m) => m.spent >= 300 && m.spent <= 2500),
    );
    expect(await names('ordersMin=2')).toEqual(expected((m) => m.orders >= 2));
    expect(await names('ordersMax=0')).toEqual(expected((m) => m.orders === 0));
    expect(await names('lastOrderFrom=2026-01-20&lastOrderTo=2026-01-29')).toEqual(
      expected((m) => m.lastOrderAt !== null && m.lastOrderAt >= '2026-01-20' && m.lastOrderAt < '2026-01-30'),
    );
    expect(await names('firstOrderTo=2026-01-10')).toEqual(['Zoë Álvarez']);
    expect(await names('ordersMin=1&totalSpentMax=1000&hasEmail=true')).toEqual(
      expected((m, i) => m.orders >= 1 && m.spent <= 1000 && i % 2 === 1),
    );
  });

  it('keeps the order of names and created dates under filters on statistics, page after page', async () => {
    const byName = byId(await everyPage('sort=name')) as string[];
    const orders = (name: string) => made.find((m) => m.name === name)?.orders ?? 0;
    // Pages of one and two: every customer with an order, in name order, each once.
    expect(byId(await everyPage('sort=name&ordersMin=1', 1))).toEqual(byName.filter((name) => orders(name) >= 1));
    expect(byId(await everyPage('sort=-name&ordersMin=2', 2))).toEqual(
      byName.filter((name) => orders(name) >= 2).reverse(),
    );
    // With a filter on the customer's own row too, newest first.
    const newest = made
      .filter((m, index) => m.spent >= 300 && index % 2 === 1)
      .map((m) => m.name)
      .reverse();
    expect(byId(await everyPage('sort=-createdAt&totalSpentMin=300&hasEmail=true', 1))).toEqual(newest);
  });

  it('filters by email, phone and marketing consent', async () => {
    expect(await names('hasEmail=false')).toEqual(expected((_, i) => i % 2 === 0));
    expect(await names('hasEmail=true')).toEqual(expected((_, i) => i % 2 === 1));
    const noPhone = await createCustomer({ firstName: 'Nora', lastName: 'Nophone', phone: null, emailMarketing: true });
    expect((await everyPage('hasPhone=false', 50)).filter((id) => id === noPhone.id)).toEqual([noPhone.id]);
    expect(await everyPage('hasPhone=true', 50)).not.toContain(noPhone.id);
    expect(await everyPage('emailMarketing=true', 50)).toContain(noPhone.id);
    expect(await everyPage('emailMarketing=false', 50)).not.toContain(noPhone.id);
    await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${noPhone.id}` });
  });

  it('filters by group and by the store a customer was created in', async () => {
    const [a, b] = made as [Made, Made];
    await sql`UPDATE customer SET group_id = ${vipGroup} WHERE id = ${a.id}`.execute(t.database.system);
    await sql`UPDATE customer SET created_store_id = ${otherStore} WHERE id = ${b.id}`.execute(t.database.system);
    const groups = await get('/api/v1/customer-groups');
    expect(groups.items.map((g: { name: string; isDefault: boolean }) => [g.name, g.isDefault])).toEqual([
      ['All Customers', true],
      ['VIP', false],
    ]);
    expect(await everyPage(`groupId=${vipGroup}`)).toEqual([a.id]);
    expect(await everyPage(`storeId=${otherStore}`)).toEqual([b.id]);
    expect(await everyPage(`storeId=${otherStore}&groupId=${vipGroup}`)).toEqual([]);
  });

  it("reads created dates as days in the merchant's time zone", async () => {
    const c = await createCustomer({ firstName: 'Tess', lastName: 'Timezone' });
    // 14:30 UTC on 1 March is already 01:30 on 2 March in Sydney.
    await sql`UPDATE customer SET created_at = '2026-03-01T14:30:00Z' WHERE id = ${c.id}`.execute(t.database.system);
    await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { timeZone: 'Australia/Sydney' } });
    expect(await everyPage('createdFrom=2026-03-01&createdTo=2026-03-01')).toEqual([]);
    expect(await everyPage('createdFrom=2026-03-02&createdTo=2026-03-02')).toEqual([c.id]);
    await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { timeZone: 'UTC' } });
    expect(await everyPage('createdFrom=2026-03-01&createdTo=2026-03-01')).toEqual([c.id]);
    await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${c.id}` });
  });

  it('combines filters with a search, best match first or in the chosen sort', async () => {
    const brown = made.filter((m) => m.name.endsWith('rown'));
    const matches = await everyPage('q=brown', 1);
    expect(matches.sort()).toEqual(brown.map((m) => m.id).sort());
    const spent = brown.filter((m) => m.spent > 0);
    expect(await everyPage('q=brown&totalSpentMin=1', 1)).toEqual(spent.map((m) => m.id));
    const sorted = await everyPage('q=young&sort=-name', 1);
    expect(byId(sorted)).toEqual(['Eve Young', 'Ben Young']);
  });

  it('names the field of a filter that cannot be right', async () => {
    const cases: [string, string][] = [
      ['totalSpentMin=500&totalSpentMax=100', 'totalSpentMax'],
      ['createdFrom=2026-05-01&createdTo=2026-04-01', 'createdTo'],
      ['lastOrderFrom=yesterday', 'lastOrderFrom'],
      ['ordersMin=-1', 'ordersMin'],
      ['hasEmail=perhaps', 'hasEmail'],
      ['groupId=vip', 'groupId'],
    ];
    for (const [query, field] of cases) {
      const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customers?${query}` });
      expect(res.statusCode, query).toBe(422);
      expect(res.json().errors[0], query).toMatchObject({ field, in: 'query' });
    }
  });
});

describe('counting customers', () => {
  it('counts what the list shows, with the same filters and search', async () => {
    expect(await get('/api/v1/customers/count')).toEqual({ count: made.length, exact: true });
    expect(await get('/api/v1/customers/count?ordersMin=1')).toEqual({
      count: made.filter((m) => m.orders >= 1).length,
      exact: true,
    });
    expect(await get('/api/v1/customers/count?q=young')).toEqual({ count: 2, exact: true });
    expect(await get('/api/v1/customers/count?q=young&ordersMin=1')).toEqual({ count: 1, exact: true });
  });

  it('stops counting at 10,000 and says there are more', async () => {
    const other = await t.addMerchant('Many Customers Ltd');
    await sql`
      INSERT INTO customer (merchant_id, id, code, first_name, group_id, source)
      SELECT ${other.merchantId}::uuid, gen_random_uuid(), 'N' || g, 'Many', g2.id, 'import'
      FROM generate_series(1, 10001) g, (SELECT id FROM customer_group WHERE merchant_id = ${other.merchantId} AND is_default) g2`.execute(
      t.database.system,
    );
    const res = await other.owner.inject({ method: 'GET', url: '/api/v1/customers/count' });
    expect(res.json()).toEqual({ count: 10_000, exact: false });
    // Every customer still has its statistics row, so it is listed and sorted like any other.
    const top = await other.owner.inject({ method: 'GET', url: '/api/v1/customers/count?ordersMax=0' });
    expect(top.json()).toEqual({ count: 10_000, exact: false });
  });
});

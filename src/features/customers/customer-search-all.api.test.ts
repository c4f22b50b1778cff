import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestMerchant } from '../../../tests/support/app.ts';
import { idsMatch, listCustomers, searchMatch } from './customer.repository.ts';
import { planSearch } from './customer-search.ts';

// A search that matches more people than a ranking looks at (2,000): a list sorted by a column, a count, a list with
// filters, an export and a move to a group take every one of them.

let t: TestApp;
let big: TestMerchant;
const people: Record<string, string> = {};

async function add(key: string, body: Record<string, unknown>) {
  const res = await big.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  people[key] = res.json().id;
}

async function get(url: string) {
  const res = await big.owner.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Every id of the list at `query`, page after page. */
async function everyPage(query: string): Promise<string[]> {
  const ids: string[] = [];
  let url: string | null = `/api/v1/customers?limit=200&${query}`;
  while (url) {
    const page: { items: { id: string }[]; next: string | null } = await get(url);
    ids.push(...page.items.map((item) => item.id));
    url = page.next ? `/api/v1/customers?limit=200&${query}&cursor=${encodeURIComponent(page.next)}` : null;
  }
  return ids;
}

beforeAll(async () => {
  t = await createTestApp();
  big = await t.addMerchant('Big Directory Ltd');
  await big.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { defaultCountry: 'AU' } });
  // 2,500 Mariannes, the last of them the newest: a ranking's 2,000 candidates come in the table's order.
  await sql`
    INSERT INTO customer (merchant_id, id, code, first_name, last_name, email, group_id, source, created_at)
    SELECT ${big.merchantId}::uuid, gen_random_uuid(), 'N' || g, 'Marianne', 'Number' || g,
           'marianne' || g || '@example.com', g2.id, 'import', now() - (2501 - g) * interval '1 minute'
    FROM generate_series(1, 2500) g, (SELECT id FROM customer_group WHERE merchant_id = ${big.merchantId} AND is_default) g2`.execute(
    t.database.system,
  );
  await add('mari', { firstName: 'Mari', lastName: 'Tamm', phone: '0412 345 678', code: 'MT-1' });
  await add('smith', { firstName: 'Jonathan', lastName: 'Smith', email: 'jsmith@example.com', mobile: '0499 888 777' });
  await add('marco', { firstName: 'Marco', lastName: 'Rossi', email: 'rossi@example.com', code: 'MARCO-9' });
  await add('carded', { firstName: 'Ada', lastName: 'Card', email: 'ada@example.com' });
  await sql`INSERT INTO loyalty_card (merchant_id, id, customer_id, number, created_by)
            VALUES (${big.merchantId}::uuid, gen_random_uuid(), ${people.carded}::uuid, 'MAR-CARD-1', 'test')`.execute(
    t.database.system,
  );
});
afterAll(async () => {
  await t?.close();
});

describe('a search that matches more than a ranking looks at', () => {
  it('lists every match in the order of a sort, page after page, newest first', async () => {
    const newest = await get('/api/v1/customers?q=Marianne&sort=-createdAt&limit=3');
    expect(newest.items.map((c: { lastName: string }) => c.lastName)).toEqual([
      'Number2500',
      'Number2499',
      'Number2498',
    ]);
    const all = await everyPage('q=Marianne&sort=name');
    expect(all).toHaveLength(2500);
    expect(new Set(all).size).toBe(2500);
  });

  it('counts every match, up to the count’s bound', async () => {
    expect(await get('/api/v1/customers/count?q=Marianne')).toEqual({ count: 2500, exact: true });
    // The names that start with it (the Mariannes, Mari, Marco), as their emails and Marco's code do: 2,502.
    expect(await get('/api/v1/customers/count?q=mar')).toEqual({ count: 2502, exact: true });
    expect(await get('/api/v1/customers/count?q=Marianne&createdFrom=2000-01-01')).toEqual({
      count: 2500,
      exact: true,
    });
  });

  it('with filters and no sort, ranks every match that passes them', async () => {
    const vip = await big.owner.inject({ method: 'POST', url: '/api/v1/customer-groups', payload: { name: 'VIP' } });
    expect(vip.statusCode, vip.body).toBe(201);
    const groupId = vip.json().id;
    // The newest Marianne, far beyond the first 2,000 in the table, and Mari, whose name is the word typed whole.
    const newest = (await get('/api/v1/customers?q=Marianne&sort=-createdAt&limit=1')).items[0].id;
    for (const id of [newest, people.mari]) {
      const res = await big.owner.inject({
        method: 'POST',
        url: `/api/v1/customer-groups/${groupId}/customers`,
        payload: { customerIds: [id] },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await everyPage(`q=mari&groupId=${groupId}`)).toEqual([people.mari, newest]);
    expect((await get(`/api/v1/customers?q=mari&groupId=${groupId}`)).order).toBe('rank');
    expect((await get('/api/v1/customers?q=mari&sort=-totalSpent')).order).toBe('-totalSpent');
  });

  it('exports and moves to a group every match', async () => {
    const res = await big.owner.inject({ method: 'GET', url: '/api/v1/customers/export?q=Marianne' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    // The header and one line a customer.
    expect(res.body.trim().split(/\r?\n/)).toHaveLength(2501);

    const group = await big.owner.inject({
      method: 'POST',
      url: '/api/v1/customer-groups',
      payload: { name: 'Mariannes' },
    });
    const moved = await big.owner.inject({
      method: 'POST',
      url: `/api/v1/customer-groups/${group.json().id}/customers`,
      payload: { matching: { q: 'Marianne' } },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ moved: 2500, group: { size: 2500 } });
  });

  it('still finds names within a typo when nothing matches as typed, sorted and counted', async () => {
    expect(await everyPage('q=Jonahtan&sort=name')).toEqual([people.smith]);
    expect(await get('/api/v1/customers/count?q=Jonahtan')).toEqual({ count: 1, exact: true });
  });
});

describe('a search with filters that matches too many to rank them all', () => {
  it('lists them by most recent order, page after page, none twice', async () => {
    const huge = await t.addMerchant('Huge Directory Ltd');
    await sql`
      INSERT INTO customer (merchant_id, id, code, first_name, last_name, group_id, source)
      SELECT ${huge.merchantId}::uuid, gen_random_uuid(), 'A' || g, 'Anna', 'Number' || g, g2.id, 'import'
      FROM generate_series(1, 10000) g, (SELECT id FROM customer_group WHERE merchant_id = ${huge.merchantId} AND is_default) g2`.execute(
      t.database.system,
    );
    // Three of them bought something, the last of them most recently; PostgreSQL learns how many Annas there are.
    const { rows: buyers } = await sql<{ id: string }>`
      UPDATE customer_stats s SET last_order_at = now() - (4 - c.n) * interval '1 day', order_count = 1
        FROM (SELECT id, row_number() OVER (ORDER BY code) AS n FROM customer
               WHERE merchant_id = ${huge.merchantId}::uuid AND code IN ('A10', 'A20', 'A30')) c
       WHERE s.merchant_id = ${huge.merchantId}::uuid AND s.customer_id = c.id
      RETURNING c.id`.execute(t.database.system);
    expect(buyers).toHaveLength(3);
    await sql`ANALYZE customer, customer_stats`.execute(t.database.system);
    const group = (await (await huge.owner.inject({ method: 'GET', url: '/api/v1/customer-groups' })).json()).items[0];

    const ids: string[] = [];
    let url: string | null = `/api/v1/customers?q=anna&groupId=${group.id}&limit=200`;
    while (url) {
      const res = await huge.owner.inject({ method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      const page: { items: { id: string; code: string }[]; next: string | null; order: string } = res.json();
      if (ids.length === 0) expect(page.items.slice(0, 3).map((c) => c.code)).toEqual(['A30', 'A20', 'A10']);
      expect(page.order).toBe('-lastOrderAt');
      ids.push(...page.items.map((c) => c.id));
      url = page.next
        ? `/api/v1/customers?q=anna&groupId=${group.id}&limit=200&cursor=${encodeURIComponent(page.next)}`
        : null;
    }
    expect(ids).toHaveLength(10_000);
    expect(new Set(ids).size).toBe(10_000);
  });
});

describe('the two ways of finding every match', () => {
  // Gathered from the search indexes, or checked on each customer a list walks past: the same customers, for every
  // kind of query.
  const queries = [
    'mar', // names, emails, codes and a card number that start with it
    'marianne number12', // two words
    'Tamm M', // a word and an initial
    'mari', // a whole name and the start of others
    'marianne12@', // the start of an email, with its @
    'jsmith@example.com', // a whole email
    'marco-9', // a whole code
    'n25', // the start of codes
    'mar-card-1', // a loyalty card number
    '0412 345', // phone digits
    '888777', // the end of a mobile number
    'smith 0499', // a name and phone digits
    'nobody', // no one
  ];

  it.each(queries)('finds the same customers for %j', async (q) => {
    const [gathered, checked] = await t.database.withMerchant(big.merchantId, async (trx) => {
      const read = async (way: 'gathered' | 'checked') => {
        const search = await searchMatch(trx, planSearch(q), {}, 10_000, way);
        const rows = await listCustomers(trx, {
          filter: {},
          sort: 'name',
          descending: false,
          limit: 5000,
          match: search?.match ?? idsMatch([]),
        });
        return rows.map((row) => row.id);
      };
      return [await read('gathered'), await read('checked')];
    });
    expect(checked).toEqual(gathered);
    if (q !== 'nobody') expect(gathered.length).toBeGreaterThan(0);
  });
});

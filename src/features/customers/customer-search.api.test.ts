import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';
import { planSearch } from './customer-search.ts';

let t: TestApp;
const ids: Record<string, string> = {};

async function add(key: string, body: Record<string, unknown>) {
  const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  ids[key] = res.json().id;
}

async function search(q: string): Promise<{ id: string; groupKey: string }[]> {
  const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customers?q=${encodeURIComponent(q)}&limit=20` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

const found = async (q: string) => (await search(q)).map((c) => Object.keys(ids).find((k) => ids[k] === c.id) ?? c.id);

beforeAll(async () => {
  t = await createTestApp();
  await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { defaultCountry: 'AU' } });
  await add('jonathan', {
    firstName: 'Jonathan',
    lastName: 'Smith',
    email: 'jsmith@example.com',
    phone: '0412 345 678',
  });
  await add('john', {
    firstName: 'John',
    lastName: 'Smithers',
    email: 'john.smithers@example.com',
    phone: '+61 2 9876 5432',
  });
  await add('jose', { firstName: 'José', lastName: 'Álvarez', email: 'jose@example.com', code: 'CARD-7001' });
  await add('strasse', { firstName: 'Greta', lastName: 'Straße', mobile: '+49 151 23456789' });
  await add('obrien', { firstName: 'Siobhán', lastName: "O'Brien-Kelly", companyName: 'Harbour Flowers' });
  await add('company', { companyName: 'Zeta Holdings', email: 'accounts@zeta.example.com' });
  await add('emailOnly', { email: 'nobody.named@example.com' });
});
afterAll(async () => {
  await t?.close();
});

describe('reading what was typed', () => {
  it('tells emails, phone fragments and words apart', () => {
    expect(planSearch('Ana@Example')).toMatchObject({ email: 'ana@example', words: [], digits: [] });
    expect(planSearch('0412 345 678')).toMatchObject({ digits: ['412345678'], words: [] });
    expect(planSearch('+61 (412) 345-678')).toMatchObject({ digits: ['61412345678'] });
    expect(planSearch('smith 0412')).toMatchObject({ words: ['smith'], digits: ['412'] });
    expect(planSearch("o'brien-kelly")).toMatchObject({ words: ['o', 'brien', 'kelly'] });
  });
});

describe('search', () => {
  it('matches the start of names as a person types, in any case', async () => {
    expect(await found('jon')).toEqual(['jonathan']);
    expect(await found('SMITH')).toEqual(['jonathan', 'john']);
    expect(await found('smithe')).toEqual(['john']);
  });

  it('needs every word to match, in any field, in any order', async () => {
    expect(await found('jon smi')).toEqual(['jonathan']);
    expect(await found('smith jonathan')).toEqual(['jonathan']);
    expect(await found('harbour siob')).toEqual(['obrien']);
  });

  it('ignores accents both ways and folds ß to ss', async () => {
    expect(await found('jose alvarez')).toEqual(['jose']);
    expect(await found('JOSÉ')).toEqual(['jose']);
    expect(await found('strasse')).toEqual(['strasse']);
    expect(await found('siobhan')).toEqual(['obrien']);
  });

  it('finds a phone by any run of three or more digits, whatever the format', async () => {
    for (const q of ['0412 345 678', '+61412345678', '412-345', '412345678', '(04) 1234']) {
      expect(await found(q), q).toEqual(['jonathan']);
    }
    expect(await found('23456789')).toEqual(['strasse']);
    expect(await found('smith 0412')).toEqual(['jonathan']);
  });

  it('puts a number that ends with the digits typed before one that holds them elsewhere', async () => {
    await add('phoneEnds', { firstName: 'Ada', lastName: 'Endicott', phone: '+44 20 7946 0958' });
    // Added later, so more recently active: without the rule it would come first.
    await add('phoneMiddle', { firstName: 'Mia', lastName: 'Middleton', mobile: '+44 7460 958123' });
    expect(await found('460958')).toEqual(['phoneEnds', 'phoneMiddle']);
    expect(await found('7946 0958')).toEqual(['phoneEnds']);
  });

  it('goes straight to an exact customer code or email, first', async () => {
    expect(await found('card-7001')).toEqual(['jose']);
    expect((await found('jsmith@example.com'))[0]).toBe('jonathan');
    expect(await found('john.smi')).toEqual(['john']);
    expect(await found('jsmith')).toEqual(['jonathan']);
  });

  it('reads the start of an email or a code as typed, _ and % included', async () => {
    expect(await found('jsmith@exa')).toEqual(['jonathan']);
    // As LIKE patterns, _ and % would stand for any character: j_mith@ would find jsmith@example.com.
    expect(await found('j_mith@')).toEqual([]);
    expect(await found('%smith@')).toEqual([]);
    expect(await found('card-70')).toEqual(['jose']);
    expect(await found('card_70')).toEqual([]);
  });

  it('ranks whole-word matches before prefix matches', async () => {
    await add('smithy', { firstName: 'Smithy', lastName: 'Jones' });
    // Smith is a whole word of Jonathan's name; Smithy (newer) and Smithers only start with it.
    expect(await found('smith')).toEqual(['jonathan', 'smithy', 'john']);
  });

  it('finds the people with the word typed as their name first, among thousands whose names start with it', async () => {
    // A large directory: 2,500 Mariannes came first (the search considers at most 2,000 matches of each kind),
    // then three people named Mari, who never bought anything.
    const big = await t.addMerchant('Big Directory Ltd');
    await sql`
      INSERT INTO customer (merchant_id, id, code, first_name, last_name, group_id, source)
      SELECT ${big.merchantId}::uuid, gen_random_uuid(), 'N' || g, 'Marianne', 'Number' || g, g2.id, 'import'
      FROM generate_series(1, 2500) g, (SELECT id FROM customer_group WHERE merchant_id = ${big.merchantId} AND is_default) g2`.execute(
      t.database.system,
    );
    const maris: string[] = [];
    for (const lastName of ['Tamm', 'Kask', 'Saar']) {
      const res = await big.owner.inject({
        method: 'POST',
        url: '/api/v1/customers',
        payload: { firstName: 'Mari', lastName },
      });
      expect(res.statusCode, res.body).toBe(201);
      maris.push(res.json().id);
    }
    const res = await big.owner.inject({ method: 'GET', url: '/api/v1/customers?q=Mari&limit=10' });
    expect(res.statusCode, res.body).toBe(200);
    const items: { id: string; firstName: string }[] = res.json().items;
    expect(items).toHaveLength(10);
    // The three Maris, most recently changed first, then the Mariannes.
    expect(items.slice(0, 3).map((c) => c.id)).toEqual([...maris].reverse());
    expect(items.slice(3).every((c) => c.firstName === 'Marianne')).toBe(true);
    // The count says how many the search finds: every Marianne too.
    const count = await big.owner.inject({ method: 'GET', url: '/api/v1/customers/count?q=Mari' });
    expect(count.json()).toEqual({ count: 2503, exact: true });
  });

  it('forgives one typo once prefixes find nothing', async () => {
    expect(await found('Jonh')).toContain('john');
    expect(await found('Smiht')).toEqual(expect.arrayContaining(['jonathan']));
    // One word right and one mistyped: each word must be near a word of the name.
    expect((await found('Jonathan Smiht'))[0]).toBe('jonathan');
    expect(await found('Jonathan Smiht')).not.toContain('jose');
    expect(await found('Greta Strase')).toEqual(['strasse']);
    // A short word with two letters swapped shares few trigrams with the name's word, but is two edits from it.
    await add('mohr', { firstName: 'Carlos', lastName: 'Mohr' });
    expect(await found('Carlos Mhor')).toEqual(['mohr']);
  });

  it('finds a short surname with two letters swapped beside an initial, by the words of the names', async () => {
    await add('ohara', { firstName: 'Aníbal', lastName: "O'Hara" });
    // "Hraa" shares one trigram with Hara: two edits apart. An initial rules out comparing whole names.
    expect(await found('Anibal O Hraa')).toEqual(['ohara']);
    // Dach is one swap (two edits) from "Dcah"; Dacher is four edits away, not a typo of it.
    await add('dach', { firstName: 'Marian', lastName: 'Dach' });
    await add('dacher', { firstName: 'Marian', lastName: 'Dacher' });
    expect(await found('Marian Dcah')).toEqual(['dach']);
  });

  it('lets a word that is someone else’s name be the typo when nothing matches as typed', async () => {
    await add('brak', { firstName: 'Anna', lastName: 'Brak' });
    await add('bark', { firstName: 'Tomas', lastName: 'Bark' });
    // "Bark" is a name, but no Anna Bark exists: then every word may be a typo.
    expect(await found('Anna Bark')).toEqual(['brak']);
  });

  it('forgives a typo in a name of two letters, but not an initial that matches nothing', async () => {
    await add('wu', { firstName: 'Wei', lastName: 'Wu' });
    expect(await found('Wei Wo')).toEqual(['wu']);
    expect(await found('Wei Z')).toEqual([]);
  });

  it('knows the words of names given by a later change and by an import', async () => {
    await add('renamed', { firstName: 'Ida', lastName: 'Brown' });
    const renamed = await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${ids.renamed}`,
      payload: { lastName: 'Kowalczyk' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await found('I Kowalcyzk')).toEqual(['renamed']);

    const upload = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/imports?fileName=people.csv',
      headers: { 'content-type': 'text/csv' },
      payload: 'First name,Last name\nWiktor,Szczepański\n',
    });
    expect(upload.statusCode, upload.body).toBe(202);
    const job = upload.json().id;
    const settle = async (from: string) => {
      for (let i = 0; i < 200; i++) {
        const state = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job}` })).json();
        if (state.status !== from) return state;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`The import stayed ${from}`);
    };
    expect((await settle('validating')).status).toBe('validated');
    await t.owner.inject({ method: 'POST', url: `/api/v1/imports/${job}/commit`, payload: { mode: 'all' } });
    expect((await settle('committing')).status).toBe('done');
    const imported = await found('W Szczepasnki');
    expect(imported).toHaveLength(1);
    ids.imported = imported[0] as string;
  });

  it('puts the most recently active first among equal matches, and each page holds the most active of all', async () => {
    const storeId = await firstStoreId(t.owner);
    const day = 24 * 3600 * 1000;
    // Eight who never bought, last changed 31 to 38 days ago; sixteen who bought 1 to 16 days ago.
    const never: string[] = [];
    for (let k = 1; k <= 8; k++) {
      await add(`never${k}`, { firstName: `Never${k}`, lastName: 'Quellmann' });
      never.push(`never${k}`);
      await sql`UPDATE customer SET updated_at = now() - make_interval(days => ${30 + k}) WHERE id = ${ids[`never${k}`]}`.execute(
        t.database.system,
      );
    }
    const buyers: string[] = [];
    for (let i = 16; i >= 1; i--) {
      await add(`buyer${i}`, { firstName: `Buyer${i}`, lastName: 'Quellmann' });
      buyers.unshift(`buyer${i}`);
      const sold = await t.owner.inject({
        method: 'POST',
        url: '/api/v1/sales',
        payload: {
          storeId,
          receiptRef: `Q-${i}`,
          soldAt: new Date(Date.now() - i * day).toISOString(),
          customer: { id: ids[`buyer${i}`] },
          lines: [{ description: 'Tea', quantity: 1, unitPrice: 500 }],
          payments: [{ method: 'cash', amount: 500 }],
        },
      });
      expect(sold.statusCode, sold.body).toBe(201);
    }
    // A change today makes the oldest of those who never bought the most recently active of all.
    const edited = await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${ids.never8}`,
      payload: { phone: '0400 111 222' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const expected = ['never8', ...buyers, ...never.slice(0, 7)];

    const named = (items: { id: string }[]) => items.map((c) => Object.keys(ids).find((k) => ids[k] === c.id));
    for (const q of ['quellmann', 'quell']) {
      // Page by page, ten at a time, as the list asks for them.
      const pages: (string | undefined)[] = [];
      let url = `/api/v1/customers?q=${q}&limit=10`;
      for (;;) {
        const res = await t.owner.inject({ method: 'GET', url });
        expect(res.statusCode, res.body).toBe(200);
        pages.push(...named(res.json().items));
        if (!res.json().next) break;
        url = `/api/v1/customers?q=${q}&limit=10&cursor=${res.json().next}`;
      }
      expect(pages, q).toEqual(expected);
      // With a filter the search takes every match first, then filters: the same order.
      const filtered = await t.owner.inject({ method: 'GET', url: `/api/v1/customers?q=${q}&limit=50&hasEmail=false` });
      expect(named(filtered.json().items), q).toEqual(expected);
    }
  });

  it('narrows by an initial or two letters typed after a name', async () => {
    const sorted = async (q: string) => (await found(q)).sort();
    // Smithy Jones (added above) is a Smith* with a J too.
    expect(await sorted('smith j')).toEqual(['john', 'jonathan', 'smithy']);
    expect(await sorted('smith jon')).toEqual(['jonathan', 'smithy']);
    expect(await found('j smithers')).toEqual(['john']);
    expect(await found('alvarez jo')).toEqual(['jose']);
    expect(await found('smith z')).toEqual([]);
  });

  it('never finds another merchant’s customers, whatever the query', async () => {
    const other = await t.addMerchant('Other Shop');
    for (const body of [
      { firstName: 'Jonathan', lastName: 'Smith', email: 'jsmith@other.example.com', phone: '+61 412 345 999' },
      { firstName: 'Jonh', lastName: 'Smiht', code: 'CARD-7001' },
    ]) {
      const res = await other.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: body });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const q of ['jonathan', 'smith j', 'Jonathan Smiht', 'Jonh', 'jsmith', '0412 345', 'card-7001']) {
      const mine = await found(q);
      expect(
        mine.every((key) => key in ids),
        q,
      ).toBe(true);
    }
  });

  it('groups each result by the first letter of the surname, and sensibly without one', async () => {
    const groups = Object.fromEntries((await search('zeta')).map((c) => [c.id, c.groupKey]));
    expect(groups[ids.company as string]).toBe('Z');
    const all = await t.owner.inject({ method: 'GET', url: '/api/v1/customers?limit=50' });
    const byId = Object.fromEntries(all.json().items.map((c: { id: string; groupKey: string }) => [c.id, c.groupKey]));
    expect(byId[ids.jose as string]).toBe('A');
    expect(byId[ids.obrien as string]).toBe('O');
    expect(byId[ids.strasse as string]).toBe('S');
    expect(byId[ids.emailOnly as string]).toBe('N');
  });

  it('finds nothing, quickly, for a query that matches no one', async () => {
    expect(await found('xqzv')).toEqual([]);
    expect(await found('%_')).toEqual([]);
  });
});

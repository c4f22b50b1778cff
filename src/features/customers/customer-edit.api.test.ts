import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function createCustomer(overrides: Record<string, unknown> = {}) {
  const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) });
  expect(res.statusCode).toBe(201);
  return res.json();
}

function patch(id: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.owner.inject({ method: 'PATCH', url: `/api/v1/customers/${id}`, payload, headers });
}

describe('PATCH /api/v1/customers/{id}', () => {
  it('changes only the fields sent and bumps the version', async () => {
    const customer = await createCustomer({
      companyName: 'Acme',
      physicalAddress: { city: 'Sydney', postcode: '2000' },
    });
    const res = await patch(customer.id, { lastName: 'Nguyen', physicalAddress: { city: 'Melbourne' }, version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json()).toMatchObject({
      firstName: customer.firstName,
      lastName: 'Nguyen',
      companyName: 'Acme',
      physicalAddress: { city: 'Melbourne', postcode: '2000' },
      version: 2,
    });
  });

  it('clears a field sent as an empty string or null', async () => {
    const customer = await createCustomer({ companyName: 'Acme', website: 'acme.example.com' });
    const res = await patch(customer.id, { companyName: '', website: null });
    expect(res.json()).toMatchObject({ companyName: null, website: null });
  });

  it('refuses a stale version with 412 and the current record, and overwrites nothing', async () => {
    const customer = await createCustomer();
    const first = await patch(customer.id, { companyName: 'First edit' }, { 'if-match': '"1"' });
    expect(first.statusCode).toBe(200);
    const second = await patch(customer.id, { companyName: 'Second edit' }, { 'if-match': '"1"' });
    expect(second.statusCode).toBe(412);
    expect(second.json()).toMatchObject({
      code: 'version_mismatch',
      current: { id: customer.id, companyName: 'First edit', version: 2, updatedBy: expect.stringMatching(/^Owner/) },
    });
    const now = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}` });
    expect(now.json()).toMatchObject({ companyName: 'First edit', version: 2 });
  });

  it('lets exactly one of two simultaneous edits of the same version win', async () => {
    const customer = await createCustomer();
    const results = await Promise.all(
      ['Left', 'Right', 'Up', 'Down'].map((name) => patch(customer.id, { companyName: name, version: 1 })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412, 412, 412]);
    const winner = results.find((r) => r.statusCode === 200)?.json().companyName;
    const now = (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}` })).json();
    expect(now).toMatchObject({ companyName: winner, version: 2 });
  });

  it('applies the same rules as create to the record as it will be', async () => {
    const customer = await createCustomer({ email: null, phone: null });
    const res = await patch(customer.id, { firstName: null, lastName: '' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ code: 'identity_required' });
    const exempt = await patch(customer.id, { taxExempt: true });
    expect(exempt.statusCode).toBe(422);
    expect(exempt.json().errors[0]).toMatchObject({ field: 'salesTaxNumber' });
  });

  it('refuses taking another live customer email on edit', async () => {
    const a = await createCustomer({ email: 'taken@example.com' });
    const b = await createCustomer();
    const res = await patch(b.id, { email: 'TAKEN@example.com' });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0]).toMatchObject({ field: 'email', code: 'taken' });
    expect(a.email).toBe('taken@example.com');
  });

  it('refuses to remove a customer code, and replaces it when a new one is given', async () => {
    const customer = await createCustomer({ code: 'CARD-77' });
    const removed = await patch(customer.id, { code: '' });
    expect(removed.statusCode).toBe(422);
    expect(removed.json().errors[0]).toMatchObject({ field: 'code', code: 'required' });
    const replaced = await patch(customer.id, { code: 'CARD-78' });
    expect(replaced.json().code).toBe('CARD-78');
  });

  it('rejects an If-Match that is not a version', async () => {
    const customer = await createCustomer();
    const res = await patch(customer.id, { companyName: 'X' }, { 'if-match': 'banana' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'If-Match', in: 'header' });
  });
});

describe('DELETE /api/v1/customers/{id}', () => {
  it('removes the customer from lookups and the list, and frees its email for a new customer', async () => {
    const customer = await createCustomer({ email: 'leaving@example.com' });
    const del = await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${customer.id}` });
    expect(del.statusCode).toBe(204);
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}` })).statusCode).toBe(404);
    expect((await patch(customer.id, { companyName: 'ghost' })).statusCode).toBe(404);
    expect((await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${customer.id}` })).statusCode).toBe(404);
    const list = await t.owner.inject({ method: 'GET', url: '/api/v1/customers?limit=200' });
    expect(list.json().items.map((c: { id: string }) => c.id)).not.toContain(customer.id);
    const again = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: newCustomer({ email: 'leaving@example.com' }),
    });
    expect(again.statusCode).toBe(201);
  });

  it('keeps the record id in the database for reports', async () => {
    const customer = await createCustomer();
    await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${customer.id}` });
    const row = await t.database.system
      .selectFrom('customer')
      .select(['id', 'deletedAt'])
      .where('id', '=', customer.id)
      .executeTakeFirst();
    expect(row?.id).toBe(customer.id);
    expect(row?.deletedAt).toBeInstanceOf(Date);
  });

  it('answers an id that is not a UUID with the parameter named', async () => {
    const res = await t.owner.inject({ method: 'GET', url: '/api/v1/customers/42' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'id', in: 'path' });
  });
});

describe('GET /api/v1/customers', () => {
  it('pages through every customer exactly once, newest first, with a next cursor', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await createCustomer()).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/customers?sort=-createdAt&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.owner.inject({ method: 'GET', url })).json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.next;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const newestFirst = seen.filter((id) => created.includes(id));
    expect(newestFirst).toEqual([...created].reverse());
  });

  it('keeps a page stable when customers are added while paging', async () => {
    for (let i = 0; i < 4; i++) await createCustomer();
    const first = (await t.owner.inject({ method: 'GET', url: '/api/v1/customers?sort=-createdAt&limit=2' })).json();
    await createCustomer();
    const second = (
      await t.owner.inject({ method: 'GET', url: `/api/v1/customers?sort=-createdAt&limit=2&cursor=${first.next}` })
    ).json();
    const firstIds = first.items.map((c: { id: string }) => c.id);
    expect(second.items.map((c: { id: string }) => c.id).some((id: string) => firstIds.includes(id))).toBe(false);
  });

  it('finds customers by name, email, code and phone digits', async () => {
    const c = await createCustomer({
      firstName: 'Zebedee',
      lastName: 'Quartermain',
      email: 'zq@zmail.example.com',
      code: 'ZQ-777',
      // Another area code than the factory's (+1 212 555 ####), whose random numbers could end in 0199.
      phone: '+1 917 555 0199',
    });
    for (const q of ['zeb', 'QUARTER', 'zebedee quart', 'zq@zmail', 'zq-7', '9175550199']) {
      const page = (
        await t.owner.inject({ method: 'GET', url: `/api/v1/customers?q=${encodeURIComponent(q)}` })
      ).json();
      expect(
        page.items.map((x: { id: string }) => x.id),
        q,
      ).toEqual([c.id]);
    }
  });

  it('refuses a limit over 200 and a forged cursor', async () => {
    const big = await t.owner.inject({ method: 'GET', url: '/api/v1/customers?limit=500' });
    expect(big.statusCode).toBe(422);
    expect(big.json().errors[0]).toMatchObject({ field: 'limit', in: 'query', code: 'too_large' });
    const forged = await t.owner.inject({ method: 'GET', url: '/api/v1/customers?cursor=abc' });
    expect(forged.statusCode).toBe(422);
    expect(forged.json().errors[0]).toMatchObject({ field: 'cursor' });
  });
});

describe('customer notes', () => {
  it('adds team notes and lists them newest first with author and time', async () => {
    const customer = await createCustomer();
    for (const body of ['Called about the order', 'Wants a loyalty card']) {
      const res = await t.owner.inject({
        method: 'POST',
        url: `/api/v1/customers/${customer.id}/notes`,
        payload: { body },
      });
      expect(res.statusCode).toBe(201);
    }
    const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}/notes` });
    const notes = res.json().items;
    expect(notes.map((n: { body: string }) => n.body)).toEqual(['Wants a loyalty card', 'Called about the order']);
    expect(notes[0]).toMatchObject({
      author: { name: expect.stringMatching(/^Owner/) },
      createdAt: expect.stringMatching(/Z$/),
    });
  });

  it('refuses an empty note and a note on an unknown customer', async () => {
    const customer = await createCustomer();
    const empty = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/notes`,
      payload: { body: '   ' },
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors[0]).toMatchObject({ field: 'body', code: 'too_short' });
    const unknown = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers/01a20657-0000-7000-8000-000000000000/notes',
      payload: { body: 'hello' },
    });
    expect(unknown.statusCode).toBe(404);
  });
});

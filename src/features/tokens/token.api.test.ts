import fs from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ tokenRateLimit: { limit: 5, windowSeconds: 60 } });
});
afterAll(async () => {
  await t?.close();
});

async function createToken(payload: Record<string, unknown>) {
  const res = await t.owner.inject({ method: 'POST', url: '/api/v1/tokens', payload });
  expect(res.statusCode).toBe(201);
  return res.json() as { token: { id: string; prefix: string }; secret: string };
}

const bearer = (secret: string, request: { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: object }) =>
  t.app.inject({ ...request, headers: { authorization: `Bearer ${secret}` } });

describe('API tokens', () => {
  it('shows the secret once, keeps only its hash, and lists the token by its prefix', async () => {
    const { token, secret } = await createToken({ name: 'Online shop', scopes: ['customers:read'] });
    expect(secret).toMatch(/^ptk_[A-Za-z0-9_-]{40}$/);
    expect(secret.startsWith(token.prefix)).toBe(true);
    const list = await t.owner.inject({ method: 'GET', url: '/api/v1/tokens' });
    expect(list.body).not.toContain(secret);
    expect(list.json().items[0]).toMatchObject({ name: 'Online shop', scopes: ['customers:read'], lastUsedAt: null });
    const stored = await t.database.system.selectFrom('apiToken').select('secretHash').execute();
    expect(JSON.stringify(stored)).not.toContain(secret.slice(4));
  });

  it('works as a bearer token with exactly its scopes, and records when it was last used', async () => {
    const { token, secret } = await createToken({ name: 'Reader', scopes: ['customers:read'] });
    expect((await bearer(secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    const write = await bearer(secret, { method: 'POST', url: '/api/v1/customers', payload: { firstName: 'X' } });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ permission: 'customers:write' });
    const listed = (await t.owner.inject({ method: 'GET', url: '/api/v1/tokens' })).json().items;
    expect(listed.find((x: { id: string }) => x.id === token.id).lastUsedAt).not.toBeNull();
  });

  it('stops working the moment it is revoked', async () => {
    const { token, secret } = await createToken({ name: 'Old CRM', scopes: ['customers:read'] });
    expect((await bearer(secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    expect((await t.owner.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}` })).statusCode).toBe(204);
    expect((await bearer(secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    const again = await t.owner.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.id}` });
    expect(again.statusCode).toBe(409);
  });

  it('stops working once expired, and refuses an expiry in the past', async () => {
    const { secret } = await createToken({
      name: 'Short-lived',
      scopes: ['customers:read'],
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await bearer(secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await bearer(secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    const past = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'Past', scopes: ['customers:read'], expiresAt: '2001-01-01T00:00:00Z' },
    });
    expect(past.statusCode).toBe(422);
  });

  it('cannot be given more than its creator may do', async () => {
    const admin = await t.as('admin');
    expect(
      (await admin.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'ok', scopes: ['audit:read'] } }))
        .statusCode,
    ).toBe(201);
    const manager = await t.as('manager');
    const res = await manager.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x', scopes: ['customers:read'] },
    });
    expect(res.statusCode).toBe(403);
  });

  it('stops when its maker is disabled, and shrinks when its maker is demoted', async () => {
    const admin = await t.as('admin');
    const made = async (name: string) =>
      (
        await admin.inject({
          method: 'POST',
          url: '/api/v1/tokens',
          payload: { name, scopes: ['customers:read', 'audit:read'] },
        })
      ).json().secret as string;
    const secret = await made('Admin script');
    expect((await bearer(secret, { method: 'GET', url: '/api/v1/audit-events' })).statusCode).toBe(200);
    await t.owner.inject({ method: 'PATCH', url: `/api/v1/staff/${admin.userId}`, payload: { role: 'manager' } });
    expect((await bearer(secret, { method: 'GET', url: '/api/v1/audit-events' })).statusCode).toBe(403);
    expect((await bearer(secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    await t.owner.inject({ method: 'PATCH', url: `/api/v1/staff/${admin.userId}`, payload: { disabled: true } });
    expect((await bearer(secret, { method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
  });

  it('is rate limited, with RateLimit headers and 429 with Retry-After', async () => {
    const { secret } = await createToken({ name: 'Busy', scopes: ['customers:read'] });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await bearer(secret, { method: 'GET', url: '/api/v1/customers' }));
    expect(answers[0]?.headers['ratelimit-limit']).toBe('5');
    expect(answers[0]?.headers['ratelimit-remaining']).toBe('4');
    expect(answers.slice(0, 5).map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[5]?.statusCode).toBe(429);
    expect(Number(answers[5]?.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('needs no CSRF token: it is not a cookie', async () => {
    const { secret } = await createToken({ name: 'Writer', scopes: ['customers:write'] });
    const res = await bearer(secret, { method: 'POST', url: '/api/v1/customers', payload: { firstName: 'Via token' } });
    expect(res.statusCode).toBe(201);
  });
});

describe('a token made before cancelling sales had a permission of its own', () => {
  it('still cancels the sales it records once the upgrade has run (migration 0025)', async () => {
    const { token, secret } = await createToken({ name: 'Register', scopes: ['sales:read', 'sales:write'] });
    // As stored before the upgrade: recording sales was enough to cancel them.
    await t.database.system
      .updateTable('apiToken')
      .set({ scopes: ['sales:read', 'sales:write'] })
      .where('id', '=', token.id)
      .execute();
    const migration = new URL('../../platform/db/migrations/0025_cancel_sales_permission.sql', import.meta.url);
    await sql.raw(await fs.readFile(migration, 'utf8')).execute(t.database.system);
    const sale = await bearer(secret, {
      method: 'POST',
      url: '/api/v1/sales',
      payload: {
        storeId: await firstStoreId(t.owner),
        receiptRef: 'TOKEN-1',
        lines: [{ description: 'Coffee', quantity: 1, unitPrice: 400 }],
        payments: [{ method: 'cash', amount: 400 }],
      },
    });
    expect(sale.statusCode, sale.body).toBe(201);
    const cancel = await bearer(secret, {
      method: 'POST',
      url: `/api/v1/sales/${sale.json().id}/cancel`,
      payload: { reason: 'Voided at the till' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const listed = (await t.owner.inject({ method: 'GET', url: '/api/v1/tokens' })).json().items;
    expect(listed.find((x: { id: string }) => x.id === token.id).scopes).toEqual([
      'sales:read',
      'sales:write',
      'sales:cancel',
    ]);
  });
});

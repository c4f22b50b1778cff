import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, signIn, type TestApp } from '../../../tests/support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function invite(by: Client, payload: Record<string, unknown>) {
  return by.inject({ method: 'POST', url: '/api/v1/staff', payload });
}

describe('staff accounts', () => {
  it('invites a cashier with a temporary password that must be changed before anything else', async () => {
    const res = await invite(t.owner, { name: 'Casey Cashier', email: 'casey@shop.example.com', role: 'cashier' });
    expect(res.statusCode).toBe(201);
    const { member, temporaryPassword } = res.json();
    expect(member).toMatchObject({ name: 'Casey Cashier', role: 'cashier', disabled: false, mustChangePassword: true });
    expect(temporaryPassword).toMatch(/^\S{15}$/);

    const casey = await signIn(t.app, 'casey@shop.example.com', temporaryPassword);
    const blocked = await casey.inject({ method: 'GET', url: '/api/v1/customers' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ passwordChangeRequired: true });
    const changed = await casey.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: temporaryPassword, newPassword: 'caseys own password' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await casey.inject({ method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
  });

  it('refuses a second account with the same email and an unknown store', async () => {
    await invite(t.owner, { name: 'Sam', email: 'sam@shop.example.com', role: 'manager' });
    const dup = await invite(t.owner, { name: 'Sam again', email: 'SAM@shop.example.com', role: 'cashier' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0]).toMatchObject({ field: 'email', code: 'taken' });
    const store = await invite(t.owner, {
      name: 'Lee',
      email: 'lee@shop.example.com',
      role: 'cashier',
      storeIds: ['01a20657-0000-7000-8000-000000000000'],
    });
    expect(store.statusCode).toBe(422);
    expect(store.json().errors[0]).toMatchObject({ field: 'storeIds' });
  });

  it('invites a person to chosen stores of the merchant', async () => {
    const stores = (await t.owner.inject({ method: 'GET', url: '/api/v1/stores' })).json().items;
    expect(stores).toEqual([expect.objectContaining({ name: 'Main store', channel: 'pos' })]);
    const res = await invite(t.owner, {
      name: 'Robin',
      email: 'robin@shop.example.com',
      role: 'cashier',
      storeIds: [stores[0].id],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().member.storeIds).toEqual([stores[0].id]);
  });

  it('cannot hand out ownership', async () => {
    const res = await invite(t.owner, { name: 'Usurper', email: 'usurper@shop.example.com', role: 'owner' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'role' });
  });

  it("ends a disabled account's sessions at once and refuses its sign-in", async () => {
    const cashier = await t.as('cashier');
    expect((await cashier.inject({ method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(200);
    const res = await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${cashier.userId}`,
      payload: { disabled: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().disabled).toBe(true);
    expect((await cashier.inject({ method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: cashier.email, password: cashier.password },
    });
    expect(again.statusCode).toBe(403);
  });

  it('changes a role, which takes effect at the next sign-in', async () => {
    const cashier = await t.as('cashier');
    expect(
      (await cashier.inject({ method: 'DELETE', url: '/api/v1/customers/01a20657-0000-7000-8000-000000000000' }))
        .statusCode,
    ).toBe(403);
    const res = await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${cashier.userId}`,
      payload: { role: 'manager' },
    });
    expect(res.json().role).toBe('manager');
    const manager = await signIn(t.app, cashier.email, cashier.password);
    expect(
      (await manager.inject({ method: 'DELETE', url: '/api/v1/customers/01a20657-0000-7000-8000-000000000000' }))
        .statusCode,
    ).toBe(404);
  });

  it("protects the owner's account and one's own access", async () => {
    const admin = await t.as('admin');
    const demote = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${t.owner.userId}`,
      payload: { role: 'cashier' },
    });
    expect(demote.statusCode).toBe(403);
    const reset = await admin.inject({ method: 'POST', url: `/api/v1/staff/${t.owner.userId}/reset-password` });
    expect(reset.statusCode).toBe(403);
    const self = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${admin.userId}`,
      payload: { disabled: true },
    });
    expect(self.statusCode).toBe(403);
  });

  it('lets no token or person hand out more than they may do themselves', async () => {
    const created = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'HR sync', scopes: ['staff:manage'] },
    });
    const hr = { authorization: `Bearer ${created.json().secret}` };
    const mint = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff',
      headers: hr,
      payload: { name: 'X', email: 'x@evil.example.com', role: 'admin' },
    });
    expect(mint.statusCode).toBe(403);
    const admin = await t.as('admin');
    const takeover = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/${admin.userId}/reset-password`,
      headers: hr,
    });
    expect(takeover.statusCode).toBe(403);
    const promote = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${(await t.as('cashier')).userId}`,
      headers: hr,
      payload: { role: 'admin' },
    });
    expect(promote.statusCode).toBe(403);
  });

  it('resets a password: a new temporary one, old sessions ended', async () => {
    const manager = await t.as('manager');
    const res = await t.owner.inject({ method: 'POST', url: `/api/v1/staff/${manager.userId}/reset-password` });
    expect(res.statusCode).toBe(200);
    expect((await manager.inject({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(401);
    const fresh = await signIn(t.app, manager.email, res.json().temporaryPassword);
    expect((await fresh.inject({ method: 'GET', url: '/api/v1/auth/session' })).json().mustChangePassword).toBe(true);
  });
});

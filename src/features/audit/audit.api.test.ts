import { sql } from 'kysely';
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

async function events(query = '') {
  const res = await t.owner.inject({ method: 'GET', url: `/api/v1/audit-events?limit=200${query}` });
  expect(res.statusCode).toBe(200);
  return res.json().items as Array<{
    action: string;
    entityId: string;
    actor: { name: string; type: string };
    changes: Record<string, unknown>;
    requestId: string;
    ip: string;
  }>;
}

describe('the audit log', () => {
  it('records every change to a customer with who, what changed (old and new) and from where', async () => {
    const created = (
      await t.owner.inject({
        method: 'POST',
        url: '/api/v1/customers',
        payload: newCustomer({ firstName: 'Audra', companyName: 'Old Co' }),
      })
    ).json();
    await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      payload: { companyName: 'New Co', physicalAddress: { city: 'Perth' } },
    });
    await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${created.id}/notes`,
      payload: { body: 'Asked for a refund' },
    });
    await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${created.id}` });

    const trail = (await events(`&entityId=${created.id}`)).reverse();
    expect(trail.map((e) => e.action)).toEqual([
      'customer.created',
      'customer.updated',
      'customer.note_added',
      'customer.deleted',
    ]);
    expect(trail[0]?.changes).toMatchObject({
      firstName: { from: null, to: 'Audra' },
      companyName: { from: null, to: 'Old Co' },
    });
    expect(trail[1]?.changes).toEqual({
      companyName: { from: 'Old Co', to: 'New Co' },
      'physicalAddress.city': { from: null, to: 'Perth' },
    });
    expect(trail[2]?.changes).toEqual({ note: 'Asked for a refund' });
    for (const event of trail) {
      expect(event.actor).toMatchObject({ type: 'user', name: expect.stringMatching(/^Owner/) });
      expect(event.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.ip).toBe('127.0.0.1');
    }
  });

  it('records sign-ins, settings, staff and token changes', async () => {
    await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { requireEmail: true } });
    const invited = (
      await t.owner.inject({
        method: 'POST',
        url: '/api/v1/staff',
        payload: { name: 'Ann', email: 'ann@audit.example.com', role: 'cashier' },
      })
    ).json();
    await t.owner.inject({ method: 'PATCH', url: `/api/v1/staff/${invited.member.id}`, payload: { role: 'manager' } });
    await t.owner.inject({ method: 'POST', url: `/api/v1/staff/${invited.member.id}/reset-password` });
    const token = (
      await t.owner.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: 'CRM', scopes: ['customers:read'] },
      })
    ).json();
    await t.owner.inject({ method: 'DELETE', url: `/api/v1/tokens/${token.token.id}` });

    const actions = (await events()).map((e) => e.action);
    for (const action of [
      'user.signed_in',
      'settings.updated',
      'staff.invited',
      'staff.updated',
      'staff.password_reset',
      'token.created',
      'token.revoked',
    ]) {
      expect(actions, action).toContain(action);
    }
    const settings = (await events('&action=settings.updated'))[0];
    expect(settings?.changes).toEqual({ requireEmail: { from: false, to: true } });
    const role = (await events('&action=staff.updated'))[0];
    expect(role?.changes).toEqual({ role: { from: 'cashier', to: 'manager' } });
  });

  it('records no settings change for the same payment methods sent in another order', async () => {
    const save = (methods: string[]) =>
      t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { loyaltyEarningMethods: methods } });
    expect((await save(['gift_card', 'cash', 'card'])).json().loyaltyEarningMethods).toEqual([
      'cash',
      'card',
      'gift_card',
    ]);
    const before = (await events('&action=settings.updated')).length;
    expect((await save(['card', 'gift_card', 'cash'])).statusCode).toBe(200);
    expect(await events('&action=settings.updated')).toHaveLength(before);
    await save(['cash', 'card', 'other']);
    const [latest] = await events('&action=settings.updated');
    expect(latest?.changes).toEqual({
      loyaltyEarningMethods: { from: ['cash', 'card', 'gift_card'], to: ['cash', 'card', 'other'] },
    });
  });

  it('names the token as the actor of what a token did', async () => {
    const { secret } = (
      await t.owner.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: 'Shopify sync', scopes: ['customers:write'] },
      })
    ).json();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { authorization: `Bearer ${secret}` },
      payload: newCustomer({ firstName: 'Synced' }),
    });
    expect(res.statusCode).toBe(201);
    const [event] = await events(`&entityId=${res.json().id}`);
    expect(event?.actor).toMatchObject({ type: 'token', name: 'API token "Shopify sync"' });
  });

  it("shows a customer's history to whoever may see the customer", async () => {
    const created = (
      await t.owner.inject({
        method: 'POST',
        url: '/api/v1/customers',
        payload: newCustomer({ email: 'hist@example.com' }),
      })
    ).json();
    const cashier = await t.as('cashier');
    await cashier.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${created.id}`,
      payload: { email: 'history@example.com' },
    });
    const res = await cashier.inject({ method: 'GET', url: `/api/v1/customers/${created.id}/history` });
    expect(res.statusCode).toBe(200);
    const [latest] = res.json().items;
    expect(latest).toMatchObject({
      action: 'customer.updated',
      actor: { name: expect.stringMatching(/^Cashier/) },
      changes: { email: { from: 'hist@example.com', to: 'history@example.com' } },
    });
    expect((await cashier.inject({ method: 'GET', url: '/api/v1/audit-events' })).statusCode).toBe(403);
  });

  it('filters by person, action and time, and pages with a cursor', async () => {
    const manager = await t.as('manager');
    for (let i = 0; i < 5; i++)
      await manager.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer() });
    const byManager = await events(`&actorId=${manager.userId}&action=customer.created`);
    expect(byManager).toHaveLength(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/audit-events?actorId=${manager.userId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.owner.inject({ method: 'GET', url })).json();
      seen.push(...page.items.map((e: { id: string }) => e.id));
      cursor = page.next;
    } while (cursor);
    expect(new Set(seen).size).toBe(6); // the sign-in and five creates
    const future = await events(`&from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(future).toEqual([]);
  });

  it('cannot be changed or deleted, not even by the table owner', async () => {
    await expect(
      t.database.withMerchant(t.merchantId, (trx) =>
        trx.updateTable('auditEvent').set({ actorName: 'Nobody' }).execute(),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      t.database.withMerchant(t.merchantId, (trx) => trx.deleteFrom('auditEvent').execute()),
    ).rejects.toThrow(/permission denied/);
    await expect(t.database.system.deleteFrom('auditEvent').execute()).rejects.toThrow(/cannot be changed or deleted/);
    await expect(sql`TRUNCATE audit_event`.execute(t.database.system)).rejects.toThrow(/cannot be changed or deleted/);
  });
});

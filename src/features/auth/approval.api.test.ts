import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';

/**
 * A manager's approval at the till: a cashier may not cancel a sale or refund items alone; a manager types
 * their own email and password on the cashier's screen, and that approves one action of that cashier.
 */
let t: TestApp;
let cashier: Client;
let otherCashier: Client;
let manager: Client;
let storeId: string;
let receipt = 0;

beforeAll(async () => {
  t = await createTestApp();
  [cashier, otherCashier, manager] = await Promise.all([t.as('cashier'), t.as('cashier'), t.as('manager')]);
  storeId = await firstStoreId(t.owner);
});
afterAll(async () => {
  await t?.close();
});

async function sale(): Promise<{ id: string; receiptRef: string }> {
  const res = await cashier.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef: `AP-${++receipt}`,
      lines: [{ description: 'Flat white', quantity: 2, unitPrice: 450 }],
      payments: [{ method: 'card', amount: 900 }],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function approve(by: Client, permission = 'sales:cancel', asking: Client = cashier, password = by.password) {
  return asking.inject({
    method: 'POST',
    url: '/api/v1/auth/approvals',
    payload: { email: by.email, password, permission },
  });
}

function cancel(saleId: string, approval?: string, asking: Client = cashier) {
  return asking.inject({
    method: 'POST',
    url: `/api/v1/sales/${saleId}/cancel`,
    payload: { reason: 'Rang up twice' },
    ...(approval ? { headers: { 'x-approval': approval } } : {}),
  });
}

describe("a manager's approval at the till", () => {
  it('lets a cashier cancel a sale once, naming the manager on the sale and in the audit log', async () => {
    const rung = await sale();
    const alone = await cancel(rung.id);
    expect(alone.statusCode).toBe(403);
    expect(alone.json().detail).toContain('sales:cancel');

    const approved = await approve(manager);
    expect(approved.statusCode, approved.body).toBe(201);
    const { approval, approvedBy } = approved.json();
    expect(approvedBy.id).toBe(manager.userId);

    const done = await cancel(rung.id, approval);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'cancelled' });
    expect(done.json().cancelledBy).toMatch(/\(approved by .+\)$/);
    expect(done.json().cancelledBy).toContain(approvedBy.name);

    const log = await t.owner.inject({
      method: 'GET',
      url: `/api/v1/audit-events?action=sale.cancelled&entityId=${rung.id}`,
    });
    expect(log.json().items).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: cashier.userId }),
        changes: expect.objectContaining({ reason: 'Rang up twice', approvedBy: approvedBy.name }),
      }),
    ]);
    const given = await t.owner.inject({ method: 'GET', url: '/api/v1/audit-events?action=user.approval_given' });
    expect(given.json().items[0]).toMatchObject({ entityId: manager.userId, changes: { permission: 'sales:cancel' } });

    // Once: the same approval does not cancel a second sale.
    const second = await sale();
    const reused = await cancel(second.id, approval);
    expect(reused.statusCode).toBe(403);
    expect(reused.json().detail).toBe('The approval for "sales:cancel" is used, expired or not yours: ask again');
  });

  it('lets a cashier refund items with an approval, and the refund says who approved it', async () => {
    const bought = await sale();
    const { approval } = (await approve(manager)).json();
    const res = await cashier.inject({
      method: 'POST',
      url: `/api/v1/sales/${bought.id}/refund`,
      headers: { 'x-approval': approval },
      payload: {
        receiptRef: `RF-${bought.receiptRef}`,
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'card', amount: -450 }],
        reason: 'Spilt',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'refund', total: -450 });
  });

  it('is good only for the cashier who asked, the permission asked for, and two minutes', async () => {
    const rung = await sale();
    const forOther = (await approve(manager)).json().approval;
    expect((await cancel(rung.id, forOther, otherCashier)).statusCode).toBe(403);

    const forCancel = (await approve(manager)).json().approval;
    const customer = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { firstName: 'Kept' },
    });
    const remove = await cashier.inject({
      method: 'DELETE',
      url: `/api/v1/customers/${customer.json().id}`,
      headers: { 'x-approval': forCancel },
    });
    expect(remove.statusCode).toBe(403);

    const late = (await approve(manager)).json().approval;
    await sql`UPDATE approval SET expires_at = now() - interval '1 second'`.execute(t.database.system);
    expect((await cancel(rung.id, late)).statusCode).toBe(403);
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${rung.id}` })).json().status).toBe('completed');
  });

  it('takes only someone who may do it, with their right password, of this business', async () => {
    const byCashier = await approve(otherCashier);
    expect(byCashier.statusCode).toBe(422);
    expect(byCashier.json().errors).toEqual([
      expect.objectContaining({
        field: 'email',
        message: expect.stringMatching(/may not cancel sales and refund items: ask a manager$/),
      }),
    ]);
    const wrong = await approve(manager, 'sales:cancel', cashier, 'not the password');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors).toEqual([
      expect.objectContaining({ field: 'password', message: 'Email or password is incorrect' }),
    ]);
    const elsewhere = await t.addMerchant('Another shop');
    const outsider = await elsewhere.as('manager');
    expect((await approve(outsider)).statusCode).toBe(422);
  });
});

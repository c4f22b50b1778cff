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

async function approve(
  by: Client,
  recordId: string,
  options: { permission?: string; asking?: Client; password?: string } = {},
) {
  return (options.asking ?? cashier).inject({
    method: 'POST',
    url: '/api/v1/auth/approvals',
    payload: {
      email: by.email,
      password: options.password ?? by.password,
      permission: options.permission ?? 'sales:cancel',
      recordId,
    },
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

    const approved = await approve(manager, rung.id);
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
    expect(given.json().items[0]).toMatchObject({
      entityId: manager.userId,
      changes: { permission: 'sales:cancel', recordId: rung.id },
    });

    // Once: the same approval does not cancel the sale again, nor any other.
    const reused = await cancel(rung.id, approval);
    expect(reused.statusCode).toBe(403);
    expect(reused.json().detail).toBe(
      'The approval for "sales:cancel" is used, expired, for another record or not yours: ask again',
    );
  });

  it('lets a cashier refund items with an approval, and the refund says who approved it', async () => {
    const bought = await sale();
    const { approval } = (await approve(manager, bought.id)).json();
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

  it('is good only for the sale, the cashier who asked, the permission asked for, and two minutes', async () => {
    const rung = await sale();
    const other = await sale();
    const forRung = (await approve(manager, rung.id)).json().approval;
    expect((await cancel(other.id, forRung)).statusCode).toBe(403);
    expect((await cancel(rung.id, forRung, otherCashier)).statusCode).toBe(403);

    const customer = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: { firstName: 'Kept' } });
    const customerId = customer.json().id;
    const remove = await cashier.inject({
      method: 'DELETE',
      url: `/api/v1/customers/${customerId}`,
      headers: { 'x-approval': (await approve(manager, customerId)).json().approval },
    });
    expect(remove.statusCode).toBe(403);
    // Only what a till needs a manager for can be asked: not staff, settings or privacy.
    const staff = await approve(t.owner, customerId, { permission: 'staff:manage' });
    expect(staff.statusCode).toBe(422);
    expect(staff.json().errors).toEqual([expect.objectContaining({ field: 'permission' })]);

    const late = (await approve(manager, rung.id)).json().approval;
    await sql`UPDATE approval SET expires_at = now() - interval '1 second'`.execute(t.database.system);
    expect((await cancel(rung.id, late)).statusCode).toBe(403);
    expect((await cancel(rung.id, forRung)).statusCode).toBe(403);
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${rung.id}` })).json().status).toBe('completed');
  });

  it('gives the approval back when the action fails, so the cashier fixes it and tries again', async () => {
    const rung = await sale();
    const { approval } = (await approve(manager, rung.id)).json();
    const noReason = await cashier.inject({
      method: 'POST',
      url: `/api/v1/sales/${rung.id}/cancel`,
      headers: { 'x-approval': approval },
      payload: { reason: '' },
    });
    expect(noReason.statusCode).toBe(422);
    expect((await cancel(rung.id, approval)).statusCode).toBe(200);
    expect((await cancel(rung.id, approval)).statusCode).toBe(403);
  });

  it('takes only someone who may do it, with their right password, of this business', async () => {
    const rung = await sale();
    const byCashier = await approve(otherCashier, rung.id);
    expect(byCashier.statusCode).toBe(422);
    expect(byCashier.json().errors).toEqual([
      expect.objectContaining({
        field: 'email',
        message: expect.stringMatching(/may not cancel sales and refund items: ask a manager$/),
      }),
    ]);
    const wrong = await approve(manager, rung.id, { password: 'not the password' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors).toEqual([
      expect.objectContaining({ field: 'password', message: 'Email or password is incorrect' }),
    ]);
    const elsewhere = await t.addMerchant('Another shop');
    const outsider = await elsewhere.as('manager');
    expect((await approve(outsider, rung.id)).statusCode).toBe(422);
  });
});

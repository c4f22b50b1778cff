import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import { verifyBalances, verifyCustomerStats, verifyInvoices } from '../sales/verify-stats.ts';

/**
 * Privacy requests: a customer's personal data handed over as one document, or erased for good, while
 * the sales, statistics and books stay whole under the record id.
 */
let t: TestApp;
let storeId: string;
let manager: Client;
let receipt = 0;

beforeAll(async () => {
  t = await createTestApp();
  manager = await t.as('manager');
  storeId = await firstStoreId(t.owner);
  const res = await t.owner.inject({
    method: 'PATCH',
    url: '/api/v1/settings',
    payload: { invoicingEnabled: true, loyaltyEnabled: true },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

async function customer(overrides: Record<string, unknown> = {}) {
  const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; code: string };
}

async function sale(customerId: string, total: number, payments?: { method: string; amount: number }[], note?: string) {
  const res = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef: `P-${++receipt}`,
      customer: { id: customerId },
      lines: [{ description: 'Sourdough', quantity: 2, unitPrice: total / 2 }],
      payments: payments ?? [{ method: 'card', amount: total }],
      ...(note ? { note } : {}),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; receiptRef: string };
}

/** Every trace of `text` left in the tables a person's data could be in. */
async function traces(text: string): Promise<string[]> {
  const like = `%${text.toLowerCase()}%`;
  const { rows } = await sql<{ place: string }>`
    SELECT 'customer' AS place FROM customer WHERE lower(row_to_json(customer)::text) LIKE ${like}
    UNION ALL SELECT 'note' FROM customer_note WHERE lower(body) LIKE ${like}
    UNION ALL SELECT 'sale' FROM sale WHERE lower(row_to_json(sale)::text) LIKE ${like}
    UNION ALL SELECT 'invoice' FROM invoice WHERE lower(row_to_json(invoice)::text) LIKE ${like}
    UNION ALL SELECT 'audit ' || action FROM audit_event WHERE lower(coalesce(changes::text, '')) LIKE ${like}
    UNION ALL SELECT 'name word' FROM customer_name_word WHERE word LIKE ${like}`.execute(t.database.system);
  return rows.map((row) => row.place);
}

describe('privacy requests', () => {
  it('hands over everything held about a customer as one file, and records that it was exported', async () => {
    const jo = await customer({ firstName: 'Joanna', lastName: 'Quixley', email: 'joanna.quixley@example.com' });
    await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${jo.id}/notes`,
      payload: { body: 'Allergic to walnuts' },
    });
    await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${jo.id}/loyalty-cards`,
      payload: { number: 'QX-7001' },
    });
    const first = await sale(jo.id, 1200, undefined, 'Collect on Friday');
    await sale(jo.id, 800, [{ method: 'on_account', amount: 800 }]);

    const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${jo.id}/personal-data` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="personal-data-${jo.code}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
    );
    const data = res.json();
    expect(data.customer).toMatchObject({ id: jo.id, firstName: 'Joanna', email: 'joanna.quixley@example.com' });
    expect(data.customer.deletedAt).toBeNull();
    expect(data.notes).toEqual([expect.objectContaining({ body: 'Allergic to walnuts' })]);
    expect(data.loyaltyCards).toEqual([expect.objectContaining({ number: 'QX-7001', active: true })]);
    expect(data.sales.map((s: { receiptRef: string }) => s.receiptRef)).toEqual([first.receiptRef, `P-${receipt}`]);
    expect(data.sales[0]).toMatchObject({
      total: 1200,
      note: 'Collect on Friday',
      lines: [expect.objectContaining({ description: 'Sourdough', quantity: '2.000', unitPrice: 600 })],
      payments: [{ method: 'card', amount: 1200 }],
    });
    expect(data.invoices).toEqual([
      expect.objectContaining({ reference: expect.stringMatching(/^INV-\d{5}$/), amount: 800, open: 800 }),
    ]);
    // The customer reads the file: it says how its amounts are written.
    expect(data.business.amounts).toMatch(/^In minor units of [A-Z]{3}: 4299 is \D*42\.99$/);
    expect(data.balances).toMatchObject({ account: 800 });
    expect(data.history.map((e: { action: string }) => e.action)).toContain('customer.note_added');

    const log = await t.owner.inject({
      method: 'GET',
      url: `/api/v1/audit-events?action=customer.personal_data_exported&entityId=${jo.id}`,
    });
    expect(log.json().items).toEqual([
      expect.objectContaining({ entityId: jo.id, changes: { sales: 2, notes: 1, events: expect.any(Number) } }),
    ]);
  });

  it('is for owners and admins: a manager may neither export nor erase', async () => {
    const someone = await customer();
    expect(
      (await manager.inject({ method: 'GET', url: `/api/v1/customers/${someone.id}/personal-data` })).statusCode,
    ).toBe(403);
    const erase = await manager.inject({
      method: 'POST',
      url: `/api/v1/customers/${someone.id}/erase`,
      payload: { reason: 'Asked by email' },
    });
    expect(erase.statusCode).toBe(403);
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${someone.id}` })).statusCode).toBe(200);
  });

  it('refuses to erase while the customer owes on account, naming the invoices, and erases once they are settled', async () => {
    const debtor = await customer({ firstName: 'Owen', lastName: 'Strandquist' });
    await sale(debtor.id, 2500, [{ method: 'on_account', amount: 2500 }]);
    const refused = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${debtor.id}/erase`,
      payload: { reason: 'Customer asked at the till' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/owes .*25\.00 on invoice INV-\d{5}: settle or void it before erasing/);
    expect(await traces('Strandquist')).toContain('customer');

    const pay = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/invoice-payments',
      payload: { customerId: debtor.id, amount: 2500, method: 'cash' },
    });
    expect(pay.statusCode, pay.body).toBe(201);
    const erased = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${debtor.id}/erase`,
      payload: { reason: 'Customer asked at the till' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
  });

  it('erases the person and keeps the books: no name, e-mail, note or audit value is left; sales, statistics and reports still add up', async () => {
    const zed = await customer({
      firstName: 'Zebulon',
      lastName: 'Pankhurstova',
      email: 'zebulon.p@example.org',
      phone: '0412 998 877',
      physicalAddress: { line1: '7 Wattle Lane', city: 'Bendigo', country: 'AU' },
      note: 'Prefers the Wattle Lane door',
    });
    await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${zed.id}/notes`,
      payload: { body: 'Zebulon’s daughter picks up' },
    });
    await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${zed.id}`,
      payload: { companyName: 'Pankhurstova Joinery' },
    });
    await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${zed.id}/loyalty-cards`,
      payload: { number: 'ZP-4242' },
    });
    const bought = await sale(zed.id, 3000, undefined, 'For Zebulon Pankhurstova, gift wrap');
    await sale(zed.id, 1000);
    // Reasons staff write about their sales name them too: a cancellation, a refund.
    const mistaken = await sale(zed.id, 500);
    const cancelled = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${mistaken.id}/cancel`,
      payload: { reason: 'Rung up for Mr Pankhurstova by mistake' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const refunded = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/sales/${bought.id}/refund`,
      payload: {
        receiptRef: `R-${bought.receiptRef}`,
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'card', amount: -1500 }],
        reason: 'Zebulon changed his mind',
      },
    });
    expect(refunded.statusCode, refunded.body).toBe(201);
    expect(await traces('Pankhurstova')).toEqual(
      expect.arrayContaining([
        'customer',
        'sale',
        'audit customer.created',
        'audit customer.updated',
        'audit sale.cancelled',
        'name word',
      ]),
    );
    const before = (await t.owner.inject({ method: 'GET', url: '/api/v1/reports/sales-by-customer' })).json().items;

    const res = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${zed.id}/erase`,
      payload: { reason: 'Written request received 24 Nov' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: zed.id,
      notesDeleted: 1,
      loyaltyCardsDeactivated: 1,
      saleNotesCleared: 2,
      salesKept: 4,
    });
    expect(res.json().auditEventsRedacted).toBeGreaterThanOrEqual(3);

    // Nothing of the person is left anywhere it was.
    for (const text of ['Pankhurstova', 'Zebulon', 'zebulon.p@example.org', 'Wattle Lane', '998 877', 'daughter']) {
      expect(await traces(text), text).toEqual([]);
    }
    // Gone from the directory, from search and from the till's lookups.
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${zed.id}` })).statusCode).toBe(404);
    expect((await t.owner.inject({ method: 'GET', url: '/api/v1/customers?q=Pankhurstova' })).json().items).toEqual([]);
    expect((await t.owner.inject({ method: 'GET', url: '/api/v1/customers?q=ZP-4242' })).json().items).toEqual([]);
    // The card's number stays taken: no one else is ever found by it.
    const reused = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${(await customer()).id}/loyalty-cards`,
      payload: { number: 'ZP-4242' },
    });
    expect(reused.statusCode).toBe(409);

    // The books: the sales stay under the record id, reports count them, statistics equal their sales.
    const after = (await t.owner.inject({ method: 'GET', url: '/api/v1/reports/sales-by-customer' })).json().items;
    const row = after.find((r: { customerId: string }) => r.customerId === zed.id);
    expect(row).toMatchObject({ name: 'Deleted customer', deleted: true, total: 2500, orders: 2 });
    expect(after.reduce((sum: number, r: { total: number }) => sum + r.total, 0)).toBe(
      before.reduce((sum: number, r: { total: number }) => sum + r.total, 0),
    );
    const kept = await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${bought.id}` });
    expect(kept.json()).toMatchObject({ total: 3000, note: null });
    const voided = await t.owner.inject({ method: 'GET', url: `/api/v1/sales/${mistaken.id}` });
    expect(voided.json()).toMatchObject({ status: 'cancelled', cancelReason: '(erased)' });
    expect((await verifyCustomerStats(t.database)).differences).toEqual([]);
    expect((await verifyBalances(t.database)).differences).toEqual([]);
    expect((await verifyInvoices(t.database)).differences).toEqual([]);

    // The audit trail keeps who did what and when, and why it was erased; the values are gone.
    const history = (
      await t.owner.inject({ method: 'GET', url: `/api/v1/audit-events?entityId=${zed.id}&limit=50` })
    ).json().items as { action: string; changes: Record<string, unknown> | null }[];
    expect(history.map((e) => e.action)).toEqual(
      expect.arrayContaining(['customer.created', 'customer.updated', 'customer.note_added', 'customer.erased']),
    );
    expect(history.find((e) => e.action === 'customer.updated')?.changes).toEqual({
      companyName: { from: null, to: '(erased)' },
    });
    expect(history.find((e) => e.action === 'customer.erased')?.changes).toMatchObject({
      reason: 'Written request received 24 Nov',
      notesDeleted: 1,
    });

    // Once only; and there is nothing left to export.
    const again = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${zed.id}/erase`,
      payload: { reason: 'twice' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/already erased on \d{4}-\d{2}-\d{2}/);
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${zed.id}/personal-data` })).statusCode).toBe(
      409,
    );
  });

  it('reaches a deleted customer too: deleting hides a person, erasing removes them', async () => {
    const hidden = await customer({ firstName: 'Ottoline', lastName: 'Vercammen' });
    expect((await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${hidden.id}` })).statusCode).toBe(204);
    expect(await traces('Vercammen')).toContain('customer');
    const data = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${hidden.id}/personal-data` });
    expect(data.json().customer).toMatchObject({ lastName: 'Vercammen', deletedAt: expect.any(String) });
    const res = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${hidden.id}/erase`,
      payload: { reason: 'Asked after leaving' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await traces('Vercammen')).toEqual([]);
  });

  it('asks why, and keeps the audit log closed to any other change', async () => {
    const someone = await customer();
    const res = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${someone.id}/erase`,
      payload: { reason: '  ' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    // Outside an erasure, the app may not touch an audit event, even one about this customer.
    await expect(
      t.database.withMerchant(t.merchantId, (trx) =>
        sql`UPDATE audit_event SET changes = '{}' WHERE entity_id = ${someone.id}`.execute(trx),
      ),
    ).rejects.toThrow(/audit events cannot be changed/);
  });
});

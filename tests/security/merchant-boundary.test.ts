import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, firstStoreId, type TestApp, type TestMerchant } from '../support/app.ts';
import { newCustomer } from '../support/factories.ts';

/**
 * A second merchant's staff and tokens try every route against the first merchant's records:
 * always 404 for a record, never a row of the first merchant in a list.
 */
let t: TestApp;
let other: TestMerchant;
let otherToken: string;
const a = {
  customerId: '',
  staffId: '',
  tokenId: '',
  saleId: '',
  invoiceId: '',
  importId: '',
  exportId: '',
  cardId: '',
  groupId: '',
  secrets: [] as string[],
};

beforeAll(async () => {
  t = await createTestApp();
  const customer = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/customers',
    payload: newCustomer({ firstName: 'Secretive', lastName: 'Firstmerchant', email: 'secretive@first.example.com' }),
  });
  a.customerId = customer.json().id;
  await t.owner.inject({
    method: 'POST',
    url: `/api/v1/customers/${a.customerId}/notes`,
    payload: { body: 'FIRST-MERCHANT-NOTE' },
  });
  a.cardId = (
    await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${a.customerId}/loyalty-cards`,
      payload: { number: 'FIRST-MERCHANT-CARD' },
    })
  ).json().id;
  a.staffId = (await t.as('cashier')).userId;
  const storeId = await firstStoreId(t.owner);
  const sale = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef: 'FIRST-MERCHANT-RECEIPT',
      customer: { id: a.customerId },
      lines: [{ description: 'Secret blend', quantity: 1, unitPrice: 999 }],
      payments: [{ method: 'cash', amount: 999 }],
    },
  });
  a.saleId = sale.json().id;
  await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { invoicingEnabled: true } });
  const onAccount = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef: 'FIRST-MERCHANT-INVOICED',
      customer: { id: a.customerId },
      lines: [{ description: 'Secret blend', quantity: 1, unitPrice: 500 }],
      payments: [{ method: 'on_account', amount: 500 }],
    },
  });
  a.invoiceId = onAccount.json().invoice.id;
  const upload = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/imports?fileName=first.csv',
    headers: { 'content-type': 'text/csv' },
    payload: 'First name,Email\nFIRST-MERCHANT-IMPORT,first-import@first.example.com\n',
  });
  a.importId = upload.json().id;
  const exported = await t.owner.inject({ method: 'POST', url: '/api/v1/exports', payload: { fields: ['firstName'] } });
  a.exportId = exported.json().id;
  const token = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'First shop', scopes: ['customers:read'] },
  });
  a.tokenId = token.json().token.id;
  const group = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/customer-groups',
    payload: { name: 'FIRST-MERCHANT-GROUP' },
  });
  a.groupId = group.json().id;
  a.secrets = [
    'Secretive',
    'Firstmerchant',
    'secretive@first.example.com',
    'FIRST-MERCHANT-NOTE',
    'FIRST-MERCHANT-RECEIPT',
    'Secret blend',
    'FIRST-MERCHANT-GROUP',
    'FIRST-MERCHANT-CARD',
    'Test shop',
    a.customerId,
    a.staffId,
    a.tokenId,
    a.groupId,
    a.exportId,
  ];

  other = await t.addMerchant('Other shop');
  const created = await other.owner.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: {
      name: 'Other integration',
      scopes: ['customers:read', 'customers:write', 'customers:delete', 'audit:read', 'staff:manage', 'tokens:manage'],
    },
  });
  otherToken = created.json().secret;
});
afterAll(async () => {
  await t?.close();
});

interface Operation {
  method: string;
  path: string;
}

async function operations(): Promise<Operation[]> {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  return Object.entries(doc.paths as Record<string, object>).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );
}

/** The first merchant's record id for a path's {id}, by the collection it names. */
function targetOf(path: string): string {
  if (path.startsWith('/api/v1/customers/')) return a.customerId;
  if (path.startsWith('/api/v1/staff/')) return a.staffId;
  if (path.startsWith('/api/v1/tokens/')) return a.tokenId;
  if (path.startsWith('/api/v1/sales/')) return a.saleId;
  if (path.startsWith('/api/v1/customer-groups/')) return a.groupId;
  if (path.startsWith('/api/v1/invoices/')) return a.invoiceId;
  if (path.startsWith('/api/v1/imports/')) return a.importId;
  if (path.startsWith('/api/v1/exports/jobs/')) return a.exportId;
  throw new Error(`No record of the first merchant for ${path}: add one to this walk`);
}

const SAMPLE_BODIES: Record<string, unknown> = {
  'PATCH /api/v1/customers/{id}': { companyName: 'Taken over' },
  'POST /api/v1/customers/{id}/notes': { body: 'intrusion' },
  'PATCH /api/v1/staff/{id}': { name: 'Taken over' },
  'POST /api/v1/sales/{id}/cancel': { reason: 'intrusion' },
  'POST /api/v1/sales/{id}/refund': {
    receiptRef: 'INTRUSION',
    lines: [{ lineNo: 1, quantity: 1 }],
    payments: [{ method: 'cash', amount: -999 }],
    reason: 'intrusion',
  },
  'POST /api/v1/sales/{id}/customer': { customerId: null, reason: 'intrusion' },
  'PATCH /api/v1/sales/{id}': { note: 'intrusion' },
  'PATCH /api/v1/customer-groups/{id}': { name: 'Taken over' },
  'POST /api/v1/customer-groups/{id}/customers': { matching: {} },
  'POST /api/v1/customers/{id}/balance-adjustments': { balance: 'store_credit', amount: 5000, note: 'intrusion' },
  'POST /api/v1/customers/{id}/loyalty-cards': { number: 'INTRUSION-CARD' },
  'POST /api/v1/invoices/{id}/void': { reason: 'intrusion' },
  'PUT /api/v1/customers/{id}/credit-limit': { creditLimit: 1_000_000 },
  'POST /api/v1/imports/{id}/commit': { mode: 'valid' },
  'POST /api/v1/imports/{id}/options': { dateOrder: 'day-first' },
  'POST /api/v1/customers/{id}/erase': { reason: 'intrusion' },
};

describe('the merchant boundary', () => {
  for (const via of ['staff', 'token'] as const) {
    it(`keeps the first merchant's records out of reach of the second merchant's ${via}`, async () => {
      const send = (op: Operation, url: string) => {
        const payload =
          SAMPLE_BODIES[`${op.method} ${op.path}`] ?? (['POST', 'PATCH'].includes(op.method) ? {} : undefined);
        const request = { method: op.method as 'GET', url, ...(payload !== undefined ? { payload } : {}) };
        return via === 'staff'
          ? other.owner.inject(request)
          : t.app.inject({ ...request, headers: { authorization: `Bearer ${otherToken}` } });
      };
      for (const op of await operations()) {
        if (!op.path.startsWith('/api/v1/') || op.path.startsWith('/api/v1/auth/') || op.path === '/api/v1/setup')
          continue;
        const label = `${via}: ${op.method} ${op.path}`;
        if (op.path.includes('{id}')) {
          const res = await send(op, op.path.replace('{id}', targetOf(op.path)).replace('{cardId}', a.cardId));
          expect([403, 404], label).toContain(res.statusCode);
        } else if (op.method === 'GET') {
          const res = await send(op, op.path);
          for (const secret of a.secrets) expect(res.body, `${label} shows ${secret}`).not.toContain(secret);
        }
      }
    });
  }

  it("never finds the first merchant's customers in the second merchant's search", async () => {
    for (const q of [
      'Secretive',
      'secretive@first.example.com',
      'secretive@',
      'Firstmerch',
      'Secretiv Firstmerchant',
      'Secretve',
    ]) {
      const res = await other.owner.inject({ method: 'GET', url: `/api/v1/customers?q=${encodeURIComponent(q)}` });
      expect(res.statusCode).toBe(200);
      expect(res.json().items, q).toEqual([]);
    }
    const own = await t.owner.inject({ method: 'GET', url: '/api/v1/customers?q=Secretive' });
    expect(own.json().items.map((c: { id: string }) => c.id)).toEqual([a.customerId]);
  });

  it('leaves the first merchant data as it was', async () => {
    const customer = (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${a.customerId}` })).json();
    expect(customer).toMatchObject({ firstName: 'Secretive', companyName: null, version: 1 });
    const notes = (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${a.customerId}/notes` })).json()
      .items;
    expect(notes.map((n: { body: string }) => n.body)).toEqual(['FIRST-MERCHANT-NOTE']);
    const tokens = (await t.owner.inject({ method: 'GET', url: '/api/v1/tokens' })).json().items;
    expect(tokens[0]).toMatchObject({ id: a.tokenId, revokedAt: null });
    const staff = (await t.owner.inject({ method: 'GET', url: '/api/v1/staff' })).json().items;
    expect(staff.find((s: { id: string }) => s.id === a.staffId)).toMatchObject({ disabled: false });
    const group = await t.owner.inject({ method: 'GET', url: `/api/v1/customer-groups/${a.groupId}` });
    expect(group.json()).toMatchObject({ name: 'FIRST-MERCHANT-GROUP' });
    expect(customer.group.name).toBe('All Customers');
    const balances = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${a.customerId}/balances` });
    expect(balances.json()).toMatchObject({ storeCredit: 0, loyaltyPoints: 0 });
    const cards = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${a.customerId}/loyalty-cards` });
    expect(cards.json().items).toMatchObject([{ number: 'FIRST-MERCHANT-CARD', active: true }]);
    const exported = await t.owner.inject({ method: 'GET', url: `/api/v1/exports/jobs/${a.exportId}` });
    expect(exported.json()).toMatchObject({ cancelRequested: false });
    expect(exported.json().status).not.toBe('cancelled');
  });
});

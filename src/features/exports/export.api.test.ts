import { PassThrough, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, firstStoreId, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import type { RequestContext } from '../../platform/context.ts';
import { PERMISSIONS } from '../../shared/permissions.ts';
import { type ColumnKey, CUSTOMER_COLUMNS } from '../imports/columns.ts';
import { copyCsv, withMerchantClient } from './export.repository.ts';
import { ExportService } from './export.service.ts';

let t: TestApp;
let storeId: string;
let vipGroupId: string;
let n = 0;
const ids: Record<string, string> = {};

async function customer(name: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/customers',
    payload: newCustomer({ firstName: name, lastName: 'Tester', ...overrides }),
  });
  expect(res.statusCode, res.body).toBe(201);
  ids[name] = res.json().id;
  return res.json().id;
}

async function sell(customerId: string, amount: number, soldAt: string) {
  const res = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId,
      receiptRef: `E-${++n}`,
      customer: { id: customerId },
      soldAt,
      lines: [{ sku: 'TEA', quantity: 1, unitPrice: amount }],
      payments: [{ method: 'cash', amount }],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
}

/** The export as the browser downloads it: status, headers, and the file's text. */
async function download(query: string, by: Client = t.owner) {
  return by.inject({ method: 'GET', url: `/api/v1/customers/export${query ? `?${query}` : ''}` });
}

/** The rows of a downloaded file, header first (the byte-order mark removed). */
function rowsOf(body: string): string[][] {
  expect(body.charCodeAt(0)).toBe(0xfeff);
  return parse(body.slice(1), { relaxColumnCount: false });
}

/** Rows as objects by header, by first name (rows come in no particular order). */
function recordsOf(body: string): Record<string, Record<string, string>> {
  const [header = [], ...rows] = rowsOf(body);
  const records = rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
  return Object.fromEntries(records.map((record) => [record['First name'], record]));
}

function ownerContext(merchantId = t.merchantId): RequestContext {
  return {
    merchantId,
    actor: { type: 'user', id: t.owner.userId, name: 'Test owner' },
    permissions: new Set(PERMISSIONS),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  // Times in the file are on the business's clock: Sydney is UTC+11 in summer, UTC+10 in winter.
  await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { timeZone: 'Australia/Sydney' } });
  storeId = await firstStoreId(t.owner);
  await t.owner.inject({ method: 'POST', url: '/api/v1/products', payload: { sku: 'TEA', name: 'Tea', price: 450 } });
  vipGroupId = (
    await t.owner.inject({ method: 'POST', url: '/api/v1/customer-groups', payload: { name: '=VIP' } })
  ).json().id;
  await customer('Ana', {
    companyName: '=HYPERLINK("http://evil.example","Click me")',
    phone: '+1 212 555 0100',
    note: 'Line one, "quoted"\nline two',
    dateOfBirth: '--05-17',
    physicalAddress: { line1: '12 Harbour Street', city: 'Sydney', country: 'AU' },
    emailMarketing: true,
    loyaltyOptIn: true,
    groupId: vipGroupId,
  });
  await customer('Ben', {
    email: null,
    phone: '(212) 555-0142',
    physicalAddress: { line2: '-5' },
    companyName: "'Quoted Co",
  });
  await customer('Cleo', { twitter: '@cleo', dateOfBirth: '1990-02-03', taxExempt: true, salesTaxNumber: '-12.50' });
  await customer('Dan', { note: '\\.' });
  await sell(ids.Ana as string, 1250, '2026-01-10T10:00:00Z');
  await sell(ids.Ana as string, 800, '2026-03-02T10:00:00Z');
  await sell(ids.Ben as string, 450, '2025-06-01T10:00:00Z');
  await t.owner.inject({
    method: 'POST',
    url: `/api/v1/customers/${ids.Ana}/balance-adjustments`,
    payload: { balance: 'store_credit', amount: 1234, reason: 'issued', note: 'Goodwill' },
  });
  await t.owner.inject({
    method: 'POST',
    url: `/api/v1/customers/${ids.Ana}/balance-adjustments`,
    payload: { balance: 'loyalty', amount: 20, note: 'Welcome points' },
  });
  // Dan joined long ago: for the created-date range.
  await t.database.system
    .updateTable('customer')
    .set({ createdAt: new Date('2024-05-05T12:00:00Z') })
    .where('id', '=', ids.Dan as string)
    .execute();
});

afterAll(async () => {
  await t?.close();
});

describe('GET /customers/export', () => {
  it('downloads every customer with every column: UTF-8 with a byte-order mark, the catalogue headers', async () => {
    const res = await download('');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...rows] = rowsOf(res.body);
    expect(header).toEqual(CUSTOMER_COLUMNS.map((column) => column.header));
    expect(rows.map((row) => row[2]).sort()).toEqual(['Ana', 'Ben', 'Cleo', 'Dan']);
  });

  it('writes only the fields chosen, in the order asked', async () => {
    const res = await download('fields=email,firstName,stats.totalSpent');
    expect(res.statusCode, res.body).toBe(200);
    const [header, ...rows] = rowsOf(res.body);
    expect(header).toEqual(['Email', 'First name', 'Total spent']);
    expect(rows.find((row) => row[1] === 'Ana')?.[2]).toBe('20.50');
  });

  it('writes values the way the import reads them', async () => {
    const res = await download('');
    const { Ana: ana, Ben: ben, Cleo: cleo } = recordsOf(res.body);
    expect(ana).toMatchObject({
      'Record ID': ids.Ana,
      'Physical address line 1': '12 Harbour Street',
      'Physical country': 'AU',
      'Email marketing': 'yes',
      'SMS marketing': 'no',
      'Loyalty opt-in': 'yes',
      'Tax exempt': 'no',
      'Store credit': '12.34',
      'Loyalty points': '20',
      'Total spent': '20.50',
      Orders: '2',
      'First order': '2026-01-10 21:00:00',
      'Last order': '2026-03-02 21:00:00',
      Note: 'Line one, "quoted"\nline two',
      Group: "'=VIP",
    });
    expect(ana?.['Created at']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(ben).toMatchObject({
      Email: '',
      'Total spent': '4.50',
      'Store credit': '0.00',
      'First order': '2025-06-01 20:00:00',
    });
    expect(cleo).toMatchObject({
      'Date of birth': '1990-02-03',
      'Tax exempt': 'yes',
      'Total spent': '0.00',
      Orders: '0',
      'Last order': '',
    });
  });

  it('neutralises cells a spreadsheet would run as formulas, and only those', async () => {
    const { Ana: ana, Ben: ben, Cleo: cleo } = recordsOf((await download('')).body);
    expect(ana?.Company).toBe(`'=HYPERLINK("http://evil.example","Click me")`);
    expect(ana?.Phone).toBe("'+1 212 555 0100");
    expect(ana?.['Date of birth']).toBe("'--05-17");
    expect(ben?.Phone).toBe('(212) 555-0142');
    // A plain negative number is not a formula; a cell that starts with an apostrophe keeps it, behind another.
    expect(ben?.['Physical address line 2']).toBe('-5');
    expect(ben?.Company).toBe("''Quoted Co");
    expect(cleo?.Twitter).toBe("'@cleo");
    expect(cleo?.['Sales tax number']).toBe('-12.50');
  });

  it('exports what the list shows for the same search and filters', async () => {
    const names = async (query: string) => {
      const res = await download(`fields=firstName&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return rowsOf(res.body)
        .slice(1)
        .map((row) => row[0]);
    };
    const listed = async (query: string) =>
      (await t.owner.inject({ method: 'GET', url: `/api/v1/customers?${query}` }))
        .json()
        .items.map((c: { firstName: string }) => c.firstName)
        .sort();
    const cases = [
      'q=Cleo',
      `groupId=${vipGroupId}`,
      'hasEmail=false',
      'lastOrderFrom=2026-01-01',
      'firstOrderFrom=2025-01-01&firstOrderTo=2025-12-31',
      'createdTo=2024-12-31',
      'createdFrom=2025-01-01&ordersMax=0',
      'totalSpentMin=1000',
      'emailMarketing=true&q=Tester',
    ];
    for (const query of cases) {
      expect((await names(query)).sort(), query).toEqual(await listed(query));
    }
    expect(await names('q=Cleo')).toEqual(['Cleo']);
    expect((await names('')).sort()).toEqual(['Ana', 'Ben', 'Cleo', 'Dan']);
    expect(await names('lastOrderFrom=2026-01-01')).toEqual(['Ana']);
    expect(await names('createdTo=2024-12-31')).toEqual(['Dan']);
    expect(await names('hasEmail=false')).toEqual(['Ben']);
  });

  it('refuses unknown and repeated fields, and filters the list refuses', async () => {
    const unknown = await download('fields=firstName,shoeSize');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'fields' });
    expect(unknown.json().errors[0].message).toContain('"shoeSize"');
    expect((await download('fields=email,email')).statusCode).toBe(422);
    expect((await download('createdFrom=2026-02-01&createdTo=2026-01-01')).statusCode).toBe(422);
  });

  it('is for people with the export permission: a cashier is refused', async () => {
    const cashier = await t.as('cashier');
    expect((await download('', cashier)).statusCode).toBe(403);
    expect((await cashier.inject({ method: 'GET', url: '/api/v1/exports' })).statusCode).toBe(403);
    expect((await cashier.inject({ method: 'GET', url: '/api/v1/customers/export/fields' })).statusCode).toBe(403);
    const manager = await t.as('manager');
    expect((await download('fields=id', manager)).statusCode).toBe(200);
  });

  it('records who exported what in the audit log, when it starts and with its rows when it ends', async () => {
    const res = await download('fields=firstName,email&q=Tester&hasEmail=true');
    expect(res.statusCode).toBe(200);
    const audit = async (action: string) =>
      (await t.owner.inject({ method: 'GET', url: `/api/v1/audit-events?action=${action}&limit=1` })).json().items[0];
    const started = await audit('customer.export_started');
    const finished = await audit('customer.exported');
    expect(started).toMatchObject({
      actor: { type: 'user', id: t.owner.userId },
      entityType: 'export',
      changes: { q: 'Tester', filter: { hasEmail: true }, fields: ['firstName', 'email'] },
    });
    expect(finished).toMatchObject({
      entityType: 'export',
      entityId: started.entityId,
      changes: { q: 'Tester', filter: { hasEmail: true }, fields: ['firstName', 'email'], rows: 3 },
    });
    expect(Date.parse(finished.occurredAt)).toBeGreaterThanOrEqual(Date.parse(started.occurredAt));
  });
});

describe('GET /exports', () => {
  it('lists past exports newest first: who, when, search, filters, fields and rows', async () => {
    const manager = await t.as('manager');
    await download(`fields=firstName,lastName&groupId=${vipGroupId}&lastOrderFrom=2026-01-01`, manager);
    const res = await t.owner.inject({ method: 'GET', url: '/api/v1/exports?limit=2' });
    expect(res.statusCode, res.body).toBe(200);
    const { items, next } = res.json();
    expect(items[0]).toMatchObject({
      actor: { type: 'user', id: manager.userId },
      status: 'finished',
      q: null,
      filter: { groupId: vipGroupId, lastOrderFrom: '2026-01-01' },
      fields: ['firstName', 'lastName'],
      rows: 1,
    });
    expect(Date.parse(items[0].finishedAt)).toBeGreaterThanOrEqual(Date.parse(items[0].startedAt));
    expect(items).toHaveLength(2);
    expect(next).toEqual(expect.any(String));
    const after = (await t.owner.inject({ method: 'GET', url: `/api/v1/exports?limit=2&cursor=${next}` })).json();
    expect(after.items[0].startedAt <= items[1].startedAt).toBe(true);
    expect(after.items.map((i: { id: string }) => i.id)).not.toContain(items[0].id);
  });

  it('shows an export whose download was cut short as failed, without rows', async () => {
    const exports = new ExportService(t.database);
    // A download that the browser cancels after the first chunk.
    const out = new PassThrough();
    out.once('data', () => out.destroy());
    await expect(exports.exportCustomers(ownerContext(), { fields: ['id'] }, out)).rejects.toThrow();
    const [entry] = (await t.owner.inject({ method: 'GET', url: '/api/v1/exports?limit=1' })).json().items;
    expect(entry).toMatchObject({ status: 'failed', rows: null, fields: ['id'] });
    // The connection was not left half-way through a COPY: the next export works.
    expect((await download('fields=id')).statusCode).toBe(200);
  });
});

describe('the COPY path', () => {
  it('gives the same bytes as the cursor path (CSV quoted in Node)', async () => {
    const exports = new ExportService(t.database);
    const collect = async (via: 'copy' | 'cursor', fields: ColumnKey[] | undefined) => {
      const chunks: Buffer[] = [];
      const out = new Writable({
        write(chunk, _encoding, callback) {
          chunks.push(Buffer.from(chunk));
          callback();
        },
      });
      const { rows } = await exports.exportCustomers(ownerContext(), fields ? { fields } : {}, out, { via });
      return { rows, bytes: Buffer.concat(chunks).toString('utf8') };
    };
    for (const fields of [undefined, ['note' as const]]) {
      const copy = await collect('copy', fields);
      const cursor = await collect('cursor', fields);
      expect(copy.rows).toBe(4);
      expect(cursor.rows).toBe(4);
      expect(copy.bytes).toBe(cursor.bytes);
    }
  });

  it('runs under row-level security: a merchant sees only its own customers, even unfiltered', async () => {
    const other = await t.addMerchant('Other shop');
    await other.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer({ firstName: 'Zed' }) });
    const res = await other.owner.inject({ method: 'GET', url: '/api/v1/customers/export?fields=firstName' });
    expect(rowsOf(res.body).slice(1)).toEqual([['Zed']]);
    // A statement that forgets the merchant altogether still sees one merchant's rows.
    const out = new PassThrough();
    const text: Buffer[] = [];
    out.on('data', (chunk: Buffer) => text.push(chunk));
    const rows = await withMerchantClient(t.database, other.merchantId, (client) =>
      copyCsv(client, 'SELECT first_name FROM customer', out),
    );
    expect(rows).toBe(1);
    expect(Buffer.concat(text).toString()).toBe('Zed\n');
  });
});

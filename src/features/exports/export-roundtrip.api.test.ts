import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';
import type { CustomerJson } from '../customers/customer.schema.ts';
import { type CellKind, readCell } from '../imports/cells.ts';
import { CUSTOMER_COLUMNS, columnByKey, importableColumns } from '../imports/columns.ts';
import { recogniseHeader } from '../imports/layouts.ts';
import { type CsvRecord, readCsv } from '../imports/parse.ts';

let t: TestApp;
const customers: CustomerJson[] = [];
const balances = new Map<string, { loyaltyPoints: number; storeCredit: number }>();

/** Customers whose every field is set, with the values a spreadsheet would take for formulas. */
const PEOPLE = [
  {
    code: 'C-1',
    firstName: 'Zoë',
    lastName: "O'Brien",
    companyName: '=HYPERLINK("http://evil.example","Click")',
    email: 'zoe.obrien@example.com',
    phone: '+1 212 555 0100',
    mobile: '+44 7911 123456',
    website: 'obrien.example.com',
    twitter: '@zoe',
    dateOfBirth: '--02-29',
    physicalAddress: {
      line1: '1 "Quoted" Lane, Floor 2',
      line2: '-3',
      suburb: '@Home',
      city: 'Zürich',
      state: '+ZH',
      postcode: '8001',
      country: 'CH',
    },
    postalAddress: {
      line1: 'PO Box 1',
      line2: "'Back door",
      suburb: 'Altstadt',
      city: 'Zürich',
      state: 'ZH',
      postcode: '8000',
      country: 'CH',
    },
    note: 'Two lines,\nwith a comma and a "quote"',
    taxExempt: true,
    salesTaxNumber: '-CHE-123.456.789',
    emailMarketing: true,
    smsMarketing: false,
    loyaltyOptIn: true,
  },
  {
    code: 'C-2',
    firstName: 'Ben',
    lastName: 'Okafor',
    companyName: null,
    email: null,
    phone: '(212) 555-0142',
    mobile: null,
    website: null,
    twitter: null,
    dateOfBirth: '1990-05-17',
    physicalAddress: null,
    postalAddress: null,
    note: null,
    taxExempt: false,
    salesTaxNumber: null,
    emailMarketing: false,
    smsMarketing: true,
    loyaltyOptIn: false,
  },
];

/** The value a customer has for a column, as the import would set it. */
function customerValue(customer: CustomerJson, key: string): unknown {
  if (key === 'group') return customer.group.name;
  if (key === 'loyaltyPoints') return balances.get(customer.id)?.loyaltyPoints;
  if (key === 'storeCredit') return balances.get(customer.id)?.storeCredit;
  let value: unknown = customer;
  for (const part of key.split('.')) value = (value as Record<string, unknown> | null)?.[part] ?? null;
  return value;
}

beforeAll(async () => {
  t = await createTestApp();
  const group = (
    await t.owner.inject({ method: 'POST', url: '/api/v1/customer-groups', payload: { name: '=Trade' } })
  ).json();
  for (const person of PEOPLE) {
    const res = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { ...person, groupId: group.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    customers.push(res.json());
  }
  const zoe = customers[0] as CustomerJson;
  for (const payload of [
    { balance: 'loyalty', amount: 1250, note: 'Opening points' },
    { balance: 'store_credit', amount: 1050, reason: 'issued', note: 'Return' },
  ]) {
    const res = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${zoe.id}/balance-adjustments`,
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  for (const customer of customers) {
    const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}/balances` });
    balances.set(customer.id, res.json());
  }
});

afterAll(async () => {
  await t?.close();
});

describe('an export read back by the import', () => {
  it('is recognised as Patron’s own layout with every column mapped, and every cell reads back as the customer has it', async () => {
    const res = await t.owner.inject({ method: 'GET', url: '/api/v1/customers/export' });
    expect(res.statusCode, res.body).toBe(200);

    const reading = await readCsv(Readable.from([res.rawPayload]));
    expect(reading.byteOrderMark).toBe(true);
    expect(reading.encoding).toBe('utf-8');
    expect(reading.delimiter).toBe(',');
    const records: CsvRecord[] = [];
    for await (const record of reading.records) records.push(record);
    const [header, ...rows] = records;

    const recognised = recogniseHeader(header?.cells ?? []);
    expect(recognised.layout).toBe('patron');
    expect(recognised.unknown).toEqual([]);
    expect(recognised.duplicates).toEqual([]);
    const importable = new Set<string>(importableColumns().map((column) => column.key));
    for (const column of recognised.columns) {
      const key = CUSTOMER_COLUMNS.find((c) => c.header === column.header)?.key ?? '';
      if (importable.has(key)) {
        expect(column, column.header).toMatchObject({ status: 'mapped', key, fallback: false, negate: false });
      } else {
        // Statistics go out but never come back in.
        expect(column, column.header).toMatchObject({ status: 'ignored' });
      }
    }

    expect(rows.map((row) => row.cells[2]).sort()).toEqual(['Ben', 'Zoë']);
    for (const row of rows) {
      const customer = customers.find((c) => c.id === row.cells[0]) as CustomerJson;
      expect(customer).toBeDefined();
      for (const mapping of recognised.columns) {
        if (mapping.status !== 'mapped') continue;
        const column = columnByKey(mapping.key as Parameters<typeof columnByKey>[0]);
        const read = readCell(column.kind as CellKind, row.cells[mapping.index] ?? '', {
          dateOrder: 'day-first',
          currencyExponent: 2,
        });
        expect(read, `${column.header} of ${customer.firstName}`).toEqual({
          ok: true,
          value: customerValue(customer, mapping.key) ?? null,
        });
      }
    }
  });
});

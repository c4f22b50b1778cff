import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { addressInputSchema, customerCreateSchema } from '../customers/customer.schema.ts';
import { type CellKind, readCell } from './cells.ts';
import { buildTemplateCsv, CUSTOMER_COLUMNS, columnByKey, importableColumns } from './columns.ts';
import { normaliseHeader, recogniseHeader } from './layouts.ts';

/** Import-only columns that are not fields of the customer schema itself. */
const BEYOND_THE_SCHEMA = ['id', 'group', 'loyaltyPoints', 'storeCredit'];
/** Customer fields that a file does not set: the group comes by name, the rest from the import itself. */
const NOT_FROM_FILES = ['groupId', 'createdStoreId', 'source'];

function schemaFieldKeys(): string[] {
  const addressParts = Object.keys(addressInputSchema.shape);
  return Object.keys(customerCreateSchema.shape).flatMap((field) =>
    field === 'physicalAddress' || field === 'postalAddress' ? addressParts.map((part) => `${field}.${part}`) : [field],
  );
}

describe('CUSTOMER_COLUMNS', () => {
  it('has a column for every customer field a file can set', () => {
    const keys = new Set<string>(importableColumns().map((column) => column.key));
    const missing = schemaFieldKeys().filter((key) => !NOT_FROM_FILES.includes(key) && !keys.has(key));
    expect(missing).toEqual([]);
  });

  it('has no importable column that is neither a schema field nor one of the import extras', () => {
    const fields = new Set(schemaFieldKeys());
    const strays = importableColumns()
      .map((column) => column.key)
      .filter((key) => !fields.has(key) && !BEYOND_THE_SCHEMA.includes(key));
    expect(strays).toEqual([]);
  });

  it('has unique keys and headers that stay unique when normalised', () => {
    const keys = CUSTOMER_COLUMNS.map((column) => column.key);
    const headers = CUSTOMER_COLUMNS.map((column) => normaliseHeader(column.header));
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(headers).size).toBe(headers.length);
  });

  it('documents every column', () => {
    for (const column of CUSTOMER_COLUMNS) {
      expect(column.header, column.key).not.toBe('');
      expect(column.meaning, column.key).not.toBe('');
      expect(column.format, column.key).not.toBe('');
      expect(column.required, column.key).not.toBe('');
    }
  });

  it('asks for one of the identity fields in each of them', () => {
    for (const key of ['firstName', 'lastName', 'email', 'phone', 'mobile'] as const) {
      expect(columnByKey(key).required).toMatch(/^One of first name, last name, email, phone or mobile/);
    }
  });

  it('marks statistics as export only', () => {
    const exportOnly = CUSTOMER_COLUMNS.filter((column) => !column.importable).map((column) => column.key);
    expect(exportOnly).toEqual([
      'stats.totalSpent',
      'stats.orderCount',
      'stats.firstOrderAt',
      'stats.lastOrderAt',
      'createdAt',
    ]);
  });

  it('gives each importable column an example its own reader accepts', () => {
    const options = { dateOrder: 'day-first', currencyExponent: 2 } as const;
    for (const column of importableColumns()) {
      const result = readCell(column.kind as CellKind, column.example, options);
      expect(result, `${column.key}: ${column.example}`).toMatchObject({ ok: true });
    }
  });

  it('lists the allowed values of yes/no columns', () => {
    for (const column of CUSTOMER_COLUMNS.filter((c) => c.kind === 'boolean' || c.kind === 'consent')) {
      expect('allowedValues' in column && column.allowedValues, column.key).toEqual(['yes', 'no']);
    }
  });
});

describe('buildTemplateCsv', () => {
  const template = buildTemplateCsv();
  const [header = [], example = [], ...more] = parse(template, { bom: true }) as string[][];

  it('starts with a byte-order mark so spreadsheets read it as UTF-8', () => {
    expect(template.startsWith('\uFEFF')).toBe(true);
  });

  it('has the header of every importable column and one example row', () => {
    expect(header).toEqual(importableColumns().map((column) => column.header));
    expect(example).toHaveLength(header.length);
    expect(more).toEqual([]);
  });

  it('leaves the record id blank: a template row is a new customer', () => {
    expect(example[header.indexOf('Record ID')]).toBe('');
  });

  it('neutralises a phone that starts with + like an export does', () => {
    expect(example[header.indexOf('Phone')]).toBe("'+61 2 9876 5432");
  });

  it('is recognised as Patron’s layout with every column mapped', () => {
    const recognised = recogniseHeader(header);
    expect(recognised.layout).toBe('patron');
    expect(recognised.unknown).toEqual([]);
    expect(recognised.duplicates).toEqual([]);
    expect(recognised.columns.map((column) => column.status === 'mapped' && column.key)).toEqual(
      importableColumns().map((column) => column.key),
    );
  });
});

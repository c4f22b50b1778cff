/**
 * One row of an import file checked against the same rules as the API: each mapped cell read by its
 * column's reader (booleans, dates, countries, phones…), the customer built and validated with the
 * API's schema and rules, and the result either the customer's table columns or the problems, each
 * naming the file's column and the reason. Pure: the database checks (duplicates, taken codes) come
 * after, set-wise, over every staged row.
 */
import type { CustomerRowUpdate } from '../../platform/db/schema.ts';
import { columnsFrom } from '../customers/customer.columns.ts';
import { checkCustomerRules, normalizePhone, phoneCountry } from '../customers/customer.rules.ts';
import { type CustomerCreate, customerCreateSchema, customerUpdateSchema } from '../customers/customer.schema.ts';
import type { Settings } from '../settings/settings.schema.ts';
import { type CellValue, type DateOrder, readCell, splitFullName } from './cells.ts';
import { columnByKey, isColumnKey } from './columns.ts';
import type { ColumnMapping, ImportTarget } from './layouts.ts';

export interface RowProblem {
  /** The file's column header, or null for the row as a whole. */
  column: string | null;
  reason: string;
}

export type CheckedRow =
  | {
      action: 'create';
      /** The customer's columns, snake_case as the table names them, with its new id. */
      customer: Record<string, unknown>;
      emailKey: string | null;
      codeKey: string | null;
      groupName: string | null;
      loyaltyPoints: number | null;
      storeCredit: number | null;
    }
  | { action: 'reject'; problems: RowProblem[] };

export interface RowContext {
  settings: Settings;
  dateOrder: DateOrder;
  currencyExponent: number;
  newId(): string;
}

type Mapped = Extract<ColumnMapping, { status: 'mapped' }>;

/** A column key as the table names it (physicalCity → physical_city); a row uses the same few keys, so remembered. */
const SNAKE = new Map<string, string>();
function snake(key: string): string {
  let name = SNAKE.get(key);
  if (name === undefined) {
    name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    SNAKE.set(key, name);
  }
  return name;
}

/** An address column's value ("physicalAddress.city") set in the API's shape of the customer. */
function setAddressPart(input: Record<string, unknown>, key: string, value: CellValue): void {
  const dot = key.indexOf('.');
  const address = key.slice(0, dot);
  let parts = input[address] as Record<string, unknown> | undefined;
  if (!parts) {
    parts = {};
    input[address] = parts;
  }
  parts[key.slice(dot + 1)] = value;
}

/** The API field of a column key, for mapping the schema's errors back to columns. */
function fieldOf(key: ImportTarget): string {
  return key === 'fullName' ? 'firstName' : key;
}

/** Each mapped cell of a row read by its column's reader: the values by field, and what could not be read. */
function readMappedCells(
  cells: readonly string[],
  mappings: readonly Mapped[],
  ctx: Pick<RowContext, 'dateOrder' | 'currencyExponent'>,
) {
  const problems: RowProblem[] = [];
  const values = new Map<ImportTarget, { value: CellValue; header: string }>();
  for (const mapping of inReadingOrder(mappings)) {
    const raw = cells[mapping.index] ?? '';
    if (mapping.fallback && values.get(mapping.key)?.value != null) continue;
    if (mapping.key === 'fullName') {
      const { firstName, lastName } = splitFullName(raw);
      if (values.get('firstName')?.value == null) values.set('firstName', { value: firstName, header: mapping.header });
      if (values.get('lastName')?.value == null) values.set('lastName', { value: lastName, header: mapping.header });
      continue;
    }
    if (!isColumnKey(mapping.key)) continue;
    const column = columnByKey(mapping.key);
    if (!column.importable || column.kind === 'count' || column.kind === 'timestamp') continue;
    const read = readCell(column.kind, raw, { dateOrder: ctx.dateOrder, currencyExponent: ctx.currencyExponent });
    if (!read.ok) {
      problems.push({ column: mapping.header, reason: read.reason });
      continue;
    }
    const value = mapping.negate && typeof read.value === 'boolean' ? !read.value : read.value;
    if (value === null && values.get(mapping.key)?.value != null) continue;
    values.set(mapping.key, { value, header: mapping.header });
  }
  return { values, problems, headerOf: headersOf(values) };
}

/** The mapped columns, main columns before fallbacks: the same for every row of a file, so worked out once. */
const READING_ORDER = new WeakMap<readonly Mapped[], readonly Mapped[]>();
function inReadingOrder(mappings: readonly Mapped[]): readonly Mapped[] {
  let ordered = READING_ORDER.get(mappings);
  if (!ordered) {
    ordered = [...mappings.filter((m) => !m.fallback), ...mappings.filter((m) => m.fallback)];
    READING_ORDER.set(mappings, ordered);
  }
  return ordered;
}

/**
 * The file's column header of each API field a row sets, for naming it in a problem. Built when first
 * asked: most rows have no problem.
 */
function headersOf(values: ReadonlyMap<ImportTarget, { header: string }>) {
  let headers: Map<string, string> | undefined;
  return {
    get(field: string): string | undefined {
      if (!headers) {
        headers = new Map();
        for (const [key, { header }] of values) headers.set(fieldOf(key), header);
      }
      return headers.get(field);
    },
  };
}

/**
 * The API's schema for a new customer, narrowed to the fields a row sets: every field left out is optional
 * and without a default, so the result is the same, and the schema does not walk twenty fields a row does
 * not have. A file's rows set few different sets of fields; each narrowed schema is made once.
 */
const CREATE_SCHEMAS = new Map<string, typeof customerCreateSchema>();
function createSchemaFor(input: Record<string, unknown>): typeof customerCreateSchema {
  const keys = Object.keys(input);
  const signature = keys.join(',');
  let schema = CREATE_SCHEMAS.get(signature);
  if (!schema) {
    if (CREATE_SCHEMAS.size >= 256) CREATE_SCHEMAS.clear();
    const shape = customerCreateSchema.shape;
    // Only the keys the schema knows are picked; any other key stays in the input, and the strict schema refuses it.
    const mask = Object.fromEntries(keys.filter((key) => key in shape).map((key) => [key, true as const]));
    schema = customerCreateSchema.pick(mask as never) as unknown as typeof customerCreateSchema;
    CREATE_SCHEMAS.set(signature, schema);
  }
  return schema;
}

/**
 * Check one row of new customers. `mappings` are the header's mapped columns; fallback columns fill a
 * field only where the main column for it is blank.
 */
export function checkImportRow(cells: readonly string[], mappings: readonly Mapped[], ctx: RowContext): CheckedRow {
  const { values, problems, headerOf } = readMappedCells(cells, mappings, ctx);

  const input: Record<string, unknown> = {};
  let groupName: string | null = null;
  let loyaltyPoints: number | null = null;
  let storeCredit: number | null = null;
  for (const [key, { value }] of values) {
    if (value === null || key === 'id') continue;
    if (key === 'group') groupName = String(value);
    else if (key === 'loyaltyPoints') loyaltyPoints = Number(value);
    else if (key === 'storeCredit') storeCredit = Number(value);
    else if (key.includes('.')) setAddressPart(input, key, value);
    else input[key] = value;
  }
  if (groupName !== null && groupName.length > 100) {
    problems.push({ column: headerOf.get('group') ?? null, reason: 'Is longer than 100 characters' });
  }

  const parsed = createSchemaFor(input).safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      const header = headerOf.get(path) ?? headerOf.get(String(issue.path[0])) ?? null;
      problems.push({ column: header, reason: issue.message });
    }
  }
  if (problems.length > 0 || !parsed.success) return { action: 'reject', problems };

  const customer: CustomerCreate = parsed.data;
  const columns: CustomerRowUpdate = columnsFrom(customer);
  for (const error of checkCustomerRules(
    {
      firstName: customer.firstName ?? null,
      lastName: customer.lastName ?? null,
      email: customer.email ?? null,
      phone: customer.phone ?? null,
      mobile: customer.mobile ?? null,
      taxExempt: customer.taxExempt ?? false,
      salesTaxNumber: customer.salesTaxNumber ?? null,
    },
    ctx.settings,
  )) {
    problems.push({
      column: error.code === 'identity_required' ? null : (headerOf.get(error.field) ?? null),
      reason:
        error.code === 'identity_required'
          ? 'A customer needs at least a first name, last name, email or phone'
          : error.message,
    });
  }
  for (const field of ['phone', 'mobile'] as const) {
    const value = customer[field];
    if (!value) continue;
    const result = normalizePhone(field, value, phoneCountry(columns, ctx.settings.defaultCountry));
    if ('error' in result) problems.push({ column: headerOf.get(field) ?? null, reason: result.error.message });
    else columns[`${field}E164`] = result.e164;
  }
  if (problems.length > 0) return { action: 'reject', problems };

  const row: Record<string, unknown> = { id: ctx.newId() };
  for (const key in columns) {
    const value = columns[key as keyof CustomerRowUpdate];
    if (value !== undefined && value !== null) row[snake(key)] = value;
  }
  return {
    action: 'create',
    customer: row,
    emailKey: customer.email ? customer.email.toLowerCase() : null,
    codeKey: customer.code ? customer.code.toLowerCase() : null,
    groupName,
    loyaltyPoints,
    storeCredit,
  };
}

/** How a row of a modify or delete file names its customer. */
export type MatchBy = 'id' | 'code' | 'email';

export type CheckedChange =
  | {
      action: 'update';
      matchKey: string;
      /** The new values, as customer columns (snake_case), of every field the row sets. */
      patch: Record<string, unknown>;
    }
  | { action: 'reject'; matchKey: string | null; problems: RowProblem[] };

/** The customer a row names, by record id, code or email (lower-cased), or what is wrong with it. */
function matchKeyOf(
  values: Map<ImportTarget, { value: CellValue; header: string }>,
  matchBy: MatchBy,
): string | RowProblem {
  const named = values.get(matchBy)?.value;
  const what = matchBy === 'id' ? 'record id' : matchBy === 'code' ? 'customer code' : 'email';
  if (named === null || named === undefined || named === '') {
    return {
      column: values.get(matchBy)?.header ?? null,
      reason: `Has no ${what}: it cannot be matched to a customer`,
    };
  }
  return String(named).toLowerCase();
}

/**
 * Check one row of a modify file: the customer it names, and the fields it sets. An empty cell leaves
 * the field as it is, unless `clearEmpty` (then it clears it). The merged customer is checked against
 * the rules in the database, beside its current values.
 */
export function checkModifyRow(
  cells: readonly string[],
  mappings: readonly Mapped[],
  ctx: RowContext & { matchBy: MatchBy; clearEmpty: boolean },
): CheckedChange {
  const { values, problems, headerOf } = readMappedCells(cells, mappings, ctx);
  const match = matchKeyOf(values, ctx.matchBy);
  if (typeof match !== 'string') return { action: 'reject', matchKey: null, problems: [match, ...problems] };
  const input: Record<string, unknown> = {};
  for (const [key, { value }] of values) {
    // The matching column names the customer; balances and groups are not changed by a modify file.
    if (key === 'id' || key === ctx.matchBy || key === 'loyaltyPoints' || key === 'storeCredit' || key === 'group')
      continue;
    if (value === null && !ctx.clearEmpty) continue;
    if (key.includes('.')) setAddressPart(input, key, value);
    else input[key] = value;
  }
  const parsed = customerUpdateSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      problems.push({
        column: headerOf.get(path) ?? headerOf.get(String(issue.path[0])) ?? null,
        reason: issue.message,
      });
    }
  }
  if (problems.length > 0 || !parsed.success) return { action: 'reject', matchKey: match, problems };
  const columns: CustomerRowUpdate = columnsFrom(parsed.data);
  for (const field of ['phone', 'mobile'] as const) {
    const value = parsed.data[field];
    if (value === undefined) continue;
    if (value === null) {
      columns[`${field}E164`] = null;
      continue;
    }
    // The country the row gives, else the merchant's: the customer's stored address is not known here.
    const result = normalizePhone(field, value, phoneCountry(columns, ctx.settings.defaultCountry));
    if ('error' in result) problems.push({ column: headerOf.get(field) ?? null, reason: result.error.message });
    else columns[`${field}E164`] = result.e164;
  }
  if (problems.length > 0) return { action: 'reject', matchKey: match, problems };
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(columns)) if (value !== undefined) patch[snake(key)] = value;
  return { action: 'update', matchKey: match, patch };
}

/** Check one row of a delete file: the customer it names. */
export function checkDeleteRow(
  cells: readonly string[],
  mappings: readonly Mapped[],
  ctx: Pick<RowContext, 'dateOrder' | 'currencyExponent'> & { matchBy: MatchBy },
): { matchKey: string } | { problems: RowProblem[] } {
  const matchOnly = mappings.filter((m) => m.key === ctx.matchBy);
  const { values, problems } = readMappedCells(cells, matchOnly, ctx);
  if (problems.length > 0) return { problems };
  const match = matchKeyOf(values, ctx.matchBy);
  return typeof match === 'string' ? { matchKey: match } : { problems: [match] };
}

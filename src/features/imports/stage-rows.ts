/**
 * The rows of a bulk file checked and written as the staging table's COPY input: the part of a dry run that
 * costs Node its time (reading phone numbers, the API's schema and rules for every row). Pure, so that it
 * runs the same on the job's own thread (small files) and on worker threads, a batch each (large files: see
 * stage.worker.ts and import.jobs.ts).
 */
import { bulkUuidV7 } from '../../platform/ids.ts';
import type { Settings } from '../settings/settings.schema.ts';
import type { DateOrder } from './cells.ts';
import { checkDeleteRow, checkImportRow, checkModifyRow, type MatchBy, type RowContext } from './import-row.ts';
import type { ColumnMapping } from './layouts.ts';

export type BulkKind = 'import' | 'modify' | 'delete';
export type MappedColumn = Extract<ColumnMapping, { status: 'mapped' }>;

/** A row of the staging table, as the check leaves it. */
export interface StagedRow {
  line: number;
  action: 'create' | 'update' | 'delete' | 'reject';
  problems: unknown[] | null;
  raw: string[];
  customer: Record<string, unknown> | null;
  emailKey: string | null;
  codeKey: string | null;
  groupName: string | null;
  loyaltyPoints: number | null;
  storeCredit: number | null;
  matchKey?: string | null;
  patch?: Record<string, unknown> | null;
}

/** What checking a job's rows needs besides the rows: plain data, sent to a worker thread with each batch. */
export interface StageContext {
  merchantId: string;
  jobId: string;
  kind: BulkKind;
  mapped: MappedColumn[];
  settings: Settings;
  dateOrder: DateOrder;
  currencyExponent: number;
  matchBy: MatchBy;
  clearEmpty: boolean;
}

export interface StageRecord {
  line: number;
  cells: string[];
}

/** A batch checked: the staging table's COPY input for its rows, and how many there are. */
export interface StagedBatch {
  text: string;
  rows: number;
}

const EMPTY_ROW = {
  customer: null,
  emailKey: null,
  codeKey: null,
  groupName: null,
  loyaltyPoints: null,
  storeCredit: null,
} as const;

/** One record of the file checked for what the job does with it, ready to stage. */
export function stageRow(
  kind: BulkKind,
  record: StageRecord,
  mapped: readonly MappedColumn[],
  context: RowContext & { matchBy: MatchBy; clearEmpty: boolean },
): StagedRow {
  const base = { line: record.line, raw: record.cells };
  if (kind === 'import') {
    const checked = checkImportRow(record.cells, mapped, context);
    if (checked.action !== 'create') return { ...base, ...EMPTY_ROW, action: 'reject', problems: checked.problems };
    // Most rows: written out rather than spread (a million of them make a dry run's garbage).
    return {
      line: record.line,
      raw: record.cells,
      action: 'create',
      problems: null,
      customer: checked.customer,
      emailKey: checked.emailKey,
      codeKey: checked.codeKey,
      groupName: checked.groupName,
      loyaltyPoints: checked.loyaltyPoints,
      storeCredit: checked.storeCredit,
    };
  }
  if (kind === 'delete') {
    const checked = checkDeleteRow(record.cells, mapped, context);
    return 'matchKey' in checked
      ? { ...base, ...EMPTY_ROW, action: 'delete', problems: null, matchKey: checked.matchKey }
      : { ...base, ...EMPTY_ROW, action: 'reject', problems: checked.problems };
  }
  const checked = checkModifyRow(record.cells, mapped, context);
  return checked.action === 'update'
    ? { ...base, ...EMPTY_ROW, action: 'update', problems: null, matchKey: checked.matchKey, patch: checked.patch }
    : { ...base, ...EMPTY_ROW, action: 'reject', problems: checked.problems, matchKey: checked.matchKey };
}

/** A value in COPY's text format: backslash, tab and line breaks escaped (NUL, which text cannot hold, dropped); null as \N. */
function copyValue(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r\0]/g, (c) => COPY_ESCAPES[c] as string) : value;
}
const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '' };

/** A text[] literal: every element quoted, quotes and backslashes escaped. */
function arrayLiteral(cells: readonly string[]): string {
  let text = '{';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as string;
    text += `${i > 0 ? ',' : ''}"${QUOTE_OR_BACKSLASH.test(cell) ? cell.replace(/["\\]/g, '\\$&') : cell}"`;
  }
  return `${text}}`;
}
const QUOTE_OR_BACKSLASH = /["\\]/;

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The columns of import_row that `stagedRowsText` writes, in its order. */
export const STAGED_COLUMNS =
  'merchant_id, job_id, line, action, problems, raw, customer, email_key, code_key, group_name, loyalty_points, store_credit, match_key, patch';

/** Rows as the staging table's COPY input (text format), one line each. */
export function stagedRowsText(merchantId: string, jobId: string, rows: readonly StagedRow[]): string {
  const start = `${copyValue(merchantId)}\t${copyValue(jobId)}\t`;
  let text = '';
  for (const row of rows) {
    text +=
      `${start}${row.line}\t${row.action}\t${copyValue(json(row.problems))}\t${copyValue(arrayLiteral(row.raw))}\t` +
      `${copyValue(json(row.customer))}\t${copyValue(row.emailKey)}\t${copyValue(row.codeKey)}\t` +
      `${copyValue(row.groupName)}\t${copyValue(row.loyaltyPoints)}\t${copyValue(row.storeCredit)}\t` +
      `${copyValue(row.matchKey)}\t${copyValue(json(row.patch))}\n`;
  }
  return text;
}

/** Check a batch of records and write them as COPY input. */
export function stageBatch(context: StageContext, records: readonly StageRecord[]): StagedBatch {
  const rowContext = { ...context, newId: bulkUuidV7 };
  const rows = records.map((record) => stageRow(context.kind, record, context.mapped, rowContext));
  return { text: stagedRowsText(context.merchantId, context.jobId, rows), rows: rows.length };
}

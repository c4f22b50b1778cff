import { type PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

/**
 * A spreadsheet runs a cell that starts with = + - @ tab or return as a formula: prefix such a
 * cell with an apostrophe, which spreadsheets hide and Patron's import strips again.
 */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return neutralise(value instanceof Date ? value.toISOString() : String(value));
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEGATIVE_NUMBER = /^-\d+(?:\.\d+)?$/;

/**
 * Prefix an apostrophe to a cell a spreadsheet would run as a formula (but not to a plain negative
 * number), and to a cell that already starts with one, so that `unneutralise` is its exact inverse.
 */
export function neutralise(text: string): string {
  const risky = FORMULA_START.test(text) && !NEGATIVE_NUMBER.test(text);
  return risky || text.startsWith("'") ? `'${text}` : text;
}

/** Remove the one apostrophe that `neutralise`, or a spreadsheet, put in front of a cell. */
export function unneutralise(text: string): string {
  return text.startsWith("'") ? text.slice(1) : text;
}

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => unknown;
}

/**
 * Stream rows to CSV: the rows are pulled from `source` one batch at a time and written as they
 * come, so memory does not grow with the export. Resolves with the number of rows written, leaving `out` open: the
 * caller ends it (once the export is on record, so that a download that completed is in the audit log).
 */
export async function streamCsv<Row>(
  source: AsyncIterable<Row>,
  columns: CsvColumn<Row>[],
  out: PassThrough,
): Promise<number> {
  let count = 0;
  const toRecords = new Transform({
    objectMode: true,
    transform(row: Row, _encoding, callback) {
      count++;
      callback(
        null,
        columns.map((column) => safeCell(column.value(row))),
      );
    },
  });
  await pipeline(
    source,
    toRecords,
    stringify({ header: true, columns: columns.map((c) => c.header), bom: true }),
    out,
    {
      end: false,
    },
  );
  return count;
}

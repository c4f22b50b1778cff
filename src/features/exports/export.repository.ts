import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Database, Db, Trx } from '../../platform/db/database.ts';
import type { KeysetPosition } from '../../platform/http/cursor.ts';
import {
  type CustomerFilterValues,
  type CustomerMatch,
  matchingCustomerIds,
} from '../customers/customer.repository.ts';
import { type ColumnKey, columnByKey } from '../imports/columns.ts';
import type { JobRow } from '../imports/import.repository.ts';

// ---------------------------------------------------------------------------------------------
// The rows of an export, as CSV-ready text made by PostgreSQL itself: the same SELECT feeds a
// `COPY … TO STDOUT` (the fast path: PostgreSQL writes the CSV) and a cursor (CSV quoted in Node).

/** Codes of the first characters that always get an apostrophe: = + @ ' tab return. */
const FORMULA_STARTS = [61, 43, 64, 39, 9, 13];

/**
 * A cell as `neutralise` (platform/http/csv.ts) writes it, in SQL: an apostrophe before text a
 * spreadsheet would run as a formula (= + - @ tab return, but not a plain negative number) and
 * before text that starts with one. An empty text is no value (an empty cell, as a null).
 */
function neutralised(value: string): string {
  // A simple CASE reads the code of the first character once (ascii() copies nothing): 0 for an empty
  // text, then = + @ ' tab return, and - unless the text is a plain negative number.
  const quoted = FORMULA_STARTS.map((code) => `WHEN ${code} THEN '''' || ${value}`).join(' ');
  return `CASE ascii(${value}) WHEN 0 THEN NULL ${quoted}
    WHEN 45 THEN CASE WHEN ${value} ~ '^-[0-9]+([.][0-9]+)?$' THEN ${value} ELSE '''' || ${value} END
    ELSE ${value} END`;
}

const yesNo = (value: string) => `CASE WHEN ${value} THEN 'yes' ELSE 'no' END`;

/**
 * An instant as the business's clock showed it (the time zone of Settings), as spreadsheets read a date and
 * time: 2025-06-15 02:05:00. A first order at 00:30 on 1 November in Sydney is on 1 November in the file, as on
 * the customer's page, not on 31 October in UTC. One lookup of the zone a query (an uncorrelated subquery).
 */
const businessTime = (value: string) =>
  `to_char(${value} AT TIME ZONE (SELECT m.time_zone FROM merchant m WHERE m.id = app_current_merchant()), 'YYYY-MM-DD HH24:MI:SS')`;

/**
 * One minor unit of the merchant's currency in major units, with as many decimals as the currency has:
 * 0.01, or 1 for JPY (numeric input '1e-2' keeps scale 2). One lookup a query: an uncorrelated subquery.
 */
const MINOR_UNIT = `(SELECT ('1e-' || currency_exponent(m.currency))::numeric FROM merchant m WHERE m.id = app_current_merchant())`;

/**
 * Minor units as the amount in major units, as the import reads it back: 1234.50 (1234 for JPY). A product
 * has the scale of its factors: exact, and cheaper than dividing and rounding.
 */
const money = (minor: string) => `((${minor})::numeric * ${MINOR_UNIT})::text`;

const c = (column: string) => `customer.${column}`;

/** The year-less form `--MM-DD` always starts with a dash: it is written neutralised, as `'--MM-DD`. */
const DATE_OF_BIRTH = `CASE WHEN customer.birth_month IS NULL THEN NULL
  WHEN customer.birth_year IS NULL THEN '''--' || lpad(customer.birth_month::text, 2, '0') || '-' || lpad(customer.birth_day::text, 2, '0')
  ELSE lpad(customer.birth_year::text, 4, '0') || '-' || lpad(customer.birth_month::text, 2, '0') || '-' || lpad(customer.birth_day::text, 2, '0') END`;

type Join = 'group' | 'balance' | 'stats';

interface ColumnSql {
  sql: string;
  join?: Join;
}

const text = (column: string): ColumnSql => ({ sql: neutralised(c(column)) });
const address = (kind: 'physical' | 'postal') =>
  ({
    [`${kind}Address.line1`]: text(`${kind}_line1`),
    [`${kind}Address.line2`]: text(`${kind}_line2`),
    [`${kind}Address.suburb`]: text(`${kind}_suburb`),
    [`${kind}Address.city`]: text(`${kind}_city`),
    [`${kind}Address.state`]: text(`${kind}_state`),
    [`${kind}Address.postcode`]: text(`${kind}_postcode`),
    [`${kind}Address.country`]: { sql: neutralised(`${c(`${kind}_country`)}::text`) },
  }) as Record<
    `${typeof kind}Address.${'line1' | 'line2' | 'suburb' | 'city' | 'state' | 'postcode' | 'country'}`,
    ColumnSql
  >;

/**
 * Each column of the catalogue as SQL over `customer` and, when a column needs them, `customer_stats`,
 * `customer_group` and `customer_balance`. Written in the format its import reads (see
 * imports/cells.ts): yes/no, amounts in major units, ISO dates; the times, which only export writes, on
 * the business's clock.
 */
const COLUMN_SQL: Record<ColumnKey, ColumnSql> = {
  id: { sql: 'customer.id::text' },
  code: text('code'),
  firstName: text('first_name'),
  lastName: text('last_name'),
  companyName: text('company_name'),
  email: text('email'),
  phone: text('phone'),
  mobile: text('mobile'),
  website: text('website'),
  twitter: text('twitter'),
  dateOfBirth: { sql: DATE_OF_BIRTH },
  ...address('physical'),
  ...address('postal'),
  group: { sql: neutralised('customer_group.name'), join: 'group' },
  note: text('note'),
  taxExempt: { sql: yesNo(c('tax_exempt')) },
  salesTaxNumber: text('sales_tax_number'),
  emailMarketing: { sql: yesNo(c('email_marketing')) },
  smsMarketing: { sql: yesNo(c('sms_marketing')) },
  loyaltyOptIn: { sql: yesNo(c('loyalty_opt_in')) },
  loyaltyPoints: { sql: 'coalesce(customer_balance.loyalty_points, 0)::text', join: 'balance' },
  storeCredit: { sql: money('coalesce(customer_balance.store_credit, 0)'), join: 'balance' },
  'stats.totalSpent': { sql: money('customer_stats.total_spent'), join: 'stats' },
  'stats.orderCount': { sql: 'customer_stats.order_count::text', join: 'stats' },
  'stats.firstOrderAt': { sql: businessTime('customer_stats.first_order_at'), join: 'stats' },
  'stats.lastOrderAt': { sql: businessTime('customer_stats.last_order_at'), join: 'stats' },
  createdAt: { sql: businessTime(c('created_at')) },
};

/** Which customers and which columns. */
export interface ExportSelection {
  filter: CustomerFilterValues;
  /** With a search: the customers it finds (the filters still apply). */
  match: CustomerMatch | undefined;
  fields: readonly ColumnKey[];
}

/**
 * The SELECT of an export: the list's own filter conditions (customers/customer.repository.ts), one
 * text column per field. Built on `db` but never run by it. In no particular order: sorting a million
 * wide rows by name costs a third of the export's time (and spills to disk), and a spreadsheet sorts
 * in a click.
 */
export function exportQuery(db: Trx, selection: ExportSelection) {
  const joins = new Set(selection.fields.flatMap((key) => COLUMN_SQL[key].join ?? []));
  let query = matchingCustomerIds(db, selection.filter, selection.match, {
    withStats: joins.has('stats'),
  }).clearSelect();
  if (joins.has('group')) {
    query = query.innerJoin('customerGroup', (join) =>
      join
        .onRef('customerGroup.merchantId', '=', 'customer.merchantId')
        .onRef('customerGroup.id', '=', 'customer.groupId'),
    );
  }
  if (joins.has('balance')) {
    query = query.leftJoin('customerBalance', (join) =>
      join
        .onRef('customerBalance.merchantId', '=', 'customer.merchantId')
        .onRef('customerBalance.customerId', '=', 'customer.id'),
    );
  }
  return query.select(
    selection.fields.map((key, index) => sql.raw<string | null>(COLUMN_SQL[key].sql).as(`c${index}`)),
  );
}

/** Headers of the chosen fields, from the catalogue. */
export function exportHeaders(fields: readonly ColumnKey[]): string[] {
  return fields.map((key) => columnByKey(key).header);
}

// ---------------------------------------------------------------------------------------------
// COPY takes no parameters: the values are written into the statement as literals.

/** A parameter as a quoted literal: PostgreSQL reads it as it reads a parameter of unknown type. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (typeof value === 'number' && Number.isFinite(value)) return `'${value}'`;
  if (typeof value === 'boolean') return value ? `'true'` : `'false'`;
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  // Arrays of text: a search's words and digits, record ids.
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return pg.escapeLiteral(`{${value.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  }
  throw new Error(`Cannot write ${typeof value} as a literal`);
}

/**
 * The statement with its `$n` parameters replaced by literals. Quoted text and identifiers are
 * skipped, so a `$1` inside them stays as it is.
 */
export function inlineParameters(compiled: Pick<CompiledQuery, 'sql' | 'parameters'>): string {
  const { sql: text, parameters } = compiled;
  let out = '';
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote) {
      if (char === quote) quote = null;
      out += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      out += char;
      continue;
    }
    const number = char === '$' ? /^\d+/.exec(text.slice(i + 1))?.[0] : undefined;
    if (number === undefined) {
      out += char;
      continue;
    }
    const index = Number(number) - 1;
    if (index < 0 || index >= parameters.length) throw new Error(`No parameter $${number}`);
    out += literal(parameters[index]);
    i += number.length;
  }
  return out;
}

/**
 * A connection of its own in a transaction as the merchant, for COPY (which needs the driver's
 * client, not Kysely's): the same role and merchant setting as Database.withMerchant, so row-level
 * security applies to COPY's SELECT as to every other query. A connection left part-way through a
 * COPY is closed, not returned to the pool.
 */
export async function withMerchantClient<T>(
  database: Database,
  merchantId: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('role', 'patron_app', true), set_config('app.merchant_id', $1, true)", [
      merchantId,
    ]);
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

/**
 * Stream the rows of `statement` (a SELECT without parameters) into `out` as CSV, written by
 * PostgreSQL; `out` is left open. Resolves with the number of rows. Backpressure holds PostgreSQL
 * back when `out` is slow, so memory stays flat.
 */
export async function copyCsv(client: pg.PoolClient, statement: string, out: Writable): Promise<number> {
  const copy = client.query(copyTo(`COPY (${statement}) TO STDOUT WITH (FORMAT csv, ENCODING 'UTF8')`));
  await pipeline(copy, out, { end: false });
  // The row count arrives after the data: a statement queued behind the COPY waits for it.
  await client.query('SELECT 1');
  return copy.rowCount;
}

/**
 * The rows of `selection` as CSV into `out` (left open), written by PostgreSQL on a connection of their own
 * as the merchant. Resolves with the number of rows.
 */
export function copyExport(
  database: Database,
  merchantId: string,
  selection: ExportSelection,
  out: Writable,
): Promise<number> {
  const statement = inlineParameters(exportQuery(database.system, selection).compile());
  return withMerchantClient(database, merchantId, async (client) => {
    await allowLongStatement(client);
    return copyCsv(client, statement, out);
  });
}

/** How many customers an export of `selection` writes (as its SELECT finds them now). */
export async function countExportRows(trx: Trx, selection: Omit<ExportSelection, 'fields'>): Promise<number> {
  const row = await trx
    .selectFrom(matchingCustomerIds(trx, selection.filter, selection.match).as('matching'))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * Allow a long export: the pool's 30-second statement limit guards requests, and an export of a
 * million rows to a slow download runs longer. Still bounded.
 */
export async function allowLongStatement(client: pg.PoolClient): Promise<void> {
  await client.query("SELECT set_config('statement_timeout', '3600000', true)");
}

/** The same for a cursor inside a Kysely transaction. */
export async function allowLongStatements(trx: Trx): Promise<void> {
  await sql`SELECT set_config('statement_timeout', '3600000', true)`.execute(trx);
}

// ---------------------------------------------------------------------------------------------
// The export log: the audit events of exports.

export const EXPORT_STARTED = 'customer.export_started';
export const EXPORT_FINISHED = 'customer.exported';
export const EXPORT_FAILED = 'customer.export_failed';

/** Exports started, newest first, a page after `after` (keyset on time and id). */
export async function listExportStarts(trx: Trx, options: { after?: KeysetPosition | undefined; limit: number }) {
  let query = trx
    .selectFrom('auditEvent')
    .select(['id', 'entityId', 'occurredAt', 'actorType', 'actorId', 'actorName', 'changes'])
    .select(sql<string>`to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position'))
    .where('action', '=', EXPORT_STARTED);
  if (options.after) {
    query = query.where(
      sql<boolean>`(occurred_at, id) < (${options.after.at}::timestamptz, ${options.after.id}::uuid)`,
    );
  }
  return query.orderBy('occurredAt', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}

/** How the exports `exportIds` ended, if they did. */
export async function findExportEnds(trx: Trx, exportIds: string[]) {
  if (exportIds.length === 0) return [];
  return trx
    .selectFrom('auditEvent')
    .select(['entityId', 'action', 'occurredAt', 'changes'])
    .where('entityType', '=', 'export')
    .where('entityId', 'in', exportIds)
    .where('action', 'in', [EXPORT_FINISHED, EXPORT_FAILED])
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Background exports: bulk_job rows of kind 'export' (status committing while the file is written), and
// their file in bulk_job_file under the name 'export'.

export async function insertExportJob(
  trx: Trx,
  job: { id: string; options: Record<string, unknown>; createdBy: string; createdById: string | null },
): Promise<void> {
  await sql`
    INSERT INTO bulk_job (merchant_id, id, kind, status, options, created_by, created_by_id)
    VALUES (app_current_merchant(), ${job.id}, 'export', 'committing', ${JSON.stringify(job.options)}::jsonb,
            ${job.createdBy}, ${job.createdById})`.execute(trx);
}

export type ExportJobRow = Omit<JobRow, 'kind' | 'fileName' | 'fileSize' | 'fileInfo'>;

/** Export jobs, newest first: those named by `ids`, or the latest `limit`. `forUpdate` locks them. */
export async function findExportJobs(
  trx: Trx,
  options: { ids?: string[]; limit: number; forUpdate?: boolean },
): Promise<ExportJobRow[]> {
  if (options.ids?.length === 0) return [];
  const { rows } = await sql<ExportJobRow>`
    SELECT id, status, options, rows_total AS "rowsTotal", rows_done AS "rowsDone", summary, error,
           cancel_requested AS "cancelRequested", created_by AS "createdBy", created_by_id AS "createdById",
           created_at AS "createdAt", updated_at AS "updatedAt", started_at AS "startedAt", finished_at AS "finishedAt"
    FROM bulk_job
    WHERE kind = 'export' ${options.ids ? sql`AND id = ANY(${options.ids}::uuid[])` : sql``}
    ORDER BY created_at DESC, id DESC LIMIT ${options.limit}
    ${options.forUpdate ? sql`FOR UPDATE` : sql``}`.execute(trx);
  return rows;
}

export async function insertExportChunk(trx: Trx, jobId: string, seq: number, data: Buffer): Promise<void> {
  await sql`INSERT INTO bulk_job_file (merchant_id, job_id, name, seq, data)
            VALUES (app_current_merchant(), ${jobId}, 'export', ${seq}, ${data})`.execute(trx);
}

/** One chunk of an export's file, or undefined past its end. */
export async function readExportChunk(trx: Trx, jobId: string, seq: number): Promise<Buffer | undefined> {
  const { rows } = await sql<{ data: Buffer }>`
    SELECT data FROM bulk_job_file WHERE job_id = ${jobId} AND name = 'export' AND seq = ${seq}`.execute(trx);
  return rows[0]?.data;
}

export async function deleteExportFile(trx: Trx, jobId: string): Promise<void> {
  await sql`DELETE FROM bulk_job_file WHERE job_id = ${jobId} AND name = 'export'`.execute(trx);
}

/**
 * Delete the files of exports that finished more than `days` ago, of every merchant (as the table owner);
 * the jobs stay, with their summary. Returns how many jobs lost their file.
 */
export async function purgeExportFiles(db: Db, days: number): Promise<number> {
  const { rows } = await sql<{ jobId: string }>`
    DELETE FROM bulk_job_file f USING bulk_job j
    WHERE j.kind = 'export' AND j.finished_at < now() - make_interval(days => ${days})
      AND f.merchant_id = j.merchant_id AND f.job_id = j.id AND f.name = 'export'
    RETURNING f.job_id AS "jobId"`.execute(db);
  return new Set(rows.map((row) => row.jobId)).size;
}

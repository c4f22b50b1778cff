import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db, Trx } from '../../platform/db/database.ts';
import { uniqueViolation } from '../../platform/db/errors.ts';
import { STAGED_COLUMNS } from './stage-rows.ts';

export type JobStatus = 'validating' | 'validated' | 'committing' | 'done' | 'failed' | 'cancelled';

const CHUNK = 1024 * 1024;

export async function insertJob(
  trx: Trx,
  job: {
    id: string;
    kind: 'import' | 'modify' | 'delete';
    fileName: string | null;
    options: Record<string, unknown>;
    createdBy: string;
    createdById: string | null;
  },
): Promise<void> {
  await sql`
    INSERT INTO bulk_job (merchant_id, id, kind, status, file_name, options, created_by, created_by_id)
    VALUES (app_current_merchant(), ${job.id}, ${job.kind}, 'validating', ${job.fileName}, ${JSON.stringify(job.options)}::jsonb,
            ${job.createdBy}, ${job.createdById})`.execute(trx);
}

export interface JobRow {
  id: string;
  kind: string;
  status: JobStatus;
  fileName: string | null;
  fileSize: number | null;
  options: Record<string, unknown>;
  fileInfo: Record<string, unknown> | null;
  rowsTotal: number | null;
  rowsDone: number;
  summary: Record<string, unknown> | null;
  error: string | null;
  cancelRequested: boolean;
  createdBy: string;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  filesDeletedAt: Date | null;
}

const JOB_COLUMNS = sql`id, kind, status, file_name AS "fileName", file_size AS "fileSize", options, file_info AS "fileInfo",
  rows_total AS "rowsTotal", rows_done AS "rowsDone", summary, error, cancel_requested AS "cancelRequested",
  created_by AS "createdBy", created_by_id AS "createdById", created_at AS "createdAt", updated_at AS "updatedAt", started_at AS "startedAt",
  finished_at AS "finishedAt", files_deleted_at AS "filesDeletedAt"`;

export async function findJob(
  trx: Trx,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<JobRow | undefined> {
  const { rows } = await sql<JobRow>`SELECT ${JOB_COLUMNS} FROM bulk_job WHERE id = ${id}
    ${options.forUpdate ? sql`FOR UPDATE` : sql``}`.execute(trx);
  return rows[0];
}

export async function listJobs(trx: Trx, limit: number): Promise<JobRow[]> {
  const { rows } =
    await sql<JobRow>`SELECT ${JOB_COLUMNS} FROM bulk_job ORDER BY created_at DESC, id DESC LIMIT ${limit}`.execute(
      trx,
    );
  return rows;
}

export async function updateJob(
  trx: Trx,
  id: string,
  change: {
    status?: JobStatus;
    fileSize?: number;
    fileInfo?: Record<string, unknown>;
    rowsTotal?: number | null;
    rowsDone?: number;
    summary?: Record<string, unknown>;
    error?: string | null;
    cancelRequested?: boolean;
    started?: boolean;
    finished?: boolean;
  },
): Promise<void> {
  await sql`
    UPDATE bulk_job SET
      status = coalesce(${change.status ?? null}, status),
      file_size = coalesce(${change.fileSize ?? null}::bigint, file_size),
      file_info = coalesce(${change.fileInfo ? JSON.stringify(change.fileInfo) : null}::jsonb, file_info),
      rows_total = CASE WHEN ${change.rowsTotal !== undefined} THEN ${change.rowsTotal ?? null}::int ELSE rows_total END,
      rows_done = coalesce(${change.rowsDone ?? null}::int, rows_done),
      summary = coalesce(${change.summary ? JSON.stringify(change.summary) : null}::jsonb, summary),
      error = CASE WHEN ${change.error !== undefined} THEN ${change.error ?? null} ELSE error END,
      cancel_requested = coalesce(${change.cancelRequested ?? null}::boolean, cancel_requested),
      started_at = CASE WHEN ${change.started ?? false} THEN now() ELSE started_at END,
      finished_at = CASE WHEN ${change.finished ?? false} THEN now() ELSE finished_at END,
      updated_at = now()
    WHERE id = ${id}`.execute(trx);
}

/** The set-wise steps over a million staged rows take longer than a request may: no time limit for them. */
export async function allowLongStatements(trx: Trx): Promise<void> {
  await sql`SELECT set_config('statement_timeout', '0', true)`.execute(trx);
}

/** Replace what a person chose for a job (mapping, date order, commit mode…). */
export async function setJobOptions(trx: Trx, id: string, options: object): Promise<void> {
  await sql`UPDATE bulk_job SET options = ${JSON.stringify(options)}::jsonb WHERE id = ${id}`.execute(trx);
}

/** Jobs that stopped moving (of every merchant, as the table owner sees them): candidates to start again. */
export async function staleJobs(db: Db, staleAfterSeconds: number) {
  const { rows } = await sql<{ merchantId: string; id: string }>`
    SELECT merchant_id AS "merchantId", id FROM bulk_job
    WHERE status IN ('validating', 'committing') AND updated_at < now() - make_interval(secs => ${staleAfterSeconds})`.execute(
    db,
  );
  return rows;
}

/** Store a file of a job in chunks, streaming: never more than one chunk in memory. */
export async function writeJobFile(
  withTrx: <T>(work: (trx: Trx) => Promise<T>) => Promise<T>,
  jobId: string,
  name: 'upload' | 'errors',
  source: AsyncIterable<Uint8Array>,
  limit: number,
): Promise<number> {
  let seq = 0;
  let size = 0;
  let pending: Buffer[] = [];
  let pendingSize = 0;
  const flush = async () => {
    if (pendingSize === 0) return;
    const data = Buffer.concat(pending);
    pending = [];
    pendingSize = 0;
    const n = seq++;
    await withTrx((trx) =>
      sql`INSERT INTO bulk_job_file (merchant_id, job_id, name, seq, data)
          VALUES (app_current_merchant(), ${jobId}, ${name}, ${n}, ${data})`.execute(trx),
    );
  };
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) throw new FileTooLarge(limit);
    pending.push(Buffer.from(chunk));
    pendingSize += chunk.length;
    if (pendingSize >= CHUNK) await flush();
  }
  await flush();
  return size;
}

export class FileTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${Math.round(limit / 1024 / 1024)} MB`);
  }
}

/** A job's file, chunk by chunk, each read in its own short transaction. */
export async function* readJobFile(
  withTrx: <T>(work: (trx: Trx) => Promise<T>) => Promise<T>,
  jobId: string,
  name: 'upload' | 'errors',
): AsyncGenerator<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const data = await withTrx(async (trx) => {
      const { rows } = await sql<{ data: Buffer }>`
        SELECT data FROM bulk_job_file WHERE job_id = ${jobId} AND name = ${name} AND seq = ${seq}`.execute(trx);
      return rows[0]?.data;
    });
    if (!data) return;
    yield data;
  }
}

export async function deleteJobFile(trx: Trx, jobId: string, name: 'upload' | 'errors'): Promise<void> {
  await sql`DELETE FROM bulk_job_file WHERE job_id = ${jobId} AND name = ${name}`.execute(trx);
}

/** Column headers that name a problem's column in the report, and the error file. */
export interface ProblemHeaders {
  email: string | null;
  code: string | null;
}

/**
 * Stage checked rows by COPY (the cheapest way into a table: a million rows staged by INSERT … FROM
 * jsonb_to_recordset cost PostgreSQL several times more), with the job's progress in the same
 * transaction. Returns whether a person asked to stop. PostgreSQL refuses COPY FROM into a table under
 * row-level security, so this runs as the table owner and writes the merchant itself: the job's, read
 * under row-level security when the job was taken.
 */
export async function copyImportRows(
  pool: pg.Pool,
  merchantId: string,
  jobId: string,
  /** The rows as COPY input: `stagedRowsText` (stage-rows.ts). */
  text: string,
  progress: { rowsDone: number; rowsTotal: number | null },
  /** New customers (an import): the lines of the batch, looked up in the directory as they are staged. */
  existing?: { lines: { from: number; to: number }; headers: ProblemHeaders },
): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (text.length > 0) {
      await pipeline(Readable.from([text]), client.query(copyFrom(`COPY import_row (${STAGED_COLUMNS}) FROM STDIN`)));
      if (existing) await markExistingInBatch(client, merchantId, jobId, existing.lines, existing.headers);
    }
    const { rows: job } = await client.query<{ cancel_requested: boolean }>(
      `UPDATE bulk_job SET rows_done = $3, rows_total = $4, updated_at = now()
       WHERE merchant_id = $1 AND id = $2 RETURNING cancel_requested`,
      [merchantId, jobId, progress.rowsDone, progress.rowsTotal],
    );
    await client.query('COMMIT');
    client.release();
    return job[0]?.cancel_requested ?? false;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

/**
 * Why a new customer of a file is not created when the directory has them already: someone has its code
 * (rejected), or its email (skipped: they are already a customer). The owner's code follows in brackets.
 * Found batch by batch in a dry run, over the whole file again at an all-or-nothing commit.
 */
const CODE_TAKEN = 'Another customer already has this customer code';
const EMAIL_TAKEN = 'Already a customer with this email';

/**
 * A batch's new customers who are already customers: a code another customer has (rejected), else an email
 * another customer has (skipped: they are already a customer). Each row looks its code and email up in the
 * directory's unique indexes, a few microseconds each, while the next batch is being checked; over a
 * million rows at the end of the dry run these lookups were two hash joins of the whole file with the whole
 * directory (~6 s). As the table owner, like the COPY (row-level security would keep `lower(code)` out of
 * the index: it is not leakproof), so the merchant is named in every condition.
 */
async function markExistingInBatch(
  client: pg.PoolClient,
  merchantId: string,
  jobId: string,
  lines: { from: number; to: number },
  headers: ProblemHeaders,
): Promise<void> {
  await client.query(
    `WITH taken AS MATERIALIZED (
       SELECT r.line, by_code.code AS code_owner, by_email.code AS email_owner, by_code.taken IS NOT NULL AS code_taken
       FROM import_row r
       LEFT JOIN LATERAL (
         SELECT true AS taken, c.code FROM customer c
         WHERE c.merchant_id = $1 AND lower(c.code) = r.code_key AND c.deleted_at IS NULL LIMIT 1
       ) by_code ON true
       LEFT JOIN LATERAL (
         SELECT true AS taken, c.code FROM customer c
         WHERE c.merchant_id = $1 AND lower(c.email) = r.email_key AND c.email IS NOT NULL AND c.deleted_at IS NULL
         LIMIT 1
       ) by_email ON true
       WHERE r.merchant_id = $1 AND r.job_id = $2 AND r.line BETWEEN $3 AND $4 AND r.action = 'create'
         AND (by_code.taken OR by_email.taken)
     )
     UPDATE import_row r
     SET action = CASE WHEN t.code_taken THEN 'reject' ELSE 'skip' END,
         problems = CASE WHEN t.code_taken
           THEN jsonb_build_array(jsonb_build_object('column', $5::text,
                  'reason', $7::text || ' (' || t.code_owner || ')'))
           ELSE jsonb_build_array(jsonb_build_object('column', $6::text,
                  'reason', $8::text || ' (' || t.email_owner || ')')) END
     FROM taken t
     WHERE r.merchant_id = $1 AND r.job_id = $2 AND r.line BETWEEN $3 AND $4 AND r.line = t.line`,
    [merchantId, jobId, lines.from, lines.to, headers.code, headers.email, CODE_TAKEN, EMAIL_TAKEN],
  );
}

/**
 * Bring the planner's figures for the staging table up to date after a job staged its rows: the checks
 * that follow join the job's rows with each other (and, at an all-or-nothing commit, with the directory),
 * and a planner that still believes the table nearly empty picks nested loops over thousands of rows
 * (minutes instead of milliseconds). ANALYZE is the owner's to run: as the table owner, like the COPY that
 * staged the rows.
 */
export async function analyzeImportRows(pool: pg.Pool): Promise<void> {
  await pool.query('ANALYZE import_row');
}

/**
 * Delete the uploaded files, error files and checked rows of imports that ended more than `days` ago, and
 * of dry runs nobody committed for as long (set aside: cancelled), of every merchant (as the table owner).
 * The jobs stay with their counts, without their first problem rows. Returns how many jobs lost their files.
 */
export async function purgeImportFiles(db: Db, days: number): Promise<number> {
  const { rows } = await sql<{ purged: number }>`
    WITH old AS (
      UPDATE bulk_job
      SET files_deleted_at = now(),
          summary = CASE WHEN summary ? 'firstProblems' THEN summary - 'firstProblems' ELSE summary END,
          error = CASE WHEN status = 'validated'
                       THEN ${`Not committed within ${days} days: the file and its checked rows were deleted`}
                       ELSE error END,
          status = CASE WHEN status = 'validated' THEN 'cancelled' ELSE status END,
          finished_at = coalesce(finished_at, now()),
          updated_at = now()
      WHERE kind IN ('import', 'modify', 'delete') AND files_deleted_at IS NULL
        AND ((status IN ('done', 'failed', 'cancelled') AND finished_at < now() - make_interval(days => ${days}))
          OR (status = 'validated' AND updated_at < now() - make_interval(days => ${days})))
      RETURNING merchant_id, id
    ), files AS (
      DELETE FROM bulk_job_file f USING old WHERE f.merchant_id = old.merchant_id AND f.job_id = old.id
    ), staged AS (
      DELETE FROM import_row r USING old WHERE r.merchant_id = old.merchant_id AND r.job_id = old.id
    )
    SELECT count(*)::int AS purged FROM old`.execute(db);
  return rows[0]?.purged ?? 0;
}

export async function clearImportRows(trx: Trx, jobId: string): Promise<void> {
  await sql`DELETE FROM import_row WHERE job_id = ${jobId}`.execute(trx);
}

/**
 * The checks that need every row and the directory. First the directory, unless each batch was looked up
 * as it was staged: a code another customer has (rejected), an email another customer has (skipped: they
 * are already a customer). Then the file itself: the same email or code twice among the rows still to be
 * created (the later lines are rejected). Equal keys are found by sorting them bytewise (`COLLATE "C"`: the
 * same equality, without the locale's rules) in memory: ~2 s for a million rows, where the database's
 * collation and a sort spilled to disk took ~4.
 */
export async function markDuplicates(
  trx: Trx,
  jobId: string,
  headers: ProblemHeaders,
  options: { directory: boolean },
): Promise<void> {
  // Memory for the sorts below only: the commit that may follow in the same transaction keeps the usual.
  const { rows } = await sql<{ work_mem: string }>`SELECT current_setting('work_mem') AS work_mem`.execute(trx);
  await sql`SELECT set_config('work_mem', '256MB', true)`.execute(trx);
  if (options.directory) {
    await sql`
      UPDATE import_row r SET action = 'reject',
        problems = jsonb_build_array(jsonb_build_object('column', ${headers.code}::text,
          'reason', ${CODE_TAKEN}::text || ' (' || c.code || ')'))
      FROM customer c
      WHERE r.job_id = ${jobId} AND r.action = 'create' AND r.code_key IS NOT NULL
        AND lower(c.code) = r.code_key AND c.deleted_at IS NULL`.execute(trx);
    await sql`
      UPDATE import_row r SET action = 'skip',
        problems = jsonb_build_array(jsonb_build_object('column', ${headers.email}::text,
          'reason', ${EMAIL_TAKEN}::text || ' (' || c.code || ')'))
      FROM customer c
      WHERE r.job_id = ${jobId} AND r.action = 'create' AND r.email_key IS NOT NULL
        AND lower(c.email) = r.email_key AND c.deleted_at IS NULL`.execute(trx);
  }
  await sql`
    WITH firsts AS (
      SELECT line, min(line) OVER (PARTITION BY email_key COLLATE "C") AS first
      FROM import_row WHERE job_id = ${jobId} AND action = 'create' AND email_key IS NOT NULL
    )
    UPDATE import_row r SET action = 'reject',
      problems = coalesce(r.problems, '[]'::jsonb) || jsonb_build_array(jsonb_build_object('column', ${headers.email}::text,
        'reason', 'The same email as line ' || f.first || ' of the file'))
    FROM firsts f WHERE r.job_id = ${jobId} AND r.line = f.line AND f.line <> f.first`.execute(trx);
  await sql`
    WITH firsts AS (
      SELECT line, min(line) OVER (PARTITION BY code_key COLLATE "C") AS first
      FROM import_row WHERE job_id = ${jobId} AND action = 'create' AND code_key IS NOT NULL
    )
    UPDATE import_row r SET action = 'reject',
      problems = coalesce(r.problems, '[]'::jsonb) || jsonb_build_array(jsonb_build_object('column', ${headers.code}::text,
        'reason', 'The same customer code as line ' || f.first || ' of the file'))
    FROM firsts f WHERE r.job_id = ${jobId} AND r.line = f.line AND f.line <> f.first`.execute(trx);
  await sql`SELECT set_config('work_mem', ${rows[0]?.work_mem ?? '4MB'}, true)`.execute(trx);
}

export interface ImportCounts {
  create: number;
  update: number;
  delete: number;
  skip: number;
  reject: number;
  newGroups: string[];
}

export async function countImportRows(trx: Trx, jobId: string): Promise<ImportCounts> {
  const { rows } = await sql<{ action: string; n: number }>`
    SELECT action, count(*)::int AS n FROM import_row WHERE job_id = ${jobId} GROUP BY action`.execute(trx);
  const { rows: groups } = await sql<{ name: string }>`
    SELECT DISTINCT ON (lower(r.group_name)) r.group_name AS name
    FROM import_row r
    WHERE r.job_id = ${jobId} AND r.action = 'create' AND r.group_name IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM customer_group g WHERE lower(g.name) = lower(r.group_name))
    ORDER BY lower(r.group_name) LIMIT 50`.execute(trx);
  const by = Object.fromEntries(rows.map((r) => [r.action, r.n]));
  return {
    create: by.create ?? 0,
    update: by.update ?? 0,
    delete: by.delete ?? 0,
    skip: by.skip ?? 0,
    reject: by.reject ?? 0,
    newGroups: groups.map((g) => g.name),
  };
}

/** Rows that will not be created, in file order, with why. */
export async function problemRows(trx: Trx, jobId: string, options: { limit: number; after?: number }) {
  const { rows } = await sql<{
    line: number;
    action: 'skip' | 'reject';
    problems: { column: string | null; reason: string }[];
    raw: string[];
  }>`
    SELECT line, action, problems, raw FROM import_row
    WHERE job_id = ${jobId} AND action IN ('skip', 'reject') AND line > ${options.after ?? 0}
    ORDER BY line LIMIT ${options.limit}`.execute(trx);
  return rows;
}

/** The customer columns an import writes, as jsonb_to_record reads them from a staged row. */
const CUSTOMER_COLUMNS = sql.raw(`id uuid, code text, first_name text, last_name text, company_name text, email text,
  phone text, phone_e164 text, mobile text, mobile_e164 text, website text, twitter text, birth_year int, birth_month int,
  birth_day int, physical_line1 text, physical_line2 text, physical_suburb text, physical_city text, physical_state text,
  physical_postcode text, physical_country text, postal_line1 text, postal_line2 text, postal_suburb text,
  postal_city text, postal_state text, postal_postcode text, postal_country text, note text, tax_exempt boolean,
  sales_tax_number text, email_marketing boolean, sms_marketing boolean, loyalty_opt_in boolean`);
const BOOLEANS = new Set(['tax_exempt', 'email_marketing', 'sms_marketing', 'loyalty_opt_in']);
const INSERTED = `id, first_name, last_name, company_name, email, phone, phone_e164, mobile, mobile_e164, website, twitter,
  birth_year, birth_month, birth_day, physical_line1, physical_line2, physical_suburb, physical_city, physical_state,
  physical_postcode, physical_country, postal_line1, postal_line2, postal_suburb, postal_city, postal_state,
  postal_postcode, postal_country, note, tax_exempt, sales_tax_number, email_marketing, sms_marketing, loyalty_opt_in`;

/**
 * Write the staged customers (action create) of a job, in the caller's transaction: the groups they
 * name that do not exist yet, the customers (with or without a code of their own), and their opening
 * balances as ledger entries (reason import). Returns how many customers were created.
 */
export async function writeImport(trx: Trx, jobId: string, by: string): Promise<{ created: number; groups: number }> {
  await sql`SELECT set_config('statement_timeout', '0', true)`.execute(trx);
  const groups = await createImportGroups(trx, jobId);
  const { created } = await writeStagedCustomers(trx, jobId, by, null);
  return { created, groups };
}

/** The groups the staged customers name that do not exist yet, created: how many. */
export async function createImportGroups(trx: Trx, jobId: string): Promise<number> {
  const groups = await sql`
    INSERT INTO customer_group (merchant_id, id, name)
    SELECT DISTINCT ON (lower(r.group_name)) app_current_merchant(), uuid_v7(), r.group_name
    FROM import_row r
    WHERE r.job_id = ${jobId} AND r.action = 'create' AND r.group_name IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM customer_group g WHERE lower(g.name) = lower(r.group_name))
    ORDER BY lower(r.group_name)`.execute(trx);
  return Number(groups.numAffectedRows ?? 0);
}

/** Lines of a file written together when only the valid rows are imported. */
export interface LineBatch {
  batch: number;
  /** First line, included. */
  from: number;
  /** Last line, excluded. */
  to: number;
}

/**
 * Write one batch of lines of a valid-rows import, in the caller's transaction, and record it as written.
 * A customer whose email or code another customer took after the check is not written: its row becomes
 * skipped, with the reason.
 */
export async function writeImportBatch(
  trx: Trx,
  jobId: string,
  by: string,
  lines: LineBatch,
): Promise<{ created: number; skipped: number }> {
  const written = await writeStagedCustomers(trx, jobId, by, lines);
  await sql`
    INSERT INTO bulk_job_batch (merchant_id, job_id, batch, created, skipped)
    VALUES (app_current_merchant(), ${jobId}, ${lines.batch}, ${written.created}, ${written.skipped})`.execute(trx);
  await sql`UPDATE bulk_job SET rows_done = rows_done + ${written.created}, updated_at = now() WHERE id = ${jobId}`.execute(
    trx,
  );
  return written;
}

/** The batches of a job already written, and what they wrote. */
export async function writtenBatches(trx: Trx, jobId: string) {
  const { rows } = await sql<{ batch: number; created: number; skipped: number }>`
    SELECT batch, created, skipped FROM bulk_job_batch WHERE job_id = ${jobId}`.execute(trx);
  return rows;
}

/** The last staged line of a job (0 when nothing is staged). */
export async function lastStagedLine(trx: Trx, jobId: string): Promise<number> {
  const { rows } = await sql<{ last: number | null }>`
    SELECT max(line) AS last FROM import_row WHERE job_id = ${jobId}`.execute(trx);
  return rows[0]?.last ?? 0;
}

/**
 * A batch's insert, as a plain INSERT first: the dry run found every email and code free, and
 * `ON CONFLICT DO NOTHING` costs every row a speculative insertion (~8 % of a batch of 10,000 on the
 * directory data set). When a customer added since (at a till, by another import) holds an email or code
 * of the batch, the unique index refuses it: the batch is written again, leaving them out (`leftOut`).
 */
async function insertLeavingOutTaken(
  trx: Trx,
  insert: (onConflict: RawBuilder<unknown>) => RawBuilder<unknown>,
): Promise<{ inserted: number; leftOut: boolean }> {
  await sql`SAVEPOINT batch_insert`.execute(trx);
  let leftOut = false;
  let result: { numAffectedRows?: bigint };
  try {
    result = await insert(sql``).execute(trx);
  } catch (error) {
    if (uniqueViolation(error) === undefined) throw error;
    await sql`ROLLBACK TO SAVEPOINT batch_insert`.execute(trx);
    result = await insert(sql`ON CONFLICT DO NOTHING`).execute(trx);
    leftOut = true;
  }
  await sql`RELEASE SAVEPOINT batch_insert`.execute(trx);
  return { inserted: Number(result.numAffectedRows ?? 0), leftOut };
}

/**
 * The staged customers of a job (or of a batch of its lines) into the customer table, with their
 * opening balances. A batch leaves out, and marks skipped, a customer whose email or code is no longer
 * free; the whole job (all or nothing) lets the unique index refuse it, and the transaction with it.
 */
async function writeStagedCustomers(
  trx: Trx,
  jobId: string,
  by: string,
  lines: LineBatch | null,
): Promise<{ created: number; skipped: number }> {
  const inLines = lines ? sql`AND r.line >= ${lines.from} AND r.line < ${lines.to}` : sql``;
  let created = 0;
  let leftOut = false;
  // Customers with a code of their own, then those given the next code by the column's default. The staged
  // code key says which (without reading each row's JSON twice): a file with codes on every line costs a
  // scan of its batch for the second statement, not a JSON read of every row.
  for (const withCode of [true, false]) {
    const columns = sql.raw(withCode ? `${INSERTED}, code` : INSERTED);
    const values = sql.raw(
      (withCode ? `${INSERTED}, code` : INSERTED)
        .split(',')
        .map((c) => c.trim())
        // A new customer's yes/no fields are no unless the file says yes.
        .map((c) => (BOOLEANS.has(c) ? `coalesce(c.${c}, false)` : `c.${c}`))
        .join(', '),
    );
    const insert = (onConflict: RawBuilder<unknown>) => sql`
      INSERT INTO customer (merchant_id, ${columns}, group_id, source, updated_by_name)
      SELECT app_current_merchant(), ${values},
             coalesce(g.id, (SELECT id FROM customer_group WHERE is_default)), 'import', ${by}
      FROM import_row r
      CROSS JOIN LATERAL jsonb_to_record(r.customer) AS c(${CUSTOMER_COLUMNS})
      LEFT JOIN customer_group g ON r.group_name IS NOT NULL AND lower(g.name) = lower(r.group_name)
      WHERE r.job_id = ${jobId} AND r.action = 'create' AND (r.code_key IS NOT NULL) = ${withCode} ${inLines}
      ORDER BY r.line
      ${onConflict}`;
    if (lines) {
      const written = await insertLeavingOutTaken(trx, insert);
      created += written.inserted;
      leftOut ||= written.leftOut;
    } else {
      created += Number((await insert(sql``).execute(trx)).numAffectedRows ?? 0);
    }
  }
  let skipped = 0;
  // Only a batch the unique index refused has customers not written: they become skipped, with the reason.
  if (lines && leftOut) {
    const marked = await sql`
      UPDATE import_row r SET action = 'skip',
        problems = jsonb_build_array(jsonb_build_object('column', NULL::text,
          'reason', 'Another customer with this email or customer code was added after the check'))
      WHERE r.job_id = ${jobId} AND r.action = 'create' ${inLines}
        AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.id = (r.customer->>'id')::uuid)`.execute(trx);
    skipped = Number(marked.numAffectedRows ?? 0);
  }
  // Opening balances: the ledger entry and the balance beside it.
  await sql`
    INSERT INTO customer_balance (merchant_id, customer_id, loyalty_points, store_credit)
    SELECT app_current_merchant(), (r.customer->>'id')::uuid, coalesce(r.loyalty_points, 0), coalesce(r.store_credit, 0)
    FROM import_row r
    WHERE r.job_id = ${jobId} AND r.action = 'create' AND (r.loyalty_points > 0 OR r.store_credit > 0) ${inLines}`.execute(
    trx,
  );
  await sql`
    INSERT INTO balance_entry (merchant_id, id, customer_id, balance, amount, reason, note, created_by)
    SELECT app_current_merchant(), uuid_v7(), (r.customer->>'id')::uuid, b.balance, b.amount, 'import',
           'Opening balance from the import', ${by}
    FROM import_row r
    CROSS JOIN LATERAL (VALUES ('loyalty', r.loyalty_points), ('store_credit', r.store_credit)) AS b(balance, amount)
    WHERE r.job_id = ${jobId} AND r.action = 'create' AND b.amount > 0 ${inLines}`.execute(trx);
  return { created, skipped };
}

const reject = (reason: string) =>
  sql`jsonb_build_array(jsonb_build_object('column', NULL, 'reason', ${reason}::text))`;

/**
 * Find the customer each row of a modify or delete file names; reject rows that name no customer or the
 * same one as an earlier line. For a modify: keep only the fields that change (the rest: nothing to
 * do), with the changes as people read them, and reject rows whose result breaks the rules (no name,
 * email or phone; tax exempt without a number; a field the settings require; an email or code another
 * customer has).
 */
export async function resolveMatches(
  trx: Trx,
  jobId: string,
  options: { matchBy: 'id' | 'code' | 'email'; fieldNames: Record<string, string>; what: 'update' | 'delete' },
): Promise<void> {
  const { matchBy } = options;
  const condition =
    matchBy === 'id'
      ? sql`c.id::text = r.match_key`
      : matchBy === 'code'
        ? sql`lower(c.code) = r.match_key`
        : sql`lower(c.email) = r.match_key`;
  await sql`
    UPDATE import_row r SET target_id = c.id
    FROM customer c
    WHERE r.job_id = ${jobId} AND r.action = ${options.what} AND ${condition} AND c.deleted_at IS NULL`.execute(trx);
  const what = matchBy === 'id' ? 'record id' : matchBy === 'code' ? 'customer code' : 'email';
  await sql`
    UPDATE import_row SET action = 'reject', problems = ${reject(`No customer has this ${what}`)}
    WHERE job_id = ${jobId} AND action = ${options.what} AND target_id IS NULL`.execute(trx);
  await sql`
    WITH firsts AS (
      SELECT line, min(line) OVER (PARTITION BY target_id) AS first
      FROM import_row WHERE job_id = ${jobId} AND action = ${options.what}
    )
    UPDATE import_row r SET action = 'reject',
      problems = jsonb_build_array(jsonb_build_object('column', NULL,
        'reason', 'Names the same customer as line ' || f.first || ' of the file'))
    FROM firsts f WHERE r.job_id = ${jobId} AND r.line = f.line AND f.line <> f.first`.execute(trx);
  if (options.what === 'delete') return;

  // Only what changes: each field of the patch compared with the customer as they are.
  await sql`
    UPDATE import_row r SET patch = d.patch, changes = d.changes
    FROM (
      SELECT r2.line,
             jsonb_object_agg(p.key, p.value) FILTER (WHERE to_jsonb(c) -> p.key IS DISTINCT FROM p.value) AS patch,
             jsonb_object_agg(coalesce(${JSON.stringify(options.fieldNames)}::jsonb ->> p.key, p.key),
                              jsonb_build_object('from', to_jsonb(c) -> p.key, 'to', p.value))
               FILTER (WHERE to_jsonb(c) -> p.key IS DISTINCT FROM p.value
                         AND p.key NOT IN ('phone_e164', 'mobile_e164')) AS changes
      FROM import_row r2
      JOIN customer c ON c.id = r2.target_id
      CROSS JOIN LATERAL jsonb_each(coalesce(r2.patch, '{}'::jsonb)) p
      WHERE r2.job_id = ${jobId} AND r2.action = 'update'
      GROUP BY r2.line
    ) d
    WHERE r.job_id = ${jobId} AND r.line = d.line`.execute(trx);
  await sql`
    UPDATE import_row SET action = 'skip', patch = NULL, changes = NULL, problems = ${reject('Nothing to change: the customer already has these values')}
    WHERE job_id = ${jobId} AND action = 'update' AND (patch IS NULL OR patch = '{}'::jsonb OR changes IS NULL)`.execute(
    trx,
  );
  // The customer as they would be, against the rules.
  await sql`
    UPDATE import_row r SET action = 'reject', problems = jsonb_build_array(jsonb_build_object('column', NULL, 'reason',
      CASE
        WHEN n.first_name IS NULL AND n.last_name IS NULL AND n.email IS NULL AND n.phone IS NULL AND n.mobile IS NULL
          THEN 'A customer needs at least a first name, last name, email or phone'
        WHEN n.tax_exempt AND n.sales_tax_number IS NULL THEN 'A tax-exempt customer needs a sales tax number'
        WHEN m.require_first_name AND n.first_name IS NULL THEN 'First name is required (see Settings)'
        WHEN m.require_last_name AND n.last_name IS NULL THEN 'Last name is required (see Settings)'
        ELSE 'Email is required (see Settings)'
      END))
    FROM customer c
    CROSS JOIN LATERAL jsonb_populate_record(c, coalesce((SELECT patch FROM import_row x
                                                            WHERE x.job_id = ${jobId} AND x.target_id = c.id
                                                              AND x.action = 'update' LIMIT 1), '{}'::jsonb)) n
    JOIN merchant m ON m.id = c.merchant_id
    WHERE r.job_id = ${jobId} AND r.action = 'update' AND c.id = r.target_id
      AND ((n.first_name IS NULL AND n.last_name IS NULL AND n.email IS NULL AND n.phone IS NULL AND n.mobile IS NULL)
           OR (n.tax_exempt AND n.sales_tax_number IS NULL)
           OR (m.require_first_name AND n.first_name IS NULL)
           OR (m.require_last_name AND n.last_name IS NULL)
           OR (m.require_email AND n.email IS NULL))`.execute(trx);
  // A new email or code another customer (or an earlier line) has.
  for (const field of ['email', 'code'] as const) {
    await sql`
      UPDATE import_row r SET action = 'reject', problems = ${reject(`Another customer already has this ${field === 'email' ? 'email' : 'customer code'}`)}
      WHERE r.job_id = ${jobId} AND r.action = 'update' AND r.patch ? ${field} AND r.patch ->> ${field} IS NOT NULL
        AND EXISTS (SELECT 1 FROM customer o WHERE lower(o.${sql.raw(field)}) = lower(r.patch ->> ${field})
                      AND o.id <> r.target_id AND o.deleted_at IS NULL)`.execute(trx);
  }
}

/** The changes of a modify, line by line (for the dry run). */
export async function changeRows(trx: Trx, jobId: string, options: { limit: number; after?: number }) {
  const { rows } = await sql<{
    line: number;
    targetId: string;
    name: string;
    changes: Record<string, { from: unknown; to: unknown }> | null;
    action: string;
  }>`
    SELECT r.line, r.target_id AS "targetId", r.action, r.changes,
           customer_label(c.first_name, c.last_name, c.company_name, c.email, c.code) AS name
    FROM import_row r JOIN customer c ON c.id = r.target_id
    WHERE r.job_id = ${jobId} AND r.action IN ('update', 'delete') AND r.line > ${options.after ?? 0}
    ORDER BY r.line LIMIT ${options.limit}`.execute(trx);
  return rows;
}

const UPDATABLE = `code, first_name, last_name, company_name, email, phone, phone_e164, mobile, mobile_e164, website, twitter,
  birth_year, birth_month, birth_day, physical_line1, physical_line2, physical_suburb, physical_city, physical_state,
  physical_postcode, physical_country, postal_line1, postal_line2, postal_suburb, postal_city, postal_state,
  postal_postcode, postal_country, note, tax_exempt, sales_tax_number, email_marketing, sms_marketing, loyalty_opt_in`;

/**
 * Apply a modify: each matched customer gets the fields that change (a new version), and one audit event
 * with the changes field by field. In the caller's transaction. Returns how many customers changed.
 */
export async function writeModify(
  trx: Trx,
  jobId: string,
  actor: { type: string; id: string | null; name: string },
): Promise<number> {
  await sql`SELECT set_config('statement_timeout', '0', true)`.execute(trx);
  const columns = sql.raw(UPDATABLE);
  const values = sql.raw(
    UPDATABLE.split(',')
      .map((c) => `n.${c.trim()}`)
      .join(', '),
  );
  const result = await sql`
    UPDATE customer c SET (${columns}) = (SELECT ${values} FROM jsonb_populate_record(c, r.patch) n),
      version = c.version + 1, updated_at = now(), updated_by_name = ${actor.name}
    FROM import_row r
    WHERE r.job_id = ${jobId} AND r.action = 'update' AND c.id = r.target_id AND c.deleted_at IS NULL`.execute(trx);
  await sql`
    INSERT INTO audit_event (merchant_id, id, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes)
    SELECT app_current_merchant(), uuid_v7(), ${actor.type}, ${actor.id}::uuid, ${actor.name}, 'customer.updated',
           'customer', r.target_id, r.changes || jsonb_build_object('import', jsonb_build_object('from', NULL, 'to', ${jobId}::text))
    FROM import_row r WHERE r.job_id = ${jobId} AND r.action = 'update'
    ORDER BY r.line`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Apply a delete: the matched customers are soft-deleted (gone from lists and lookups, kept in reports). */
export async function writeDelete(
  trx: Trx,
  jobId: string,
  actor: { type: string; id: string | null; name: string },
): Promise<number> {
  await sql`SELECT set_config('statement_timeout', '0', true)`.execute(trx);
  const result = await sql`
    UPDATE customer c SET deleted_at = now(), updated_at = now(), version = c.version + 1, updated_by_name = ${actor.name}
    FROM import_row r
    WHERE r.job_id = ${jobId} AND r.action = 'delete' AND c.id = r.target_id AND c.deleted_at IS NULL`.execute(trx);
  await sql`
    INSERT INTO audit_event (merchant_id, id, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes)
    SELECT app_current_merchant(), uuid_v7(), ${actor.type}, ${actor.id}::uuid, ${actor.name}, 'customer.deleted',
           'customer', r.target_id, jsonb_build_object('import', ${jobId}::text)
    FROM import_row r WHERE r.job_id = ${jobId} AND r.action = 'delete'
    ORDER BY r.line`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

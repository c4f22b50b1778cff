import { createHash } from 'node:crypto';
import { CamelCasePlugin, type Compilable, type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { DB } from './schema.ts';

// bigint counts come back as numbers; dates stay Date objects.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
// A `date` column is a calendar day, not an instant: keep it as 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/**
 * Statement texts and their prepared-statement names. A prepared statement is parsed once per
 * connection and, once PostgreSQL finds a generic plan as good as fresh ones, planned once too: for
 * the short statements of a busy till, parsing and planning cost more than running them.
 */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `p${createHash('sha1').update(text).digest('base64url')}`;
    // Statements with lists of values (IN (…), multi-row inserts) vary; keep the map bounded.
    if (statementNames.size >= 5_000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

/** A connection that sends every statement with parameters as a named (prepared) statement. */
class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this passes them through.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      return super.query({ name: statementName(config), text: config, values });
    }
    return super.query(config, values, callback);
  }
}

export type Db = Kysely<DB>;

/**
 * A query of fixed shape that Kysely builds and compiles once, then runs with each call's values. For
 * the lookups made on every request (the session or token behind it), where building and compiling the
 * query cost the server more than PostgreSQL spends running it. `build` is called once with
 * `placeholders`, values that must each appear exactly once among the compiled query's parameters; each
 * call replaces them with its own values.
 */
export function compiledOnce<A extends readonly (string | number)[], R>(
  placeholders: A,
  build: (db: Db, ...args: A) => Compilable<R>,
): (db: Db, ...args: A) => Promise<R | undefined> {
  let compiled: { query: CompiledQuery<R>; slots: number[] } | undefined;
  return async (db, ...args) => {
    if (!compiled) {
      const query = build(db, ...placeholders).compile();
      const slots = query.parameters.map((value) => placeholders.indexOf(value as A[number]));
      for (const [index, placeholder] of placeholders.entries()) {
        if (slots.filter((slot) => slot === index).length !== 1)
          throw new Error(`compiledOnce: the placeholder ${String(placeholder)} is not one parameter of the query`);
      }
      compiled = { query, slots };
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((value, i) => ((slots[i] ?? -1) >= 0 ? args[slots[i] as number] : value));
    const result = await db.executeQuery<R>({ ...query, parameters });
    return result.rows[0];
  };
}
/** A connection inside a transaction (see `withMerchant`). */
export type Trx = Kysely<DB>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statement that makes the rest of a transaction run as the row-level-security role for one
 * merchant (and bounds its statements' time, or keeps them serial). The id and the timeout are written into it (so it
 * can share a round trip with what follows): only a uuid, and a whole number of ms.
 */
function enterMerchant(scope: MerchantScope): string {
  const { merchantId, statementTimeoutMs, customPlans, serial } = scope;
  if (!UUID.test(merchantId)) throw new Error(`Not a merchant id: ${merchantId}`);
  if (statementTimeoutMs !== undefined && !(Number.isInteger(statementTimeoutMs) && statementTimeoutMs > 0))
    throw new Error(`Not a statement timeout in ms: ${statementTimeoutMs}`);
  const timeout =
    statementTimeoutMs === undefined ? '' : `, set_config('statement_timeout', '${statementTimeoutMs}', true)`;
  const plans = customPlans ? `, set_config('plan_cache_mode', 'force_custom_plan', true)` : '';
  const workers = serial ? `, set_config('max_parallel_workers_per_gather', '0', true)` : '';
  return `SELECT set_config('role', 'patron_app', true), set_config('app.merchant_id', '${merchantId}', true)${timeout}${plans}${workers}`;
}

/** A merchant, and how its transaction's statements run. */
export interface MerchantScope {
  merchantId: string;
  /** How long each statement may run (tighter than the pool's 30 s). */
  statementTimeoutMs?: number;
  /**
   * Each statement planned for its own values: for reading every row that matches what a person chose (a count by a
   * list's filters, a report's totals over its dates), where the best plan depends on the values. Statements with
   * parameters are prepared (PreparingClient), and after five runs PostgreSQL may keep one generic plan made without
   * the values: counting the customers with 100 orders or more then merged a million customers with a million
   * statistics rows (1.8–2.7 s) instead of reading the 9,381 from the orders index (65–96 ms). A page read in an
   * index's order stops at its first rows and does well with a generic plan, which also saves planning it each time.
   */
  customPlans?: boolean;
  /**
   * No parallel workers: for a page of a list, which stops at its first rows. Starting workers and merging what
   * they find cost more than they save there (a page of customers with 100 orders or more by name: 68 ms with two
   * workers, 39 ms without, on two cores), and under many users the other cores are theirs.
   */
  serial?: boolean;
}

/** The scope of a read of every match of what a person chose (a count, a report's totals): planned for its values. */
export function byValues(merchantId: string): MerchantScope {
  return { merchantId, customPlans: true };
}

export interface DatabaseOptions {
  url: string;
  /** Pool size; one connection uses one PostgreSQL backend (and at most one core). */
  max?: number;
}

/**
 * The connection pool. Requests never use it directly: they go through `withMerchant`, which
 * runs their statements as the row-level-security role with the merchant set.
 */
export class Database {
  readonly pool: pg.Pool;
  /** The table owner's view: no row-level security. Only for start-up, migrations and system tasks. */
  readonly system: Db;
  /** Where the database is, for the job queue's own connections. */
  readonly url: string;

  constructor(options: DatabaseOptions) {
    this.url = options.url;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      // A statement that runs away must not hold a connection for minutes.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      // Waiting longer for a free connection than this is an outage, said as a 503, not a hang.
      connectionTimeoutMillis: 10_000,
      application_name: 'patron',
      Client: PreparingClient,
      // Each connection keeps the statements it prepared; renewing it now and then bounds that memory.
      maxUses: 20_000,
    });
    // An idle client's connection error (the server restarting) must not crash the process.
    this.pool.on('error', () => {});
    this.system = new Kysely<DB>({
      // A cursor lets large reads (CSV exports) stream in constant memory.
      dialect: new PostgresDialect({ pool: this.pool, cursor: Cursor }),
      plugins: [new CamelCasePlugin()],
    });
  }

  /**
   * Run `work` in one transaction as the merchant `merchant`: every statement in it sees only
   * that merchant's rows, even one that forgets to filter by merchant_id. A scope with a statement timeout
   * bounds each statement more tightly than the pool does (a search box must answer or fail fast).
   */
  async withMerchant<T>(merchant: string | MerchantScope, work: (trx: Trx) => Promise<T>): Promise<T> {
    // Opening the transaction, entering the merchant (and setting the timeout): one round trip, not two or three.
    const enter = enterMerchant(typeof merchant === 'string' ? { merchantId: merchant } : merchant);
    return this.system.connection().execute(async (db) => {
      await sql.raw(`BEGIN; ${enter}`).execute(db);
      let result: T;
      try {
        result = await work(db);
      } catch (error) {
        // A connection that broke cannot roll back; the original error is the one to tell.
        await sql
          .raw('ROLLBACK')
          .execute(db)
          .catch(() => {});
        throw error;
      }
      await sql.raw('COMMIT').execute(db);
      return result;
    });
  }

  /**
   * Call the SQL function `fn` with one jsonb argument as the merchant `merchantId`, in one round trip:
   * setting the merchant and the call go as one simple query, which PostgreSQL runs as one transaction
   * (an error in the function undoes all of it). For the hottest paths only: the argument is sent as
   * a quoted literal, not a parameter.
   */
  async callAsMerchant<T>(merchantId: string, fn: string, argument: unknown): Promise<T> {
    const enter = enterMerchant({ merchantId });
    if (!/^[a-z_]+$/.test(fn)) throw new Error(`Not a function name: ${fn}`);
    const client = await this.pool.connect();
    try {
      const results = (await client.query(
        `${enter}; SELECT ${fn}(${client.escapeLiteral(JSON.stringify(argument))}::jsonb) AS result`,
      )) as unknown as pg.QueryResult<{ result: T }>[];
      return results[1]?.rows[0]?.result as T;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.system.destroy();
  }
}

import { CamelCasePlugin, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { DB } from './schema.ts';

// bigint counts come back as numbers; dates stay Date objects.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
// A `date` column is a calendar day, not an instant: keep it as 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;

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

  constructor(options: DatabaseOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      // A statement that runs away must not hold a connection for minutes.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      // Waiting longer for a free connection than this is an outage, said as a 503, not a hang.
      connectionTimeoutMillis: 10_000,
      application_name: 'patron',
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
   * Run `work` in one transaction as the merchant `merchantId`: every statement in it sees only
   * that merchant's rows, even one that forgets to filter by merchant_id.
   */
  async withMerchant<T>(merchantId: string, work: (trx: Trx) => Promise<T>): Promise<T> {
    return this.system.transaction().execute(async (trx) => {
      await sql`SELECT set_config('role', 'patron_app', true), set_config('app.merchant_id', ${merchantId}, true)`.execute(
        trx,
      );
      return work(trx);
    });
  }

  async close(): Promise<void> {
    await this.system.destroy();
  }
}

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/database.ts';
import { createMerchant } from '../../features/merchants/merchant.service.ts';
import { byValues, compiledOnce, Database, type Trx } from './database.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test?.drop();
});

describe('the connection', () => {
  it('goes through the embedded server’s Unix socket when there is one', async () => {
    const { rows } = await sql<{ address: string | null }>`SELECT inet_server_addr() AS address`.execute(
      test.database.system,
    );
    const throughSocket = new URL(test.url).searchParams.has('host');
    // Through a Unix socket the server has no address; over TCP it is 127.0.0.1.
    expect(rows[0]?.address ?? null).toBe(throughSocket ? null : '127.0.0.1');
    if (!process.env.TEST_DATABASE_URL) expect(throughSocket).toBe(true);
  });
});

describe('withMerchant', () => {
  it('bounds each statement of a scope with a timeout, and only that transaction', async () => {
    const merchantId = await createMerchant(test.database, { name: 'Gamma Grocer' });
    // One connection, so the transaction after the scope runs where the timeout was set.
    const one = new Database({ url: test.url, max: 1 });
    try {
      const slow = (trx: Trx) => sql`SELECT pg_sleep(0.3)`.execute(trx);
      await expect(one.withMerchant({ merchantId, statementTimeoutMs: 100 }, slow)).rejects.toMatchObject({
        code: '57014', // query_canceled: canceling statement due to statement timeout
      });
      // The next transaction on that connection has the pool's limit again.
      await expect(one.withMerchant(merchantId, slow)).resolves.toBeDefined();
      const { rows } = await one.withMerchant({ merchantId, statementTimeoutMs: 2000 }, (trx) =>
        sql<{ merchant: string; timeout: string }>`
          SELECT app_current_merchant()::text AS merchant, current_setting('statement_timeout') AS timeout`.execute(
          trx,
        ),
      );
      // The merchant is entered as with a plain id.
      expect(rows[0]).toEqual({ merchant: merchantId, timeout: '2s' });
      const after = await one.withMerchant(merchantId, (trx) =>
        sql<{ timeout: string }>`SELECT current_setting('statement_timeout') AS timeout`.execute(trx),
      );
      expect(after.rows[0]?.timeout).toBe('30s');
      // A timeout that is no whole number of ms above zero is a programming error, not a query.
      await expect(one.withMerchant({ merchantId, statementTimeoutMs: 0 }, slow)).rejects.toThrow(/statement timeout/);
    } finally {
      await one.close();
    }
  });

  it('plans a scope read by values for its values, and runs a serial one without parallel workers, in that transaction only', async () => {
    const merchantId = await createMerchant(test.database, { name: 'Delta Deli' });
    const one = new Database({ url: test.url, max: 1 });
    const settings = (trx: Trx) =>
      sql<{ plans: string; workers: string; merchant: string }>`
        SELECT current_setting('plan_cache_mode') AS plans,
               current_setting('max_parallel_workers_per_gather') AS workers,
               app_current_merchant()::text AS merchant`
        .execute(trx)
        .then(({ rows }) => rows[0]);
    try {
      const before = await one.withMerchant(merchantId, settings);
      expect(before).toMatchObject({ plans: 'auto', merchant: merchantId });
      expect(Number(before?.workers)).toBeGreaterThan(0);
      expect(await one.withMerchant(byValues(merchantId), settings)).toEqual({ ...before, plans: 'force_custom_plan' });
      expect(await one.withMerchant({ merchantId, serial: true }, settings)).toEqual({ ...before, workers: '0' });
      // The next transaction on that connection is as before: PostgreSQL's choice of plan, workers allowed.
      expect(await one.withMerchant(merchantId, settings)).toEqual(before);
    } finally {
      await one.close();
    }
  });
});

describe('compiledOnce', () => {
  it('runs a query compiled once with each call’s own values', async () => {
    const a = await createMerchant(test.database, { name: 'Alpha Café' });
    const b = await createMerchant(test.database, { name: 'Beta Bar' });
    const find = compiledOnce(['\u0000id', -1], (db, id: string, minLength: number) =>
      db
        .selectFrom('merchant')
        .select(['merchant.name', 'merchant.createdAt'])
        .where('merchant.id', '=', id)
        .where(sql<number>`length(merchant.name)`, '>', minLength),
    );
    expect(await find(test.database.system, a, 3)).toMatchObject({ name: 'Alpha Café' });
    expect(await find(test.database.system, b, 3)).toMatchObject({ name: 'Beta Bar' });
    // The second value is a parameter too: a length the name does not reach finds nothing.
    expect(await find(test.database.system, b, 20)).toBeUndefined();
    // Column names come back camelCased, as from any other query.
    expect(Object.keys((await find(test.database.system, a, 0)) ?? {})).toEqual(['name', 'createdAt']);
  });

  it('refuses a placeholder that is not exactly one parameter of the query', async () => {
    // The second value is never used by the query: it would be silently ignored.
    const find = compiledOnce(['\u0000id', -1], (db, id: string, _ignored: number) =>
      db.selectFrom('merchant').select('name').where('id', '=', id),
    );
    await expect(find(test.database.system, 'x', 1)).rejects.toThrow('the placeholder -1 is not one parameter');
  });
});

import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/database.ts';
import { createMerchant } from '../../features/merchants/merchant.service.ts';

let t: TestDatabase;
let shopA: string;
let shopB: string;

async function addCustomer(merchantId: string, firstName: string): Promise<string> {
  const id = uuidv7();
  await t.database.withMerchant(merchantId, async (trx) => {
    const group = await trx
      .selectFrom('customerGroup')
      .select('id')
      .where('isDefault', '=', true)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('customer')
      .values({
        merchantId,
        id,
        firstName,
        lastName: null,
        companyName: null,
        email: null,
        phone: null,
        groupId: group.id,
        source: 'api',
      } as never)
      .execute();
  });
  return id;
}

beforeAll(async () => {
  t = await createTestDatabase();
  shopA = await createMerchant(t.database, { name: 'Shop A' });
  shopB = await createMerchant(t.database, { name: 'Shop B' });
  await addCustomer(shopA, 'Alice');
  await addCustomer(shopB, 'Bob');
});
afterAll(async () => {
  await t?.drop();
});

describe('row-level security', () => {
  it('shows a query that forgets the merchant filter only its own merchant rows', async () => {
    const names = await t.database.withMerchant(shopA, (trx) =>
      trx.selectFrom('customer').select('firstName').execute(),
    );
    expect(names.map((r) => r.firstName)).toEqual(['Alice']);
    const merchants = await t.database.withMerchant(shopB, (trx) =>
      trx.selectFrom('merchant').select('name').execute(),
    );
    expect(merchants.map((r) => r.name)).toEqual(['Shop B']);
  });

  it('searches only the current merchant, and nothing when no merchant is set', async () => {
    const bobSearch = await t.database.withMerchant(shopA, (trx) =>
      sql<{ id: string }>`SELECT id FROM search_customer_ids('bob', ARRAY['bob'], '{}'::text[], NULL, 10)`.execute(trx),
    );
    expect(bobSearch.rows).toEqual([]);
    const aliceSearch = await t.database.withMerchant(shopA, (trx) =>
      sql<{ id: string }>`SELECT id FROM search_customer_ids('alice', ARRAY['alice'], '{}'::text[], NULL, 10)`.execute(
        trx,
      ),
    );
    expect(aliceSearch.rows).toHaveLength(1);
    const nobody = await t.database.system.transaction().execute(async (trx) => {
      await sql`SET LOCAL ROLE patron_app`.execute(trx);
      return sql<{
        id: string;
      }>`SELECT id FROM search_customer_ids('alice', ARRAY['alice'], '{}'::text[], NULL, 10)`.execute(trx);
    });
    expect(nobody.rows).toEqual([]);
  });

  it('shows nothing at all when no merchant is set', async () => {
    const rows = await t.database.system.transaction().execute(async (trx) => {
      await sql`SET LOCAL ROLE patron_app`.execute(trx);
      return trx.selectFrom('customer').select('firstName').execute();
    });
    expect(rows).toEqual([]);
  });

  it('guards every table, with the merchant read once a query rather than once a row', async () => {
    const tables = await sql<{ table: string; forced: boolean; using: string | null; check: string | null }>`
      SELECT c.relname AS table, c.relrowsecurity AS forced,
             pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS check
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
      LEFT JOIN pg_policy p ON p.polrelid = c.oid AND p.polname = 'merchant_isolation'
      WHERE c.relkind = 'r' AND c.relrowsecurity`.execute(t.database.system);
    expect(tables.rows.length).toBeGreaterThan(20);
    // A scalar subquery is an InitPlan: evaluated once; a bare app_current_merchant() is evaluated per row.
    const once = /^\((merchant_)?id = \( SELECT app_current_merchant\(\) AS app_current_merchant\)\)$/;
    for (const row of tables.rows) {
      expect({ table: row.table, using: row.using, check: row.check }).toEqual({
        table: row.table,
        using: expect.stringMatching(once),
        check: expect.stringMatching(once),
      });
    }
    const plan = await t.database.withMerchant(shopA, (trx) =>
      sql<{ 'QUERY PLAN': string }>`EXPLAIN (COSTS OFF) SELECT first_name FROM customer`.execute(trx),
    );
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/InitPlan/);
  });

  it("cannot write a row into another merchant, nor change or delete another merchant's rows", async () => {
    await expect(addCustomerAs(shopA, shopB)).rejects.toThrow(/row-level security/);
    const changed = await t.database.withMerchant(shopA, (trx) =>
      trx.updateTable('customer').set({ firstName: 'Hacked' }).where('firstName', '=', 'Bob').executeTakeFirst(),
    );
    expect(changed.numUpdatedRows).toBe(0n);
    const deleted = await t.database.withMerchant(shopA, (trx) =>
      trx.deleteFrom('customer').where('firstName', '=', 'Bob').executeTakeFirst(),
    );
    expect(deleted.numDeletedRows).toBe(0n);
    const bob = await t.database.withMerchant(shopB, (trx) => trx.selectFrom('customer').select('firstName').execute());
    expect(bob.map((r) => r.firstName)).toEqual(['Bob']);
  });
});

/** Acting as `actingAs`, try to insert a customer that belongs to `target`. */
async function addCustomerAs(actingAs: string, target: string) {
  await t.database.withMerchant(actingAs, async (trx) => {
    const group = await trx
      .selectFrom('customerGroup')
      .select('id')
      .where('isDefault', '=', true)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('customer')
      .values({ merchantId: target, id: uuidv7(), firstName: 'Mallory', groupId: group.id, source: 'api' } as never)
      .execute();
  });
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createMerchant } from '../../features/merchants/merchant.service.ts';
import { Database } from './database.ts';
import { migrateToLatest, verifyAppRole } from './migrate.ts';

/**
 * DATABASE_URL may name an ordinary (non-superuser) owner of the database, as a managed PostgreSQL
 * gives. Migrations must work for it, and row-level security must hold for it too.
 */
const suffix = randomBytes(4).toString('hex');
const owner = `patron_owner_${suffix}`;
const dbName = `external_${suffix}`;
const password = randomBytes(12).toString('hex');
let database: Database | undefined;

async function asAdmin(statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

afterAll(async () => {
  await database?.close();
  await asAdmin([`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`, `DROP ROLE IF EXISTS ${owner}`]);
});

describe('an external PostgreSQL with an ordinary owner', () => {
  it('migrates, is told how to fix a missing grant, and keeps merchants apart', async () => {
    await asAdmin([`CREATE ROLE ${owner} LOGIN PASSWORD '${password}'`, `CREATE DATABASE ${dbName} OWNER ${owner}`]);
    const url = new URL(inject('pgAdminUrl'));
    url.username = owner;
    url.password = password;
    url.pathname = `/${dbName}`;
    database = new Database({ url: url.toString() });

    // patron_app exists already (the cluster's other databases made it) and this owner may not grant it.
    await migrateToLatest(database.system);
    await expect(verifyAppRole(database.system)).rejects.toThrow(`GRANT patron_app TO "${owner}"`);

    await asAdmin([`GRANT patron_app TO ${owner}`]);
    await verifyAppRole(database.system);
    const a = await createMerchant(database, { name: 'A' });
    const b = await createMerchant(database, { name: 'B' });
    const seenByA = await database.withMerchant(a, (trx) => trx.selectFrom('merchant').select('name').execute());
    expect(seenByA).toEqual([{ name: 'A' }]);
    const seenByB = await database.withMerchant(b, (trx) => trx.selectFrom('customerGroup').select('name').execute());
    expect(seenByB).toEqual([{ name: 'All Customers' }]);
  });
});

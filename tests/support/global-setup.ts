import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { Database } from '../../src/platform/db/database.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/platform/db/embedded-postgres.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { migrateQueue } from '../../src/platform/jobs/queue.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance database of the test server, for creating one database per test file. */
    pgAdminUrl: string;
    /** A migrated database that each test file's database is cloned from. */
    templateDatabase: string;
  }
}

const TEMPLATE = 'patron_template';

/**
 * One real PostgreSQL for the whole run (embedded, or TEST_DATABASE_URL's server), a migrated
 * template database, the built web UI for the browser tests and the built server for `npm start`.
 */
export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, '../..');
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-if-stale.mjs')], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('Building the web UI or the server failed');

  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'patron-test-'));
    fs.chmodSync(dataDir, 0o755);
    // Durability is not what these tests are about: trade it for speed.
    embedded = await startEmbeddedPostgres({
      dataDir,
      database: 'postgres',
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' },
    });
    adminUrl = embedded.adminUrl;
  }

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  const database = new Database({ url: templateUrl.toString(), max: 1 });
  await migrateToLatest(database.system);
  await migrateQueue(templateUrl.toString());
  await database.close();

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);

  return async () => {
    await embedded?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

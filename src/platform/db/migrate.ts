import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Db } from './database.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Plain SQL files, applied in the order of their names (`0001_…sql`, `0002_…sql`). */
class SqlFileMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await fs.readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      migrations[file.replace(/\.sql$/, '')] = {
        up: async (db) => {
          // Rewriting a table or building an index over a million customers takes longer than a
          // request may: no statement time limit while migrating.
          await sql.raw(`SET LOCAL statement_timeout = 0;\n${text}`).execute(db);
        },
      };
    }
    return migrations;
  }
}

export class MigrationError extends Error {}

/**
 * Apply every pending migration in one transaction (all or none), recorded in `patron_migration`.
 * Concurrent starts wait on Kysely's migration lock, so each migration runs once.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new SqlFileMigrationProvider(),
    migrationTableName: 'patron_migration',
    migrationLockTableName: 'patron_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? ''} failed, nothing was applied: ${(error as Error).message ?? error}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations that exist as files but are not yet recorded as applied. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new SqlFileMigrationProvider(),
    migrationTableName: 'patron_migration',
    migrationLockTableName: 'patron_migration_lock',
  });
  const all = await migrator.getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

/**
 * Requests run as the role patron_app (row-level security applies to it); the connecting user must be
 * allowed to switch to it. Say how to fix it rather than fail on the first request.
 */
export async function verifyAppRole(db: Db): Promise<void> {
  const { rows } = await sql<{ user: string; member: boolean }>`
    SELECT current_user AS user, pg_has_role(current_user, 'patron_app', 'MEMBER') AS member`.execute(db);
  const row = rows[0];
  if (!row?.member) {
    throw new MigrationError(
      `The database user "${row?.user}" may not act as the role patron_app. As an administrator, run: GRANT patron_app TO "${row?.user}";`,
    );
  }
}

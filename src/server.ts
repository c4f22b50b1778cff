import { AuthService } from './features/auth/auth.service.ts';
import { schedulePointsExpiry } from './features/balances/balance.service.ts';
import { type Config, ConfigError, loadConfig } from './platform/config.ts';
import { Database } from './platform/db/database.ts';
import {
  type EmbeddedDatabase,
  EmbeddedDatabaseError,
  startEmbeddedPostgres,
} from './platform/db/embedded-postgres.ts';
import { MigrationError, migrateToLatest, verifyAppRole } from './platform/db/migrate.ts';
import { buildApp } from './platform/http/app.ts';

/** `npm start`: the database (embedded unless DATABASE_URL is set), migrations, then the HTTP server. */
async function main(): Promise<void> {
  const started = performance.now();
  const say = (message: string) => process.stdout.write(`${message}\n`);
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    say(error.message);
    process.exit(1);
  }

  let embedded: EmbeddedDatabase | undefined;
  let database: Database | undefined;
  let closing = false;
  let stopTimers: (() => void) | undefined;

  const shutdown = async (exitCode: number) => {
    if (closing) return;
    closing = true;
    stopTimers?.();
    await app?.close().catch(() => {});
    await database?.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      say(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping Patron…`);
      void shutdown(0);
    });
  }

  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    let url = config.databaseUrl;
    if (!url) {
      say(`Starting the embedded PostgreSQL (data in ${config.dataDir})…`);
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, settings: config.postgresSettings });
      url = embedded.url;
    }
    database = new Database({ url });
    const applied = await migrateToLatest(database.system);
    if (applied.length > 0) say(`Applied ${applied.length} migration(s): ${applied.join(', ')}`);
    await verifyAppRole(database.system);
    app = await buildApp({
      database,
      logger: { level: config.logLevel },
      logRequests: config.logRequests,
      trustProxy: config.trustProxy,
      jobs: true,
    });
    await app.listen({ port: config.port, host: config.host });
    const log = app.log;
    stopTimers = schedulePointsExpiry(database, (error) => log.error({ err: error }, 'Points expiry failed'));
    const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const port = (app.server.address() as { port: number }).port;
    // One write with the first-run hint, so it is never later than the line people and scripts wait for.
    const ready = `Patron is ready on http://${shown}:${port} (${Math.round(performance.now() - started)} ms)`;
    const firstRun = `First run: open http://${shown}:${port} to create your business and its owner account (or run npm run demo).`;
    say((await new AuthService(database).needsSetup()) ? `${ready}\n${firstRun}` : ready);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      say(`Port ${config.port} is already in use: set PORT to another port, e.g. PORT=3001 npm start`);
    } else if (e.code === 'EACCES' && e.syscall === 'listen') {
      say(`Port ${config.port} needs more privileges: set PORT to a port above 1023, e.g. PORT=3001 npm start`);
    } else if (
      error instanceof ConfigError ||
      error instanceof EmbeddedDatabaseError ||
      error instanceof MigrationError
    ) {
      say(error.message);
    } else if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === '28P01' || e.code === '3D000') {
      say(`Cannot connect to the database at DATABASE_URL: ${e.message}`);
    } else {
      console.error(error);
    }
    await shutdown(1);
  }
}

void main();

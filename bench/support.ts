import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/platform/config.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';

/** The built server, as `npm start` runs it. */
const SERVER_SCRIPT = 'dist/server/server.js';

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * The benchmark's own database: BENCH_DATABASE_URL if set, else an embedded server in `dataDir`
 * (default PATRON_BENCH_DIR, else ./data/bench).
 */
export async function openBenchDatabase(
  dataDir = process.env.PATRON_BENCH_DIR ?? 'data/bench',
): Promise<BenchDatabase> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({
    dataDir: path.resolve(dataDir),
    database: 'patron_bench',
    // As `npm start` runs it: sized for the machine (serverSettingsFor), with PATRON_POSTGRES_SETTINGS over that.
    settings: {
      ...loadConfig().postgresSettings,
      // BENCH_PROFILE=1: collect per-statement time and planning time (see docs/benchmarks.md).
      ...(process.env.BENCH_PROFILE
        ? {
            shared_preload_libraries: 'pg_stat_statements',
            'pg_stat_statements.track': 'all',
            'pg_stat_statements.track_planning': 'on',
          }
        : {}),
    },
  });
  return embedded;
}

export interface Row {
  name: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Run `work` `count` times one after another (plus 10 warm-up runs), and give the latency percentiles in ms. */
export async function measure(name: string, count: number, work: (i: number) => Promise<unknown>): Promise<Row> {
  for (let i = 0; i < 10; i++) await work(i);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await work(i + 10);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    name,
    count,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times.at(-1) ?? 0,
  };
}

export function printTable(title: string, rows: Row[]): void {
  const ms = (v: number) => v.toFixed(1);
  const lines = [
    `### ${title}`,
    '',
    `Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; requests one at a time through HTTP on 127.0.0.1.`,
    '',
    '| what | requests | p50 ms | p95 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.count} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} |`),
    '',
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

export interface BenchServer {
  base: string;
  /** The server's process (node itself: no launcher in between), for its memory. */
  pid: number;
  /** Headers of the signed-in owner: session cookie and CSRF token. */
  session: { cookie: string; 'x-csrf-token': string };
  stop(): void;
}

/**
 * Patron in its own process against the benchmark database, as in production (the load generator
 * must not share its CPU time), with the bench owner signed in.
 */
export async function startBenchServer(
  databaseUrl: string,
  owner: { email: string; password: string },
): Promise<BenchServer> {
  const port = await freePort();
  // The server as `npm start` runs it: compiled to JavaScript (built first if its sources changed).
  const build = spawnSync(process.execPath, [path.resolve('scripts/build-if-stale.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, PATRON_SKIP_WEB_BUILD: '1' },
  });
  if (build.status !== 0) throw new Error('Building the server failed');
  const server: ChildProcess = spawn(
    process.execPath,
    // BENCH_SERVER_ARGS: extra node flags for the server, e.g. --cpu-prof to see where its time goes.
    [
      ...(process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? []),
      // As in package.json's start script.
      `--max-old-space-size=${process.env.PATRON_HEAP_MB ?? 512}`,
      '--enable-source-maps',
      path.resolve(SERVER_SCRIPT),
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        PATRON_SKIP_WEB_BUILD: '1',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) =>
    server.stdout?.on('data', (c: Buffer) => c.toString().includes('ready') && resolve()),
  );
  const base = `http://127.0.0.1:${port}`;
  const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(owner),
  });
  const session = {
    cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string,
    'x-csrf-token': ((await signIn.json()) as { csrfToken: string }).csrfToken,
  };
  return { base, pid: server.pid as number, session, stop: () => server.kill('SIGTERM') };
}

/** A process's resident memory, in MB (from /proc). */
export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** CPU time (user + system) a process has used so far, in seconds (from /proc; Linux clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  // The fields after the command name, which is in parentheses and may contain spaces.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU time used so far by every PostgreSQL process on this machine (the benchmark's server is the only one),
 * ended ones included: a backend that exits (a connection closed during the run) leaves its time in its
 * postmaster's children's time, so the total never goes backwards.
 */
export function postgresCpuSeconds(): number {
  const postgres = new Set<number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') postgres.add(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  let total = 0;
  for (const pid of postgres) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total += (Number(fields[11]) + Number(fields[12])) / 100;
      // The postmaster (its parent is not PostgreSQL): add the time of the children it has reaped.
      if (!postgres.has(Number(fields[1]))) total += (Number(fields[13]) + Number(fields[14])) / 100;
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/**
 * Where the CPU went from the meter's making to `perUnit`: the server, PostgreSQL, and this process (the
 * load generator), in ms per unit of work. On a 2-core machine the three share the same cores.
 */
export function cpuMeter(serverPid: number) {
  const read = () => {
    const own = process.cpuUsage();
    return { server: cpuSeconds(serverPid), postgres: postgresCpuSeconds(), load: (own.user + own.system) / 1e6 };
  };
  const start = read();
  return {
    perUnit(units: number): { server: number; postgres: number; load: number; total: number } {
      const end = read();
      const ms = (key: 'server' | 'postgres' | 'load') => ((end[key] - start[key]) * 1000) / units;
      const server = ms('server');
      const postgres = ms('postgres');
      const load = ms('load');
      return { server, postgres, load, total: server + postgres + load };
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

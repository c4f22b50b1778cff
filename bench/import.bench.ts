// `npm run bench -- import`: a realistic file of new customers (BENCH_IMPORT_ROWS, default 1,000,000, one row in
// 500 bad) imported end to end through the API — upload, dry run, commit of the valid rows — into a copy of the
// directory data set (1,000,000 customers already there; the copy keeps the data set as the other benchmarks
// expect it), beside the physical limit measured in the same run: a bare `COPY` of the same rows into the same
// table with the same indexes and triggers, on one connection, rolled back. Also the server's resident memory,
// sampled from /proc every 50 ms, before and at its peak.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { v7 as uuidv7 } from 'uuid';
import { openDirectoryDataset, person } from './dataset.ts';
import { rssMb, startBenchServer } from './support.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);

export interface ImportRow {
  name: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  note: string;
}

function withDatabase(url: string, name: string): string {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

/**
 * The import file (as a merchant would upload it) and the same rows as the customer table's COPY input, made once
 * and kept in data/. New people: numbers after the directory's, so none is already a customer.
 */
async function makeFiles(merchantId: string, groupId: string): Promise<{ csv: string; copy: string }> {
  const dir = path.resolve('data');
  const csv = path.join(dir, `bench-import-${ROWS}.csv`);
  const copy = path.join(dir, `bench-import-${ROWS}.copy.csv`);
  if (fs.existsSync(csv) && fs.existsSync(copy)) return { csv, copy };
  process.stdout.write(`Writing the import file (${ROWS.toLocaleString('en')} rows)…\n`);
  const upload = stringify({
    header: true,
    columns: ['First name', 'Last name', 'Company', 'Email', 'Phone', 'City', 'Country', 'Customer code'],
  });
  const bare = stringify();
  const out1 = fs.createWriteStream(`${csv}.part`);
  const out2 = fs.createWriteStream(`${copy}.part`);
  upload.pipe(out1);
  bare.pipe(out2);
  for (let i = 0; i < ROWS; i++) {
    const p = person(2_000_000 + i);
    const bad = i % 500 === 499;
    const email = bad ? `not-an-email-${i}` : p.email;
    const phone = i % 1000 === 999 ? '4.41234E+11' : p.phone;
    const code = `N${String(i).padStart(7, '0')}`;
    const ok1 = upload.write([p.first, p.last, p.company ?? '', email ?? '', phone ?? '', p.city, p.country, code]);
    bare.write([
      merchantId,
      uuidv7(),
      p.first,
      p.last,
      p.company ?? '',
      p.email ?? '',
      p.phone ?? '',
      p.e164 ?? '',
      p.city,
      p.country,
      code,
      groupId,
      'import',
      'Bench',
    ]);
    if (!ok1) await new Promise<void>((resolve) => out1.once('drain', () => resolve()));
  }
  upload.end();
  bare.end();
  await Promise.all([
    new Promise<void>((r) => out1.on('finish', () => r())),
    new Promise<void>((r) => out2.on('finish', () => r())),
  ]);
  fs.renameSync(`${csv}.part`, csv);
  fs.renameSync(`${copy}.part`, copy);
  return { csv, copy };
}

/** The COPY input split in two halves (no field holds a line break), for two streams at once. */
function halves(file: string): [string, string] {
  const a = `${file}.1of2`;
  const b = `${file}.2of2`;
  if (!fs.existsSync(a) || !fs.existsSync(b)) {
    const text = fs.readFileSync(file, 'utf8');
    const middle = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
    fs.writeFileSync(a, text.slice(0, middle));
    fs.writeFileSync(b, text.slice(middle));
  }
  return [a, b];
}

/**
 * The physical limit: the same rows straight into the customer table by COPY, in transactions rolled
 * back, on one connection or on two at once (each with half of the rows).
 */
async function bareCopy(url: string, files: string[]): Promise<number> {
  const clients = files.map(() => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    await Promise.all(clients.map((c) => c.query('BEGIN; SET LOCAL statement_timeout = 0')));
    const started = performance.now();
    await Promise.all(
      files.map((file, i) =>
        pipeline(
          fs.createReadStream(file),
          (clients[i] as pg.Client).query(
            copyFrom(`COPY customer (merchant_id, id, first_name, last_name, company_name, email, phone, phone_e164,
                   physical_city, physical_country, code, group_id, source, updated_by_name)
                  FROM STDIN WITH (FORMAT csv, NULL '')`),
          ),
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(clients.map((c) => c.query('ROLLBACK')));
    return seconds;
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** VACUUM of the tables a rolled-back COPY into customer leaves dead rows in; returns the seconds it took. */
async function vacuumDirectory(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await client.query('VACUUM customer, customer_stats, customer_name_word');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/**
 * What autovacuum works on, sampled every second: seconds seen per table since the last `take()`.
 * Noise of a step, named in its note (this machine has two cores, and autovacuum takes its share).
 */
function autovacuumSampler(url: string): { take(): string; stop(): Promise<void> } {
  const client = new pg.Client({ connectionString: url });
  // Only a note about noise: a lost connection ends the sampling, never the benchmark.
  client.on('error', () => {});
  const seen = new Map<string, number>();
  let stopped = false;
  let failed = false;
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const { rows } = await client.query<{ relation: string }>(
        'SELECT relid::regclass::text AS relation FROM pg_stat_progress_vacuum WHERE datname = current_database()',
      );
      for (const { relation } of rows) seen.set(relation, (seen.get(relation) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })().catch(() => {
    failed = true;
  });
  return {
    take() {
      const text = [...seen].map(([relation, seconds]) => `${relation} ~${seconds} s`).join(', ');
      seen.clear();
      return `autovacuum: ${failed ? 'not sampled (connection lost)' : text || 'none'}`;
    },
    async stop() {
      stopped = true;
      await loop;
      await client.end().catch(() => {});
    },
  };
}

interface Job {
  id: string;
  status: string;
  counts: { create: number; reject: number; skip: number } | null;
  result: { created: number } | null;
  error: string | null;
  progress: { rowsDone: number; rowsTotal: number | null };
}

export async function runImportBench(): Promise<ImportRow[]> {
  const dataset = await openDirectoryDataset();
  const source = new URL(dataset.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: withDatabase(dataset.url, 'postgres') });
  await admin.connect();
  const rows: ImportRow[] = [];
  try {
    await admin.query('DROP DATABASE IF EXISTS bench_import WITH (FORCE)');
    process.stdout.write('Copying the directory database for the import…\n');
    await admin.query(`CREATE DATABASE bench_import TEMPLATE ${source} STRATEGY = FILE_COPY`);
    const url = withDatabase(dataset.url, 'bench_import');
    const group = dataset.groups.find((g) => g.name === 'All Customers') ?? dataset.groups[0];
    const files = await makeFiles(dataset.merchantId, group?.id as string);

    for (const streams of [1, 2]) {
      const copySeconds = await bareCopy(url, streams === 1 ? [files.copy] : halves(files.copy));
      // The rolled-back rows are the benchmark's own garbage: cleared before the next step, so that neither
      // the next COPY nor the import shares the machine with autovacuum clearing them.
      const vacuumSeconds = await vacuumDirectory(url);
      rows.push({
        name: `bare COPY into customer (same indexes, rolled back), ${streams === 1 ? 'one stream' : 'two streams'}`,
        rows: ROWS,
        seconds: copySeconds,
        rowsPerSecond: ROWS / copySeconds,
        note: `${streams === 1 ? 'one connection' : 'two connections, half the rows each'}; then VACUUM of the rolled-back rows, ${vacuumSeconds.toFixed(0)} s (not counted)`,
      });
    }

    const server = await startBenchServer(url, dataset.owner);
    const pid = server.pid;
    let peak = rssMb(pid);
    const before = peak;
    // The peak of each step, and of the whole.
    let stepPeak = peak;
    const sampler = setInterval(() => {
      const now = rssMb(pid);
      peak = Math.max(peak, now);
      stepPeak = Math.max(stepPeak, now);
    }, 50);
    const vacuums = autovacuumSampler(url);
    const endStep = () => {
      const value = stepPeak;
      stepPeak = rssMb(pid);
      return `peak RSS ${value.toFixed(0)} MB; ${vacuums.take()}`;
    };
    try {
      const get = async (id: string) =>
        (await (await fetch(`${server.base}/api/v1/imports/${id}`, { headers: server.session })).json()) as Job;
      // When the dry run has read and staged the whole file: its progress then counts every row (the total is
      // estimated from the bytes read until the end), and what is left are the checks over the whole file.
      let stagedAt: number | undefined;
      const until = async (id: string, running: string) => {
        for (;;) {
          const job = await get(id);
          if (job.status !== running) return job;
          const { rowsDone, rowsTotal } = job.progress;
          if (running === 'validating' && stagedAt === undefined && rowsDone > 0 && rowsDone === rowsTotal) {
            stagedAt = performance.now();
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      };
      const started = performance.now();
      const uploaded = await new Promise<Job>((resolve, reject) => {
        const request = http.request(
          `${server.base}/api/v1/imports?fileName=bench.csv`,
          { method: 'POST', headers: { ...server.session, 'content-type': 'text/csv' } },
          (response) => {
            let body = '';
            response.on('data', (c) => {
              body += c;
            });
            response.on('end', () =>
              response.statusCode === 202 ? resolve(JSON.parse(body) as Job) : reject(new Error(body)),
            );
          },
        );
        request.on('error', reject);
        fs.createReadStream(files.csv).pipe(request);
      });
      const uploadedAt = performance.now();
      const uploadPeak = endStep();
      const checked = await until(uploaded.id, 'validating');
      const checkedAt = performance.now();
      const checkPeak = endStep();
      if (checked.status !== 'validated') throw new Error(`The dry run ended ${checked.status}: ${checked.error}`);
      const commit = await fetch(`${server.base}/api/v1/imports/${uploaded.id}/commit`, {
        method: 'POST',
        headers: { ...server.session, 'content-type': 'application/json' },
        body: JSON.stringify({ mode: 'valid' }),
      });
      if (commit.status !== 202) throw new Error(`Commit: ${commit.status} ${await commit.text()}`);
      const done = await until(uploaded.id, 'committing');
      const doneAt = performance.now();
      const commitPeak = endStep();
      if (done.status !== 'done') throw new Error(`The commit ended ${done.status}: ${done.error}`);
      const s = (a: number, b: number) => (b - a) / 1000;
      const counts = checked.counts;
      rows.push(
        {
          name: 'import: upload (stored in PostgreSQL)',
          rows: ROWS,
          seconds: s(started, uploadedAt),
          rowsPerSecond: ROWS / s(started, uploadedAt),
          note: `${(fs.statSync(files.csv).size / 1e6).toFixed(0)} MB; ${uploadPeak}`,
        },
        {
          name: 'import: dry run (every row checked)',
          rows: ROWS,
          seconds: s(uploadedAt, checkedAt),
          rowsPerSecond: ROWS / s(uploadedAt, checkedAt),
          note: `${counts?.create} to create, ${counts?.reject} rejected; ${checkPeak}`,
        },
        ...(stagedAt === undefined
          ? []
          : [
              {
                name: 'dry run, of which: every row read, checked and staged',
                rows: ROWS,
                seconds: s(uploadedAt, stagedAt),
                rowsPerSecond: ROWS / s(uploadedAt, stagedAt),
                note: 'the job thread reads, worker threads check',
              },
              {
                name: 'dry run, of which: checks over the whole file',
                rows: ROWS,
                seconds: s(stagedAt, checkedAt),
                rowsPerSecond: ROWS / s(stagedAt, checkedAt),
                note: 'the same email or code twice, against the directory',
              },
            ]),
        {
          name: 'import: commit (valid rows, in batches on two connections)',
          rows: done.result?.created ?? 0,
          seconds: s(checkedAt, doneAt),
          rowsPerSecond: (done.result?.created ?? 0) / s(checkedAt, doneAt),
          note: commitPeak,
        },
        {
          name: 'import: end to end',
          rows: ROWS,
          seconds: s(started, doneAt),
          rowsPerSecond: ROWS / s(started, doneAt),
          note: `server RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB`,
        },
      );
    } finally {
      clearInterval(sampler);
      server.stop();
      await vacuums.stop();
    }
  } finally {
    await admin.query('DROP DATABASE IF EXISTS bench_import WITH (FORCE)').catch(() => {});
    await admin.end();
    await dataset.stop();
  }
  return rows;
}

export function printImportTable(rows: ImportRow[]): void {
  process.stdout.write(`\nImport of ${ROWS.toLocaleString('en')} rows into a directory of 1,000,000 customers\n`);
  process.stdout.write('| step | rows | seconds | rows/s | note |\n|---|---:|---:|---:|---|\n');
  for (const row of rows) {
    process.stdout.write(
      `| ${row.name} | ${row.rows.toLocaleString('en')} | ${row.seconds.toFixed(1)} | ${Math.round(row.rowsPerSecond).toLocaleString('en')} | ${row.note} |\n`,
    );
  }
}

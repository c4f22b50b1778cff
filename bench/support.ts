import os from 'node:os';
import path from 'node:path';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/** The benchmark's own database: DATABASE_URL if set, else an embedded server in PATRON_BENCH_DIR (default ./data/bench). */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({
    dataDir: path.resolve(process.env.PATRON_BENCH_DIR ?? 'data/bench'),
    database: 'patron_bench',
    settings: { shared_buffers: '1GB', work_mem: '32MB', max_wal_size: '4GB', checkpoint_timeout: '15min' },
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

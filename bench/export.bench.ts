// `npm run bench -- export`: the customer CSV export through HTTP over the directory data set (bench/dataset.ts),
// once with the COPY path (PostgreSQL writes the CSV) and once with the cursor path (Node writes it), each in a
// server of its own (`PATRON_EXPORT_VIA`). Per case: rows, megabytes, seconds, rows per second, and the server's
// resident memory before and at its peak during the export (sampled from /proc every 20 ms). Every file is checked:
// its byte-order mark and header, and its row count against the count the export log recorded.
// BENCH_EXPORT_RUNS: runs per case (2; the best is reported). BENCH_EXPORT_PATHS: which paths (copy,cursor).
import http from 'node:http';
import os from 'node:os';
import { DEFAULT_EXPORT_FIELDS } from '../src/features/exports/export.schema.ts';
import { DIRECTORY_SIZE, type DirectoryDataset, openDirectoryDataset } from './dataset.ts';
import { type BenchServer, rssMb, startBenchServer } from './support.ts';

const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 2);
const ALL_PATHS = ['copy', 'cursor'] as const;
type ExportPath = (typeof ALL_PATHS)[number];
const PATHS = ALL_PATHS.filter((path) => (process.env.BENCH_EXPORT_PATHS ?? 'copy,cursor').split(',').includes(path));

/** What the export form picks by default. */
const DEFAULT_FIELDS = DEFAULT_EXPORT_FIELDS.join(',');

interface ExportCase {
  name: string;
  query: string;
}

function cases(dataset: DirectoryDataset): ExportCase[] {
  const vip = dataset.groups.find((group) => group.name === 'VIP')?.id as string;
  return [
    { name: 'everyone, default fields', query: `fields=${DEFAULT_FIELDS}` },
    { name: 'everyone, every field', query: '' },
    // A mailing list: names, email, phone and consent; no statistics to join.
    {
      name: 'everyone, contact fields (10)',
      query: `fields=${['id', 'firstName', 'lastName', 'companyName', 'email', 'phone', 'mobile', 'physicalAddress.city', 'emailMarketing', 'smsMarketing'].join(',')}`,
    },
    { name: 'group VIP (4 %), default fields', query: `fields=${DEFAULT_FIELDS}&groupId=${vip}` },
    {
      name: 'ordered in 2026, spent 100.00+',
      query: `fields=${DEFAULT_FIELDS}&lastOrderFrom=2026-01-01&totalSpentMin=10000`,
    },
  ];
}

export interface ExportRow {
  path: ExportPath;
  name: string;
  rows: number;
  megabytes: number;
  seconds: number;
  rowsPerSecond: number;
  rssBeforeMb: number;
  rssPeakMb: number;
}

/** Download one export, counting its bytes and lines, while sampling the server's memory. */
async function downloadOnce(server: BenchServer, query: string) {
  const { pid } = server;
  const before = rssMb(pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 20);
  const started = performance.now();
  try {
    const result = await new Promise<{ bytes: number; lines: number; head: Buffer }>((resolve, reject) => {
      const request = http.get(
        `${server.base}/api/v1/customers/export${query ? `?${query}` : ''}`,
        { headers: server.session },
        (response) => {
          if (response.statusCode !== 200) {
            reject(new Error(`The export answered ${response.statusCode}`));
            response.resume();
            return;
          }
          let bytes = 0;
          let lines = 0;
          let head = Buffer.alloc(0);
          response.on('data', (chunk: Buffer) => {
            if (head.length < 4096) head = Buffer.concat([head, chunk.subarray(0, 4096)]);
            bytes += chunk.length;
            for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
          });
          response.on('end', () => resolve({ bytes, lines, head }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
    });
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, rssMb(pid));
    return { ...result, seconds, before, peak };
  } finally {
    clearInterval(sampler);
  }
}

/** The rows the export log says the last export wrote. */
async function loggedRows(server: BenchServer): Promise<number> {
  const response = await fetch(`${server.base}/api/v1/exports?limit=1`, { headers: server.session });
  const { items } = (await response.json()) as { items: { rows: number | null; status: string }[] };
  if (items[0]?.status !== 'finished' || items[0].rows === null) throw new Error('The export did not finish');
  return items[0].rows;
}

async function measurePath(dataset: DirectoryDataset, path: ExportPath): Promise<ExportRow[]> {
  process.env.PATRON_EXPORT_VIA = path;
  const server = await startBenchServer(dataset.url, dataset.owner);
  try {
    const rows: ExportRow[] = [];
    for (const test of cases(dataset)) {
      let best: ExportRow | undefined;
      for (let run = 0; run < RUNS; run++) {
        const result = await downloadOnce(server, test.query);
        const logged = await loggedRows(server);
        if (result.head.subarray(0, 3).toString('hex') !== 'efbbbf' || !result.head.includes('Record ID')) {
          throw new Error(`${test.name}: the file does not start with a byte-order mark and the header`);
        }
        // One line per row and the header (the data set has no line breaks inside cells).
        if (result.lines !== logged + 1) {
          throw new Error(`${test.name}: ${result.lines - 1} rows in the file, ${logged} in the export log`);
        }
        const row: ExportRow = {
          path,
          name: test.name,
          rows: logged,
          megabytes: result.bytes / 2 ** 20,
          seconds: result.seconds,
          rowsPerSecond: logged / result.seconds,
          rssBeforeMb: result.before,
          rssPeakMb: result.peak,
        };
        if (!best || row.seconds < best.seconds)
          best = { ...row, rssPeakMb: Math.max(row.rssPeakMb, best?.rssPeakMb ?? 0) };
        else best.rssPeakMb = Math.max(best.rssPeakMb, row.rssPeakMb);
      }
      rows.push(best as ExportRow);
    }
    return rows;
  } finally {
    server.stop();
    delete process.env.PATRON_EXPORT_VIA;
  }
}

export async function runExportBench(): Promise<ExportRow[]> {
  const dataset = await openDirectoryDataset();
  try {
    const rows: ExportRow[] = [];
    for (const path of PATHS) rows.push(...(await measurePath(dataset, path)));
    return rows;
  } finally {
    await dataset.stop();
  }
}

export function printExportTable(rows: ExportRow[]): void {
  const number = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
  const lines = [
    `### Customer export, ${DIRECTORY_SIZE}`,
    '',
    `Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; one export at a time through HTTP on 127.0.0.1, best of ${RUNS}.`,
    '',
    '| path | what | rows | MB | seconds | rows/s | server RSS before → peak, MB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.path} | ${r.name} | ${number.format(r.rows)} | ${r.megabytes.toFixed(1)} | ${r.seconds.toFixed(2)} | ${number.format(r.rowsPerSecond)} | ${r.rssBeforeMb.toFixed(0)} → ${r.rssPeakMb.toFixed(0)} |`,
    ),
    '',
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

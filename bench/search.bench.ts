// `npm run bench -- search`: the customer search through HTTP over the directory data set (bench/dataset.ts),
// first on its own, then while sales are being recorded (BENCH_SEARCH_SALES_RATE a second, default 500, from
// BENCH_SEARCH_SALES_CLIENTS clients, default 32). BENCH_SEARCH_QUERIES: queries of each kind (200), after
// BENCH_SEARCH_WARM_UP unmeasured ones of each kind (50), made from other customers.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { Database } from '../src/platform/db/database.ts';
import { type DirectoryDataset, openDirectoryDataset, type Person, person, warmDirectoryCache } from './dataset.ts';
import { type BenchServer, percentile, type Row, startBenchServer } from './support.ts';

const QUERIES_PER_KIND = Number(process.env.BENCH_SEARCH_QUERIES ?? 200);
const SALES_RATE = Number(process.env.BENCH_SEARCH_SALES_RATE ?? 500);
const SALES_CLIENTS = Number(process.env.BENCH_SEARCH_SALES_CLIENTS ?? 32);
/** Unmeasured queries of each kind before the measured ones (BENCH_SEARCH_WARM_UP). */
const WARM_UP = Number(process.env.BENCH_SEARCH_WARM_UP ?? 50);

function typo(word: string): string {
  if (word.length < 4) return word;
  const i = 1 + (word.length % (word.length - 2));
  return word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2);
}

/** Queries as people type them, each made from a customer the benchmark knows. */
const KINDS: Record<string, (p: Person) => string | null> = {
  'first name, 4 letters': (p) => p.first.slice(0, 4),
  'two words: first name and surname start': (p) => `${p.first} ${p.last.slice(0, 3)}`,
  'full name': (p) => `${p.first} ${p.last}`,
  'surname and first initial': (p) => `${p.last} ${p.first.slice(0, 1)}`,
  'email prefix': (p) => (p.email ? p.email.slice(0, Math.max(5, p.email.indexOf('.'))) : null),
  'whole email': (p) => p.email,
  'phone, last 6 digits': (p) => (p.e164 ? p.e164.slice(-6) : null),
  'phone as typed': (p) => p.phone,
  'customer code': (p) => p.code,
  'surname with a typo': (p) => `${p.first} ${typo(p.last)}`,
};

/**
 * The customers each kind asks about, spread over the data set: the same every run. `offset` draws another
 * set of the same kind (the warm-up's).
 */
function askedAbout(kind: string, customers: number, count = QUERIES_PER_KIND, offset = 0): { p: Person; q: string }[] {
  const asked: { p: Person; q: string }[] = [];
  const make = KINDS[kind] as (p: Person) => string | null;
  for (let i = 0; asked.length < count && i < count * 3; i++) {
    const p = person((i * 7919 + kind.length * 104729 + offset) % customers);
    const q = make(p);
    if (q) asked.push({ p, q });
  }
  return asked;
}

/** A table row from the latencies of one kind of request, in ms. */
export function latencyRow(name: string, times: number[]): Row {
  times.sort((a, b) => a - b);
  return {
    name,
    count: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times.at(-1) ?? 0,
  };
}

/** The first 10 results of a search, as the signed-in owner. */
async function searchFirst10(server: BenchServer, q: string) {
  const res = await fetch(`${server.base}/api/v1/customers?limit=10&q=${encodeURIComponent(q)}`, {
    headers: { cookie: server.session.cookie },
  });
  return { res, body: (await res.json()) as { items?: { code: string }[] } };
}

/**
 * The issue's figures are for a warm cache: before anything is measured, WARM_UP queries of every kind, made
 * from other customers than the measured ones, are asked and not timed. They bring the server's code to its
 * compiled state and the pages searches read (the name, email, phone and code indexes, the statistics) into
 * PostgreSQL's buffers, without replaying the measured queries.
 */
async function warmUp(server: BenchServer, customers: number): Promise<void> {
  const started = performance.now();
  let asked = 0;
  for (const kind of Object.keys(KINDS)) {
    for (const { q } of askedAbout(kind, customers, WARM_UP, 500_009)) {
      const { res } = await searchFirst10(server, q);
      if (res.status !== 200) throw new Error(`Warm-up search "${q}" failed: ${res.status}`);
      asked++;
    }
  }
  process.stdout.write(
    `Warm-up: ${asked} searches of other customers in ${((performance.now() - started) / 1000).toFixed(1)} s (not measured)\n`,
  );
}

/** Every kind of query, one at a time; where the intended customer ranks is part of each row's name. */
async function searchMix(server: BenchServer, customers: number, prefix: string): Promise<Row[]> {
  const rows: Row[] = [];
  const all: number[] = [];
  let hits = 0;
  for (const kind of Object.keys(KINDS)) {
    const times: number[] = [];
    let inTop10 = 0;
    let failed = 0;
    const asked = askedAbout(kind, customers);
    for (const { p, q } of asked) {
      const t0 = performance.now();
      const { res, body } = await searchFirst10(server, q);
      // A failed search (a timeout, say) counts with its time, as a miss: the person waited and found nobody.
      times.push(performance.now() - t0);
      if (res.status !== 200) {
        if (failed++ === 0) process.stdout.write(`Search "${q}" failed: ${res.status} ${JSON.stringify(body)}\n`);
        process.exitCode = 1;
      } else if (body.items?.some((c) => c.code === p.code)) inTop10++;
    }
    all.push(...times);
    hits += inTop10;
    const failures = failed > 0 ? `, **${failed} failed**` : '';
    rows.push(
      latencyRow(
        `${prefix}${kind} (intended customer in the first 10: ${percent(inTop10, asked.length)}${failures})`,
        times,
      ),
    );
  }
  rows.push(latencyRow(`${prefix}every query (intended customer in the first 10: ${percent(hits, all.length)})`, all));
  return rows;
}

/**
 * A person typing a full name letter by letter (from the second letter, as the search box asks): after how
 * many letters the intended customer is among the first 10, and how long each of those searches took. This
 * is how the ambiguous kinds above ("Mari", "Gonzalez M") are met at the till: by typing on.
 */
async function typingOn(server: BenchServer, customers: number): Promise<Row> {
  const times: number[] = [];
  const needed: number[] = [];
  const whole: number[] = [];
  let beforeTheEnd = 0;
  for (let i = 0; i < QUERIES_PER_KIND; i++) {
    const p = person((i * 7919 + 15485863) % customers);
    const name = `${p.first} ${p.last}`;
    let found = 0;
    for (let n = 2; n <= name.length && found === 0; n++) {
      const q = name.slice(0, n);
      if (q.endsWith(' ')) continue;
      const t0 = performance.now();
      const { body } = await searchFirst10(server, q);
      times.push(performance.now() - t0);
      if (body.items?.some((c) => c.code === p.code)) found = n;
    }
    whole.push(name.length);
    if (found > 0) {
      needed.push(found);
      if (found < name.length) beforeTheEnd++;
    }
  }
  needed.sort((a, b) => a - b);
  whole.sort((a, b) => a - b);
  const name =
    `typing a full name letter by letter (${times.length} searches): the intended customer in the first 10 after ` +
    `${percentile(needed, 50)} letters at the median (90th percentile ${percentile(needed, 90)}; names are ` +
    `${percentile(whole, 50)} long), before the name is complete for ${percent(beforeTheEnd, QUERIES_PER_KIND)}, ` +
    `never for ${percent(QUERIES_PER_KIND - needed.length, QUERIES_PER_KIND)}`;
  return latencyRow(name, times);
}

const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)} %`;

interface SalesLoad {
  /** Stop, and give the rate reached and the latency of the sales recorded. */
  stop(): Promise<Row>;
}

/**
 * Sales posted at SALES_RATE a second (each client waits for its slot in the schedule; behind schedule
 * they post back to back), in the body sales.bench.ts uses, to pos stores and known customers.
 */
function recordSales(server: BenchServer, storeIds: string[], customerIds: string[]): SalesLoad {
  const runId = `live-${Date.now().toString(36)}`;
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  let stopping = false;
  const started = performance.now();
  const clients = Array.from({ length: SALES_CLIENTS }, async () => {
    while (!stopping) {
      const i = next++;
      const wait = started + (i * 1000) / SALES_RATE - performance.now();
      if (wait > 0) await sleep(wait);
      if (stopping) return;
      const lattes = 1 + (i % 3);
      const body = {
        storeId: storeIds[i % storeIds.length],
        register: `Till ${1 + (i % 3)}`,
        receiptRef: `${runId}-${i}`,
        customer: { id: customerIds[i % customerIds.length] },
        lines: [
          { description: 'Latte', quantity: lattes, unitPrice: 450, unitCost: 90 },
          { description: 'Croissant', quantity: 1, unitPrice: 380, unitCost: 120 },
        ],
        payments: [{ method: i % 4 === 0 ? 'cash' : 'card', amount: lattes * 450 + 380 }],
      };
      const t0 = performance.now();
      const res = await fetch(`${server.base}/api/v1/sales`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `${runId}-${i}`, ...server.session },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (stopping) return;
      if (res.status === 201) latencies.push(performance.now() - t0);
      else failures.push(`${res.status} ${text.slice(0, 200)}`);
    }
  });
  return {
    async stop() {
      stopping = true;
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(clients);
      if (failures.length > 0) {
        process.stdout.write(`${failures.length} sales failed while searching, the first: ${failures[0]}\n`);
      }
      const rate = Math.round(latencies.length / seconds);
      process.stdout.write(
        `Sales while searching: ${rate}/s reached (aim ${SALES_RATE}/s, ${SALES_CLIENTS} clients)\n`,
      );
      return latencyRow(
        `record a sale meanwhile, ${SALES_CLIENTS} clients: **${rate} sales/s reached** (aim ${SALES_RATE}/s${failures.length > 0 ? `, ${failures.length} failed` : ''})`,
        latencies,
      );
    },
  };
}

/** Ids of customers spread over the data set, for the sales recorded while searching. */
async function someCustomerIds(dataset: DirectoryDataset): Promise<string[]> {
  const database = new Database({ url: dataset.url, max: 1 });
  try {
    const codes = Array.from({ length: 2000 }, (_, i) => person((i * 104729) % dataset.customers).code.toLowerCase());
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM customer WHERE merchant_id = ${dataset.merchantId} AND lower(code) = ANY(${codes}::text[])
        AND deleted_at IS NULL`.execute(database.system);
    return rows.map((r) => r.id);
  } finally {
    await database.close();
  }
}

export async function runSearchBench(): Promise<Row[]> {
  const dataset = await openDirectoryDataset();
  let server: BenchServer | undefined;
  try {
    const customerIds = await someCustomerIds(dataset);
    const warmed = await warmDirectoryCache(dataset.url);
    process.stdout.write(`Warm cache: ${warmed} MB of the customer directory read into PostgreSQL's buffers\n`);
    server = await startBenchServer(dataset.url, dataset.owner);
    await warmUp(server, dataset.customers);
    const rows = await searchMix(server, dataset.customers, '');
    rows.push(await typingOn(server, dataset.customers));

    process.stdout.write(`Searching again while recording ${SALES_RATE} sales a second…\n`);
    const posStores = dataset.stores.filter((s) => s.channel === 'pos').map((s) => s.id);
    const sales = recordSales(server, posStores, customerIds);
    let loaded: Row[] = [];
    let salesRow: Row;
    try {
      await sleep(3000);
      loaded = await searchMix(server, dataset.customers, 'while recording sales: ');
    } finally {
      salesRow = await sales.stop();
    }
    return [...rows, ...loaded, salesRow];
  } finally {
    server?.stop();
    await dataset.stop();
  }
}

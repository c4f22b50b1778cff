// `npm run bench -- list`: the customer list through HTTP over the directory data set (bench/dataset.ts):
// the first page and the pages after it under every sort and a mix of filters, and the count of matches.
// Every page is checked against its filters and sort: a case whose pages break them, or that the server
// answers with an error, gets a FAILED row saying why (and the run exits with 1), the others go on.
// BENCH_LIST_REQUESTS: first pages and counts per case (100); BENCH_LIST_PAGES: next pages per case (100);
// BENCH_LIST_ONLY: only the cases whose names hold this text.
import type { CustomerJson } from '../src/features/customers/customer.schema.ts';
import { type DirectoryDataset, openDirectoryDataset, warmDirectoryCache } from './dataset.ts';
import { latencyRow } from './search.bench.ts';
import { type BenchServer, type Row, startBenchServer } from './support.ts';

const REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 100);
/** Only the cases whose names hold this text (all when unset), e.g. `search`. */
const ONLY = process.env.BENCH_LIST_ONLY ?? '';
const PAGES = Number(process.env.BENCH_LIST_PAGES ?? 100);
const LIMIT = 50;
/** A row stops measuring after this long, so that a case taking seconds a request cannot hold up the run. */
const BUDGET_MS = 20_000;

const SORTS = [
  'name',
  '-name',
  'totalSpent',
  '-totalSpent',
  'orders',
  '-orders',
  'lastOrderAt',
  '-lastOrderAt',
  'createdAt',
  '-createdAt',
] as const;

interface ListCase {
  /** Which customers (the filters in words). */
  name: string;
  filters: Record<string, string>;
  sort?: (typeof SORTS)[number];
}

const caseName = (test: ListCase) => `${test.name}, sort ${test.sort ?? 'default'}`;

/** Filters as a manager combines them, each with the sort that goes with it; some match few customers. */
function filterCases(dataset: DirectoryDataset): ListCase[] {
  const group = (name: string) => dataset.groups.find((g) => g.name === name)?.id as string;
  const store = (name: string) => dataset.stores.find((s) => s.name === name)?.id as string;
  return [
    { name: 'group VIP (4 %)', filters: { groupId: group('VIP') }, sort: 'name' },
    { name: 'group Staff (1 %)', filters: { groupId: group('Staff') }, sort: 'name' },
    { name: 'created in Berlin', filters: { storeId: store('Berlin') }, sort: '-createdAt' },
    { name: 'created in the last 90 days', filters: { createdFrom: '2026-08-03' }, sort: 'name' },
    {
      name: 'first order in March 2025',
      filters: { firstOrderFrom: '2025-03-01', firstOrderTo: '2025-03-31' },
      sort: 'name',
    },
    { name: 'ordered in the last 30 days', filters: { lastOrderFrom: '2026-10-02' }, sort: '-totalSpent' },
    { name: 'lapsed: last order over a year ago', filters: { lastOrderTo: '2025-10-31' }, sort: '-lastOrderAt' },
    { name: 'spent 1,000.00 or more', filters: { totalSpentMin: '100000' }, sort: 'name' },
    { name: 'spent at most 50.00', filters: { totalSpentMax: '5000' }, sort: '-totalSpent' },
    { name: 'never ordered', filters: { ordersMax: '0' }, sort: '-createdAt' },
    { name: '100 orders or more (rare)', filters: { ordersMin: '100' }, sort: 'name' },
    { name: 'email marketing consent', filters: { emailMarketing: 'true' }, sort: '-orders' },
    { name: 'no email but a phone', filters: { hasEmail: 'false', hasPhone: 'true' }, sort: 'name' },
    {
      name: 'VIP with consent who ordered this year',
      filters: { groupId: group('VIP'), emailMarketing: 'true', lastOrderFrom: '2026-01-01' },
      sort: '-totalSpent',
    },
    {
      name: 'joined online, 10 to 50 orders',
      filters: { storeId: store('Online'), ordersMin: '10', ordersMax: '50' },
      sort: '-lastOrderAt',
    },
    { name: 'search "mar"', filters: { q: 'mar' }, sort: '-totalSpent' },
    { name: 'search "smith", joined in London', filters: { q: 'smith', storeId: store('London') }, sort: 'name' },
    // Since 2026-11-25 a sorted or filtered search takes every match (not the 2,000 best): a prefix of thousands.
    { name: 'search "andr"', filters: { q: 'andr' }, sort: '-createdAt' },
    { name: 'search "mar", group VIP (best match first)', filters: { q: 'mar', groupId: group('VIP') } },
  ];
}

const day = (at: string | null) => (at === null ? null : at.slice(0, 10));

/** The first filter of `filters` that `c` does not satisfy (dates are days in UTC, the bench merchant's zone). */
function unmetFilter(c: CustomerJson, filters: Record<string, string>): string | undefined {
  const between = (value: string | number | null, bound: string, atLeast: boolean) => {
    if (value === null) return false;
    const limit = typeof value === 'number' ? Number(bound) : bound;
    return atLeast ? value >= limit : value <= limit;
  };
  for (const [key, value] of Object.entries(filters)) {
    const met = ((): boolean => {
      switch (key) {
        case 'groupId':
          return c.group.id === value;
        case 'storeId':
          return c.createdStoreId === value;
        case 'firstOrderFrom':
        case 'firstOrderTo':
          return between(day(c.stats.firstOrderAt), value, key.endsWith('From'));
        case 'lastOrderFrom':
        case 'lastOrderTo':
          return between(day(c.stats.lastOrderAt), value, key.endsWith('From'));
        case 'createdFrom':
        case 'createdTo':
          return between(day(c.createdAt), value, key.endsWith('From'));
        case 'totalSpentMin':
        case 'totalSpentMax':
          return between(c.stats.totalSpent, value, key.endsWith('Min'));
        case 'ordersMin':
        case 'ordersMax':
          return between(c.stats.orderCount, value, key.endsWith('Min'));
        case 'emailMarketing':
          return String(c.emailMarketing) === value;
        case 'hasEmail':
          return String(c.email !== null) === value;
        case 'hasPhone':
          return String(c.phone !== null || c.mobile !== null) === value;
        default:
          return true;
      }
    })();
    if (!met) return key;
  }
  return undefined;
}

/** The sort key of the numeric and date sorts; the name order is the server's collation, not checked here. */
function sortKey(c: CustomerJson, sort: string): number | undefined {
  switch (sort.replace(/^-/, '')) {
    case 'totalSpent':
      return c.stats.totalSpent;
    case 'orders':
      return c.stats.orderCount;
    case 'lastOrderAt':
      // Never ordered sorts as the oldest possible order.
      return c.stats.lastOrderAt === null ? Number.NEGATIVE_INFINITY : Date.parse(c.stats.lastOrderAt);
    case 'createdAt':
      return Date.parse(c.createdAt);
    default:
      return undefined;
  }
}

/** An error answer, short enough for a table row. */
function failure(status: number, body: unknown): Error {
  const problem = body as { title?: string; requestId?: string };
  const what = problem.title ?? JSON.stringify(body).slice(0, 120);
  return new Error(`${status} ${what}${problem.requestId ? ` (request ${problem.requestId})` : ''}`);
}

interface Page {
  items: CustomerJson[];
  next: string | null;
}

/** A page of the list; fails on anything but a page whose customers all match and keep the sort order. */
async function fetchPage(
  server: BenchServer,
  test: ListCase,
  cursor: string | null,
  previous?: CustomerJson,
): Promise<Page> {
  const query = new URLSearchParams({
    ...test.filters,
    ...(test.sort ? { sort: test.sort } : {}),
    limit: String(LIMIT),
    ...(cursor ? { cursor } : {}),
  });
  const res = await fetch(`${server.base}/api/v1/customers?${query}`, { headers: { cookie: server.session.cookie } });
  const page = (await res.json()) as Page;
  if (res.status !== 200) throw failure(res.status, page);
  const sort = test.sort;
  let last = previous;
  for (const c of page.items) {
    const unmet = unmetFilter(c, test.filters);
    if (unmet) throw new Error(`customer ${c.code} does not match ${unmet}=${test.filters[unmet]}`);
    const before = sort && last ? sortKey(last, sort) : undefined;
    const after = sort ? sortKey(c, sort) : undefined;
    if (before !== undefined && after !== undefined && (sort?.startsWith('-') ? after > before : after < before)) {
      throw new Error(`customer ${c.code} is out of the order ${sort}`);
    }
    last = c;
  }
  return page;
}

/** Up to `count` timed runs of `work` after 3 warm-up runs, for at most BUDGET_MS. */
async function timed(count: number, work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await work();
  const times: number[] = [];
  const until = performance.now() + BUDGET_MS;
  while (times.length < count && performance.now() < until) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return times;
}

/** The first page again and again, then each next page through the cursor (none twice), PAGES deep or to the end. */
async function measureCase(server: BenchServer, test: ListCase): Promise<Row[]> {
  const rows = [
    latencyRow(`${caseName(test)}: first page`, await timed(REQUESTS, () => fetchPage(server, test, null))),
  ];
  const times: number[] = [];
  let page = await fetchPage(server, test, null);
  const seen = new Set(page.items.map((c) => c.id));
  const until = performance.now() + BUDGET_MS;
  while (page.next && times.length < PAGES && performance.now() < until) {
    const t0 = performance.now();
    page = await fetchPage(server, test, page.next, page.items.at(-1));
    times.push(performance.now() - t0);
    for (const c of page.items) {
      if (seen.has(c.id)) throw new Error(`customer ${c.code} came again on a later page`);
      seen.add(c.id);
    }
  }
  if (times.length > 0) {
    const deep = (times.length + 1) * LIMIT;
    rows.push(latencyRow(`${caseName(test)}: each next page, to ${deep.toLocaleString('en')} rows deep`, times));
  }
  return rows;
}

async function measureCount(server: BenchServer, test: ListCase): Promise<Row> {
  const url = `${server.base}/api/v1/customers/count?${new URLSearchParams(test.filters)}`;
  let answer = '';
  const times = await timed(REQUESTS, async () => {
    const res = await fetch(url, { headers: { cookie: server.session.cookie } });
    const body = (await res.json()) as { count: number; exact: boolean };
    if (res.status !== 200 || typeof body.count !== 'number' || typeof body.exact !== 'boolean') {
      throw failure(res.status, body);
    }
    answer = `${body.exact ? '' : 'more than '}${body.count.toLocaleString('en')}`;
  });
  return latencyRow(`count, ${test.name}: ${answer}`, times);
}

/** The rows of `measure`, or one FAILED row with the reason (and exit code 1) if a request of it failed. */
async function orFailure(name: string, measure: () => Promise<Row[]>): Promise<Row[]> {
  try {
    return await measure();
  } catch (error) {
    process.exitCode = 1;
    const failed = { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
    return [{ name: `${name}: **FAILED**: ${(error as Error).message}`, ...failed }];
  }
}

async function measureAll(server: BenchServer, dataset: DirectoryDataset): Promise<Row[]> {
  const everyone: ListCase = { name: 'every customer', filters: {} };
  const filtered = filterCases(dataset).filter((test) => test.name.includes(ONLY));
  const rows: Row[] = [];
  const unfiltered = ONLY ? [] : [everyone, ...SORTS.map((sort) => ({ ...everyone, sort }))];
  for (const test of [...unfiltered, ...filtered]) {
    process.stdout.write(`\r  ${caseName(test)}…`.padEnd(100));
    rows.push(...(await orFailure(caseName(test), () => measureCase(server, test))));
  }
  for (const test of [...(ONLY ? [] : [everyone]), ...filtered]) {
    process.stdout.write(`\r  count, ${test.name}…`.padEnd(100));
    rows.push(...(await orFailure(`count, ${test.name}`, async () => [await measureCount(server, test)])));
  }
  process.stdout.write('\n');
  return rows;
}

export async function runListBench(): Promise<Row[]> {
  const dataset = await openDirectoryDataset();
  try {
    const warmed = await warmDirectoryCache(dataset.url);
    process.stdout.write(`Warm cache: ${warmed} MB of the customer directory read into PostgreSQL's buffers\n`);
    const server = await startBenchServer(dataset.url, dataset.owner);
    try {
      return await measureAll(server, dataset);
    } finally {
      server.stop();
    }
  } finally {
    await dataset.stop();
  }
}

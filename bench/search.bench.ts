import { type Faker, fakerDE, fakerEN_AU, fakerEN_GB, fakerEN_US, fakerES, fakerFR, fakerIT } from '@faker-js/faker';
import { sql } from 'kysely';
import { normalizePhone } from '../src/features/customers/customer.rules.ts';
import { Database } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { seedBenchMerchant } from './audit.bench.ts';
import {
  type BenchDatabase,
  type BenchServer,
  openBenchDatabase,
  percentile,
  type Row,
  startBenchServer,
} from './support.ts';

const CUSTOMERS = Number(process.env.BENCH_SEARCH_CUSTOMERS ?? 1_000_000);
const QUERIES_PER_KIND = Number(process.env.BENCH_SEARCH_QUERIES ?? 200);
const SEED = 20261123;

const ORIGINS: { faker: Faker; country: string; phones: string[] }[] = [
  { faker: fakerEN_AU, country: 'AU', phones: ['04## ### ###', '(02) 9### ####'] },
  { faker: fakerEN_GB, country: 'GB', phones: ['+44 7### ######'] },
  { faker: fakerEN_US, country: 'US', phones: ['+1 (212) 555-####', '+1 (415) 555-####'] },
  { faker: fakerDE, country: 'DE', phones: ['+49 151 #######'] },
  { faker: fakerFR, country: 'FR', phones: ['+33 6 ## ## ## ##'] },
  { faker: fakerES, country: 'ES', phones: ['+34 6## ### ###'] },
  { faker: fakerIT, country: 'IT', phones: ['+39 3## ### ####'] },
];

interface Person {
  first: string;
  last: string;
  email: string;
  phone: string | null;
  e164: string | null;
  code: string;
}

/** The n-th generated customer: the same every run (a seed per row), so queries can be rebuilt from it. */
function person(n: number): Person {
  const origin = ORIGINS[n % ORIGINS.length] as (typeof ORIGINS)[number];
  const f = origin.faker;
  f.seed(SEED + n);
  const first = f.person.firstName();
  const last = f.person.lastName();
  const email = `${f.internet
    .username({ firstName: first, lastName: last })
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '')}.${n}@${f.helpers.arrayElement(['example.com', 'example.net', 'mail.example.org'])}`;
  let phone: string | null = null;
  let e164: string | null = null;
  if (n % 5 !== 0) {
    const typed = f.helpers.replaceSymbols(f.helpers.arrayElement(origin.phones));
    const parsed = normalizePhone('phone', typed, 'AU');
    if ('e164' in parsed) {
      phone = typed;
      e164 = parsed.e164;
    }
  }
  return { first, last, email, phone, e164, code: `M${String(n).padStart(7, '0')}` };
}

async function seedCustomers(database: Database, merchantId: string): Promise<void> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM customer WHERE merchant_id = ${merchantId} AND code LIKE 'M%'`.execute(
    database.system,
  );
  const group = await database.system
    .selectFrom('customerGroup')
    .select('id')
    .where('merchantId', '=', merchantId)
    .executeTakeFirstOrThrow();
  const started = performance.now();
  for (let from = rows[0]?.n ?? 0; from < CUSTOMERS; from += 5000) {
    const people = Array.from({ length: Math.min(5000, CUSTOMERS - from) }, (_, i) => person(from + i));
    await sql`
      INSERT INTO customer (merchant_id, id, code, first_name, last_name, email, phone, phone_e164, group_id, source, created_at, updated_at)
      SELECT ${merchantId}::uuid, gen_random_uuid(), p.code, p.first, p.last, p.email, p.phone, p.e164, ${group.id}::uuid, 'import',
             timestamptz '2026-11-01' - (p.n * interval '90 seconds'), timestamptz '2026-11-01' - (p.n * interval '90 seconds')
      FROM jsonb_to_recordset(${JSON.stringify(people.map((p, i) => ({ ...p, n: from + i })))}::jsonb)
        AS p(code text, first text, last text, email text, phone text, e164 text, n int)`.execute(database.system);
    const done = from + people.length;
    const rate = Math.round(done / ((performance.now() - started) / 1000));
    process.stdout.write(
      `\r  ${done.toLocaleString('en')} / ${CUSTOMERS.toLocaleString('en')} customers (${rate.toLocaleString('en')}/s)`,
    );
  }
  process.stdout.write('\n');
}

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
  'email prefix': (p) => p.email.slice(0, Math.max(5, p.email.indexOf('.'))),
  'whole email': (p) => p.email,
  'phone, last 6 digits': (p) => (p.e164 ? p.e164.slice(-6) : null),
  'phone as typed': (p) => p.phone,
  'customer code': (p) => p.code,
  'surname with a typo': (p) => `${p.first} ${typo(p.last)}`,
};

export async function runSearchBench(): Promise<Row[]> {
  const bench: BenchDatabase = await openBenchDatabase();
  const database = new Database({ url: bench.url, max: 4 });
  let server: BenchServer | undefined;
  try {
    await migrateToLatest(database.system);
    const { merchantId, ownerEmail, password } = await seedBenchMerchant(database);
    process.stdout.write(`Generating ${CUSTOMERS.toLocaleString('en')} realistic customers (once)…\n`);
    await seedCustomers(database, merchantId);
    await sql`ANALYZE customer`.execute(database.system);
    server = await startBenchServer(bench.url, { email: ownerEmail, password });
    const { base } = server;
    const { cookie } = server.session;

    const rows: Row[] = [];
    const all: number[] = [];
    let hits = 0;
    let total = 0;
    for (const [kind, make] of Object.entries(KINDS)) {
      const times: number[] = [];
      let inTop10 = 0;
      let asked = 0;
      for (let i = 0; asked < QUERIES_PER_KIND && i < QUERIES_PER_KIND * 3; i++) {
        const n = (i * 7919 + kind.length * 104729) % CUSTOMERS;
        const p = person(n);
        const q = make(p);
        if (!q) continue;
        asked++;
        const t0 = performance.now();
        const res = await fetch(`${base}/api/v1/customers?limit=10&q=${encodeURIComponent(q)}`, {
          headers: { cookie },
        });
        const body = (await res.json()) as { items: { code: string }[] };
        times.push(performance.now() - t0);
        if (body.items.some((c) => c.code === p.code)) inTop10++;
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      hits += inTop10;
      total += asked;
      rows.push({
        name: `${kind} (intended customer in the first 10: ${Math.round((100 * inTop10) / asked)} %)`,
        count: asked,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        p99: percentile(times, 99),
        max: times.at(-1) ?? 0,
      });
    }
    all.sort((a, b) => a - b);
    rows.push({
      name: `every query (intended customer in the first 10: ${Math.round((100 * hits) / total)} %)`,
      count: all.length,
      p50: percentile(all, 50),
      p95: percentile(all, 95),
      p99: percentile(all, 99),
      max: all.at(-1) ?? 0,
    });
    return rows;
  } finally {
    server?.stop();
    await database.close();
    await bench.stop();
  }
}

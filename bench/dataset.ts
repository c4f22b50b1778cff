// The directory data set of issue 5, shared by the search and list benchmarks: a million realistic
// customers and ten million sales over three years and five stores (BENCH_DIRECTORY_CUSTOMERS,
// BENCH_DIRECTORY_SALES for a smaller trial), generated once into its own database
// (PATRON_BENCH_DIRECTORY_DIR, default ./data/bench-directory; or BENCH_DATABASE_URL).
//
// Every value is drawn from a hash of the customer's or the sale's number, never from random(): the same
// seed gives the same customers and sales, ids included, whatever the batch size, the order the batches
// ran in, or an interruption (only the ids of stores, groups and products differ from run to run).
// Each batch commits together with a row in bench_directory_step, so an interrupted run resumes.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { type Faker, fakerDE, fakerEN_AU, fakerEN_GB, fakerEN_US, fakerES, fakerFR, fakerIT } from '@faker-js/faker';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { normalizePhone } from '../src/features/customers/customer.rules.ts';
import { insertGroup, insertStore } from '../src/features/merchants/merchant.repository.ts';
import { DEFAULT_GROUP_NAME } from '../src/features/merchants/merchant.service.ts';
import { STATS_AGGREGATE } from '../src/features/sales/customer-stats.repository.ts';
import { Database, type Trx } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { seedBenchMerchant } from './audit.bench.ts';
import { openBenchDatabase } from './support.ts';

const CUSTOMERS = Number(process.env.BENCH_DIRECTORY_CUSTOMERS ?? 1_000_000);
const SALES = Number(process.env.BENCH_DIRECTORY_SALES ?? 10_000_000);
const SEED = 20261123;
const START = '2023-11-02T00:00:00Z';
const END = '2026-11-01T00:00:00Z';
const START_AT = `timestamptz '${START}'`;
const END_AT = `timestamptz '${END}'`;
/** One PostgreSQL connection uses one core: two streams keep both of this machine's busy. */
const STREAMS = 2;
const CUSTOMER_BATCH = 5_000;
const SALE_BATCH = 100_000;

export const DIRECTORY_SIZE = `${CUSTOMERS.toLocaleString('en')} customers, ${SALES.toLocaleString('en')} sales`;

/** `share`: of the anonymous sales, and of the sales customers make away from their home store. */
const STORES = [
  { name: 'Sydney', timeZone: 'Australia/Sydney', channel: 'pos', share: 0.3 },
  { name: 'London', timeZone: 'Europe/London', channel: 'pos', share: 0.2 },
  { name: 'New York', timeZone: 'America/New_York', channel: 'pos', share: 0.2 },
  { name: 'Berlin', timeZone: 'Europe/Berlin', channel: 'pos', share: 0.15 },
  { name: 'Online', timeZone: 'UTC', channel: 'ecommerce', share: 0.15 },
] as const;
type StoreName = (typeof STORES)[number]['name'];

const GROUPS = [
  { name: DEFAULT_GROUP_NAME, share: 0.75 },
  { name: 'Loyalty club', share: 0.15 },
  { name: 'Trade', share: 0.05 },
  { name: 'VIP', share: 0.04 },
  { name: 'Staff', share: 0.01 },
] as const;

/** What becomes of a sale: cancelled at the till, paid on account, refunded in full days later, or kept. */
const FATES = [
  { status: 'cancelled', share: 0.01 },
  { status: 'on_account', share: 0.02 },
  { status: 'refunded', share: 0.015 },
  { status: 'completed', share: 0.955 },
] as const;

const ORIGINS: { faker: Faker; country: string; phones: string[]; store: StoreName }[] = [
  { faker: fakerEN_AU, country: 'AU', phones: ['04## ### ###', '(02) 9### ####'], store: 'Sydney' },
  { faker: fakerEN_GB, country: 'GB', phones: ['+44 7### ######'], store: 'London' },
  { faker: fakerEN_US, country: 'US', phones: ['+1 (212) 555-####', '+1 (415) 555-####'], store: 'New York' },
  { faker: fakerDE, country: 'DE', phones: ['+49 151 ########', '+49 30 ########'], store: 'Berlin' },
  { faker: fakerFR, country: 'FR', phones: ['+33 6 ## ## ## ##'], store: 'Berlin' },
  { faker: fakerES, country: 'ES', phones: ['+34 6## ### ###'], store: 'Berlin' },
  { faker: fakerIT, country: 'IT', phones: ['+39 3## ### ####'], store: 'Berlin' },
];

export interface Person {
  n: number;
  code: string;
  first: string;
  last: string;
  company: string | null;
  email: string | null;
  /** As typed at the till, and in E.164. */
  phone: string | null;
  e164: string | null;
  city: string;
  country: string;
}

/** The n-th customer: the same every run (a seed per customer), so a benchmark can rebuild queries from it. */
export function person(n: number): Person {
  const origin = ORIGINS[n % ORIGINS.length] as (typeof ORIGINS)[number];
  const f = origin.faker;
  f.seed(SEED + n);
  const first = f.person.firstName();
  const last = f.person.lastName();
  const email =
    n % 10 === 7
      ? null
      : `${f.internet
          .username({ firstName: first, lastName: last })
          .toLowerCase()
          .replace(
            /[^a-z0-9._-]/g,
            '',
          )}.${n}@${f.helpers.arrayElement(['example.com', 'example.net', 'mail.example.org'])}`;
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
  const company = n % 12 === 5 ? f.company.name() : null;
  const city = f.location.city();
  return {
    n,
    code: `M${String(n).padStart(7, '0')}`,
    first,
    last,
    company,
    email,
    phone,
    e164,
    city,
    country: origin.country,
  };
}

// SQL expressions (text, built only from the constants above) shared by the customer and the sale
// statements: a sale finds its customer's id and join date by computing them, not by looking them up.

const DRAWS = [
  'joined',
  'online',
  'group',
  'marketing',
  'sms',
  'anonymous',
  'buyer',
  'when',
  'away',
  'store',
  'fate',
  'lines',
  'product',
  'quantity',
  'discount',
  'method',
  'refund delay',
] as const;

/** A number in [0, 1) drawn from the SQL integer `key`; `draw` keeps the draws of one key independent. */
function u(key: string, draw: (typeof DRAWS)[number]): string {
  return `((hashint8extended((${key})::bigint, ${SEED * 100 + DRAWS.indexOf(draw)}) & 2147483647)::float8 / 2147483648)`;
}

/** The lower bounds of buckets of these shares, for width_bucket(): bucket i (from 1) has the i-th share. */
function bounds(shares: readonly { share: number }[]): string {
  let sum = 0;
  const lower = shares.map(({ share }) => {
    const bound = sum;
    sum += share;
    return bound;
  });
  return `ARRAY[${lower.join(', ')}]::float8[]`;
}

/** A UUID of version 7 whose time is `at` (as the app's ids are) and whose remaining bits are `key`. */
function uuidAt(at: string, key: string, kind: number): string {
  return `(lpad(to_hex(floor(extract(epoch FROM ${at}) * 1000)::bigint), 12, '0') || '7${kind.toString(16).padStart(3, '0')}8' || lpad(to_hex((${key})::bigint), 15, '0'))::uuid`;
}

/** Customers join in the order of their numbers, evenly over the three years. */
function joinedAt(n: string): string {
  return `(${START_AT} + make_interval(secs => ((${n}) + ${u(n, 'joined')}) * ${(Date.parse(END) - Date.parse(START)) / 1000 / CUSTOMERS}::float8))`;
}

/** The store a customer joined in (1-based): one in five online, the others where they live. */
function homeStore(n: string): string {
  const byOrigin = ORIGINS.map((o) => STORES.findIndex((s) => s.name === o.store) + 1);
  return `(CASE WHEN ${u(n, 'online')} < 0.2 THEN ${STORES.length} ELSE (ARRAY[${byOrigin.join(', ')}])[(${n}) % ${ORIGINS.length} + 1] END)`;
}

// Every fourth customer never buys. The others are ranked by a power law, cut off at the top: about one in
// a hundred buys a hundred times or more (the busiest a few thousand times), half of them three to five
// times on average. The ranks are scattered over the customer numbers by a stride coprime with their
// count, so that the big spenders are not simply the oldest customers.
const BUYERS = CUSTOMERS - Math.ceil(CUSTOMERS / 4);
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
let stride = 2_654_435_761;
while (gcd(stride, BUYERS) !== 1) stride += 2;
const buyerRank = (g: string) =>
  `((floor(${BUYERS} * power(0.1 + 0.9 * ${u(g, 'buyer')}, 4))::bigint * ${stride} + ${SEED}) % ${BUYERS})`;

export interface DirectoryDataset {
  url: string;
  customers: number;
  merchantId: string;
  owner: { email: string; password: string };
  stores: { id: string; name: string; channel: string }[];
  groups: { id: string; name: string }[];
  stop(): Promise<void>;
}

/** Open the directory data set, generating whatever of it is missing first. */
export async function openDirectoryDataset(): Promise<DirectoryDataset> {
  const bench = await openBenchDatabase(process.env.PATRON_BENCH_DIRECTORY_DIR ?? 'data/bench-directory');
  const database = new Database({ url: bench.url, max: STREAMS + 1 });
  try {
    await migrate(database);
    const merchant = await seedBenchMerchant(database);
    await generate(database, merchant.merchantId);
    // Migrations added while it was generating; the server would apply them anyway, unchecked.
    await migrate(database);
    return {
      url: bench.url,
      customers: CUSTOMERS,
      merchantId: merchant.merchantId,
      owner: { email: merchant.ownerEmail, password: merchant.password },
      ...(await loadMerchant(database, merchant.merchantId)),
      stop: () => bench.stop(),
    };
  } catch (error) {
    await bench.stop();
    throw error;
  } finally {
    await database.close();
  }
}

/**
 * The issues' figures are for a warm cache: the customer directory (the customers, their statistics, the words of
 * their names, and every index of those tables: 1.6 GB of the data set) read into PostgreSQL's buffers, as on a
 * server that has been answering the tills for a while (its buffers are sized for a quarter of the memory, 6 GB
 * here). Without it, a benchmark started after a restart reads at random from disk for most of its run, and its
 * figures say more about the machine's disk and its page cache (which this machine's host empties) than about a
 * search. Sales, their lines and payments (10 GB) are left to be read as asked. Gives the MB read.
 */
export async function warmDirectoryCache(url: string): Promise<number> {
  const database = new Database({ url, max: 1 });
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_prewarm`.execute(database.system);
    const { rows } = await sql<{ blocks: string }>`
      SELECT coalesce(sum(pg_prewarm(c.oid)), 0) AS blocks
      FROM pg_class c
      WHERE c.relkind IN ('r', 'i')
        AND (c.relname IN ('customer', 'customer_stats', 'customer_name_word', 'customer_group', 'loyalty_card')
             OR c.oid IN (SELECT indexrelid FROM pg_index
                          WHERE indrelid IN ('customer'::regclass, 'customer_stats'::regclass,
                                             'customer_name_word'::regclass, 'customer_group'::regclass,
                                             'loyalty_card'::regclass)))`.execute(database.system);
    return Math.round((Number(rows[0]?.blocks ?? 0) * 8) / 1024);
  } finally {
    await database.close();
  }
}

/**
 * Apply pending migrations, and refuse a schema behind the code: a migration file edited after it was
 * applied here (one still being written) would otherwise leave the benchmarks measuring old indexes.
 */
async function migrate(database: Database): Promise<void> {
  await migrateToLatest(database.system);
  await sql`CREATE TABLE IF NOT EXISTS bench_directory_migration (name text PRIMARY KEY, sha256 text NOT NULL)`.execute(
    database.system,
  );
  const { rows } = await sql<{ name: string; sha256: string | null }>`
    SELECT m.name, b.sha256 FROM patron_migration m LEFT JOIN bench_directory_migration b USING (name)`.execute(
    database.system,
  );
  const changed: string[] = [];
  for (const { name, sha256 } of rows) {
    const file = new URL(`../src/platform/db/migrations/${name}.sql`, import.meta.url);
    const now = fs.existsSync(file) ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : 'gone';
    if (sha256 === null) {
      await sql`INSERT INTO bench_directory_migration (name, sha256) VALUES (${name}, ${now})`.execute(database.system);
    } else if (sha256 !== now) {
      changed.push(name);
    }
  }
  if (changed.length > 0) {
    throw new Error(
      `Migrations changed after they were applied to the directory benchmark database: ${changed.join(', ')}. ` +
        'Its schema no longer matches the code: generate it again (delete its folder, PATRON_BENCH_DIRECTORY_DIR).',
    );
  }
}

async function generate(database: Database, merchantId: string): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS bench_directory_step (step text PRIMARY KEY, done_at timestamptz NOT NULL DEFAULT now())`.execute(
    database.system,
  );
  const steps = new Set(
    (await sql<{ step: string }>`SELECT step FROM bench_directory_step`.execute(database.system)).rows.map(
      (r) => r.step,
    ),
  );
  const shape = `data set: ${DIRECTORY_SIZE}, seed ${SEED}`;
  const other = [...steps].find((s) => s.startsWith('data set:') && s !== shape);
  if (other) {
    throw new Error(
      `The directory benchmark database holds another ${other}; set PATRON_BENCH_DIRECTORY_DIR to another folder for ${DIRECTORY_SIZE}.`,
    );
  }
  if (steps.has('vacuumed')) return;
  process.stdout.write(`Generating the directory data set (${DIRECTORY_SIZE}; resumes where it stopped)…\n`);
  const started = performance.now();
  if (!steps.has(shape)) await sql`INSERT INTO bench_directory_step (step) VALUES (${shape})`.execute(database.system);

  if (!steps.has('setup')) {
    await database.system.transaction().execute(async (trx) => {
      await setUpMerchant(trx, merchantId);
      await sql`INSERT INTO bench_directory_step (step) VALUES ('setup')`.execute(trx);
    });
  }
  const { stores, groups } = await loadMerchant(database, merchantId);
  const storeIds = stores.map((s) => s.id);
  const groupIds = groups.map((g) => g.id);
  const products = await sql<{ id: string; sku: string; name: string; price: number; cost: number }>`
    SELECT id, sku, name, price, cost FROM product WHERE merchant_id = ${merchantId} ORDER BY sku`.execute(
    database.system,
  );

  await phase(database, 'customers', CUSTOMERS, CUSTOMER_BATCH, async (trx, from, to) => {
    const people = Array.from({ length: to - from }, (_, i) => person(from + i));
    await sql`
      INSERT INTO customer (merchant_id, id, code, first_name, last_name, company_name, email, phone, phone_e164,
        physical_city, physical_country, email_marketing, sms_marketing, group_id, created_store_id, source, created_at, updated_at)
      SELECT ${merchantId}::uuid, ${sql.raw(uuidAt('c.joined', 'p.n', 0))}, p.code, p.first, p.last, p.company, p.email,
        p.phone, p.e164, p.city, p.country,
        p.email IS NOT NULL AND ${sql.raw(u('p.n', 'marketing'))} < 0.35,
        p.phone IS NOT NULL AND ${sql.raw(u('p.n', 'sms'))} < 0.15,
        (${groupIds}::uuid[])[width_bucket(${sql.raw(u('p.n', 'group'))}, ${sql.raw(bounds(GROUPS))})],
        (${storeIds}::uuid[])[c.home], (${STORES.map((s) => s.channel)}::text[])[c.home], c.joined, c.joined
      FROM jsonb_to_recordset(${JSON.stringify(people)}::jsonb)
        AS p(n bigint, code text, first text, last text, company text, email text, phone text, e164 text, city text, country text)
      CROSS JOIN LATERAL (SELECT ${sql.raw(joinedAt('p.n'))} AS joined, ${sql.raw(homeStore('p.n'))} AS home) c`.execute(
      trx,
    );
  });

  // Checking the foreign keys of every sale, line and payment takes a third of the load; the keys are
  // consistent by construction (and the statistics step fails on a sale of a customer who does not exist).
  const { rows: role } = await sql<{ superuser: boolean }>`
    SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`.execute(database.system);
  await phase(database, 'sales', SALES, SALE_BATCH, async (trx, from, to) => {
    if (role[0]?.superuser) await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await insertSales(trx, merchantId, storeIds, products.rows, from, to);
  });

  if (!steps.has('statistics')) {
    const t0 = performance.now();
    process.stdout.write('  customer statistics from the sales…');
    await database.system.transaction().execute(async (trx) => {
      await sql`SET LOCAL statement_timeout = 0`.execute(trx);
      await computeStatistics(trx, merchantId);
      await sql`INSERT INTO bench_directory_step (step) VALUES ('statistics')`.execute(trx);
    });
    process.stdout.write(` ${seconds(t0)}\n`);
  }

  const t0 = performance.now();
  process.stdout.write('  VACUUM ANALYZE…');
  await database.system.connection().execute(async (connection) => {
    await sql`SET statement_timeout = 0`.execute(connection);
    await sql`VACUUM (ANALYZE) customer, customer_stats, sale, sale_line, sale_payment`.execute(connection);
    await sql`INSERT INTO bench_directory_step (step) VALUES ('vacuumed')`.execute(connection);
  });
  process.stdout.write(` ${seconds(t0)}\n`);
  const sizes = await sql<{ name: string; size: string }>`
    SELECT t AS name, pg_size_pretty(pg_total_relation_size(t::regclass)) AS size
    FROM unnest(ARRAY['customer', 'customer_stats', 'sale', 'sale_line', 'sale_payment']) AS t
    UNION ALL SELECT 'database', pg_size_pretty(pg_database_size(current_database()))`.execute(database.system);
  process.stdout.write(
    `Directory data set ready in ${seconds(started)} (${sizes.rows.map((r) => `${r.name} ${r.size}`).join(', ')})\n`,
  );
}

/** The stores and groups, in the order of STORES and GROUPS. */
async function loadMerchant(
  database: Database,
  merchantId: string,
): Promise<Pick<DirectoryDataset, 'stores' | 'groups'>> {
  const stores = await database.system
    .selectFrom('store')
    .select(['id', 'name', 'channel'])
    .where('merchantId', '=', merchantId)
    .execute();
  const groups = await database.system
    .selectFrom('customerGroup')
    .select(['id', 'name'])
    .where('merchantId', '=', merchantId)
    .execute();
  return {
    stores: STORES.map((s) => stores.find((row) => row.name === s.name) as (typeof stores)[number]),
    groups: GROUPS.map((g) => groups.find((row) => row.name === g.name) as (typeof groups)[number]),
  };
}

/** Five stores in different time zones (the merchant's first store becomes Sydney), the groups, a catalogue. */
async function setUpMerchant(trx: Trx, merchantId: string): Promise<void> {
  const [first, ...others] = STORES;
  await trx
    .updateTable('store')
    .set({ name: first.name, timeZone: first.timeZone })
    .where('merchantId', '=', merchantId)
    .where('name', '=', 'Main store')
    .execute();
  for (const store of others) {
    await insertStore(trx, {
      merchantId,
      id: uuidv7(),
      name: store.name,
      timeZone: store.timeZone,
      channel: store.channel,
    });
  }
  for (const group of GROUPS.slice(1)) {
    await insertGroup(trx, { merchantId, id: uuidv7(), name: group.name, isDefault: false });
  }
  const f = fakerEN_US;
  f.seed(SEED);
  const products = Array.from({ length: 40 }, (_, i) => {
    const price = f.number.int({ min: 3, max: 120 }) * 50;
    return {
      merchantId,
      id: uuidv7(),
      sku: `P${String(i + 1).padStart(3, '0')}`,
      name: f.commerce.productName(),
      price,
      cost: Math.round(price * f.number.float({ min: 0.3, max: 0.6 })),
    };
  });
  await trx.insertInto('product').values(products).execute();
}

/**
 * Generate `total` rows in batches of `size`, STREAMS at a time. Each batch commits with its step: a
 * batch is either all there or not at all, and the next run does only the missing ones.
 */
async function phase(
  database: Database,
  name: string,
  total: number,
  size: number,
  work: (trx: Trx, from: number, to: number) => Promise<void>,
): Promise<void> {
  const batches = Math.ceil(total / size);
  const done = new Set(
    (
      await sql<{ step: string }>`SELECT step FROM bench_directory_step WHERE step LIKE ${`${name} %`}`.execute(
        database.system,
      )
    ).rows.map((r) => Number(r.step.slice(name.length + 1))),
  );
  const todo = Array.from({ length: batches }, (_, i) => i).filter((i) => !done.has(i));
  if (todo.length === 0) return;
  const rowsOf = (batch: number) => Math.min(size, total - batch * size);
  let have = [...done].reduce((sum, batch) => sum + rowsOf(batch), 0);
  let madeNow = 0;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      while (next < todo.length) {
        const batch = todo[next++] as number;
        await database.system.transaction().execute(async (trx) => {
          await sql`SET LOCAL statement_timeout = 0`.execute(trx);
          await work(trx, batch * size, batch * size + rowsOf(batch));
          await sql`INSERT INTO bench_directory_step (step) VALUES (${`${name} ${batch}`})`.execute(trx);
        });
        have += rowsOf(batch);
        madeNow += rowsOf(batch);
        const rate = Math.round(madeNow / ((performance.now() - started) / 1000));
        process.stdout.write(
          `\r  ${name}: ${have.toLocaleString('en')} / ${total.toLocaleString('en')} (${rate.toLocaleString('en')}/s)`,
        );
      }
    }),
  );
  process.stdout.write(` ${seconds(started)}\n`);
}

/**
 * Sales number `from` to `to` - 1, with their lines and payments, and a refund for each refunded sale:
 * one statement. 15 % are anonymous; a customer's sales fall between joining and the end of the three
 * years, four in five in their home store; one to four lines from the catalogue.
 */
async function insertSales(
  trx: Trx,
  merchantId: string,
  storeIds: string[],
  products: { id: string; sku: string; name: string; price: number; cost: number }[],
  from: number,
  to: number,
): Promise<void> {
  const refunded = FATES.findIndex((f) => f.status === 'refunded') + 1;
  const onAccount = FATES.findIndex((f) => f.status === 'on_account') + 1;
  const cancelled = FATES.findIndex((f) => f.status === 'cancelled') + 1;
  const lineKey = 's.g * 8 + j';
  await sql`
    WITH stores AS (
      SELECT * FROM unnest(${storeIds}::uuid[], ${STORES.map((s) => s.channel)}::text[]) WITH ORDINALITY AS st(id, channel, no)
    ), catalogue AS (
      SELECT * FROM unnest(${products.map((p) => p.id)}::uuid[], ${products.map((p) => p.sku)}::text[],
        ${products.map((p) => p.name)}::text[], ${products.map((p) => p.price)}::bigint[], ${products.map((p) => p.cost)}::bigint[])
        WITH ORDINALITY AS p(id, sku, name, price, cost, no)
    ), drawn AS MATERIALIZED (
      SELECT g, CASE WHEN ${sql.raw(u('g', 'anonymous'))} >= 0.15 THEN ${sql.raw(buyerRank('g'))} END AS b
      FROM generate_series(${from}::bigint, ${to - 1}::bigint) AS g
    ), buyer AS MATERIALIZED (
      SELECT g, n, ${sql.raw(joinedAt('n'))} AS joined
      FROM (SELECT g, 4 * (b / 3) + 1 + b % 3 AS n FROM drawn) d
    ), timed AS (
      SELECT g, n, joined,
        since + (${sql.raw(END_AT)} - since) * ${sql.raw(u('g', 'when'))} AS sold_at,
        CASE WHEN n IS NOT NULL AND ${sql.raw(u('g', 'away'))} >= 0.2 THEN ${sql.raw(homeStore('n'))}
             ELSE width_bucket(${sql.raw(u('g', 'store'))}, ${sql.raw(bounds(STORES))}) END AS store,
        width_bucket(${sql.raw(u('g', 'fate'))}, ${sql.raw(bounds(FATES))}) AS fate,
        1 + floor(4 * power(${sql.raw(u('g', 'lines'))}, 2))::int AS lines
      FROM buyer CROSS JOIN LATERAL (SELECT coalesce(joined, ${sql.raw(START_AT)}) AS since) w
    ), s AS MATERIALIZED (
      SELECT t.g, t.sold_at, t.store, t.fate, t.lines, st.id AS store_id, st.channel,
        ${sql.raw(uuidAt('t.sold_at', 't.g', 1))} AS id,
        CASE WHEN t.n IS NOT NULL THEN ${sql.raw(uuidAt('t.joined', 't.n', 0))} END AS customer_id,
        r.refunded_at, ${sql.raw(uuidAt('r.refunded_at', 't.g', 2))} AS refund_id,
        CASE WHEN st.channel = 'pos' THEN 'Till ' || (1 + t.g % 3) END AS register,
        CASE WHEN t.fate = ${onAccount} THEN 'on_account'
             WHEN st.channel = 'ecommerce' OR ${sql.raw(u('t.g', 'method'))} < 0.7 THEN 'card' ELSE 'cash' END AS method,
        'Staff ' || t.g % 25 AS staff
      FROM timed t
      JOIN stores st ON st.no = t.store
      CROSS JOIN LATERAL (SELECT least(t.sold_at + make_interval(days => 1 + floor(13 * ${sql.raw(u('t.g', 'refund delay'))})::int),
                                       ${sql.raw(END_AT)}) AS refunded_at) r
    ), l AS MATERIALIZED (
      SELECT s.g, j AS line_no, c.id AS product_id, c.sku, c.name, c.price, c.cost, x.quantity,
        x.quantity * c.price AS gross,
        CASE WHEN ${sql.raw(u(lineKey, 'discount'))} < 0.1 THEN round(x.quantity * c.price * 0.1)::bigint ELSE 0 END AS discount
      FROM s
      CROSS JOIN LATERAL generate_series(1, s.lines) AS j
      CROSS JOIN LATERAL (SELECT 1 + floor(${products.length} * ${sql.raw(u(lineKey, 'product'))})::int AS product,
                                 width_bucket(${sql.raw(u(lineKey, 'quantity'))}, ARRAY[0, 0.8, 0.95]::float8[]) AS quantity) x
      JOIN catalogue c ON c.no = x.product
    ), totals AS (
      SELECT g, sum(gross) AS subtotal, sum(discount) AS discount_total, sum(gross - discount) AS total,
        sum(quantity * cost) AS cost_total
      FROM l GROUP BY g
    ), new_sales AS (
      INSERT INTO sale (merchant_id, id, store_id, register, receipt_ref, channel, kind, status, sold_at, customer_id,
        refund_of, subtotal, discount_total, tax_total, total, cost_total, request_hash, created_by, created_at,
        cancelled_at, cancelled_by, cancel_reason)
      SELECT ${merchantId}::uuid, s.id, s.store_id, s.register, 'S' || s.g, s.channel, 'sale',
        (${FATES.map((f) => f.status)}::text[])[s.fate], s.sold_at, s.customer_id, NULL,
        t.subtotal, t.discount_total, 0, t.total, t.cost_total, 'bench', s.staff, s.sold_at,
        CASE WHEN s.fate = ${cancelled} THEN s.sold_at + interval '3 minutes' END,
        CASE WHEN s.fate = ${cancelled} THEN s.staff END,
        CASE WHEN s.fate = ${cancelled} THEN 'Rung up twice' END
      FROM s JOIN totals t USING (g)
      UNION ALL
      SELECT ${merchantId}::uuid, s.refund_id, s.store_id, s.register, 'R' || s.g, s.channel, 'refund', 'completed',
        s.refunded_at, s.customer_id, s.id, -t.subtotal, -t.discount_total, 0, -t.total, -t.cost_total, 'bench',
        s.staff, s.refunded_at, NULL, NULL, NULL
      FROM s JOIN totals t USING (g) WHERE s.fate = ${refunded}
      ORDER BY 2
    ), new_lines AS (
      INSERT INTO sale_line (merchant_id, sale_id, line_no, product_id, sku, description, quantity, unit_price,
        unit_cost, discount, tax, total, refunds_line_no)
      SELECT ${merchantId}::uuid, s.id, l.line_no, l.product_id, l.sku, l.name, l.quantity, l.price, l.cost,
        l.discount, 0, l.gross - l.discount, NULL
      FROM l JOIN s USING (g)
      UNION ALL
      SELECT ${merchantId}::uuid, s.refund_id, l.line_no, l.product_id, l.sku, l.name, -l.quantity, l.price, l.cost,
        -l.discount, 0, l.discount - l.gross, l.line_no
      FROM l JOIN s USING (g) WHERE s.fate = ${refunded}
      ORDER BY 2, 3
    ), new_payments AS (
      INSERT INTO sale_payment (merchant_id, sale_id, line_no, method, amount)
      SELECT ${merchantId}::uuid, s.id, 1, s.method, t.total FROM s JOIN totals t USING (g)
      UNION ALL
      SELECT ${merchantId}::uuid, s.refund_id, 1, s.method, -t.total FROM s JOIN totals t USING (g) WHERE s.fate = ${refunded}
      ORDER BY 2
    )
    SELECT count(*) FROM s`.execute(trx);
}

/**
 * Each buyer's statistics as the sum of their sales, by the app's own definition (STATS_AGGREGATE). A
 * customer who never bought keeps the statistics row the app gave them on insert.
 */
async function computeStatistics(trx: Trx, merchantId: string): Promise<void> {
  await sql`
    INSERT INTO customer_stats (merchant_id, customer_id, total_spent, order_count, visit_count, return_count,
      first_order_at, last_order_at)
    SELECT s.merchant_id, s.customer_id, ${STATS_AGGREGATE}
    FROM sale s
    WHERE s.merchant_id = ${merchantId} AND s.customer_id IS NOT NULL
    GROUP BY s.merchant_id, s.customer_id
    ON CONFLICT (merchant_id, customer_id) DO UPDATE SET
      total_spent = EXCLUDED.total_spent, order_count = EXCLUDED.order_count, visit_count = EXCLUDED.visit_count,
      return_count = EXCLUDED.return_count, first_order_at = EXCLUDED.first_order_at,
      last_order_at = EXCLUDED.last_order_at`.execute(trx);
}

function seconds(since: number): string {
  const s = Math.round((performance.now() - since) / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

import { sql } from 'kysely';
import { Pool } from 'undici';
import { v7 as uuidv7 } from 'uuid';
import { Database } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { seedBenchMerchant } from './audit.bench.ts';
import {
  type BenchDatabase,
  type BenchServer,
  cpuMeter,
  measure,
  openBenchDatabase,
  type Row,
  startBenchServer,
} from './support.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const SALES = Number(process.env.BENCH_SALES ?? 20_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const BIG_CUSTOMER_SALES = 5_000;

/** A million plain customers, generated in SQL (the list and search benchmarks make realistic ones). */
async function seedCustomers(database: Database, merchantId: string, log: (m: string) => void): Promise<void> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM customer WHERE merchant_id = ${merchantId}`.execute(database.system);
  let have = rows[0]?.n ?? 0;
  const group = await database.system
    .selectFrom('customerGroup')
    .select('id')
    .where('merchantId', '=', merchantId)
    .executeTakeFirstOrThrow();
  while (have < CUSTOMERS) {
    const size = Math.min(100_000, CUSTOMERS - have);
    await sql`
      INSERT INTO customer (merchant_id, id, code, first_name, last_name, email, group_id, source)
      SELECT ${merchantId}::uuid, gen_random_uuid(), 'B' || g, 'First' || (g % 5000), 'Last' || (g % 20000),
             'c' || g || '@bench.example.com', ${group.id}::uuid, 'import'
      FROM generate_series(${have + 1}::int, ${have + size}::int) g`.execute(database.system);
    have += size;
    log(`\r  ${have.toLocaleString('en')} / ${CUSTOMERS.toLocaleString('en')} customers`);
  }
  log('\n');
}

/** One customer with 5,000 sales over three years, inserted directly, with statistics set from them. */
async function seedBigCustomer(database: Database, merchantId: string, storeId: string): Promise<string> {
  const existing = await database.system
    .selectFrom('customer')
    .select('id')
    .where('code', '=', 'BIG-5000')
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = uuidv7();
  const group = await database.system
    .selectFrom('customerGroup')
    .select('id')
    .where('merchantId', '=', merchantId)
    .executeTakeFirstOrThrow();
  await database.withMerchant(merchantId, async (trx) => {
    await trx
      .insertInto('customer')
      .values({
        merchantId,
        id,
        code: 'BIG-5000',
        firstName: 'Loyal',
        lastName: 'Regular',
        groupId: group.id,
        source: 'pos',
      } as never)
      .execute();
    await sql`
      INSERT INTO sale (merchant_id, id, store_id, receipt_ref, channel, kind, status, sold_at, customer_id, subtotal, discount_total, tax_total, total, cost_total, request_hash, created_by)
      SELECT ${merchantId}::uuid, gen_random_uuid(), ${storeId}::uuid, 'BIG-' || g, 'pos', 'sale', 'completed',
             timestamptz '2026-11-01' - g * interval '5 hours', ${id}::uuid, 900, 0, 0, 900, 180, 'bench', 'bench'
      FROM generate_series(1, ${BIG_CUSTOMER_SALES}::int) g`.execute(trx);
    await sql`
      INSERT INTO sale_line (merchant_id, sale_id, line_no, description, quantity, unit_price, unit_cost, total)
      SELECT merchant_id, id, 1, 'Latte', 2, 450, 90, 900 FROM sale WHERE customer_id = ${id}::uuid`.execute(trx);
    await sql`
      INSERT INTO sale_payment (merchant_id, sale_id, line_no, method, amount)
      SELECT merchant_id, id, 1, 'card', 900 FROM sale WHERE customer_id = ${id}::uuid`.execute(trx);
    // Every customer has a statistics row from the start (a trigger adds it): set it from the sales.
    await sql`
      UPDATE customer_stats c SET total_spent = a.total, order_count = a.n, visit_count = a.n, return_count = 0,
        first_order_at = a.first, last_order_at = a.last
      FROM (SELECT sum(total) AS total, count(*) AS n, min(sold_at) AS first, max(sold_at) AS last
            FROM sale WHERE customer_id = ${id}::uuid) a
      WHERE c.customer_id = ${id}::uuid`.execute(trx);
  });
  return id;
}

export async function runSalesBench(): Promise<Row[]> {
  const bench: BenchDatabase = await openBenchDatabase();
  const database = new Database({ url: bench.url, max: 4 });
  let server: BenchServer | undefined;
  try {
    await migrateToLatest(database.system);
    const { merchantId, ownerEmail, password } = await seedBenchMerchant(database);
    process.stdout.write(`Generating ${CUSTOMERS.toLocaleString('en')} customers (once)…\n`);
    await seedCustomers(database, merchantId, (m) => process.stdout.write(m));
    const store = await database.system
      .selectFrom('store')
      .select('id')
      .where('merchantId', '=', merchantId)
      .executeTakeFirstOrThrow();
    const bigCustomer = await seedBigCustomer(database, merchantId, store.id);
    await sql`ANALYZE`.execute(database.system);
    const customerIds = (
      await sql<{
        id: string;
      }>`SELECT id FROM customer WHERE merchant_id = ${merchantId} ORDER BY random() LIMIT 50000`.execute(
        database.system,
      )
    ).rows.map((r) => r.id);

    server = await startBenchServer(bench.url, { email: ownerEmail, password });
    const { base, session } = server;

    if (process.env.BENCH_PROFILE) {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`.execute(database.system);
      await sql`SELECT pg_stat_statements_reset()`.execute(database.system);
    }
    const runId = Date.now().toString(36);
    // The tills: one keep-alive connection each. undici's own client, not fetch, whose web streams cost
    // about a millisecond of CPU a request here: the load generator shares the server's two cores.
    const tills = new Pool(base, { connections: CLIENTS });
    let next = 0;
    const latencies: number[] = [];
    const cpu = cpuMeter(server.pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const i = next++;
          if (i >= SALES) return;
          const lattes = 1 + (i % 3);
          const body = {
            storeId: store.id,
            register: `Till ${i % CLIENTS}`,
            receiptRef: `${runId}-${i}`,
            customer: { id: customerIds[i % customerIds.length] },
            lines: [
              { description: 'Latte', quantity: lattes, unitPrice: 450, unitCost: 90 },
              { description: 'Croissant', quantity: 1, unitPrice: 380, unitCost: 120 },
            ],
            payments: [{ method: i % 4 === 0 ? 'cash' : 'card', amount: lattes * 450 + 380 }],
          };
          const t0 = performance.now();
          const res = await tills.request({
            path: '/api/v1/sales',
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `${runId}-${i}`, ...session },
            body: JSON.stringify(body),
          });
          await res.body.arrayBuffer();
          if (res.statusCode !== 201) throw new Error(`Sale ${i}: ${res.statusCode}`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = cpu.perUnit(SALES);
    latencies.sort((a, b) => a - b);
    const at = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
    process.stdout.write(
      `\nSales: ${SALES.toLocaleString('en')} in ${seconds.toFixed(1)} s = ${Math.round(SALES / seconds).toLocaleString('en')} sales/s from ${CLIENTS} clients\n` +
        `CPU a sale: ${used.total.toFixed(2)} ms = server ${used.server.toFixed(2)} + PostgreSQL ${used.postgres.toFixed(2)} + load generator ${used.load.toFixed(2)}\n`,
    );
    if (process.env.BENCH_PROFILE) await printStatementProfile(database, SALES);
    try {
      process.stdout.write(await requestCosts(tills, session, server.pid));
    } finally {
      await tills.close();
    }
    const rows: Row[] = [
      {
        name: `record a sale, ${CLIENTS} clients at once (${Math.round(SALES / seconds).toLocaleString('en')} sales/s)`,
        count: SALES,
        p50: at(50),
        p95: at(95),
        p99: at(99),
        max: latencies.at(-1) ?? 0,
      },
    ];
    const get = async (url: string) => {
      const res = await fetch(`${base}${url}`, { headers: session });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    };
    rows.push(
      await measure(
        `customer page: statistics + first 20 of ${BIG_CUSTOMER_SALES.toLocaleString('en')} receipts (in parallel)`,
        300,
        () =>
          Promise.all([
            get(`/api/v1/customers/${bigCustomer}`),
            get(`/api/v1/customers/${bigCustomer}/sales?limit=20`),
          ]),
      ),
    );
    rows.push(await measure('customer page: statistics only', 300, () => get(`/api/v1/customers/${bigCustomer}`)));
    const differences = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM customer_stats c
      JOIN (SELECT customer_id, sum(total) AS total FROM sale WHERE status <> 'cancelled' AND customer_id IS NOT NULL GROUP BY customer_id) s
        ON s.customer_id = c.customer_id
      WHERE c.total_spent <> s.total`.execute(database.system);
    process.stdout.write(
      `Customers whose total spent differs from their sales after the run: ${differences.rows[0]?.n}\n`,
    );
    return rows;
  } finally {
    server?.stop();
    await database.close();
    await bench.stop();
  }
}

/**
 * What lighter requests cost here, from the same tills, as yardsticks for the CPU a sale takes: a request
 * that reaches no code of Patron's (the health check), one that reads the signed-in identity (no database:
 * the identity is remembered), and one that reads the stores (a transaction of one query).
 */
async function requestCosts(tills: Pool, session: BenchServer['session'], serverPid: number): Promise<string> {
  const REQUESTS = 10_000;
  let text = '';
  const send = async (path: string, count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next++ < count) {
          const res = await tills.request({ path, method: 'GET', headers: session });
          await res.body.arrayBuffer();
          if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
        }
      }),
    );
  };
  for (const [label, path] of [
    ['health check', '/healthz'],
    ['signed-in identity', '/api/v1/auth/session'],
    ['list of stores', '/api/v1/stores'],
  ] as const) {
    // Measured warm: the first requests of a path are slower while V8 compiles its code.
    await send(path, 2_000);
    const cpu = cpuMeter(serverPid);
    const started = performance.now();
    await send(path, REQUESTS);
    const perSecond = REQUESTS / ((performance.now() - started) / 1000);
    const used = cpu.perUnit(REQUESTS);
    text +=
      `CPU a request, ${label} (${Math.round(perSecond).toLocaleString('en')}/s): ${used.total.toFixed(2)} ms = ` +
      `server ${used.server.toFixed(2)} + PostgreSQL ${used.postgres.toFixed(2)} + load generator ${used.load.toFixed(2)}\n`;
  }
  return text;
}

/** Where PostgreSQL spent its time during the sales (BENCH_PROFILE=1): the top statements, per sale. */
async function printStatementProfile(database: Database, sales: number): Promise<void> {
  const { rows } = await sql<{ calls: string; plan: number; exec: number; query: string }>`
    SELECT calls, total_plan_time AS plan, total_exec_time AS exec, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements ORDER BY total_plan_time + total_exec_time DESC LIMIT 15`.execute(database.system);
  const total = rows.reduce((sum, r) => sum + r.plan + r.exec, 0);
  process.stdout.write(`\nPostgreSQL time per sale (top statements): ${((total / sales) * 1000).toFixed(0)} µs\n`);
  for (const r of rows) {
    process.stdout.write(
      `  ${((r.plan / sales) * 1000).toFixed(0).padStart(5)} µs plan ${((r.exec / sales) * 1000).toFixed(0).padStart(5)} µs exec ${String(r.calls).padStart(7)} calls  ${r.query}\n`,
    );
  }
}

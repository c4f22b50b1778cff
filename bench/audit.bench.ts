// `npm run bench -- audit`: the audit log at millions of events, measured through HTTP.
// Generates the data once into its own database (PATRON_BENCH_DIR, default ./data/bench), reproducibly.
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { insertUser } from '../src/features/auth/auth.repository.ts';
import { createMerchant } from '../src/features/merchants/merchant.service.ts';
import { hashPassword } from '../src/platform/auth/password.ts';
import { Database } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { buildApp } from '../src/platform/http/app.ts';
import { type BenchDatabase, measure, openBenchDatabase, type Row } from './support.ts';

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 2_000_000);
const OTHER_MERCHANT_EVENTS = Math.round(EVENTS / 10);
const STAFF = 25;
const PASSWORD = 'bench-password-1';

/** The bench merchant, its owner and staff, and a second merchant: created once. */
export async function seedBenchMerchant(
  database: Database,
): Promise<{ merchantId: string; actors: string[]; ownerEmail: string; password: string }> {
  const existing = await database.system
    .selectFrom('appUser')
    .select(['merchantId', 'email'])
    .where('email', '=', 'owner@bench.example.com')
    .executeTakeFirst();
  let merchantId = existing?.merchantId;
  if (!merchantId) {
    merchantId = await createMerchant(database, { name: 'Bench shop' });
    const other = await createMerchant(database, { name: 'Other shop' });
    const passwordHash = await hashPassword(PASSWORD);
    for (const [target, prefix] of [
      [merchantId, 'bench'],
      [other, 'other'],
    ] as const) {
      await database.withMerchant(target, async (trx) => {
        await insertUser(trx, {
          merchantId: target,
          id: uuidv7(),
          name: 'Owner',
          email: `owner@${prefix}.example.com`,
          passwordHash,
          role: 'owner',
        });
        for (let i = 0; i < STAFF; i++) {
          await insertUser(trx, {
            merchantId: target,
            id: uuidv7(),
            name: `Staff ${i}`,
            email: `staff${i}@${prefix}.example.com`,
            passwordHash,
            role: 'manager',
          });
        }
      });
    }
  }
  const actors = (
    await database.system
      .selectFrom('appUser')
      .select('id')
      .where('merchantId', '=', merchantId)
      .orderBy('id')
      .execute()
  ).map((r) => r.id);
  return { merchantId, actors, ownerEmail: 'owner@bench.example.com', password: PASSWORD };
}

/** Events spread over three years, by 26 people, over 200,000 customers; a tenth as many for another merchant. */
async function generate(database: Database, log: (m: string) => void): Promise<void> {
  const merchants = await database.system.selectFrom('merchant').select(['id', 'name']).execute();
  for (const merchant of merchants) {
    const target = merchant.name === 'Bench shop' ? EVENTS : OTHER_MERCHANT_EVENTS;
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_event WHERE merchant_id = ${merchant.id}`.execute(database.system);
    let have = rows[0]?.n ?? 0;
    const batch = 200_000;
    while (have < target) {
      const size = Math.min(batch, target - have);
      await sql`
        INSERT INTO audit_event (merchant_id, id, occurred_at, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes, request_id, ip)
        SELECT ${merchant.id}::uuid, gen_random_uuid(),
               timestamptz '2026-11-01' - (random() * interval '1095 days'),
               'user', u.ids[1 + g % u.n], u.names[1 + g % u.n],
               (ARRAY['customer.created','customer.updated','customer.updated','customer.updated','customer.note_added','customer.deleted','user.signed_in'])[1 + (g % 7)],
               CASE WHEN g % 7 = 6 THEN 'user' ELSE 'customer' END,
               ('00000000-0000-4000-8000-' || lpad(to_hex(g % 200000), 12, '0'))::uuid,
               jsonb_build_object('companyName', jsonb_build_object('from', 'Old ' || g, 'to', 'New ' || g)),
               gen_random_uuid()::text, '10.0.' || (g % 250) || '.' || (g % 200)
        FROM generate_series(${have + 1}::int, ${have + size}::int) AS g,
          (SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names, count(*)::int AS n
           FROM app_user WHERE merchant_id = ${merchant.id}::uuid) AS u`.execute(database.system);
      have += size;
      log(`\r  ${merchant.name}: ${have.toLocaleString('en')} / ${target.toLocaleString('en')} audit events`);
    }
    log('\n');
  }
  await sql`ANALYZE audit_event`.execute(database.system);
}

export async function runAuditBench(): Promise<Row[]> {
  const bench: BenchDatabase = await openBenchDatabase();
  const database = new Database({ url: bench.url, max: 10 });
  try {
    await migrateToLatest(database.system);
    const { actors, ownerEmail } = await seedBenchMerchant(database);
    process.stdout.write(`Generating ${EVENTS.toLocaleString('en')} audit events (once)…\n`);
    await generate(database, (m) => process.stdout.write(m));

    const app = await buildApp({ database });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ownerEmail, password: PASSWORD }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { items: unknown[]; next: string | null };
    };
    const pick = <T>(list: T[], i: number) => list[i % list.length] as T;

    const rows: Row[] = [];
    rows.push(await measure('first page (50 newest)', 200, () => get('/api/v1/audit-events?limit=50')));
    let cursor: string | null = null;
    rows.push(
      await measure('each next page, 200 pages deep (10,000 events)', 200, async () => {
        const page = await get(`/api/v1/audit-events?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
        cursor = page.next;
      }),
    );
    rows.push(await measure('by person', 200, (i) => get(`/api/v1/audit-events?limit=50&actorId=${pick(actors, i)}`)));
    rows.push(
      await measure('by action (customer.deleted)', 200, () =>
        get('/api/v1/audit-events?limit=50&action=customer.deleted'),
      ),
    );
    rows.push(
      await measure('by person and action', 200, (i) =>
        get(`/api/v1/audit-events?limit=50&actorId=${pick(actors, i)}&action=user.signed_in`),
      ),
    );
    rows.push(
      await measure('one day, a year ago', 200, (i) => {
        const day = new Date(Date.UTC(2025, 10, 1 + (i % 28)));
        const next = new Date(day.getTime() + 86_400_000);
        return get(`/api/v1/audit-events?limit=50&from=${day.toISOString()}&to=${next.toISOString()}`);
      }),
    );
    rows.push(
      await measure("one customer's history", 200, (i) =>
        get(
          `/api/v1/audit-events?limit=50&entityType=customer&entityId=00000000-0000-4000-8000-${((i * 7919) % 200000).toString(16).padStart(12, '0')}`,
        ),
      ),
    );
    await app.close();
    return rows;
  } finally {
    await database.close();
    await bench.stop();
  }
}

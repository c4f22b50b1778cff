import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { insertUser } from '../../src/features/auth/auth.repository.ts';
import { createMerchant } from '../../src/features/merchants/merchant.service.ts';
import { hashPassword } from '../../src/platform/auth/password.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { type AppOptions, buildApp } from '../../src/platform/http/app.ts';
import type { Role } from '../../src/shared/permissions.ts';
import { createTestDatabase } from './database.ts';

/** Someone signed in: every request carries their session cookie and CSRF token. */
export interface Client {
  email: string;
  password: string;
  userId: string;
  cookie: string;
  csrf: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface TestMerchant {
  merchantId: string;
  owner: Client;
  /** A new staff member with this role, signed in. */
  as(role: Role): Promise<Client>;
}

export interface TestApp extends TestMerchant {
  app: FastifyInstance;
  database: Database;
  /** Base URL, when started with `listen: true`. */
  url: string;
  /** Another merchant on the same database, with its own owner. */
  addMerchant(name: string): Promise<TestMerchant>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery';
let counter = 0;

/** Create a person with `role` in the merchant (straight into the database) and sign them in through the API. */
async function staffMember(app: FastifyInstance, database: Database, merchantId: string, role: Role): Promise<Client> {
  const id = uuidv7();
  const email = `${role}.${++counter}.${id.slice(-8)}@staff.example.com`;
  const passwordHash = await hashPassword(TEST_PASSWORD);
  await database.withMerchant(merchantId, (trx) =>
    insertUser(trx, {
      merchantId,
      id,
      name: `${role[0]?.toUpperCase()}${role.slice(1)} ${counter}`,
      email,
      passwordHash,
      role,
    }),
  );
  return signIn(app, email, TEST_PASSWORD, id);
}

export async function signIn(app: FastifyInstance, email: string, password: string, userId = ''): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`Sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'patron_session');
  const cookie = `patron_session=${session?.value}`;
  const csrf = res.json().csrfToken as string;
  return {
    email,
    password,
    userId: userId || (res.json().actor.id as string),
    cookie,
    csrf,
    inject: (options) =>
      app.inject({
        ...options,
        headers: { cookie, 'x-csrf-token': csrf, ...(options.headers as Record<string, string>) },
      }),
  };
}

async function merchantWithOwner(app: FastifyInstance, database: Database, name: string): Promise<TestMerchant> {
  const merchantId = await createMerchant(database, { name });
  const owner = await staffMember(app, database, merchantId, 'owner');
  return { merchantId, owner, as: (role) => staffMember(app, database, merchantId, role) };
}

/** The whole application on its own fresh database, with a merchant and its owner signed in. */
export async function createTestApp(
  options: {
    listen?: boolean;
    tokenRateLimit?: { limit: number; windowSeconds: number };
    jobs?: AppOptions['jobs'];
  } = {},
): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const app = await buildApp({
    ...(process.env.TEST_LOG ? { logger: { level: 'error' } } : {}),
    database: testDb.database,
    ...(options.tokenRateLimit ? { tokenRateLimit: options.tokenRateLimit } : {}),
    jobs: options.jobs ?? true,
  });
  let url = '';
  if (options.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  } else {
    await app.ready();
  }
  const first = await merchantWithOwner(app, testDb.database, 'Test shop');
  return {
    ...first,
    app,
    database: testDb.database,
    url,
    addMerchant: (name) => merchantWithOwner(app, testDb.database, name),
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}

/** The id of the merchant's first store (every merchant starts with one). */
export async function firstStoreId(client: Client): Promise<string> {
  return (await client.inject({ method: 'GET', url: '/api/v1/stores' })).json().items[0].id;
}

/** Products in the merchant's catalogue, through the API. */
export async function addProducts(
  client: Client,
  products: { sku: string; name: string; price: number; cost?: number }[],
): Promise<void> {
  for (const payload of products) {
    const res = await client.inject({ method: 'POST', url: '/api/v1/products', payload });
    if (res.statusCode >= 300) throw new Error(`Product ${payload.sku}: ${res.body}`);
  }
}

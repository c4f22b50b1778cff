import type { FastifyInstance } from 'fastify';
import { ensureDefaultMerchant } from '../../src/features/merchants/merchant.service.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { buildApp } from '../../src/platform/http/app.ts';
import { createTestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  merchantId: string;
  /** Base URL, when started with `listen: true`. */
  url: string;
  close(): Promise<void>;
}

/** The whole application on its own fresh database; `listen` for a browser, `app.inject` otherwise. */
export async function createTestApp(options: { listen?: boolean } = {}): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const merchantId = await ensureDefaultMerchant(testDb.database);
  const app = await buildApp({ database: testDb.database, merchantId });
  let url = '';
  if (options.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  } else {
    await app.ready();
  }
  return {
    app,
    database: testDb.database,
    merchantId,
    url,
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}

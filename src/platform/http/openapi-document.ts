import { Database } from '../db/database.ts';
import { buildApp } from './app.ts';

/** The OpenAPI document exactly as the server publishes it, built without a database connection. */
export async function renderOpenApiDocument(): Promise<string> {
  const database = new Database({ url: 'postgres://unused@127.0.0.1:1/unused' });
  const app = await buildApp({ database, webDir: '/nonexistent' });
  await app.ready();
  const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  await database.close();
  return document;
}

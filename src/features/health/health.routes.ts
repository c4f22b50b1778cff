import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.ts';
import { pendingMigrations } from '../../platform/db/migrate.ts';

const tags = ['Health'];
const statusSchema = z.object({ status: z.string(), detail: z.string().optional() });

export const healthRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (app, { database }) => {
  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags, summary: 'The process is up', response: { 200: statusSchema } },
    handler: () => ({ status: 'ok' }),
  });

  app.get('/readyz', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'The database is reachable and fully migrated',
      response: { 200: statusSchema, 503: statusSchema },
    },
    handler: async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(database.system);
        const pending = await pendingMigrations(database.system);
        if (pending.length > 0) {
          return reply.code(503).send({ status: 'migrating', detail: `${pending.length} migrations pending` });
        }
        return { status: 'ready' };
      } catch {
        return reply.code(503).send({ status: 'unavailable', detail: 'The database cannot be reached' });
      }
    },
  });
};

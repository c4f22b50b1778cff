import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { storeListSchema } from './store.schema.ts';
import type { StoreService } from './store.service.ts';

export const storeRoutes: FastifyPluginAsyncZod<{ stores: StoreService }> = async (app, { stores }) => {
  app.get('/stores', {
    config: { access: 'signed-in' },
    schema: {
      tags: ['Stores'],
      summary: "The merchant's stores and online shop",
      response: { 200: storeListSchema },
    },
    handler: async (request) => ({ items: await stores.list(request.ctx) }),
  });
};

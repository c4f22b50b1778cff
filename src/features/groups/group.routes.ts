import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { customerGroupListSchema } from './group.schema.ts';
import type { GroupService } from './group.service.ts';

export const groupRoutes: FastifyPluginAsyncZod<{ groups: GroupService }> = async (app, { groups }) => {
  app.get('/customer-groups', {
    config: { access: 'customers:read' },
    schema: {
      tags: ['Customer groups'],
      summary: 'Customer groups',
      description: 'Every group of the merchant: "All Customers" (the default) first, then by name.',
      response: { 200: customerGroupListSchema },
    },
    handler: async (request) => ({ items: await groups.list(request.ctx) }),
  });
};

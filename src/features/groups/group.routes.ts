import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problems } from '../../platform/http/responses.ts';
import {
  customerGroupCreateSchema,
  customerGroupListSchema,
  customerGroupSchema,
  customerGroupUpdateSchema,
  groupDeleteResultSchema,
  groupIdParams,
  MOVE_IDS_MAX,
  moveCustomersSchema,
  moveResultSchema,
} from './group.schema.ts';
import type { GroupService } from './group.service.ts';

const tags = ['Customer groups'];

/**
 * HTTP only. Reading groups needs `customers:read`; creating, renaming and deleting them, and moving
 * customers between them in bulk, need `groups:manage` (owners, admins and managers): a group will carry a
 * discount at the till, so who may put customers into one is a manager's decision.
 */
export const groupRoutes: FastifyPluginAsyncZod<{ groups: GroupService }> = async (app, { groups }) => {
  app.get('/customer-groups', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: 'Customer groups',
      description:
        'Every group of the merchant: "All Customers" (the default) first, then by name, each with its size and what its customers have spent.',
      response: { 200: customerGroupListSchema },
    },
    handler: async (request) => ({ items: await groups.list(request.ctx) }),
  });

  app.post('/customer-groups', {
    config: { access: 'groups:manage' },
    schema: {
      tags,
      summary: 'Create a customer group',
      description: 'The name must be new among the groups (ignoring case): 409 names the field otherwise.',
      body: customerGroupCreateSchema,
      response: { 201: customerGroupSchema, ...problems(400, 409, 413, 415, 422) },
    },
    handler: async (request, reply) => {
      const group = await groups.create(request.ctx, request.body);
      return reply.code(201).header('location', `/api/v1/customer-groups/${group.id}`).send(group);
    },
  });

  app.get('/customer-groups/:id', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: 'Get a customer group',
      params: groupIdParams,
      response: { 200: customerGroupSchema, ...problems(404, 422) },
    },
    handler: (request) => groups.get(request.ctx, request.params.id),
  });

  app.patch('/customer-groups/:id', {
    config: { access: 'groups:manage' },
    schema: {
      tags,
      summary: 'Rename a customer group or change its discount',
      description:
        'The default group can be renamed too; it stays the default. A discount applies to sales recorded from then on.',
      params: groupIdParams,
      body: customerGroupUpdateSchema,
      response: { 200: customerGroupSchema, ...problems(400, 404, 409, 413, 415, 422) },
    },
    handler: (request) => groups.update(request.ctx, request.params.id, request.body),
  });

  app.delete('/customer-groups/:id', {
    config: { access: 'groups:manage' },
    schema: {
      tags,
      summary: 'Delete a customer group',
      description:
        'Its customers join the default group, in the same transaction. The default group cannot be deleted (409).',
      params: groupIdParams,
      response: { 200: groupDeleteResultSchema, ...problems(404, 409, 422) },
    },
    handler: (request) => groups.delete(request.ctx, request.params.id),
  });

  app.post('/customer-groups/:id/customers', {
    config: { access: 'groups:manage' },
    schema: {
      tags,
      summary: 'Move customers into a customer group',
      description:
        `Either \`customerIds\` (up to ${MOVE_IDS_MAX}) or \`matching\`: every customer the list shows for a search and filters. ` +
        'All of them move in one transaction, or none; the answer says how many moved. Customers already in the group stay, and are counted apart.',
      params: groupIdParams,
      body: moveCustomersSchema,
      response: { 200: moveResultSchema, ...problems(400, 404, 409, 413, 415, 422) },
    },
    handler: (request) => groups.moveCustomers(request.ctx, request.params.id, request.body),
  });
};

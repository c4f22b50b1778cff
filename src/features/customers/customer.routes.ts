import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problems } from '../../platform/http/responses.ts';
import { problemSchema } from '../../shared/problem.schema.ts';
import { auditPageSchema, auditQuerySchema } from '../audit/audit.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  customerCountSchema,
  customerCreateSchema,
  customerFilterSchema,
  customerIdParams,
  customerListQuerySchema,
  customerPageSchema,
  customerSchema,
  customerUpdateSchema,
  noteCreateSchema,
  noteListSchema,
  noteSchema,
} from './customer.schema.ts';
import type { CustomerService } from './customer.service.ts';

const tags = ['Customers'];

/** HTTP only: each route validates, calls the service, and answers. */
export const customerRoutes: FastifyPluginAsyncZod<{ customers: CustomerService; audit: AuditService }> = async (
  app,
  { customers, audit },
) => {
  app.get('/customers', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: 'List and find customers',
      description:
        'Live customers matching the search and filters, in pages, by name unless `sort` says otherwise (with `q` and no `sort`: best match first). Pass `next` back as `cursor`, with the same query, for the following page: pages neither skip nor repeat customers while others are added.',
      querystring: customerListQuerySchema,
      response: { 200: customerPageSchema, ...problems(422) },
    },
    handler: (request) => customers.list(request.ctx, request.query),
  });

  app.get('/customers/count', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: 'Count customers',
      description:
        'How many live customers match the search and filters (the same parameters as the list): exact up to 10,000, else `exact: false`.',
      querystring: customerFilterSchema,
      response: { 200: customerCountSchema, ...problems(422) },
    },
    handler: (request) => customers.count(request.ctx, request.query),
  });

  app.post('/customers', {
    config: { access: 'customers:write' },
    schema: {
      tags,
      summary: 'Create a customer',
      body: customerCreateSchema,
      response: { 201: customerSchema, ...problems(400, 409, 413, 415, 422) },
    },
    handler: async (request, reply) => {
      const customer = await customers.create(request.ctx, request.body);
      return reply
        .code(201)
        .header('location', `/api/v1/customers/${customer.id}`)
        .header('etag', `"${customer.version}"`)
        .send(customer);
    },
  });

  app.get('/customers/:id', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: 'Get a customer',
      params: customerIdParams,
      response: { 200: customerSchema, ...problems(404, 422) },
    },
    handler: async (request, reply) => {
      const customer = await customers.get(request.ctx, request.params.id);
      return reply.header('etag', `"${customer.version}"`).send(customer);
    },
  });

  app.patch('/customers/:id', {
    config: { access: 'customers:write' },
    schema: {
      tags,
      summary: 'Change a customer',
      description:
        'Only the fields sent change; `null` or an empty string clears a field. Send the version you edited (`If-Match: "3"` or `version: 3`): ' +
        'if someone changed the customer since, nothing is saved and the answer is 412 with the customer as it is now, in `current`.',
      params: customerIdParams,
      headers: z.object({ 'if-match': z.string().optional() }),
      body: customerUpdateSchema,
      response: {
        200: customerSchema,
        412: problemSchema.extend({ current: customerSchema }),
        ...problems(400, 404, 409, 413, 415, 422),
      },
    },
    handler: async (request, reply) => {
      const customer = await customers.update(
        request.ctx,
        request.params.id,
        request.body,
        request.headers['if-match'],
      );
      return reply.header('etag', `"${customer.version}"`).send(customer);
    },
  });

  app.delete('/customers/:id', {
    config: { access: 'customers:delete' },
    schema: {
      tags,
      summary: 'Delete a customer',
      description: 'The customer leaves lists and lookups; the record id stays valid in sales reports.',
      params: customerIdParams,
      response: { 204: z.undefined(), ...problems(404, 422) },
    },
    handler: async (request, reply) => {
      await customers.delete(request.ctx, request.params.id);
      return reply.code(204).send();
    },
  });

  app.get('/customers/:id/notes', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: "List a customer's notes",
      description: 'Team-only notes, newest first.',
      params: customerIdParams,
      response: { 200: noteListSchema, ...problems(404, 422) },
    },
    handler: async (request) => ({ items: await customers.listNotes(request.ctx, request.params.id) }),
  });

  app.post('/customers/:id/notes', {
    config: { access: 'customers:write' },
    schema: {
      tags,
      summary: 'Add a note to a customer',
      params: customerIdParams,
      body: noteCreateSchema,
      response: { 201: noteSchema, ...problems(400, 404, 413, 415, 422) },
    },
    handler: async (request, reply) => {
      const note = await customers.addNote(request.ctx, request.params.id, request.body.body);
      return reply.code(201).send(note);
    },
  });

  app.get('/customers/:id/history', {
    config: { access: 'customers:read' },
    schema: {
      tags,
      summary: "A customer's history: who changed what, when",
      description: 'Every create, change, note and delete of the customer, newest first, with the fields changed.',
      params: customerIdParams,
      querystring: auditQuerySchema.pick({ limit: true, cursor: true }),
      response: { 200: auditPageSchema, ...problems(404, 422) },
    },
    handler: async (request) => {
      await customers.get(request.ctx, request.params.id);
      return audit.history(request.ctx, 'customer', request.params.id, request.query);
    },
  });
};

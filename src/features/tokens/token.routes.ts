import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problems } from '../../platform/http/responses.ts';
import { uuid } from '../../shared/fields.ts';
import { apiTokenCreatedSchema, apiTokenCreateSchema, apiTokenListSchema } from './token.schema.ts';
import type { TokenService } from './token.service.ts';

const tags = ['API tokens'];

export const tokenRoutes: FastifyPluginAsyncZod<{ tokens: TokenService }> = async (app, { tokens }) => {
  app.get('/tokens', {
    config: { access: 'tokens:manage' },
    schema: { tags, summary: 'List API tokens', response: { 200: apiTokenListSchema } },
    handler: async (request) => ({ items: await tokens.list(request.ctx) }),
  });

  app.post('/tokens', {
    config: { access: 'tokens:manage' },
    schema: {
      tags,
      summary: 'Create an API token',
      description: 'The secret is in this answer only; Patron keeps just its hash.',
      body: apiTokenCreateSchema,
      response: { 201: apiTokenCreatedSchema, ...problems(400, 422) },
    },
    handler: async (request, reply) => reply.code(201).send(await tokens.create(request.ctx, request.body)),
  });

  app.delete('/tokens/:id', {
    config: { access: 'tokens:manage' },
    schema: {
      tags,
      summary: 'Revoke an API token',
      params: z.object({ id: uuid }),
      response: { 204: z.undefined(), ...problems(404, 409, 422) },
    },
    handler: async (request, reply) => {
      await tokens.revoke(request.ctx, request.params.id);
      return reply.code(204).send();
    },
  });
};

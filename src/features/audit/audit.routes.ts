import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problems } from '../../platform/http/responses.ts';
import { auditPageSchema, auditQuerySchema } from './audit.schema.ts';
import type { AuditService } from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get('/audit-events', {
    config: { access: 'audit:read' },
    schema: {
      tags: ['Audit log'],
      summary: 'List audit events',
      description: 'Who did what, newest first, filtered by person or token, action, record and time.',
      querystring: auditQuerySchema,
      response: { 200: auditPageSchema, ...problems(422) },
    },
    handler: (request) => audit.list(request.ctx, request.query),
  });
};

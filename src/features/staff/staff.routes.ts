import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problems } from '../../platform/http/responses.ts';
import { uuid } from '../../shared/fields.ts';
import { problemSchema } from '../../shared/problem.schema.ts';
import {
  staffInviteSchema,
  staffListSchema,
  staffMemberSchema,
  staffUpdateSchema,
  temporaryPasswordSchema,
} from './staff.schema.ts';
import type { StaffService } from './staff.service.ts';

const tags = ['Staff'];
const params = z.object({ id: uuid });

export const staffRoutes: FastifyPluginAsyncZod<{ staff: StaffService }> = async (app, { staff }) => {
  app.get('/staff', {
    config: { access: 'staff:manage' },
    schema: { tags, summary: 'List staff accounts', response: { 200: staffListSchema } },
    handler: async (request) => ({ items: await staff.list(request.ctx) }),
  });

  app.post('/staff', {
    config: { access: 'staff:manage' },
    schema: {
      tags,
      summary: 'Invite a staff member',
      description: 'Creates the account with a temporary password, returned once, to be changed at first sign-in.',
      body: staffInviteSchema,
      response: { 201: temporaryPasswordSchema, ...problems(400, 409, 422) },
    },
    handler: async (request, reply) => reply.code(201).send(await staff.invite(request.ctx, request.body)),
  });

  app.patch('/staff/:id', {
    config: { access: 'staff:manage' },
    schema: {
      tags,
      summary: "Change a staff member's name, role or stores, or disable the account",
      params,
      body: staffUpdateSchema,
      response: {
        200: staffMemberSchema,
        412: problemSchema.extend({ current: staffMemberSchema }),
        ...problems(400, 404, 422),
      },
    },
    handler: (request) => staff.update(request.ctx, request.params.id, request.body),
  });

  app.post('/staff/:id/reset-password', {
    config: { access: 'staff:manage' },
    schema: {
      tags,
      summary: "Reset a staff member's password",
      description: 'Returns a new temporary password once; their sessions end.',
      params,
      response: { 200: temporaryPasswordSchema, ...problems(404, 422) },
    },
    handler: (request) => staff.resetPassword(request.ctx, request.params.id),
  });
};

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE, sessionCookieOptions } from '../../platform/http/auth.ts';
import { AppError } from '../../platform/http/errors.ts';
import { problems } from '../../platform/http/responses.ts';
import {
  APPROVAL_HEADER,
  approvalRequestSchema,
  approvalSchema,
  changePasswordSchema,
  sessionSchema,
  setupSchema,
  setupStatusSchema,
  signInSchema,
} from './auth.schema.ts';
import { type AuthService, type ClientInfo, describeIdentity, type Identity, type SignedIn } from './auth.service.ts';

const tags = ['Sign-in'];

function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null, requestId: request.id };
}

function startSession(reply: FastifyReply, request: FastifyRequest, signedIn: SignedIn) {
  reply.setCookie(SESSION_COOKIE, signedIn.secret, sessionCookieOptions(request));
  return describeIdentity(signedIn.identity);
}

function identityOf(request: FastifyRequest): Identity {
  if (!request.identity) throw new AppError('unauthenticated', 'Sign in first');
  return request.identity;
}

export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService }> = async (app, { auth }) => {
  app.get('/setup', {
    config: { access: 'public' },
    schema: { tags, summary: 'Whether Patron still needs its first owner', response: { 200: setupStatusSchema } },
    handler: async () => ({ needsSetup: await auth.needsSetup() }),
  });

  app.post('/setup', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'First run: create the business and its owner',
      description: 'Works only while no owner exists; the owner is signed in (session cookie set).',
      body: setupSchema,
      response: { 201: sessionSchema, ...problems(400, 409, 422) },
    },
    handler: async (request, reply) => {
      const signedIn = await auth.setup(request.body, clientOf(request));
      return reply.code(201).send(startSession(reply, request, signedIn));
    },
  });

  app.post('/auth/sign-in', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Sign in with email and password',
      description:
        'Sets an HttpOnly session cookie. An unknown email and a wrong password get the same 401; repeated failures get 429 with Retry-After.',
      body: signInSchema,
      response: { 200: sessionSchema, ...problems(400, 401, 403, 422, 429) },
    },
    handler: async (request, reply) => {
      const signedIn = await auth.signIn(request.body.email, request.body.password, clientOf(request));
      return startSession(reply, request, signedIn);
    },
  });

  app.post('/auth/sign-out', {
    config: { access: 'signed-in' },
    schema: { tags, summary: 'Sign out (end this session)', response: { 204: z.undefined() } },
    handler: async (request, reply) => {
      await auth.signOut(identityOf(request), clientOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  app.get('/auth/session', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'Who is signed in, for which business, with which permissions',
      response: { 200: sessionSchema },
    },
    handler: async (request) => describeIdentity(identityOf(request)),
  });

  app.post('/auth/password', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'Change your own password',
      description: 'Every other session of yours ends.',
      body: changePasswordSchema,
      response: { 204: z.undefined(), ...problems(400, 422) },
    },
    handler: async (request, reply) => {
      await auth.changePassword(
        identityOf(request),
        request.body.currentPassword,
        request.body.newPassword,
        clientOf(request),
      );
      return reply.code(204).send();
    },
  });

  app.post('/auth/approvals', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: "A manager's approval at the till",
      description: `Someone who may not do something alone (a cashier cancelling a sale or refunding items, or putting a sale on a customer's account past their credit limit) asks a manager, who types their own email and password on the same screen. The answer approves one request of the person asking, for that permission and that record (the sale; for a sale past a credit limit, the UUID the new sale is sent with as its Idempotency-Key), within two minutes: send it as the \`${APPROVAL_HEADER}\` header. The approver must have the permission; wrong passwords count against the same limits as sign-ins. The action's audit entry names the approver.`,
      body: approvalRequestSchema,
      response: { 201: approvalSchema, ...problems(400, 415, 422) },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await auth.approve(identityOf(request), request.body, clientOf(request))),
  });
};

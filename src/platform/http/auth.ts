import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APPROVABLE_BY_ROUTE, APPROVAL_HEADER } from '../../features/auth/auth.schema.ts';
import { type AuthService, contextOf, type Identity } from '../../features/auth/auth.service.ts';
import { PERMISSION_LABELS, type Permission } from '../../shared/permissions.ts';
import { problemSchema } from '../../shared/problem.schema.ts';
import type { Database } from '../db/database.ts';
import { hitWindow } from '../db/rate-limit.repository.ts';
import { AppError } from './errors.ts';

/**
 * What a route needs: a permission, `signed-in` (any person or token), or `public` (no one).
 * Every API route must say; one that does not fails at start-up, so none is left unguarded.
 */
export type Access = Permission | 'signed-in' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    identity: Identity | null;
  }
}

export const SESSION_COOKIE = 'patron_session';
export const CSRF_HEADER = 'x-csrf-token';
/** Requests an API token may make in a minute. */
export const TOKEN_RATE_LIMIT = { limit: 1200, windowSeconds: 60 };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const UNDOCUMENTED = ['/api/docs', '/api/openapi.json'];

/** The permission table as the OpenAPI document shows it, on each operation and its description. */
function describeAccess(access: Access): string {
  if (access === 'public') return 'No sign-in needed.';
  if (access === 'signed-in') return 'Any signed-in person or API token.';
  return `Needs the permission \`${access}\` (${PERMISSION_LABELS[access]}).`;
}

export interface AuthPluginOptions {
  auth: AuthService;
  database: Database;
  tokenRateLimit?: { limit: number; windowSeconds: number };
}

/** Who the request is (session cookie or bearer token), and whether they may do what the route does. */
export function registerAuth(app: FastifyInstance, { auth, database, tokenRateLimit }: AuthPluginOptions): void {
  const tokenLimit = tokenRateLimit ?? TOKEN_RATE_LIMIT;
  app.decorateRequest('identity', null);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    const isApi = route.url.startsWith('/api/') && !UNDOCUMENTED.some((prefix) => route.url.startsWith(prefix));
    if (!isApi && !access) return;
    if (!access)
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare its access (config.access)`);
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    const guarded = access === 'public' ? {} : { 401: problemSchema, 403: problemSchema, 429: problemSchema };
    route.schema = {
      ...schema,
      response: { ...guarded, ...(schema.response as object | undefined) },
      description: [schema.description, describeAccess(access)].filter(Boolean).join('\n\n'),
      'x-permission': access,
      ...(access === 'public' ? { security: [] } : { security: [{ session: [] }, { bearer: [] }] }),
    } as typeof route.schema;
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return;
    const identity = await identify(request, auth);
    if (!identity) {
      throw new AppError('unauthenticated', 'Sign in, or send an API token as "Authorization: Bearer …"');
    }
    if (
      identity.sessionHash &&
      !SAFE_METHODS.has(request.method) &&
      request.headers[CSRF_HEADER] !== identity.csrfToken
    ) {
      throw new AppError(
        'csrf_failed',
        `Changes made with the session cookie must carry the ${CSRF_HEADER} header of the session`,
      );
    }
    if (identity.actor.type === 'token') await limitToken(identity.actor.id, database, reply, tokenLimit);
    if (identity.mustChangePassword && access !== 'signed-in') {
      throw new AppError('forbidden', 'Choose a new password first (POST /api/v1/auth/password)', {
        extra: { passwordChangeRequired: true },
      });
    }
    let approvedBy: { id: string; name: string } | undefined;
    if (access !== 'signed-in' && !identity.permissions.has(access)) {
      // A manager's approval, for this one request (POST /auth/approvals).
      const header = request.headers[APPROVAL_HEADER];
      const approval = typeof header === 'string' && APPROVABLE_BY_ROUTE.includes(access) ? header : undefined;
      const recordId = (request.params as { id?: string } | undefined)?.id;
      approvedBy = approval ? await auth.redeemApproval(identity, access, recordId, approval) : undefined;
      if (!approvedBy) {
        throw new AppError(
          'forbidden',
          approval
            ? `The approval for "${access}" is used, expired, for another record or not yours: ask again`
            : `This needs the permission "${access}" (${PERMISSION_LABELS[access]})`,
          { extra: { permission: access } },
        );
      }
    }
    request.identity = identity;
    request.ctx = {
      ...contextOf(identity, { ip: request.ip, requestId: request.id }),
      ...(approvedBy ? { approvedBy } : {}),
    };
  });

  // An approved action that failed (refused, invalid, a conflict) gives its approval back, to try again: before
  // the answer leaves, so that the cashier's next try finds it.
  app.addHook('onSend', async (request, reply, payload) => {
    const secret = request.headers[APPROVAL_HEADER];
    if (request.ctx?.approvedBy && reply.statusCode >= 400 && request.identity && typeof secret === 'string') {
      await auth.releaseApproval(request.identity, secret);
    }
    return payload;
  });
}

async function identify(request: FastifyRequest, auth: AuthService): Promise<Identity | undefined> {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] ? auth.fromTokenSecret(match[1]) : undefined;
  }
  const secret = request.cookies[SESSION_COOKIE];
  return secret ? auth.fromSessionSecret(secret) : undefined;
}

async function limitToken(
  tokenId: string,
  database: Database,
  reply: FastifyReply,
  { limit, windowSeconds }: { limit: number; windowSeconds: number },
): Promise<void> {
  const { hits, resetIn } = await hitWindow(database.system, `token:${tokenId}`, windowSeconds);
  reply.header('RateLimit-Limit', limit);
  reply.header('RateLimit-Remaining', Math.max(0, limit - hits));
  reply.header('RateLimit-Reset', resetIn);
  if (hits > limit) {
    reply.header('Retry-After', resetIn);
    throw new AppError('rate_limited', `This token may make ${limit} requests a minute; try again in ${resetIn} s`);
  }
}

export function sessionCookieOptions(request: FastifyRequest) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
    maxAge: 30 * 24 * 3600,
  };
}

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { FieldError } from '../../shared/problem.schema.ts';
import { transactionsCollided } from '../db/errors.ts';
import { AppError, type ErrorCode, statusOf, titleOf } from './errors.ts';

const PROBLEM_BASE = 'https://patron.dev/problems/';

type ValidationIssue = { instancePath: string; keyword: string; message?: string; params?: Record<string, unknown> };
type ValidationContext = 'body' | 'querystring' | 'params' | 'headers';

const LOCATION: Record<ValidationContext, FieldError['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

function describeType(expected: unknown): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
    case 'int':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    default:
      return String(expected);
  }
}

/** Zod issues, as the type provider hands them to Fastify, turned into field errors a person can act on. */
export function fieldErrorsFromValidation(issues: ValidationIssue[], context: ValidationContext): FieldError[] {
  const location = LOCATION[context];
  const fields: FieldError[] = [];
  for (const issue of issues) {
    const path = issue.instancePath.split('/').filter(Boolean).join('.');
    const params = issue.params ?? {};
    switch (issue.keyword) {
      case 'unrecognized_keys':
        for (const key of (params.keys as string[] | undefined) ?? []) {
          fields.push({
            field: path ? `${path}.${key}` : key,
            in: location,
            code: 'unknown_field',
            message: 'Is not a known field',
          });
        }
        break;
      case 'invalid_type': {
        const missing = /received undefined/.test(issue.message ?? '');
        fields.push({
          field: path || '(root)',
          in: location,
          code: missing ? 'required' : 'invalid_type',
          message: missing ? 'Is required' : `Must be ${describeType(params.expected)}`,
        });
        break;
      }
      case 'too_big':
        fields.push({
          field: path,
          in: location,
          code: params.origin === 'string' ? 'too_long' : 'too_large',
          message: issue.message ?? 'Is too large',
        });
        break;
      case 'too_small':
        fields.push({
          field: path,
          in: location,
          code: params.origin === 'string' ? 'too_short' : 'too_small',
          message: issue.message ?? 'Is too small',
        });
        break;
      default:
        fields.push({
          field: path,
          in: location,
          code: issue.keyword === 'custom' ? 'invalid' : issue.keyword,
          message: issue.message ?? 'Is invalid',
        });
    }
  }
  return fields;
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  options: { fields?: FieldError[] | undefined; extra?: Record<string, unknown> | undefined; status?: number } = {},
): FastifyReply {
  const status = options.status ?? statusOf(code);
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .serializer(JSON.stringify)
    .send({
      type: `${PROBLEM_BASE}${code}`,
      title: titleOf(code),
      status,
      detail,
      instance: request.url,
      code,
      requestId: request.id,
      ...(options.fields ? { errors: options.fields } : {}),
      ...options.extra,
    });
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_request',
};

/** One handler turns every error into RFC 9457 problem details; nothing a driver says reaches a client. */
export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (typeof error.extra?.retryAfter === 'number') reply.header('retry-after', error.extra.retryAfter);
      return sendProblem(request, reply, error.code, error.message, { fields: error.fields, extra: error.extra });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error.validationContext ?? 'body') as ValidationContext;
      const fields = fieldErrorsFromValidation(error.validation as unknown as ValidationIssue[], context);
      const detail =
        fields.length === 1 ? `${fields[0]?.field}: ${fields[0]?.message}` : `${fields.length} fields are invalid`;
      return sendProblem(request, reply, 'validation_failed', detail, { fields });
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) {
      const detail =
        known === 'malformed_request' && error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
          ? `The body is not valid JSON: ${error.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'\s*/, '') || 'syntax error'}`
          : error.message;
      return sendProblem(request, reply, known, detail);
    }
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return sendProblem(request, reply, 'malformed_request', `The body is not valid JSON: ${error.message}`);
    }
    if (error.message === 'timeout exceeded when trying to connect') {
      reply.header('retry-after', 5);
      return sendProblem(
        request,
        reply,
        'service_unavailable',
        'The server is too busy right now: nothing was saved, try again',
      );
    }
    const sqlState = (error as { code?: string }).code;
    if (transactionsCollided(error)) {
      // Two changes of the same records met; the database undid this one entirely: it is safe to retry.
      reply.header('retry-after', 1);
      return sendProblem(
        request,
        reply,
        'service_unavailable',
        'Another change of the same records got in the way: nothing was saved, try again',
      );
    }
    if (sqlState === '57014') {
      // A statement ran into its time limit (a search has 3 s, anything else 30 s): say so, and keep a trace.
      request.log.warn({ err: error }, 'statement timed out');
      reply.header('retry-after', 5);
      return sendProblem(
        request,
        reply,
        'service_unavailable',
        'This took too long and was stopped: nothing was saved. Try again, or narrow the search',
      );
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(request, reply, 'malformed_request', error.message, { status: error.statusCode });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      request,
      reply,
      'internal',
      `Something went wrong on our side. Quote reference ${request.id} if you contact support.`,
    );
  });
}

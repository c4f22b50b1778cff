import type { ErrorCode, FieldError } from '../../shared/problem.schema.ts';

export type { ErrorCode, FieldError };

/** The one error type of the application: a code (mapped to an HTTP status in one place) and what the client needs to fix it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[] | undefined;
  /** Extra members of the problem document, e.g. `current` for a version mismatch. */
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = options.fields;
    this.extra = options.extra;
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} was not found`);
  }

  static invalid(fields: FieldError[]): AppError {
    const detail =
      fields.length === 1 ? `${fields[0]?.field}: ${fields[0]?.message}` : `${fields.length} fields are invalid`;
    return new AppError('validation_failed', detail, { fields });
  }
}

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'malformed_request':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
    case 'csrf_failed':
      return 403;
    case 'rate_limited':
      return 429;
    case 'not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'conflict':
      return 409;
    case 'version_mismatch':
      return 412;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'validation_failed':
    case 'idempotency_mismatch':
      return 422;
    case 'service_unavailable':
      return 503;
    case 'email_failed':
      return 502;
    case 'internal':
      return 500;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

export function titleOf(code: ErrorCode): string {
  switch (code) {
    case 'malformed_request':
      return 'The request could not be read';
    case 'validation_failed':
      return 'Some fields are invalid';
    case 'unauthenticated':
      return 'Sign in first';
    case 'forbidden':
      return 'Not allowed';
    case 'csrf_failed':
      return 'Request not trusted';
    case 'rate_limited':
      return 'Too many requests';
    case 'not_found':
      return 'Not found';
    case 'conflict':
      return 'Conflicts with existing data';
    case 'version_mismatch':
      return 'Changed by someone else';
    case 'idempotency_mismatch':
      return 'Idempotency key already used for another request';
    case 'payload_too_large':
      return 'Request body too large';
    case 'unsupported_media_type':
      return 'Unsupported content type';
    case 'method_not_allowed':
      return 'Method not allowed';
    case 'service_unavailable':
      return 'Service unavailable';
    case 'email_failed':
      return 'The email could not be sent';
    case 'internal':
      return 'Internal server error';
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

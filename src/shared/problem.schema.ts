import { z } from 'zod';

/** Every error code the API answers with; the HTTP status of each is decided in one place on the server. */
export const ERROR_CODES = [
  'malformed_request',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'rate_limited',
  'validation_failed',
  'not_found',
  'conflict',
  'idempotency_mismatch',
  'version_mismatch',
  'payload_too_large',
  'unsupported_media_type',
  'method_not_allowed',
  'service_unavailable',
  'email_failed',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const fieldErrorSchema = z.object({
  field: z.string().describe('Dotted path of the field, e.g. `email` or `physicalAddress.postcode`'),
  in: z.enum(['body', 'query', 'path', 'header']).optional(),
  code: z.string().describe('Machine-readable reason, e.g. `too_long`, `invalid_email`, `taken`'),
  message: z.string().describe('Human-readable reason'),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** RFC 9457 problem details, as sent with `Content-Type: application/problem+json`. */
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.enum(ERROR_CODES),
    requestId: z.string().optional(),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

import { problemSchema } from '../../shared/problem.schema.ts';

/** The problem responses a route can give, for its OpenAPI entry. */
export function problems<const S extends readonly (400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429)[]>(
  ...statuses: S
) {
  return Object.fromEntries(statuses.map((status) => [status, problemSchema])) as {
    [K in S[number]]: typeof problemSchema;
  };
}

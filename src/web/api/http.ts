import { type Problem, problemSchema } from '../../shared/problem.schema.ts';

const BASE = '/api/v1';

/** A failed API call, carrying the server's RFC 9457 problem details (or a stand-in when there were none). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

async function problemFrom(response: Response): Promise<Problem> {
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = problemSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  // A proxy or a crash can answer without problem details: still give the UI something to show.
  return {
    type: 'about:blank',
    title: response.statusText || 'Request failed',
    status: response.status,
    detail: `The server answered ${response.status} ${response.statusText}`.trim(),
    code: response.status >= 500 ? 'internal' : 'malformed_request',
  };
}

/** Call the API; resolves with the JSON body, rejects with an ApiError. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}`, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'No connection',
      status: 0,
      detail: 'The server could not be reached. Check your connection and try again.',
      code: 'service_unavailable',
    });
  }
  if (!response.ok) throw new ApiError(await problemFrom(response));
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Not there: deleted, never existed, or an id that cannot be one (the server checks its form first). */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return (
    error.status === 404 || (error.status === 422 && (error.problem.errors ?? []).some((item) => item.in === 'path'))
  );
}

/** The problem details of a failed call; anything else that went wrong, as a problem a person can read. */
export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return {
    type: 'about:blank',
    title: 'Something went wrong',
    status: 0,
    detail: 'Something went wrong in the page. Reload it and try again.',
    code: 'internal',
  };
}

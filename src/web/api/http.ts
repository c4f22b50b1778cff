import { type Problem, problemSchema } from '../../shared/problem.schema.ts';

const BASE = '/api/v1';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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

/**
 * What the session layer wants to hear about, whatever page made the call: the sign-in ended (401), or the
 * session is not what the page thinks (a permission or a forced password change it did not know of).
 */
export interface AuthListener {
  onUnauthenticated(): void;
  onSessionOutdated(): void;
}

let listener: AuthListener | undefined;
let csrfToken: string | null = null;

export function setAuthListener(next: AuthListener | undefined): void {
  listener = next;
}

/** The session's CSRF token: every change made with the session cookie must carry it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
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

export interface ApiOptions {
  /**
   * A 401 here is an answer for the page, not the end of the session: a wrong password at sign-in, or the
   * session check that decides whether to show the sign-in page at all.
   */
  expectUnauthenticated?: boolean;
  /** More request headers, such as the `Idempotency-Key` of a write that may be retried. */
  headers?: Record<string, string>;
}

/** Call the API; resolves with the JSON body, rejects with an ApiError. */
export async function api<T>(method: string, path: string, body?: unknown, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  // A file goes as multipart form data; the browser sets the content type with its boundary.
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
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
  if (!response.ok) {
    const problem = await problemFrom(response);
    if (problem.code === 'unauthenticated' && !options.expectUnauthenticated) listener?.onUnauthenticated();
    if (problem.code === 'csrf_failed') {
      // The session cookie changed under this page (signed out and in again in another tab): what the page
      // holds belongs to the old one. Never retry as whoever is signed in now; reload who that is instead.
      listener?.onSessionOutdated();
      throw new ApiError({
        ...problem,
        detail: 'Your sign-in changed in another tab, so nothing was saved. Check the page and try again.',
      });
    }
    if (problem.code === 'forbidden') listener?.onSessionOutdated();
    throw new ApiError(problem);
  }
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

/** One line a person can read about a failed call, for a notification. */
export function messageOf(error: unknown): string {
  const problem = problemOf(error);
  return problem.detail ?? problem.title;
}

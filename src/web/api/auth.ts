import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Session, SetupInput } from '../../features/auth/auth.schema.ts';
import { ApiError, api, setCsrfToken } from './http.ts';

export const setupKey = ['setup'] as const;
export const sessionKey = ['session'] as const;

/** Whether Patron still waits for its first owner. */
export function useSetupStatus() {
  return useQuery({
    queryKey: setupKey,
    queryFn: () => api<{ needsSetup: boolean }>('GET', '/setup'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function remember(session: Session): Session {
  setCsrfToken(session.csrfToken);
  return session;
}

/** Who is signed in; null when no one is. */
export async function fetchSession(): Promise<Session | null> {
  try {
    return remember(await api<Session>('GET', '/auth/session', undefined, { expectUnauthenticated: true }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSessionQuery() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: fetchSession,
    // Looked at again when the window regains focus: a role changed meanwhile shows at once.
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api<Session>('POST', '/auth/sign-in', input, { expectUnauthenticated: true }).then(remember),
    onSuccess: (session) => {
      // Nothing cached for whoever was here before may show to this person. (The session query stays: the
      // page is watching it, and this is its new answer.)
      queryClient.removeQueries({
        predicate: (query) => query.queryKey[0] !== setupKey[0] && query.queryKey[0] !== sessionKey[0],
      });
      queryClient.setQueryData(sessionKey, session);
    },
  });
}

export function useSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetupInput) => api<Session>('POST', '/setup', input).then(remember),
    onSuccess: (session) => {
      queryClient.setQueryData(setupKey, { needsSetup: false });
      queryClient.setQueryData(sessionKey, session);
    },
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api<void>('POST', '/auth/password', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKey }),
  });
}

/** End the session on the server; the caller clears what the page holds. */
export function signOutRequest(): Promise<void> {
  return api<void>('POST', '/auth/sign-out', undefined, { expectUnauthenticated: true });
}

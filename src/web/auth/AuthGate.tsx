import { notifications } from '@mantine/notifications';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { type Location, Navigate, useLocation } from 'react-router';
import type { Session } from '../../features/auth/auth.schema.ts';
import type { Permission } from '../../shared/permissions.ts';
import { sessionKey, setupKey, signOutRequest, useSessionQuery, useSetupStatus } from '../api/auth.ts';
import { isApiError, messageOf, setAuthListener, setCsrfToken } from '../api/http.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { AuthLayout, FullPageLoader } from './AuthLayout.tsx';
import { ChangePasswordPage } from './ChangePasswordPage.tsx';
import { SetupPage } from './SetupPage.tsx';
import { type SignInNotice, SignInPage } from './SignInPage.tsx';
import { SessionContext, type SessionValue } from './session.tsx';

const HOME = '/customers';

/** Forget everything the page holds about whoever was signed in: the next person must not see it. */
function forgetSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.setQueryData(sessionKey, null);
  queryClient.removeQueries({
    predicate: (query) => query.queryKey[0] !== setupKey[0] && query.queryKey[0] !== sessionKey[0],
  });
}

/** Where to go after signing in: the page that was asked for, if it is one of ours. */
function nextFrom(search: string): string {
  const next = new URLSearchParams(search).get('next');
  const ours = next?.startsWith('/') && !next.startsWith('//');
  if (!next || !ours || next.startsWith('/sign-in') || next.startsWith('/setup')) return HOME;
  return next;
}

function signInPathFor(location: Location): string {
  const wanted = `${location.pathname}${location.search}${location.hash}`;
  return location.pathname === '/' || location.pathname === '/setup'
    ? '/sign-in'
    : `/sign-in?next=${encodeURIComponent(wanted)}`;
}

/**
 * Nothing of the back office shows until Patron knows who is here: first run → setup, no session → sign-in
 * (keeping the page that was asked for), a temporary password → choose a new one. Then the app, with the
 * session in context.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const location = useLocation();
  const setup = useSetupStatus();
  const sessionQuery = useSessionQuery();
  const [notice, setNotice] = useState<SignInNotice | null>(null);
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);

  useEffect(() => {
    setAuthListener({
      onUnauthenticated: () => {
        // Many calls can fail at once when a session ends: say so once.
        if (!queryClient.getQueryData(sessionKey)) return;
        setNotice('expired');
        forgetSession(queryClient);
      },
      onSessionOutdated: () => void queryClient.invalidateQueries({ queryKey: sessionKey }),
    });
    return () => setAuthListener(undefined);
  }, [queryClient]);

  const signOut = useCallback(async () => {
    try {
      await signOutRequest();
    } catch (error) {
      // Already signed out (elsewhere, or the session ran out) is signed out; anything else, the cookie is still live.
      if (!isApiError(error, 401)) {
        notifications.show({ color: 'red', title: 'Could not sign out', message: messageOf(error) });
        return;
      }
    }
    // First the reason, then the session: the sign-in page it leads to does not offer to come back here.
    setNotice('signed-out');
    setTemporaryPassword(null);
    forgetSession(queryClient);
  }, [queryClient]);

  const session = sessionQuery.data;
  const value = useMemo<SessionValue | null>(
    () =>
      session
        ? {
            session,
            can: (permission: Permission) => session.permissions.includes(permission),
            signOut,
          }
        : null,
    [session, signOut],
  );

  if (setup.isPending || sessionQuery.isPending) return <FullPageLoader />;
  if (setup.isError || sessionQuery.isError) {
    return (
      <AuthLayout title="Patron is not answering">
        <LoadError
          error={setup.error ?? sessionQuery.error}
          onRetry={() => Promise.all([setup.refetch(), sessionQuery.refetch()])}
          what="Patron"
        />
      </AuthLayout>
    );
  }

  const path = location.pathname;
  if (setup.data.needsSetup && !session) {
    return path === '/setup' ? <SetupPage /> : <Navigate to="/setup" replace />;
  }
  if (!session || !value) {
    if (path !== '/sign-in') {
      return <Navigate to={notice === 'signed-out' ? '/sign-in' : signInPathFor(location)} replace />;
    }
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(signedIn: Session, password: string) => {
          setNotice(null);
          setTemporaryPassword(signedIn.mustChangePassword ? password : null);
        }}
      />
    );
  }
  if (session.mustChangePassword) {
    return (
      <ChangePasswordPage
        session={session}
        knownCurrentPassword={temporaryPassword}
        onChanged={() => {
          setTemporaryPassword(null);
          notifications.show({ color: 'teal', title: 'Password saved', message: 'Use it the next time you sign in.' });
        }}
        onSignOut={() => void signOut()}
      />
    );
  }
  if (path === '/sign-in' || path === '/setup') return <Navigate to={nextFrom(location.search)} replace />;
  return <SessionContext value={value}>{children}</SessionContext>;
}

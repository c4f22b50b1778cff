import { createContext, useContext } from 'react';
import type { Session } from '../../features/auth/auth.schema.ts';
import type { Permission } from '../../shared/permissions.ts';

export interface SessionValue {
  session: Session;
  /** Whether the person may do this; the server checks again, the UI only hides what would be refused. */
  can(permission: Permission): boolean;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

/** The signed-in person, their business and what they may do. Only inside the signed-in app. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() is for pages inside the signed-in app');
  return value;
}

export function useCan(permission: Permission): boolean {
  return useSession().can(permission);
}

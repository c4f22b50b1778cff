import type { Permission } from '../shared/permissions.ts';

/** Who is acting: a signed-in person, an API token, or Patron itself (start-up, demo data). */
export interface Actor {
  type: 'user' | 'token' | 'system';
  /** The user's or token's id; null for the system. */
  id: string | null;
  name: string;
}

/** Who is acting, for which merchant, with which permissions, from where: every service call carries it. */
export interface RequestContext {
  merchantId: string;
  actor: Actor;
  permissions: ReadonlySet<Permission>;
  requestId?: string;
  ip?: string;
  /** A manager who approved this one action for someone who may not do it alone (at the till). */
  approvedBy?: { id: string; name: string };
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: 'System' };

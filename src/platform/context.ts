/** Who is acting, and for which merchant: every service call carries it. */
export interface Actor {
  /** Staff user id once accounts exist; null for the system. */
  userId: string | null;
  name: string;
}

export interface RequestContext {
  merchantId: string;
  actor: Actor;
}

export const SYSTEM_ACTOR: Actor = { userId: null, name: 'System' };

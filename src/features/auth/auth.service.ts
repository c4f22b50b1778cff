import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { hashPassword, NO_USER_HASH, verifyPassword } from '../../platform/auth/password.ts';
import { hashSecret, newSecret } from '../../platform/auth/secrets.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import type { Database, Trx } from '../../platform/db/database.ts';
import { uniqueViolation } from '../../platform/db/errors.ts';
import { clearWindow, deleteStaleWindows, hitWindow, unhitWindow } from '../../platform/db/rate-limit.repository.ts';
import { AppError } from '../../platform/http/errors.ts';
import { uuid } from '../../shared/fields.ts';
import { PERMISSION_LABELS, type Permission, ROLE_PERMISSIONS, type Role } from '../../shared/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { insertNewMerchant } from '../merchants/merchant.service.ts';
import {
  anyOwnerExists,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  findLiveSession,
  findLiveToken,
  findMerchantWithoutOwner,
  findUser,
  findUserByEmail,
  giveBackApproval,
  insertApproval,
  insertSession,
  insertUser,
  recordSignIn,
  setPassword,
  spendApproval,
  touchSession,
  touchToken,
} from './auth.repository.ts';
import type { Session, SetupInput } from './auth.schema.ts';
import { IdentityCache } from './identity-cache.ts';

const SESSION_DAYS = 30;
/** A session nobody used for this long has ended. */
const SESSION_IDLE_SECONDS = 7 * 24 * 3600;
/** last_seen_at / last_used_at are written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/** Failed sign-ins allowed per account and per address in a window, before 429. */
/** How long a manager's approval waits for the cashier's action. */
export const APPROVAL_SECONDS = 120;

export const SIGN_IN_LIMITS = { perAccount: 10, perAddress: 50, windowSeconds: 15 * 60 };

/** Who a request is, once its cookie or bearer token is checked. */
export interface Identity {
  merchantId: string;
  merchantName: string;
  actor: Actor & { type: 'user' | 'token'; id: string };
  email: string | null;
  role: Role | null;
  permissions: ReadonlySet<Permission>;
  mustChangePassword: boolean;
  /** Set for a cookie session: changes must carry it as X-CSRF-Token. */
  csrfToken: string | null;
  sessionHash: string | null;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export interface SignedIn {
  /** The cookie's value: shown to the browser once, stored only as a hash. */
  secret: string;
  identity: Identity;
}

export function describeIdentity(identity: Identity): Session {
  return {
    actor: {
      type: identity.actor.type,
      id: identity.actor.id,
      name: identity.actor.name,
      email: identity.email,
      role: identity.role,
    },
    merchant: { id: identity.merchantId, name: identity.merchantName },
    permissions: [...identity.permissions],
    mustChangePassword: identity.mustChangePassword,
    csrfToken: identity.csrfToken,
  };
}

export function contextOf(identity: Identity, client: Pick<ClientInfo, 'ip' | 'requestId'>): RequestContext {
  return {
    merchantId: identity.merchantId,
    actor: identity.actor,
    permissions: identity.permissions,
    requestId: client.requestId,
    ...(client.ip ? { ip: client.ip } : {}),
  };
}

const INCORRECT = 'Email or password is incorrect';

/** Sign-in emails are unique across Patron: one email, one account. */
export function emailTaken(): AppError {
  return new AppError('conflict', 'An account with this email already exists', {
    fields: [{ field: 'email', code: 'taken', message: 'An account with this email already exists' }],
  });
}

/**
 * Spend, in the caller's transaction, the approval `secret` if it is for this permission and this record, asked by
 * this person (a signed-in user), not used and not expired. Answers who approved. An action that then fails in the
 * same transaction leaves it unspent.
 */
export async function spendApprovalIn(
  trx: Trx,
  actor: Actor,
  permission: Permission,
  recordId: string | undefined,
  secret: string,
  onAccount?: { customerId: string; amount: number },
): Promise<{ id: string; name: string } | undefined> {
  if (actor.type !== 'user' || !actor.id || !uuid.safeParse(recordId).success) return undefined;
  const row = await spendApproval(trx, {
    idHash: hashSecret(secret),
    permission,
    recordId: recordId as string,
    requestedBy: actor.id,
    onAccount,
  });
  return row ? { id: row.approverId, name: row.approverName } : undefined;
}

export class AuthService {
  constructor(
    private readonly database: Database,
    /** Shared with the services that change sessions, tokens and access (they forget it all). */
    private readonly identities = new IdentityCache(),
  ) {}

  async needsSetup(): Promise<boolean> {
    return !(await anyOwnerExists(this.database.system));
  }

  /** First run: the business and its owner, who is signed in at once. Only while no owner exists anywhere. */
  async setup(input: SetupInput, client: ClientInfo): Promise<SignedIn> {
    const passwordHash = await hashPassword(input.password);
    const { merchantId, userId } = await this.database.system.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext('patron.setup'))`.execute(trx);
      if (await anyOwnerExists(trx)) {
        throw new AppError('conflict', 'Patron is already set up: sign in instead');
      }
      const adopted = await findMerchantWithoutOwner(trx);
      const merchantId =
        adopted ??
        (await insertNewMerchant(trx, {
          name: input.businessName,
          ...(input.currency ? { currency: input.currency } : {}),
          ...(input.defaultCountry ? { defaultCountry: input.defaultCountry } : {}),
          ...(input.timeZone ? { timeZone: input.timeZone } : {}),
        }));
      await sql`SELECT set_config('app.merchant_id', ${merchantId}, true)`.execute(trx);
      if (adopted) {
        await trx
          .updateTable('merchant')
          .set({
            name: input.businessName,
            ...(input.currency ? { currency: input.currency } : {}),
            ...(input.defaultCountry ? { defaultCountry: input.defaultCountry } : {}),
            ...(input.timeZone ? { timeZone: input.timeZone } : {}),
          })
          .where('id', '=', merchantId)
          .execute();
      }
      const userId = uuidv7();
      try {
        await insertUser(trx, {
          merchantId,
          id: userId,
          name: input.ownerName,
          email: input.email,
          passwordHash,
          role: 'owner',
        });
      } catch (error) {
        if (uniqueViolation(error) === 'app_user_email_key') throw emailTaken();
        throw error;
      }
      const ctx: RequestContext = {
        merchantId,
        actor: { type: 'user', id: userId, name: input.ownerName },
        permissions: new Set(ROLE_PERMISSIONS.owner),
        requestId: client.requestId,
        ...(client.ip ? { ip: client.ip } : {}),
      };
      await recordAudit(trx, ctx, {
        action: 'merchant.created',
        entityType: 'merchant',
        entityId: merchantId,
        changes: { businessName: input.businessName, owner: input.email },
      });
      return { merchantId, userId };
    });
    return this.openSession(merchantId, userId, client);
  }

  /**
   * The account whose email and password these are, or undefined. Every attempt is counted first (one atomic
   * statement each, so a burst of simultaneous guesses is counted as it arrives), per account and per address;
   * past the limits the answer is 429 whatever the password. Only failures count: a shop where ten cashiers sign
   * in from one address is not an attack.
   */
  private async checkPassword(email: string, password: string, client: ClientInfo) {
    const db = this.database.system;
    const accountKey = `sign-in:account:${email.trim().toLowerCase()}`;
    const addressKey = `sign-in:address:${client.ip ?? 'unknown'}`;
    const { windowSeconds } = SIGN_IN_LIMITS;
    const [account, address] = await Promise.all([
      hitWindow(db, accountKey, windowSeconds),
      hitWindow(db, addressKey, windowSeconds),
    ]);
    if (account.hits > SIGN_IN_LIMITS.perAccount || address.hits > SIGN_IN_LIMITS.perAddress) {
      throw new AppError('rate_limited', 'Too many failed sign-ins. Wait a few minutes and try again.', {
        extra: {
          retryAfter: Math.max(
            account.hits > SIGN_IN_LIMITS.perAccount ? account.resetIn : 0,
            address.hits > SIGN_IN_LIMITS.perAddress ? address.resetIn : 0,
          ),
        },
      });
    }
    const user = await findUserByEmail(db, email.trim());
    const matches = await verifyPassword(password, user?.passwordHash ?? NO_USER_HASH);
    if (!user || !matches) return undefined;
    await Promise.all([clearWindow(db, accountKey), unhitWindow(db, addressKey)]);
    return user;
  }

  /**
   * Email and password. An unknown email and a wrong password get the same answer in the same time;
   * repeated failures per account and per address are refused for a while (429).
   */
  async signIn(email: string, password: string, client: ClientInfo): Promise<SignedIn> {
    const db = this.database.system;
    const user = await this.checkPassword(email, password, client);
    if (!user) {
      // Now and then, forget counters and sessions that ran out, so neither table grows without end.
      if (Math.random() < 0.02)
        await Promise.all([
          deleteStaleWindows(db, SIGN_IN_LIMITS.windowSeconds),
          deleteExpiredSessions(db, SESSION_IDLE_SECONDS),
        ]);
      throw new AppError('unauthenticated', INCORRECT);
    }
    if (user.disabledAt) throw new AppError('forbidden', 'This account is disabled. Ask the owner of the business.');
    const signedIn = await this.openSession(user.merchantId, user.id, client);
    await this.database.withMerchant(user.merchantId, async (trx) => {
      await recordSignIn(trx, user.id);
      await recordAudit(trx, contextOf(signedIn.identity, client), {
        action: 'user.signed_in',
        entityType: 'user',
        entityId: user.id,
      });
    });
    return signedIn;
  }

  private async openSession(merchantId: string, userId: string, client: ClientInfo): Promise<SignedIn> {
    const secret = newSecret();
    await insertSession(this.database.system, {
      idHash: hashSecret(secret),
      merchantId,
      userId,
      csrfToken: newSecret(24),
      expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000),
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
    });
    const identity = await this.fromSessionSecret(secret);
    if (!identity) throw new Error('A session just opened could not be read back');
    return { secret, identity };
  }

  async signOut(identity: Identity, client: ClientInfo): Promise<void> {
    if (!identity.sessionHash) return;
    const sessionHash = identity.sessionHash;
    await this.database.withMerchant(identity.merchantId, async (trx) => {
      await deleteSession(trx, sessionHash);
      await recordAudit(trx, contextOf(identity, client), {
        action: 'user.signed_out',
        entityType: 'user',
        entityId: identity.actor.id,
      });
    });
    this.identities.forgetAll();
  }

  async fromSessionSecret(secret: string): Promise<Identity | undefined> {
    const idHash = hashSecret(secret);
    return this.identities.get(`session:${idHash}`, () => this.readSession(idHash));
  }

  private async readSession(idHash: string): Promise<Identity | undefined> {
    const row = await findLiveSession(this.database.system, idHash, SESSION_IDLE_SECONDS);
    if (!row) return undefined;
    if (Date.now() - new Date(row.lastSeenAt).getTime() > TOUCH_EVERY_MS)
      await touchSession(this.database.system, idHash);
    return {
      merchantId: row.merchantId,
      merchantName: row.merchantName,
      actor: { type: 'user', id: row.userId, name: row.name },
      email: row.email,
      role: row.role,
      permissions: new Set(ROLE_PERMISSIONS[row.role]),
      mustChangePassword: row.mustChangePassword,
      csrfToken: row.csrfToken,
      sessionHash: idHash,
    };
  }

  async fromTokenSecret(secret: string): Promise<Identity | undefined> {
    const secretHash = hashSecret(secret);
    return this.identities.get(`token:${secretHash}`, () => this.readToken(secretHash));
  }

  private async readToken(secretHash: string): Promise<Identity | undefined> {
    const row = await findLiveToken(this.database.system, secretHash);
    if (!row) return undefined;
    // A token made by someone since disabled stops; one whose maker was demoted shrinks with them.
    if (row.createdBy && (!row.creatorRole || row.creatorDisabledAt)) return undefined;
    const allowed = row.creatorRole ? new Set<Permission>(ROLE_PERMISSIONS[row.creatorRole]) : undefined;
    const permissions = (row.scopes as Permission[]).filter((scope) => !allowed || allowed.has(scope));
    if (!row.lastUsedAt || Date.now() - new Date(row.lastUsedAt).getTime() > TOUCH_EVERY_MS) {
      await touchToken(this.database.system, row.id);
    }
    return {
      merchantId: row.merchantId,
      merchantName: row.merchantName,
      actor: { type: 'token', id: row.id, name: `API token "${row.name}"` },
      email: null,
      role: null,
      permissions: new Set(permissions),
      mustChangePassword: false,
      csrfToken: null,
      sessionHash: null,
    };
  }

  /** Change one's own password; every other session of the person ends. */
  async changePassword(identity: Identity, current: string, next: string, client: ClientInfo): Promise<void> {
    if (identity.actor.type !== 'user')
      throw new AppError('forbidden', 'Only a person signed in can change a password');
    const passwordHash = await hashPassword(next);
    await this.database.withMerchant(identity.merchantId, async (trx: Trx) => {
      const user = await findUser(trx, identity.actor.id);
      if (!user || !(await verifyPassword(current, user.passwordHash))) {
        throw AppError.invalid([
          { field: 'currentPassword', code: 'incorrect', message: 'Is not your current password' },
        ]);
      }
      if (current === next) {
        throw AppError.invalid([
          { field: 'newPassword', code: 'unchanged', message: 'Must differ from the current password' },
        ]);
      }
      await setPassword(trx, user.id, passwordHash, false);
      await deleteSessionsOfUser(trx, user.id, identity.sessionHash ?? undefined);
      await recordAudit(trx, contextOf(identity, client), {
        action: 'user.password_changed',
        entityType: 'user',
        entityId: user.id,
      });
    });
    this.identities.forgetAll();
  }

  /**
   * A manager approves one action at a cashier's screen: their own email and password (counted against the
   * same limits as a sign-in), for one permission the cashier lacks. Answers a secret the cashier's next
   * request carries (X-Approval), good once, for two minutes; only its hash is kept.
   */
  async approve(
    identity: Identity,
    input: {
      email: string;
      password: string;
      permission: Permission;
      recordId: string;
      onAccount?: { customerId: string; amount: number } | undefined;
    },
    client: ClientInfo,
  ): Promise<{ approval: string; approvedBy: { id: string; name: string }; expiresAt: string }> {
    if (identity.actor.type !== 'user') {
      throw new AppError('forbidden', 'An approval is for a person at a till, not for an API token');
    }
    const user = await this.checkPassword(input.email, input.password, client);
    // Someone of another business is no one here: the same answer as a wrong password.
    if (!user || user.merchantId !== identity.merchantId) {
      throw AppError.invalid([{ field: 'password', code: 'incorrect', message: INCORRECT }]);
    }
    if (user.disabledAt) {
      throw AppError.invalid([{ field: 'email', code: 'disabled', message: 'This account is disabled' }]);
    }
    if (!ROLE_PERMISSIONS[user.role].includes(input.permission)) {
      throw AppError.invalid([
        {
          field: 'email',
          code: 'cannot_approve',
          message: `${user.name} may not ${PERMISSION_LABELS[input.permission].toLowerCase()}: ask a manager`,
        },
      ]);
    }
    const approval = newSecret();
    const expiresAt = new Date(Date.now() + APPROVAL_SECONDS * 1000);
    await this.database.withMerchant(identity.merchantId, async (trx) => {
      await insertApproval(trx, {
        idHash: hashSecret(approval),
        permission: input.permission,
        recordId: input.recordId,
        customerId: input.onAccount?.customerId ?? null,
        amount: input.onAccount?.amount ?? null,
        approverId: user.id,
        approverName: user.name,
        requestedBy: identity.actor.id,
        expiresAt,
      });
      await recordAudit(trx, contextOf(identity, client), {
        action: 'user.approval_given',
        entityType: 'user',
        entityId: user.id,
        changes: {
          permission: input.permission,
          recordId: input.recordId,
          ...(input.onAccount ? { customerId: input.onAccount.customerId, amount: input.onAccount.amount } : {}),
          approvedBy: user.name,
        },
      });
    });
    return { approval, approvedBy: { id: user.id, name: user.name }, expiresAt: expiresAt.toISOString() };
  }

  /**
   * The approval a request carries, if it is for this permission and this record, asked by this person, not
   * used and not expired: used up now (one action; `releaseApproval` gives it back if the action fails).
   * Answers who approved.
   */
  async redeemApproval(
    identity: Identity,
    permission: Permission,
    recordId: string | undefined,
    secret: string,
  ): Promise<{ id: string; name: string } | undefined> {
    return this.database.withMerchant(identity.merchantId, (trx) =>
      spendApprovalIn(trx, identity.actor, permission, recordId, secret),
    );
  }

  /** The action an approval was used for failed (a reason missing, a receipt reference taken): it may be used again. */
  async releaseApproval(identity: Identity, secret: string): Promise<void> {
    await this.database.withMerchant(identity.merchantId, (trx) =>
      giveBackApproval(trx, hashSecret(secret), identity.actor.id),
    );
  }
}

import { v7 as uuidv7 } from 'uuid';
import { hashPassword, temporaryPassword } from '../../platform/auth/password.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { uniqueViolation } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/http/errors.ts';
import { ROLE_PERMISSIONS, type Role } from '../../shared/permissions.ts';
import { diffFields, recordAudit } from '../audit/audit.service.ts';
import { deleteSessionsOfUser, insertUser, setPassword } from '../auth/auth.repository.ts';
import { emailTaken } from '../auth/auth.service.ts';
import type { IdentityCache } from '../auth/identity-cache.ts';
import { findStaff, listStaff, type StaffRow, storesExist, updateStaff } from './staff.repository.ts';
import type { StaffInvite, StaffMember, StaffUpdate } from './staff.schema.ts';

function toStaffMember(row: StaffRow): StaffMember {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    storeIds: row.storeIds,
    disabled: row.disabledAt !== null,
    mustChangePassword: row.mustChangePassword,
    lastSignInAt: row.lastSignInAt ? new Date(row.lastSignInAt).toISOString() : null,
    createdAt: new Date(row.createdAt).toISOString(),
    version: row.version,
  };
}

/**
 * Nobody may hand out, or take over, more than they may do themselves: a token with only
 * `staff:manage` must not mint an admin (or reset an admin's password and sign in as them).
 */
function assertMayManage(ctx: RequestContext, ...roles: Role[]): void {
  const beyond = [...new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]))].filter((p) => !ctx.permissions.has(p));
  if (beyond.length > 0) {
    throw new AppError('forbidden', `You cannot manage an account that may do more than you: ${beyond.join(', ')}`, {
      extra: { permission: beyond[0] },
    });
  }
}

const unknownStores = () =>
  AppError.invalid([{ field: 'storeIds', code: 'not_found', message: 'Names a store that does not exist' }]);

export class StaffService {
  constructor(
    private readonly database: Database,
    /** Forgotten after a change to someone who may have signed in: a name, role or access change, a password reset. */
    private readonly identities: IdentityCache,
  ) {}

  list(ctx: RequestContext): Promise<StaffMember[]> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => (await listStaff(trx)).map(toStaffMember));
  }

  /** A new account with a temporary password, shown once, that must be changed at first sign-in. */
  async invite(ctx: RequestContext, input: StaffInvite): Promise<{ member: StaffMember; temporaryPassword: string }> {
    assertMayManage(ctx, input.role);
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    const member = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      if (!(await storesExist(trx, input.storeIds ?? []))) throw unknownStores();
      const id = uuidv7();
      try {
        await insertUser(trx, {
          merchantId: ctx.merchantId,
          id,
          name: input.name,
          email: input.email,
          passwordHash,
          role: input.role,
          storeIds: input.storeIds ?? [],
          mustChangePassword: true,
        });
      } catch (error) {
        if (uniqueViolation(error) === 'app_user_email_key') throw emailTaken();
        throw error;
      }
      const row = await findStaff(trx, id);
      if (!row) throw AppError.notFound('Staff member');
      const created = toStaffMember(row);
      await recordAudit(trx, ctx, {
        action: 'staff.invited',
        entityType: 'user',
        entityId: id,
        changes: { name: created.name, email: created.email, role: created.role, storeIds: created.storeIds },
      });
      return created;
    });
    return { member, temporaryPassword: password };
  }

  /** Change name, role, stores, or disable. The owner's role and access are not changed here, nor one's own access. */
  async update(ctx: RequestContext, id: string, input: StaffUpdate): Promise<StaffMember> {
    const updated = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      const current = await findStaff(trx, id, { forUpdate: true });
      if (!current) throw AppError.notFound('Staff member');
      assertMayManage(ctx, current.role, ...(input.role ? [input.role] : []));
      if (input.version !== undefined && input.version !== current.version) {
        throw new AppError('version_mismatch', 'This account was changed by someone else. Nothing was saved.', {
          extra: { current: toStaffMember(current) },
        });
      }
      if (current.role === 'owner' && (input.role !== undefined || input.disabled !== undefined)) {
        throw new AppError('forbidden', "The owner's role and access cannot be changed");
      }
      if (current.role === 'owner' && ctx.actor.id !== current.id) {
        throw new AppError('forbidden', "Only the owner can change the owner's account");
      }
      if (id === ctx.actor.id && (input.disabled || input.role !== undefined)) {
        throw new AppError('forbidden', 'You cannot change your own role or disable yourself');
      }
      if (input.storeIds && !(await storesExist(trx, input.storeIds))) throw unknownStores();
      await updateStaff(trx, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.storeIds !== undefined ? { storeIds: input.storeIds } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
      });
      // A disabled account, or one whose role changed, starts again from a fresh sign-in.
      if (input.disabled || (input.role !== undefined && input.role !== current.role))
        await deleteSessionsOfUser(trx, id);
      const updated = await findStaff(trx, id);
      if (!updated) throw AppError.notFound('Staff member');
      const after = toStaffMember(updated);
      await recordAudit(trx, ctx, {
        action: 'staff.updated',
        entityType: 'user',
        entityId: id,
        changes: diffFields(toStaffMember(current), after, ['version', 'lastSignInAt', 'createdAt']),
      });
      return after;
    });
    this.identities.forgetAll();
    return updated;
  }

  /** A new temporary password, shown once; the person's sessions end and they must choose a new one. */
  async resetPassword(ctx: RequestContext, id: string): Promise<{ member: StaffMember; temporaryPassword: string }> {
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    const member = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      const current = await findStaff(trx, id, { forUpdate: true });
      if (!current) throw AppError.notFound('Staff member');
      if (current.role === 'owner' && ctx.actor.id !== current.id) {
        throw new AppError('forbidden', "Only the owner can reset the owner's password");
      }
      assertMayManage(ctx, current.role);
      await setPassword(trx, id, passwordHash, true);
      await deleteSessionsOfUser(trx, id);
      await recordAudit(trx, ctx, { action: 'staff.password_reset', entityType: 'user', entityId: id });
      const row = await findStaff(trx, id);
      if (!row) throw AppError.notFound('Staff member');
      return toStaffMember(row);
    });
    this.identities.forgetAll();
    return { member, temporaryPassword: password };
  }
}

import { type Insertable, sql } from 'kysely';
import { compiledOnce, type Db, type Trx } from '../../platform/db/database.ts';
import type { ApprovalTable, AppUserTable } from '../../platform/db/schema.ts';

// Sign-in and session lookups happen before the merchant is known: they read as the table owner
// (`database.system`), and only ever by a secret's hash or a sign-in email.

export async function anyOwnerExists(db: Db): Promise<boolean> {
  const row = await db.selectFrom('appUser').select('id').where('role', '=', 'owner').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The first merchant that has no owner yet: one made before accounts existed is adopted, not duplicated. */
export async function findMerchantWithoutOwner(db: Db | Trx): Promise<string | undefined> {
  const row = await db
    .selectFrom('merchant')
    .select('merchant.id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('appUser')
            .select('appUser.id')
            .whereRef('appUser.merchantId', '=', 'merchant.id')
            .where('appUser.role', '=', 'owner'),
        ),
      ),
    )
    .orderBy('merchant.createdAt')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

export async function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('appUser')
    .innerJoin('merchant', 'merchant.id', 'appUser.merchantId')
    .selectAll('appUser')
    .select('merchant.name as merchantName')
    .where(sql`lower(app_user.email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function insertSession(
  db: Db | Trx,
  session: {
    idHash: string;
    merchantId: string;
    userId: string;
    csrfToken: string;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db.insertInto('userSession').values(session).execute();
}

/** A live session and its person: not expired, not idle too long, the account not disabled. */
export const findLiveSession = compiledOnce(['\u0000session', -1], (db, idHash: string, idleSeconds: number) =>
  db
    .selectFrom('userSession')
    .innerJoin('appUser', (join) =>
      join.onRef('appUser.merchantId', '=', 'userSession.merchantId').onRef('appUser.id', '=', 'userSession.userId'),
    )
    .innerJoin('merchant', 'merchant.id', 'userSession.merchantId')
    .select([
      'userSession.idHash',
      'userSession.merchantId',
      'userSession.csrfToken',
      'userSession.lastSeenAt',
      'appUser.id as userId',
      'appUser.name',
      'appUser.email',
      'appUser.role',
      'appUser.mustChangePassword',
      'merchant.name as merchantName',
    ])
    .where('userSession.idHash', '=', idHash)
    .where('userSession.expiresAt', '>', sql<Date>`now()`)
    .where('userSession.lastSeenAt', '>', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)
    .where('appUser.disabledAt', 'is', null),
);

export async function touchSession(db: Db, idHash: string): Promise<void> {
  await db.updateTable('userSession').set({ lastSeenAt: sql`now()` }).where('idHash', '=', idHash).execute();
}

/** Sessions past their end or idle too long: they can never be used again. */
export async function deleteExpiredSessions(db: Db, idleSeconds: number): Promise<void> {
  await db
    .deleteFrom('userSession')
    .where((eb) =>
      eb.or([
        eb('expiresAt', '<', sql<Date>`now()`),
        eb('lastSeenAt', '<', sql<Date>`now() - make_interval(secs => ${idleSeconds})`),
      ]),
    )
    .execute();
}

export async function deleteSession(db: Db | Trx, idHash: string): Promise<void> {
  await db.deleteFrom('userSession').where('idHash', '=', idHash).execute();
}

/** End a person's sessions (all, or all but one): on disabling, a password reset or change. */
export async function deleteSessionsOfUser(trx: Trx, userId: string, except?: string): Promise<void> {
  let query = trx.deleteFrom('userSession').where('userId', '=', userId);
  if (except) query = query.where('idHash', '!=', except);
  await query.execute();
}

export const findLiveToken = compiledOnce(['\u0000token'], (db, secretHash: string) =>
  db
    .selectFrom('apiToken')
    .innerJoin('merchant', 'merchant.id', 'apiToken.merchantId')
    // The person who made the token: a token never does more than they still may.
    .leftJoin('appUser as creator', (join) =>
      join.onRef('creator.merchantId', '=', 'apiToken.merchantId').onRef('creator.id', '=', 'apiToken.createdBy'),
    )
    .select([
      'apiToken.id',
      'apiToken.merchantId',
      'apiToken.name',
      'apiToken.scopes',
      'apiToken.lastUsedAt',
      'apiToken.createdBy',
      'merchant.name as merchantName',
      'creator.role as creatorRole',
      'creator.disabledAt as creatorDisabledAt',
    ])
    .where('apiToken.secretHash', '=', secretHash)
    .where('apiToken.revokedAt', 'is', null)
    .where((eb) => eb.or([eb('apiToken.expiresAt', 'is', null), eb('apiToken.expiresAt', '>', sql<Date>`now()`)])),
);

export async function touchToken(db: Db, id: string): Promise<void> {
  await db.updateTable('apiToken').set({ lastUsedAt: sql`now()` }).where('id', '=', id).execute();
}

export async function recordSignIn(trx: Trx, userId: string): Promise<void> {
  await trx.updateTable('appUser').set({ lastSignInAt: sql`now()` }).where('id', '=', userId).execute();
}

export async function findUser(trx: Trx, id: string) {
  return trx.selectFrom('appUser').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setPassword(trx: Trx, userId: string, passwordHash: string, mustChange: boolean): Promise<void> {
  await trx
    .updateTable('appUser')
    .set({ passwordHash, mustChangePassword: mustChange, updatedAt: sql`now()`, version: sql`version + 1` })
    .where('id', '=', userId)
    .execute();
}

export async function insertUser(
  trx: Trx,
  user: Pick<
    Insertable<AppUserTable>,
    'merchantId' | 'id' | 'name' | 'email' | 'passwordHash' | 'role' | 'storeIds' | 'mustChangePassword'
  >,
): Promise<void> {
  await trx.insertInto('appUser').values(user).execute();
}

/** A manager's approval of one action by one cashier on one record; only the secret's hash is kept. */
export async function insertApproval(trx: Trx, approval: Omit<Insertable<ApprovalTable>, 'merchantId'>): Promise<void> {
  // Approvals are kept a day after they ran out (for a look at what happened), then forgotten.
  await trx.deleteFrom('approval').where('expiresAt', '<', sql<Date>`now() - interval '1 day'`).execute();
  await trx
    .insertInto('approval')
    .values({ ...approval, merchantId: sql<string>`app_current_merchant()` })
    .execute();
}

/**
 * Use up the approval with this hash if it is for this permission and record, asked by this person, not used and
 * not expired; answers who approved.
 */
export async function spendApproval(
  trx: Trx,
  approval: {
    idHash: string;
    permission: string;
    recordId: string;
    requestedBy: string;
    /** For a sale past a credit limit: approved for this customer, and for at least this amount on account. */
    onAccount?: { customerId: string; amount: number } | undefined;
  },
) {
  let query = trx.updateTable('approval').set({ usedAt: sql`now()` }).where('idHash', '=', approval.idHash);
  if (approval.onAccount) {
    query = query
      .where('customerId', '=', approval.onAccount.customerId)
      .where('amount', '>=', approval.onAccount.amount);
  }
  return query
    .where('permission', '=', approval.permission)
    .where('recordId', '=', approval.recordId)
    .where('requestedBy', '=', approval.requestedBy)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', sql<Date>`now()`)
    .returning(['approverId', 'approverName'])
    .executeTakeFirst();
}

/** The action an approval was used for failed: it may be used again (until it expires). */
export async function giveBackApproval(trx: Trx, idHash: string, requestedBy: string): Promise<void> {
  await trx
    .updateTable('approval')
    .set({ usedAt: null })
    .where('idHash', '=', idHash)
    .where('requestedBy', '=', requestedBy)
    .execute();
}

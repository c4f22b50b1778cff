import { type Insertable, sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import type { ApiTokenTable } from '../../platform/db/schema.ts';

export async function listTokens(trx: Trx) {
  return trx.selectFrom('apiToken').selectAll().orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();
}

export async function findToken(trx: Trx, id: string) {
  return trx.selectFrom('apiToken').selectAll().where('id', '=', id).executeTakeFirst();
}
export type TokenRow = NonNullable<Awaited<ReturnType<typeof findToken>>>;

export async function insertToken(trx: Trx, token: Omit<Insertable<ApiTokenTable>, 'merchantId'>): Promise<void> {
  await trx
    .insertInto('apiToken')
    .values({ ...token, merchantId: sql<string>`app_current_merchant()` })
    .execute();
}

export async function revokeToken(trx: Trx, id: string): Promise<boolean> {
  const result = await trx
    .updateTable('apiToken')
    .set({ revokedAt: sql`now()` })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

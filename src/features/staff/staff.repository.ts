import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import type { AppUserTable } from '../../platform/db/schema.ts';

export async function listStaff(trx: Trx) {
  return trx.selectFrom('appUser').selectAll().orderBy('name').orderBy('id').execute();
}

export async function findStaff(trx: Trx, id: string, options: { forUpdate?: boolean } = {}) {
  let query = trx.selectFrom('appUser').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}
export type StaffRow = NonNullable<Awaited<ReturnType<typeof findStaff>>>;

export async function updateStaff(
  trx: Trx,
  id: string,
  changes: Partial<Pick<AppUserTable, 'name' | 'role'>> & { storeIds?: string[]; disabled?: boolean },
): Promise<void> {
  const { disabled, ...rest } = changes;
  await trx
    .updateTable('appUser')
    .set({
      ...rest,
      ...(disabled === undefined ? {} : { disabledAt: disabled ? sql`now()` : null }),
      updatedAt: sql`now()`,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .execute();
}

export async function storesExist(trx: Trx, ids: string[]): Promise<boolean> {
  if (ids.length === 0) return true;
  const rows = await trx.selectFrom('store').select('id').where('id', 'in', ids).execute();
  return rows.length === new Set(ids).size;
}

import type { Trx } from '../../platform/db/database.ts';

/** The merchant's customer groups, the default first, then by name. */
export async function listGroups(trx: Trx) {
  return trx
    .selectFrom('customerGroup')
    .select(['id', 'name', 'isDefault'])
    .orderBy('isDefault', 'desc')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

import type { Trx } from '../../platform/db/database.ts';

export async function listStores(trx: Trx) {
  return trx.selectFrom('store').select(['id', 'name', 'channel', 'timeZone']).orderBy('name').orderBy('id').execute();
}

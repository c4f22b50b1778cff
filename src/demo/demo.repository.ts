import type { Trx } from '../platform/db/database.ts';
import type { NewCustomerRow } from '../platform/db/schema.ts';

export async function storeNames(trx: Trx): Promise<Map<string, string>> {
  const rows = await trx.selectFrom('store').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.name, r.id]));
}

export async function renameMerchant(
  trx: Trx,
  settings: { name: string; currency: string; defaultCountry: string; timeZone: string },
) {
  await trx.updateTable('merchant').set(settings).execute();
}

export async function existingCodes(trx: Trx, prefix: string): Promise<Set<string>> {
  const rows = await trx.selectFrom('customer').select('code').where('code', 'like', `${prefix}%`).execute();
  return new Set(rows.map((r) => r.code));
}

export async function insertCustomers(trx: Trx, rows: NewCustomerRow[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('customer').values(rows).execute();
}

export async function defaultGroupId(trx: Trx): Promise<string> {
  const row = await trx
    .selectFrom('customerGroup')
    .select('id')
    .where('isDefault', '=', true)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function renameStore(trx: Trx, id: string, name: string) {
  await trx.updateTable('store').set({ name, timeZone: 'Australia/Sydney' }).where('id', '=', id).execute();
}

/** The demo's customers, in the order of their codes. */
export async function demoCustomerIds(trx: Trx, prefix: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('customer')
    .select('id')
    .where('code', 'like', `${prefix}%`)
    .where('deletedAt', 'is', null)
    .orderBy('code')
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a sale with a receipt reference starting with `prefix` exists. */
export async function hasReceiptsLike(trx: Trx, prefix: string): Promise<boolean> {
  const row = await trx
    .selectFrom('sale')
    .select('id')
    .where('receiptRef', 'like', `${prefix}%`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

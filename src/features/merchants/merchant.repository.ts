import { sql } from 'kysely';
import type { Db, Trx } from '../../platform/db/database.ts';

/** Merchant bootstrap runs before any request, as the table owner (no merchant is set yet). */
export async function lockMerchantBootstrap(trx: Trx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('patron.merchant_bootstrap'))`.execute(trx);
}

export async function findFirstMerchantId(db: Db | Trx): Promise<string | undefined> {
  const row = await db.selectFrom('merchant').select('id').orderBy('createdAt').limit(1).executeTakeFirst();
  return row?.id;
}

export async function insertMerchant(
  trx: Trx,
  merchant: { id: string; name: string; currency: string; defaultCountry: string; timeZone: string },
): Promise<void> {
  await trx.insertInto('merchant').values(merchant).execute();
}

export async function insertStore(
  trx: Trx,
  store: {
    merchantId: string;
    id: string;
    name: string;
    timeZone: string;
    channel: 'pos' | 'ecommerce' | 'backoffice';
  },
): Promise<void> {
  await trx.insertInto('store').values(store).execute();
}

export async function insertGroup(
  trx: Trx,
  group: { merchantId: string; id: string; name: string; isDefault: boolean },
): Promise<void> {
  await trx.insertInto('customerGroup').values(group).execute();
}

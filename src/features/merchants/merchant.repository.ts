import type { Trx } from '../../platform/db/database.ts';

// Merchants are created before any request can run as them: these run as the table owner.

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

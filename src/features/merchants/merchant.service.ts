import { v7 as uuidv7 } from 'uuid';
import type { Database, Trx } from '../../platform/db/database.ts';
import { insertGroup, insertMerchant, insertStore } from './merchant.repository.ts';

export const DEFAULT_GROUP_NAME = 'All Customers';

export interface NewMerchant {
  name: string;
  currency?: string;
  defaultCountry?: string;
  timeZone?: string;
  storeName?: string;
}

/** A merchant comes with what every merchant has: a first store and the default customer group. */
export async function insertNewMerchant(trx: Trx, input: NewMerchant): Promise<string> {
  const merchantId = uuidv7();
  const timeZone = input.timeZone ?? 'UTC';
  await insertMerchant(trx, {
    id: merchantId,
    name: input.name,
    currency: input.currency ?? 'USD',
    defaultCountry: input.defaultCountry ?? 'US',
    timeZone,
  });
  await insertStore(trx, { merchantId, id: uuidv7(), name: input.storeName ?? 'Main store', timeZone, channel: 'pos' });
  await insertGroup(trx, { merchantId, id: uuidv7(), name: DEFAULT_GROUP_NAME, isDefault: true });
  return merchantId;
}

export async function createMerchant(database: Database, input: NewMerchant): Promise<string> {
  return database.system.transaction().execute((trx) => insertNewMerchant(trx, input));
}

import type { Trx } from '../../platform/db/database.ts';
import type { MerchantRow } from '../../platform/db/schema.ts';

export type SettingsRow = Pick<
  MerchantRow,
  | 'name'
  | 'currency'
  | 'defaultCountry'
  | 'timeZone'
  | 'requireFirstName'
  | 'requireLastName'
  | 'requireEmail'
  | 'loyaltyEnabled'
  | 'loyaltyPointsPerUnit'
  | 'loyaltyPointValue'
  | 'loyaltyEarningMethods'
  | 'loyaltyExpiryMonths'
  | 'invoicingEnabled'
  | 'paymentTermsDays'
  | 'defaultCreditLimit'
  | 'cashRounding'
>;

const COLUMNS = [
  'name',
  'currency',
  'defaultCountry',
  'timeZone',
  'requireFirstName',
  'requireLastName',
  'requireEmail',
  'loyaltyEnabled',
  'loyaltyPointsPerUnit',
  'loyaltyPointValue',
  'loyaltyEarningMethods',
  'loyaltyExpiryMonths',
  'invoicingEnabled',
  'paymentTermsDays',
  'defaultCreditLimit',
  'cashRounding',
] as const;

/** The current merchant's settings (row-level security leaves exactly one merchant row visible). */
export async function findSettings(trx: Trx): Promise<SettingsRow | undefined> {
  return trx.selectFrom('merchant').select(COLUMNS).executeTakeFirst();
}

export async function updateSettings(
  trx: Trx,
  changes: Partial<Omit<SettingsRow, 'loyaltyPointsPerUnit'>> & { loyaltyPointsPerUnit?: number },
): Promise<SettingsRow | undefined> {
  return trx
    .updateTable('merchant')
    .set({ ...changes, updatedAt: new Date() })
    .returning(COLUMNS)
    .executeTakeFirst();
}

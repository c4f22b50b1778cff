import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import type { MerchantSmtpTable } from '../../platform/db/schema.ts';

export async function findSmtp(trx: Trx) {
  return trx.selectFrom('merchantSmtp').selectAll().executeTakeFirst();
}
export type SmtpRow = NonNullable<Awaited<ReturnType<typeof findSmtp>>>;

export async function saveSmtp(trx: Trx, smtp: Omit<MerchantSmtpTable, 'merchantId' | 'updatedAt'>): Promise<void> {
  await trx
    .insertInto('merchantSmtp')
    .values({ ...smtp, merchantId: sql<string>`app_current_merchant()` })
    .onConflict((oc) => oc.column('merchantId').doUpdateSet({ ...smtp, updatedAt: sql`now()` }))
    .execute();
}

export async function anySales(trx: Trx): Promise<boolean> {
  return (await trx.selectFrom('sale').select('id').limit(1).executeTakeFirst()) !== undefined;
}

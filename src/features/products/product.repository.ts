import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';

/** Insert, or update the product with the same SKU (case-insensitive); says which happened. */
export async function upsertProduct(
  trx: Trx,
  product: {
    id: string;
    sku: string;
    name: string;
    price: number;
    cost: number | null | undefined;
    active: boolean | undefined;
  },
) {
  const { rows } = await sql<{ id: string; inserted: boolean }>`
    INSERT INTO product (merchant_id, id, sku, name, price, cost, active)
    VALUES (app_current_merchant(), ${product.id}, ${product.sku}, ${product.name}, ${product.price}, ${product.cost ?? null}, ${product.active ?? true})
    ON CONFLICT (merchant_id, lower(sku)) DO UPDATE SET
      sku = EXCLUDED.sku,
      name = EXCLUDED.name,
      price = EXCLUDED.price,
      cost = CASE WHEN ${product.cost === undefined} THEN product.cost ELSE EXCLUDED.cost END,
      active = CASE WHEN ${product.active === undefined} THEN product.active ELSE EXCLUDED.active END,
      updated_at = now()
    RETURNING id, (xmax = 0) AS inserted`.execute(trx);
  return rows[0] as { id: string; inserted: boolean };
}

export async function findProduct(trx: Trx, id: string) {
  return trx.selectFrom('product').selectAll().where('id', '=', id).executeTakeFirst();
}

export type ProductRow = NonNullable<Awaited<ReturnType<typeof findProduct>>>;

export async function listProducts(
  trx: Trx,
  options: { q?: string | undefined; active?: boolean | undefined; limit: number },
) {
  let query = trx.selectFrom('product').selectAll();
  if (options.active !== undefined) query = query.where('active', '=', options.active);
  if (options.q) {
    const prefix = `${options.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(sku)`, '=', options.q?.toLowerCase()),
        eb(sql`lower(name)`, 'like', prefix),
        eb(sql`lower(name)`, 'like', `% ${prefix}`),
      ]),
    );
  }
  return query.orderBy(sql`lower(name)`).orderBy('id').limit(options.limit).execute();
}

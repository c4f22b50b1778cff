import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';
import { findProduct, listProducts, type ProductRow, upsertProduct } from './product.repository.ts';
import type { Product, ProductUpsert } from './product.schema.ts';

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    price: row.price,
    cost: row.cost,
    active: row.active,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export class ProductService {
  constructor(private readonly database: Database) {}

  /** The catalogue lives in the POS: it pushes products here by SKU, as often as it likes. */
  async upsert(ctx: RequestContext, input: ProductUpsert): Promise<{ product: Product; created: boolean }> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const { id, inserted } = await upsertProduct(trx, {
        id: uuidv7(),
        ...input,
        cost: input.cost,
        active: input.active,
      });
      const row = await findProduct(trx, id);
      if (!row) throw AppError.notFound('Product');
      return { product: toProduct(row), created: inserted };
    });
  }

  async list(
    ctx: RequestContext,
    query: { q?: string | undefined; active?: boolean | undefined; limit: number },
  ): Promise<Product[]> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => (await listProducts(trx, query)).map(toProduct));
  }
}

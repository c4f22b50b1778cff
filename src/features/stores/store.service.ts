import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { listStores } from './store.repository.ts';
import type { Store } from './store.schema.ts';

export class StoreService {
  constructor(private readonly database: Database) {}

  list(ctx: RequestContext): Promise<Store[]> {
    return this.database.withMerchant(ctx.merchantId, listStores);
  }
}

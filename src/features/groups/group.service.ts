import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { listGroups } from './group.repository.ts';
import type { CustomerGroup } from './group.schema.ts';

export class GroupService {
  constructor(private readonly database: Database) {}

  list(ctx: RequestContext): Promise<CustomerGroup[]> {
    return this.database.withMerchant(ctx.merchantId, listGroups);
  }
}

import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database.ts';
import {
  type CustomerFilterValues,
  type CustomerMatch,
  matchingCustomerIds,
} from '../customers/customer.repository.ts';

/**
 * Groups with their size and total spent, aggregated on read from the live customers and their maintained
 * statistics: one pass over the merchant's customers and their statistics (a parallel hash join), grouped by
 * group. Measured with 200,000 customers in 10 groups on the 2-core test machine while benchmarks ran: about
 * 0.4 s, growing with the number of customers (so about 2 s for a million); covering indexes did not change the
 * plan. Keeping per-group counters instead would put one hot row in the way of every sale.
 */
function groupsWithStats(trx: Trx, groupId?: string) {
  let sizes = trx
    .selectFrom('customer')
    .innerJoin('customerStats', (join) =>
      join
        .onRef('customerStats.merchantId', '=', 'customer.merchantId')
        .onRef('customerStats.customerId', '=', 'customer.id'),
    )
    .where('customer.deletedAt', 'is', null)
    .select([
      'customer.groupId',
      sql<number>`count(*)::int`.as('size'),
      sql<number>`sum(customer_stats.total_spent)::bigint`.as('totalSpent'),
    ])
    .groupBy('customer.groupId');
  if (groupId) sizes = sizes.where('customer.groupId', '=', groupId);
  let query = trx
    .selectFrom('customerGroup')
    .leftJoin(sizes.as('sizes'), 'sizes.groupId', 'customerGroup.id')
    .select((eb) => [
      'customerGroup.id',
      'customerGroup.name',
      'customerGroup.isDefault',
      'customerGroup.discountPercent',
      eb.fn.coalesce('sizes.size', sql<number>`0`).as('size'),
      eb.fn.coalesce('sizes.totalSpent', sql<number>`0`).as('totalSpent'),
    ]);
  if (groupId) query = query.where('customerGroup.id', '=', groupId);
  return query;
}

/** The merchant's customer groups with their size and total spent, the default first, then by name. */
export async function listGroups(trx: Trx) {
  return groupsWithStats(trx)
    .orderBy('customerGroup.isDefault', 'desc')
    .orderBy(sql`lower(customer_group.name)`)
    .orderBy('customerGroup.id')
    .execute();
}
export type GroupRecord = Awaited<ReturnType<typeof listGroups>>[number];

/** One group with its size and total spent. */
export async function findGroupWithStats(trx: Trx, id: string): Promise<GroupRecord | undefined> {
  return groupsWithStats(trx, id).executeTakeFirst();
}

/**
 * A group, locked until the transaction ends: `update` by whoever renames or deletes it, `share` by whoever
 * moves customers into it. A move and a delete of the same group therefore take turns: the move never puts
 * customers into a group that is going, and the delete moves out whoever was moved in before it.
 */
export async function lockGroup(trx: Trx, id: string, mode: 'update' | 'share') {
  const query = trx
    .selectFrom('customerGroup')
    .select(['id', 'name', 'isDefault', 'discountPercent'])
    .where('id', '=', id);
  return (mode === 'update' ? query.forUpdate() : query.forShare()).executeTakeFirst();
}

/** The group with this name, compared as the unique index compares names (ignoring case). */
export async function findGroupByName(trx: Trx, name: string) {
  return trx
    .selectFrom('customerGroup')
    .select(['id', 'name'])
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst();
}

export async function findDefaultGroupId(trx: Trx): Promise<string> {
  const row = await trx
    .selectFrom('customerGroup')
    .select('id')
    .where('isDefault', '=', true)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertGroup(
  trx: Trx,
  group: { id: string; name: string; discountPercent: number },
): Promise<void> {
  await trx
    .insertInto('customerGroup')
    .values({ ...group, merchantId: sql<string>`app_current_merchant()` })
    .execute();
}

export async function updateGroup(
  trx: Trx,
  id: string,
  changes: { name?: string; discountPercent?: number },
): Promise<void> {
  await trx.updateTable('customerGroup').set(changes).where('id', '=', id).execute();
}

export async function deleteGroup(trx: Trx, id: string): Promise<void> {
  await trx.deleteFrom('customerGroup').where('id', '=', id).execute();
}

/**
 * Moving many customers rewrites each row and every index on it (the search indexes too): about 3,000 customers
 * a second were measured on the test machine under load. A move of every customer of a large business takes
 * longer than the usual statement limit, and is still one transaction: let it run up to 5 minutes.
 */
export async function allowLongMove(trx: Trx): Promise<void> {
  await sql`SELECT set_config('statement_timeout', '300000', true)`.execute(trx);
}

/** What a customer moved by a group change gets, as any edit: a new version (a form opened before is stale). */
function movedBy(actorName: string) {
  return { updatedAt: sql<Date>`now()`, version: sql<number>`version + 1`, updatedByName: actorName };
}

/**
 * Every customer of group `from` (deleted ones too: they keep a group) into group `to`. Returns how many
 * live customers moved.
 */
export async function moveGroupCustomers(trx: Trx, from: string, to: string, actorName: string): Promise<number> {
  const rows = await trx
    .updateTable('customer')
    .set({ groupId: to, ...movedBy(actorName) })
    .where('groupId', '=', from)
    .returning(sql<boolean>`deleted_at IS NULL`.as('live'))
    .execute();
  return rows.filter((row) => row.live).length;
}

/**
 * The live customers matching the filters (and `match`, if given) into the group, in one statement.
 * `matched`: how many were selected; `moved`: how many of them were in another group (and now are not), and
 * with `listMoved`, which.
 */
export async function moveCustomersToGroup(
  trx: Trx,
  options: {
    groupId: string;
    filter: CustomerFilterValues;
    match?: CustomerMatch | undefined;
    actorName: string;
    listMoved?: boolean;
  },
): Promise<{ matched: number; moved: number; movedIds: string[] }> {
  const { groupId, filter, match, actorName } = options;
  const row = await trx
    .with('matching', () => matchingCustomerIds(trx, filter, match))
    .with('moved', (db) =>
      db
        .updateTable('customer')
        .set({ groupId, ...movedBy(actorName) })
        .where('customer.id', 'in', db.selectFrom('matching').select('matching.id'))
        .where('customer.groupId', '<>', groupId)
        // A customer deleted since the selection was read stays as it is.
        .where('customer.deletedAt', 'is', null)
        .returning('customer.id'),
    )
    .selectNoFrom((eb) => [
      eb.selectFrom('matching').select(sql<number>`count(*)::int`.as('n')).as('matched'),
      eb.selectFrom('moved').select(sql<number>`count(*)::int`.as('n')).as('moved'),
      options.listMoved
        ? eb
            .selectFrom('moved')
            .select(sql<string[]>`coalesce(array_agg(moved.id ORDER BY moved.id), '{}')`.as('ids'))
            .as('movedIds')
        : sql<string[]>`'{}'::uuid[]`.as('movedIds'),
    ])
    .executeTakeFirstOrThrow();
  return { matched: row.matched ?? 0, moved: row.moved ?? 0, movedIds: row.movedIds ?? [] };
}

import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import type { Database, Trx } from '../../platform/db/database.ts';
import { foreignKeyViolation, uniqueViolation } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/http/errors.ts';
import { diffFields, recordAudit } from '../audit/audit.service.ts';
import {
  type CustomerFilterValues,
  type CustomerMatch,
  filterCustomerIds,
  idsMatch,
} from '../customers/customer.repository.ts';
import { listedCustomers } from '../customers/customer.service.ts';
import {
  allowLongMove,
  deleteGroup,
  findDefaultGroupId,
  findGroupByName,
  findGroupWithStats,
  type GroupRecord,
  insertGroup,
  listGroups,
  lockGroup,
  moveCustomersToGroup,
  moveGroupCustomers,
  updateGroup,
} from './group.repository.ts';
import type {
  CustomerGroup,
  CustomerGroupCreate,
  CustomerGroupUpdate,
  GroupDeleteResult,
  MoveCustomers,
  MoveResult,
} from './group.schema.ts';

function toGroup(row: GroupRecord): CustomerGroup {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    discountPercent: Number(row.discountPercent),
    size: Number(row.size),
    totalSpent: Number(row.totalSpent),
  };
}

async function groupNow(trx: Trx, id: string): Promise<CustomerGroup> {
  const row = await findGroupWithStats(trx, id);
  if (!row) throw AppError.notFound('Customer group');
  return toGroup(row);
}

/**
 * The name is unique per merchant, whatever its case: the database says so (customer_group_name_key). The
 * answer names the group that has it, as it is spelt (read after the failed transaction, so it may be gone).
 */
async function nameTaken(database: Database, ctx: RequestContext, error: unknown, name: string) {
  if (uniqueViolation(error) !== 'customer_group_name_key') return error;
  const taken = await database.withMerchant(ctx.merchantId, (trx) => findGroupByName(trx, name));
  const message = `There is already a group called "${taken?.name ?? name}" (names are compared ignoring case)`;
  return new AppError('conflict', message, { fields: [{ field: 'name', code: 'taken', message }] });
}

/**
 * Two large moves of the same customers into different groups at the same moment can each wait for rows the
 * other holds: PostgreSQL ends one of them (deadlock_detected). Nothing of it was saved; it may simply be retried.
 */
function movedMeanwhile(error: unknown): AppError | undefined {
  if ((error as { code?: string })?.code !== '40P01') return undefined;
  return new AppError(
    'conflict',
    'Some of these customers were being moved by someone else at the same moment. Nothing was moved: try again.',
  );
}

export class GroupService {
  constructor(private readonly database: Database) {}

  list(ctx: RequestContext): Promise<CustomerGroup[]> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => (await listGroups(trx)).map(toGroup));
  }

  get(ctx: RequestContext, id: string): Promise<CustomerGroup> {
    return this.database.withMerchant(ctx.merchantId, (trx) => groupNow(trx, id));
  }

  async create(ctx: RequestContext, input: CustomerGroupCreate): Promise<CustomerGroup> {
    const id = uuidv7();
    const { name, discountPercent } = input;
    try {
      return await this.database.withMerchant(ctx.merchantId, async (trx) => {
        await insertGroup(trx, { id, name, discountPercent });
        await recordAudit(trx, ctx, {
          action: 'customer_group.created',
          entityType: 'customer_group',
          entityId: id,
          changes: diffFields(null, discountPercent ? { name, discountPercent } : { name }),
        });
        return groupNow(trx, id);
      });
    } catch (error) {
      throw await nameTaken(this.database, ctx, error, name);
    }
  }

  /** Rename a group or change its discount; the audit log keeps what changed. */
  async update(ctx: RequestContext, id: string, input: CustomerGroupUpdate): Promise<CustomerGroup> {
    try {
      return await this.database.withMerchant(ctx.merchantId, async (trx) => {
        const group = await lockGroup(trx, id, 'update');
        if (!group) throw AppError.notFound('Customer group');
        const before = { name: group.name, discountPercent: Number(group.discountPercent) };
        const after = { ...before, ...input };
        const changes = diffFields(before, after);
        if (Object.keys(changes).length > 0) {
          await updateGroup(trx, id, input);
          await recordAudit(trx, ctx, {
            action:
              Object.keys(changes).length === 1 && changes.name ? 'customer_group.renamed' : 'customer_group.updated',
            entityType: 'customer_group',
            entityId: id,
            changes,
          });
        }
        return groupNow(trx, id);
      });
    } catch (error) {
      throw await nameTaken(this.database, ctx, error, input.name ?? '');
    }
  }

  /**
   * Delete a group; its customers (deleted customers too: every customer has a group) join the default group,
   * in the same transaction. The default group itself cannot go: new customers join it.
   */
  delete(ctx: RequestContext, id: string): Promise<GroupDeleteResult> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const group = await lockGroup(trx, id, 'update');
      if (!group) throw AppError.notFound('Customer group');
      if (group.isDefault) {
        throw new AppError(
          'conflict',
          `"${group.name}" is the default group: new customers join it, so it cannot be deleted. Rename it instead.`,
          { extra: { reason: 'default_group' } },
        );
      }
      const defaultId = await findDefaultGroupId(trx);
      await allowLongMove(trx);
      const customersMoved = await moveGroupCustomers(trx, id, defaultId, ctx.actor.name);
      try {
        await deleteGroup(trx, id);
      } catch (error) {
        // A customer created or edited into this group at the same moment (their edit does not wait for the lock).
        if (foreignKeyViolation(error) === undefined) throw error;
        throw new AppError(
          'conflict',
          `Customers were added to "${group.name}" while it was being deleted. Try again.`,
        );
      }
      const movedTo = await groupNow(trx, defaultId);
      await recordAudit(trx, ctx, {
        action: 'customer_group.deleted',
        entityType: 'customer_group',
        entityId: id,
        changes: { name: group.name, customersMoved, movedTo: movedTo.name },
      });
      return { customersMoved, movedTo };
    });
  }

  /**
   * Move customers into a group, in one transaction: named ones, or every one the list shows for a search and
   * filters. One audit event tells what was moved where (not one per customer).
   */
  moveCustomers(ctx: RequestContext, groupId: string, input: MoveCustomers): Promise<MoveResult> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      // Shared: two moves into the same group run side by side; a delete of the group waits for them.
      const group = await lockGroup(trx, groupId, 'share');
      if (!group) throw AppError.notFound('Customer group');
      let filter: CustomerFilterValues = {};
      let match: CustomerMatch | undefined;
      let notFound: string[] = [];
      let none = false;
      if (input.customerIds) {
        const named = [...new Set(input.customerIds.map((id) => id.toLowerCase()))];
        const live = await filterCustomerIds(trx, {}, named);
        notFound = named.filter((id) => !live.has(id));
        match = idsMatch([...live]);
        none = live.size === 0;
      } else {
        ({ filter, match } = await listedCustomers(trx, input.matching ?? {}));
      }
      const byId = input.customerIds !== undefined;
      // After the search (which keeps its own 3 s limit): the move itself may be large.
      if (!byId) await allowLongMove(trx);
      const { matched, moved, movedIds } = none
        ? { matched: 0, moved: 0, movedIds: [] }
        : await moveCustomersToGroup(trx, { groupId, filter, match, actorName: ctx.actor.name, listMoved: byId }).catch(
            (error: unknown) => {
              throw movedMeanwhile(error) ?? error;
            },
          );
      if (moved > 0) {
        await recordAudit(trx, ctx, {
          action: 'customer_group.customers_moved',
          entityType: 'customer_group',
          entityId: groupId,
          changes: {
            group: group.name,
            moved,
            // Named customers are few (at most MOVE_IDS_MAX): which ones moved is kept; else the selection as understood.
            ...(byId ? { customerIds: movedIds } : { matching: input.matching }),
          },
        });
      }
      return { moved, alreadyInGroup: matched - moved, notFound, group: await groupNow(trx, groupId) };
    });
  }
}

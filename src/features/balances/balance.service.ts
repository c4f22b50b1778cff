import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../platform/context.ts';
import type { Database, Trx } from '../../platform/db/database.ts';
import { raisedBy, uniqueViolation } from '../../platform/db/errors.ts';
import type { BalanceKind } from '../../platform/db/schema.ts';
import { decodeCursor, pageOf } from '../../platform/http/cursor.ts';
import { AppError } from '../../platform/http/errors.ts';
import { repeat } from '../../platform/jobs/schedule.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findCustomer } from '../customers/customer.repository.ts';
import { invoiceReference } from '../invoices/invoice.rules.ts';
import { lockStats } from '../sales/customer-stats.repository.ts';
import {
  customerIdBy,
  deactivateCard,
  expirePoints,
  findBalances,
  insertCard,
  listCards,
  listEntries,
  merchantsWithExpiry,
  postEntry,
} from './balance.repository.ts';
import type { BalanceAdjustment, BalanceEntry, Balances, LoyaltyCard } from './balance.schema.ts';

type EntryRow = Awaited<ReturnType<typeof listEntries>>[number];
type CardRow = Awaited<ReturnType<typeof listCards>>[number];

function toEntry(row: EntryRow): BalanceEntry {
  return {
    id: row.id,
    balance: row.balance,
    amount: Number(row.amount),
    reason: row.reason,
    note: row.note,
    saleId: row.saleId,
    receiptRef: row.receiptRef,
    invoiceId: row.invoiceId,
    invoiceReference: row.invoiceNumber === null ? null : invoiceReference(row.invoiceNumber),
    expiresAt: row.expiresAt ? new Date(row.expiresAt).toISOString() : null,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

function toCard(row: CardRow): LoyaltyCard {
  return {
    id: row.id,
    customerId: row.customerId,
    number: row.number,
    active: row.active,
    createdAt: new Date(row.createdAt).toISOString(),
    deactivatedAt: row.deactivatedAt ? new Date(row.deactivatedAt).toISOString() : null,
  };
}

/** A customer's balances as the API shows them. */
export async function balancesIn(trx: Trx, customerId: string): Promise<Balances> {
  const row = await findBalances(trx, customerId);
  const points = Number(row.loyaltyPoints);
  return {
    loyaltyPoints: points,
    loyaltyValue: points * Number(row.loyaltyPointValue),
    storeCredit: Number(row.storeCredit),
    account: Number(row.account),
  };
}

/**
 * What a refused balance change (balance_insufficient from the database) says to a person, on the field
 * `fieldOf` names for the balance that fell short.
 */
export function insufficient(error: unknown, fieldOf: (balance: BalanceKind) => string): AppError | undefined {
  const raised = raisedBy(error);
  if (raised?.message !== 'balance_insufficient') return undefined;
  const { balance, available } = JSON.parse(raised.detail ?? '{}') as { balance: BalanceKind; available: number };
  const field = fieldOf(balance);
  const what = balance === 'loyalty' ? `${available ?? 0} points` : `${available ?? 0} (minor units) of store credit`;
  return AppError.invalid([{ field, code: 'insufficient_balance', message: `Is more than the customer has: ${what}` }]);
}

/**
 * Loyalty points, store credit and account: each balance is the sum of its ledger, changed only by new
 * entries (sales, refunds, cancellations, adjustments, expiry), never edited.
 */
export class BalanceService {
  constructor(private readonly database: Database) {}

  private async mustExist(trx: Trx, customerId: string): Promise<void> {
    if (!(await findCustomer(trx, customerId))) throw AppError.notFound('Customer');
  }

  async get(ctx: RequestContext, customerId: string): Promise<Balances> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      await this.mustExist(trx, customerId);
      return balancesIn(trx, customerId);
    });
  }

  async entries(
    ctx: RequestContext,
    customerId: string,
    query: { balance?: BalanceKind | undefined; limit: number; cursor?: string | undefined },
  ): Promise<{ items: BalanceEntry[]; next: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.database.withMerchant(ctx.merchantId, async (trx) => {
      await this.mustExist(trx, customerId);
      return listEntries(trx, customerId, { balance: query.balance, limit: query.limit + 1, after });
    });
    return pageOf(rows, query.limit, toEntry);
  }

  /** A manager's change of points or store credit, with the reason; in the audit log. */
  async adjust(ctx: RequestContext, customerId: string, adjustment: BalanceAdjustment): Promise<Balances> {
    try {
      return await this.database.withMerchant(ctx.merchantId, async (trx) => {
        await this.mustExist(trx, customerId);
        await lockStats(trx, [customerId]);
        const after = await postEntry(trx, {
          customerId,
          balance: adjustment.balance,
          amount: adjustment.amount,
          reason: adjustment.reason,
          note: adjustment.note,
          by: ctx.actor.name,
        });
        await recordAudit(trx, ctx, {
          action: 'customer.balance_adjusted',
          entityType: 'customer',
          entityId: customerId,
          changes: { balance: adjustment.balance, amount: adjustment.amount, after, note: adjustment.note },
        });
        return balancesIn(trx, customerId);
      });
    } catch (error) {
      throw insufficient(error, () => 'amount') ?? error;
    }
  }

  async cards(ctx: RequestContext, customerId: string): Promise<LoyaltyCard[]> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      await this.mustExist(trx, customerId);
      return (await listCards(trx, customerId)).map(toCard);
    });
  }

  /** Link a card number to a customer; a number is never reused, even after its card was deactivated. */
  async addCard(ctx: RequestContext, customerId: string, number: string): Promise<LoyaltyCard> {
    try {
      return await this.database.withMerchant(ctx.merchantId, async (trx) => {
        await this.mustExist(trx, customerId);
        // A scanned number must find one customer: a card cannot carry someone's customer code.
        const byCode = await customerIdBy(trx, 'code', number);
        if (byCode) {
          const own = byCode === customerId;
          const message = own ? "Is this customer's own code: it finds them already" : "Is another customer's code";
          throw new AppError(
            'conflict',
            own ? "This number is the customer's own code" : "This number is another customer's code",
            {
              fields: [{ field: 'number', code: 'taken', message }],
            },
          );
        }
        const card = await insertCard(trx, { id: uuidv7(), customerId, number, createdBy: ctx.actor.name });
        await recordAudit(trx, ctx, {
          action: 'customer.loyalty_card_added',
          entityType: 'customer',
          entityId: customerId,
          changes: { number },
        });
        return toCard(card);
      });
    } catch (error) {
      if (uniqueViolation(error) === 'loyalty_card_number_key') {
        throw new AppError('conflict', 'This card number is already linked to a customer', {
          fields: [{ field: 'number', code: 'taken', message: 'Is already linked to a customer' }],
        });
      }
      throw error;
    }
  }

  /** A lost or replaced card stops finding its customer; its number stays used. */
  async deactivateCard(ctx: RequestContext, customerId: string, cardId: string): Promise<LoyaltyCard> {
    return this.database.withMerchant(ctx.merchantId, async (trx) => {
      const card = await deactivateCard(trx, customerId, cardId, ctx.actor.name);
      if (!card) throw AppError.notFound('Active loyalty card');
      await recordAudit(trx, ctx, {
        action: 'customer.loyalty_card_deactivated',
        entityType: 'customer',
        entityId: customerId,
        changes: { number: card.number },
      });
      return toCard(card);
    });
  }

  /** Lapse points whose time is up, for one merchant (run by the expiry timer; tests pass the time). */
  async expire(merchantId: string, now: Date): Promise<number> {
    return this.database.withMerchant(merchantId, (trx) => expirePoints(trx, now, 'Points expiry'));
  }

  /** Lapse points whose time is up for every merchant whose points expire. */
  async expireAll(now: Date): Promise<void> {
    for (const id of await merchantsWithExpiry(this.database.system)) await this.expire(id, now);
  }

  /** The customer a scanned or typed card number belongs to, if it is active. */
  async customerByCard(ctx: RequestContext, number: string): Promise<string | null> {
    return this.database.withMerchant(ctx.merchantId, (trx) => customerIdBy(trx, 'card', number));
  }
}

/**
 * Lapse points a minute after start and then every hour. Every process may run it: the database lets
 * one run at a time per merchant, and a second run finds nothing left to lapse. Returns a stop function.
 */
export function schedulePointsExpiry(database: Database, onError: (error: unknown) => void): () => void {
  const service = new BalanceService(database);
  return repeat(() => void service.expireAll(new Date()).catch(onError), { firstMs: 60_000, everyMs: 3_600_000 });
}

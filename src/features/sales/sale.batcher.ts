import type { Database } from '../../platform/db/database.ts';
import { lockTimedOut, transactionsCollided, uniqueViolation } from '../../platform/db/errors.ts';

/**
 * What record_sales answers for one sale of a batch (migration 0022): what record_sale answers for a
 * sale it recorded, or 'single': not written by the batch (a retry, something not found, or the batch
 * failed), to be recorded on its own.
 */
export type BatchOutcome<Recorded> = Recorded | { outcome: 'single' };

/** The argument of record_sale for one sale: the fields the batcher reads, and the rest. */
export interface BatchedSale {
  key: string | null;
  storeId: string;
  receiptRef: string;
  [field: string]: unknown;
}

interface Pending<Recorded> {
  sale: BatchedSale;
  resolve: (outcome: BatchOutcome<Recorded>) => void;
}

export interface SaleBatcherOptions {
  /** Batches being written at once, of all merchants (each holds a connection of the pool). */
  concurrency?: number;
  /** Sales in one batch at most. */
  maxBatch?: number;
  /** Sales a merchant may have waiting; more go on their own at once (the pool then says 503 when full). */
  maxWaiting?: number;
  /**
   * Told of a batch that failed (its sales are then recorded one by one); `expected` when it met another
   * request (a key or receipt taken meanwhile, a lock waited for too long, a deadlock), as happens now and then.
   */
  onFailure?: (error: unknown, expected: boolean) => void;
}

const SINGLE = { outcome: 'single' } as const;

/**
 * Sales that reach the server together are written together: while a batch is being written, the
 * sales that arrive wait, and go as the next batch, in one call of record_sales (migration 0022). A
 * sale alone is written at once, so a quiet shop waits for nothing; a busy one pays PostgreSQL's
 * per-statement and per-transaction costs once a batch instead of once a sale (about 2.1 ms of CPU a
 * sale alone, 0.5 ms in a batch of 16; docs/benchmarks.md).
 *
 * Group commit, as databases do it for their log. Batches are per merchant (the merchant is set on the
 * transaction), one at a time for each: one backend writing a batch of 8 costs less CPU than two
 * writing batches of 4 (docs/benchmarks.md). A batch that meets a lock (a customer's statistics held
 * by a cancellation, say) gives up after a quarter of a second (record_sales' lock_timeout), so it
 * never holds the merchant's other sales for longer. Two sales with the same key or the same receipt
 * reference never share a batch (the second waits for the next). A sale the batch did not write, and
 * every sale of a batch that failed, resolves as 'single': the caller records it alone, with the
 * checks and answers of one sale.
 */
export class SaleBatcher<Recorded> {
  private readonly queues = new Map<string, Pending<Recorded>[]>();
  /** The merchants whose batch is being written. */
  private readonly writing = new Set<string>();
  private readonly concurrency: number;
  private readonly maxBatch: number;
  private readonly maxWaiting: number;
  private readonly onFailure: (error: unknown, expected: boolean) => void;

  constructor(
    private readonly database: Database,
    options: SaleBatcherOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.maxBatch = options.maxBatch ?? 64;
    this.maxWaiting = options.maxWaiting ?? 1000;
    this.onFailure = options.onFailure ?? (() => {});
  }

  record(merchantId: string, sale: BatchedSale): Promise<BatchOutcome<Recorded>> {
    return new Promise((resolve) => {
      const queue = this.queues.get(merchantId);
      if (queue && queue.length >= this.maxWaiting) resolve(SINGLE);
      else if (queue) queue.push({ sale, resolve });
      else this.queues.set(merchantId, [{ sale, resolve }]);
      this.pump();
    });
  }

  private pump(): void {
    while (this.writing.size < this.concurrency) {
      const next = this.take();
      if (!next) return;
      this.writing.add(next.merchantId);
      void this.write(next.merchantId, next.batch).finally(() => {
        this.writing.delete(next.merchantId);
        this.pump();
      });
    }
  }

  /**
   * The next batch: from the first merchant in line whose last batch is written (they then go to the
   * back of the line).
   */
  private take(): { merchantId: string; batch: Pending<Recorded>[] } | undefined {
    for (const [merchantId, queue] of this.queues) {
      if (this.writing.has(merchantId)) continue;
      this.queues.delete(merchantId);
      const batch: Pending<Recorded>[] = [];
      const rest: Pending<Recorded>[] = [];
      const keys = new Set<string>();
      const receipts = new Set<string>();
      for (const pending of queue) {
        const { key, storeId, receiptRef } = pending.sale;
        const receipt = `${storeId} ${receiptRef}`;
        if (batch.length >= this.maxBatch || (key !== null && keys.has(key)) || receipts.has(receipt)) {
          rest.push(pending);
          continue;
        }
        batch.push(pending);
        if (key !== null) keys.add(key);
        receipts.add(receipt);
      }
      if (rest.length > 0) this.queues.set(merchantId, rest);
      return { merchantId, batch };
    }
    return undefined;
  }

  private async write(merchantId: string, batch: Pending<Recorded>[]): Promise<void> {
    let outcomes: BatchOutcome<Recorded>[] | undefined;
    try {
      outcomes = await this.database.callAsMerchant<BatchOutcome<Recorded>[]>(
        merchantId,
        'record_sales',
        batch.map((pending) => pending.sale),
      );
    } catch (error) {
      // Nothing of the batch was written (a receipt or key taken meanwhile, a lock waited for too long, a
      // deadlock, a lost connection): each sale is recorded on its own, and meets its own error there.
      this.onFailure(error, uniqueViolation(error) !== undefined || transactionsCollided(error) || lockTimedOut(error));
    }
    batch.forEach((pending, index) => {
      pending.resolve(outcomes?.[index] ?? SINGLE);
    });
  }
}

import type { Identity } from './auth.service.ts';

/**
 * Identities read in the last second, by the hash of their session or token secret. A till records a
 * sale every few seconds and the sell screen searches as the cashier types: without this, every request
 * reads its session (or token), person and merchant first, a query and a round trip that cost about a
 * tenth of the CPU of recording a sale (docs/benchmarks.md).
 *
 * Whatever ends or changes a session, a token or a person's access in this process forgets every
 * identity once its transaction has committed, and a lookup that began before that is not kept: here
 * the change holds from the next request. Another server process on the same database sees it within
 * `ttlMs`.
 */
export class IdentityCache {
  private readonly entries = new Map<string, { identity: Identity; until: number }>();
  /** Counts forgetAll calls: a lookup that straddles one may have read what was just changed. */
  private generation = 0;

  constructor(
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, read: () => Promise<Identity | undefined>): Promise<Identity | undefined> {
    const hit = this.entries.get(key);
    if (hit && hit.until > Date.now()) return hit.identity;
    const generation = this.generation;
    const identity = await read();
    if (!identity) {
      this.entries.delete(key);
    } else if (generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.dropExpired();
      this.entries.set(key, { identity, until: Date.now() + this.ttlMs });
    }
    return identity;
  }

  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
    // All still fresh: start again rather than grow without bound.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
  }
}

import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const pool = new Uint8Array(16 * 256);
let used = pool.length;

/** Random bytes for ids, drawn from the system 4 KiB at a time instead of 16 bytes a call. */
function pooledRandom(): Uint8Array {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = pool.subarray(used, used + 16);
  used += 16;
  return bytes;
}

/** A UUID v7 for work that makes ids by the hundred thousand (an import's rows): the same ids, cheaper to draw. */
export const bulkUuidV7 = (): string => v7({ rng: pooledRandom });

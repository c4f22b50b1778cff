import { describe, expect, it, vi } from 'vitest';
import type { Identity } from './auth.service.ts';
import { IdentityCache } from './identity-cache.ts';

const identity = (name: string) => ({ actor: { type: 'user', id: name, name } }) as unknown as Identity;

describe('IdentityCache', () => {
  it('reads an identity once a second, and again after forgetAll', async () => {
    vi.useFakeTimers();
    try {
      const cache = new IdentityCache(1000);
      const read = vi.fn(async () => identity('Ana'));
      await cache.get('session:a', read);
      await cache.get('session:a', read);
      expect(read).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(1001);
      await cache.get('session:a', read);
      expect(read).toHaveBeenCalledTimes(2);
      cache.forgetAll();
      await cache.get('session:a', read);
      expect(read).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not keep what a lookup read while a change was being made', async () => {
    const cache = new IdentityCache(1000);
    let finish: (value: Identity) => void = () => {};
    const slow = cache.get('token:t', () => new Promise<Identity>((resolve) => (finish = resolve)));
    cache.forgetAll(); // the token is revoked while it is being read
    finish(identity('Till 1'));
    expect(await slow).toBeDefined();
    const read = vi.fn(async () => undefined);
    expect(await cache.get('token:t', read)).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('never remembers an unknown secret, and stays within its size', async () => {
    const cache = new IdentityCache(60_000, 3);
    const read = vi.fn(async () => undefined);
    await cache.get('session:x', read);
    await cache.get('session:x', read);
    expect(read).toHaveBeenCalledTimes(2);
    for (const key of ['a', 'b', 'c', 'd']) await cache.get(key, async () => identity(key));
    const again = vi.fn(async () => identity('a'));
    await cache.get('a', again);
    expect(again).toHaveBeenCalledTimes(1);
  });
});

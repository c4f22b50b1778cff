import { describe, expect, it } from 'vitest';
import { dayIn } from './dates.ts';

describe('the day a moment falls on', () => {
  it('is the business’s day, not the server’s', () => {
    // 08:08 on 25 November in Sydney is still the 24th in UTC and in Los Angeles.
    const at = new Date('2026-11-24T21:08:00Z');
    expect(dayIn('Australia/Sydney', at)).toBe('2026-11-25');
    expect(dayIn('UTC', at)).toBe('2026-11-24');
    expect(dayIn('America/Los_Angeles', at)).toBe('2026-11-24');
  });
});

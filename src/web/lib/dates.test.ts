import { describe, expect, it } from 'vitest';
import { dayFormat, dayRange, dayStart, nextDay } from './dates.ts';

describe('days in a time zone', () => {
  it('starts a day at local midnight, whatever the offset', () => {
    expect(dayStart('2026-04-12', 'UTC')).toBe('2026-04-12T00:00:00.000Z');
    expect(dayStart('2026-04-12', 'Europe/London')).toBe('2026-04-11T23:00:00.000Z');
    expect(dayStart('2026-01-12', 'Europe/London')).toBe('2026-01-12T00:00:00.000Z');
    expect(dayStart('2026-04-12', 'Australia/Sydney')).toBe('2026-04-11T14:00:00.000Z');
    expect(dayStart('2026-04-12', 'America/New_York')).toBe('2026-04-12T04:00:00.000Z');
  });

  it('knows the day the clocks change', () => {
    // London goes to summer time at 01:00 UTC on 29 March 2026: that day still began at midnight GMT.
    expect(dayStart('2026-03-29', 'Europe/London')).toBe('2026-03-29T00:00:00.000Z');
    expect(dayStart('2026-03-30', 'Europe/London')).toBe('2026-03-29T23:00:00.000Z');
  });

  it('makes a range of whole days, the last one included', () => {
    expect(nextDay('2026-02-28')).toBe('2026-03-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(dayRange('2026-04-01', '2026-04-30', 'UTC')).toEqual({
      from: '2026-04-01T00:00:00.000Z',
      to: '2026-05-01T00:00:00.000Z',
    });
    expect(dayRange(null, null, 'UTC')).toEqual({});
  });
});

describe('the format of a day in a date picker', () => {
  it('follows the reader’s locale, as the tables do', () => {
    expect(dayFormat('en-US')).toBe('MMM D, YYYY');
    expect(dayFormat('en-GB')).toBe('D MMM YYYY');
  });
});

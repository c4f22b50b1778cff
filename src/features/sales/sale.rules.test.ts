import { describe, expect, it } from 'vitest';
import { checkRounding, roundCash } from './sale.rules.ts';

describe('roundCash', () => {
  it.each([
    [1237, 5, 1235],
    [1238, 5, 1240],
    [1235, 5, 1235],
    [1232, 5, 1230],
    [1233, 5, 1235],
    [2, 5, 0],
    [1245, 10, 1250],
    [1244, 10, 1240],
    [1250, 100, 1300],
    [1237, 0, 1237],
    [-1237, 5, -1235],
    [-1238, 5, -1240],
  ])('rounds %i to the nearest %i: %i', (amount, increment, rounded) => {
    expect(roundCash(amount, increment)).toBe(rounded);
  });

  it('never moves an amount by more than half a coin, so the server accepts what the till rounds', () => {
    for (const increment of [5, 10, 50, 100]) {
      for (let amount = -500; amount <= 500; amount++) {
        const rounding = roundCash(amount, increment) - amount;
        expect(checkRounding(rounding, [{ method: 'cash' }], increment), `${amount} to ${increment}`).toBeUndefined();
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { readMoney } from '../features/imports/cells.ts';
import { currencyExponent, minorToDecimal } from './money.ts';

describe('currencyExponent', () => {
  it('knows the decimals of currencies', () => {
    expect(currencyExponent('AUD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });
});

describe('minorToDecimal', () => {
  it.each([
    [5850, 2, '58.50'],
    [5, 2, '0.05'],
    [0, 2, '0.00'],
    [-450, 2, '-4.50'],
    [-5, 2, '-0.05'],
    [5850, 0, '5850'],
    [-7, 0, '-7'],
    [1234, 3, '1.234'],
    [100_000_000_000, 2, '1000000000.00'],
  ])('writes %i minor units with %i decimals as %s', (minor, exponent, written) => {
    expect(minorToDecimal(minor, exponent)).toBe(written);
  });

  it('writes what the import reads back to the same amount', () => {
    for (const exponent of [0, 2, 3]) {
      for (const minor of [0, 1, 9, 10, 99, 101, 123_456, -1, -99, -123_456, 99_999_999_999]) {
        expect(readMoney(minorToDecimal(minor, exponent), exponent)).toMatchObject({ ok: true, value: minor });
      }
    }
  });
});

import { getCountries, getExampleNumber, type PhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { isValidPhoneNumber } from './phone-validity.ts';

/** A reproducible stream of digits (no Math.random: a failure must show the same numbers again). */
function digits(seed: number) {
  let state = seed;
  return (length: number) => {
    let text = '';
    for (let i = 0; i < length; i++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      text += String(state % 10);
    }
    return text;
  };
}

function parsed(text: string, country: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(text, country as never);
  } catch {
    return undefined;
  }
}

describe('phone number validity', () => {
  it("agrees with libphonenumber's isValid on numbers of every country", () => {
    const next = digits(7);
    let compared = 0;
    let valid = 0;
    const disagreements: string[] = [];
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples)?.nationalNumber;
      const texts = [
        ...(example
          ? [
              example,
              example.slice(0, -1),
              `${example}0`,
              `${example.slice(0, -1)}${(Number(example.at(-1)) + 1) % 10}`,
            ]
          : []),
        ...Array.from({ length: 30 }, (_, i) => next(5 + (i % 9))),
        // International form: the number's own country code decides the plan (+800 has none).
        ...Array.from({ length: 5 }, () => `+${next(1 + (compared % 3))}${next(8)}`),
      ];
      for (const text of texts) {
        const number = parsed(text, country);
        if (!number) continue;
        compared++;
        const expected = number.isValid();
        if (expected) valid++;
        if (isValidPhoneNumber(number) !== expected) disagreements.push(`${country} ${text}: library says ${expected}`);
      }
    }
    expect(disagreements).toEqual([]);
    // Enough of both answers for the comparison to mean something.
    expect(compared).toBeGreaterThan(5_000);
    expect(valid).toBeGreaterThan(500);
    expect(compared - valid).toBeGreaterThan(1_000);
  });

  it('reads a number of no country (+800) by its calling code', () => {
    const number = parsed('+800 1234 5678', 'GB');
    expect(number?.country).toBeUndefined();
    expect(isValidPhoneNumber(number as PhoneNumber)).toBe(number?.isValid());
    expect(isValidPhoneNumber(number as PhoneNumber)).toBe(true);
  });
});

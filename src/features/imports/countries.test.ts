import { base } from '@faker-js/faker';
import { getCountries } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { alpha3Codes, lookUpCountry } from './countries.ts';

/** faker's copy of ISO 3166-1: an independent check of the table typed into countries.ts. */
const ISO_3166 = base.location?.country_code ?? [];
const accepted = new Set<string>(getCountries());

describe('lookUpCountry', () => {
  it('has the alpha-3 code of every ISO 3166-1 country, and no other', () => {
    expect(ISO_3166.length).toBeGreaterThan(240);
    const expected = new Map(ISO_3166.map((country) => [country.alpha3, country.alpha2]));
    expect(new Map(alpha3Codes())).toEqual(expected);
  });

  it('finds every country the customer schema accepts by its alpha-3 code and by its English name', () => {
    const english = new Intl.DisplayNames('en', { type: 'region' });
    for (const { alpha2, alpha3 } of ISO_3166.filter((country) => accepted.has(country.alpha2))) {
      expect(lookUpCountry(alpha3), alpha3).toEqual({ found: true, code: alpha2 });
      expect(lookUpCountry(alpha2.toLowerCase()), alpha2).toEqual({ found: true, code: alpha2 });
      expect(lookUpCountry(english.of(alpha2) ?? ''), english.of(alpha2)).toEqual({ found: true, code: alpha2 });
    }
  });

  it('names a real country the schema does not accept', () => {
    expect(lookUpCountry('Bouvet Island')).toEqual({ found: false, known: 'BV' });
    expect(lookUpCountry('HMD')).toEqual({ found: false, known: 'HM' });
  });

  it('finds nothing for what is not a country', () => {
    expect(lookUpCountry('Atlantis')).toEqual({ found: false });
    expect(lookUpCountry('')).toEqual({ found: false });
  });
});

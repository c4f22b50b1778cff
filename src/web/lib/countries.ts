import { getCountries } from 'libphonenumber-js/min';

// The server accepts exactly the countries libphonenumber knows; the UI offers the same list.
const regionNames = new Intl.DisplayNames(undefined, { type: 'region' });
const currencyNames = new Intl.DisplayNames(undefined, { type: 'currency' });

export function countryName(code: string): string {
  try {
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export interface Option {
  value: string;
  label: string;
}

function byLabel(a: Option, b: Option): number {
  return a.label.localeCompare(b.label);
}

export const COUNTRY_OPTIONS: Option[] = getCountries()
  .map((code) => ({ value: code, label: countryName(code) }))
  .sort(byLabel);

export const CURRENCY_OPTIONS: Option[] = Intl.supportedValuesOf('currency')
  .map((code) => ({ value: code, label: `${code} · ${currencyNames.of(code) ?? code}` }))
  .sort((a, b) => a.value.localeCompare(b.value));

export const TIME_ZONE_OPTIONS: Option[] = Intl.supportedValuesOf('timeZone').map((zone) => ({
  value: zone,
  label: zone.replaceAll('_', ' '),
}));

/** Options that also contain `value`, so a saved value the browser does not list still shows. */
export function withValue(options: Option[], value: string | null | undefined, label = value): Option[] {
  if (!value || options.some((option) => option.value === value)) return options;
  return [{ value, label: label ?? value }, ...options];
}

// The currency of the countries most shops come from; anyone else picks theirs from the list.
const CURRENCY_OF_COUNTRY: Record<string, string> = {
  US: 'USD',
  GB: 'GBP',
  CA: 'CAD',
  AU: 'AUD',
  NZ: 'NZD',
  IE: 'EUR',
  FR: 'EUR',
  DE: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  NL: 'EUR',
  BE: 'EUR',
  AT: 'EUR',
  PT: 'EUR',
  FI: 'EUR',
  GR: 'EUR',
  LU: 'EUR',
  CH: 'CHF',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  PL: 'PLN',
  JP: 'JPY',
  SG: 'SGD',
  HK: 'HKD',
  IN: 'INR',
  ZA: 'ZAR',
  MX: 'MXN',
  BR: 'BRL',
};

/** Where this browser seems to be: its country, that country's currency, its time zone; for first-run defaults. */
export function browserDefaults(): { defaultCountry: string | null; currency: string | null; timeZone: string | null } {
  let region: string | undefined;
  try {
    region = new Intl.Locale(navigator.language).maximize().region;
  } catch {
    region = undefined;
  }
  const defaultCountry = region && COUNTRY_OPTIONS.some((option) => option.value === region) ? region : null;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return {
    defaultCountry,
    currency: (defaultCountry && CURRENCY_OF_COUNTRY[defaultCountry]) || null,
    timeZone: zone || null,
  };
}

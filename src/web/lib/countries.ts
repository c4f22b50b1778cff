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

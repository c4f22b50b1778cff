import {
  type CountryCode,
  isSupportedCountry,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';
import type { FieldError } from '../../shared/problem.schema.ts';
import type { Settings } from '../settings/settings.schema.ts';
import { isValidPhoneNumber } from './phone-validity.ts';

export type PhoneResult = { e164: string } | { error: FieldError };

const LENGTH_REASONS: Record<string, string> = {
  TOO_SHORT: 'Is too short for a phone number',
  TOO_LONG: 'Is too long for a phone number',
  INVALID_LENGTH: 'Has the wrong number of digits for a phone number',
  INVALID_COUNTRY: 'Has no known country code; start it with + and the country code',
  NOT_A_NUMBER: 'Is not a phone number',
};

/**
 * The country a customer's phone numbers without a country code are read in: the country of their
 * address (physical, else postal), else the merchant's. A shop in London with a customer in Sydney
 * stores "(02) 9655 8395" as +61 2 9655 8395, not as a wrong London number.
 */
export function phoneCountry(
  address: { physicalCountry?: string | null; postalCountry?: string | null },
  defaultCountry: string,
): string {
  for (const country of [address.physicalCountry, address.postalCountry]) {
    if (country && isSupportedCountry(country)) return country;
  }
  return defaultCountry;
}

/**
 * Read a phone number as typed, in `defaultCountry` when it has no country code (see `phoneCountry`).
 * Accepts any number of a possible length for its country; rejects what cannot be a phone.
 */
export function normalizePhone(field: string, text: string, defaultCountry: string): PhoneResult {
  const country = defaultCountry as CountryCode;
  if (/[a-z]/i.test(text.replace(/\b(ext|x)\.?\s*\d+$/i, ''))) {
    return { error: { field, code: 'invalid_phone', message: 'Is not a phone number: it contains letters' } };
  }
  let parsed: ReturnType<typeof parsePhoneNumberWithError> | undefined;
  try {
    parsed = parsePhoneNumberWithError(text, country);
  } catch {
    parsed = undefined;
  }
  // A valid number has a possible length: the length is looked at (a second parse) only to say what is wrong.
  if (parsed && isValidPhoneNumber(parsed)) return { e164: parsed.number };
  const lengthProblem = validatePhoneNumberLength(text, country);
  if (lengthProblem) {
    return {
      error: { field, code: 'invalid_phone', message: LENGTH_REASONS[lengthProblem] ?? 'Is not a phone number' },
    };
  }
  if (!parsed) return { error: { field, code: 'invalid_phone', message: 'Is not a phone number' } };
  return {
    error: { field, code: 'invalid_phone', message: `Is not a valid phone number for ${parsed.country ?? country}` },
  };
}

/** The fields the rules look at, after an edit has been applied. */
export interface IdentityFields {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  taxExempt: boolean;
  salesTaxNumber: string | null;
}

/** The rules every customer must meet, however it is created or changed (API, UI, import). */
export function checkCustomerRules(customer: IdentityFields, settings: Settings): FieldError[] {
  const errors: FieldError[] = [];
  if (!customer.firstName && !customer.lastName && !customer.email && !customer.phone && !customer.mobile) {
    errors.push({
      field: 'firstName',
      code: 'identity_required',
      message: 'A customer needs at least a first name, last name, email or phone',
    });
  }
  if (settings.requireFirstName && !customer.firstName) {
    errors.push({ field: 'firstName', code: 'required', message: 'Is required (see Settings)' });
  }
  if (settings.requireLastName && !customer.lastName) {
    errors.push({ field: 'lastName', code: 'required', message: 'Is required (see Settings)' });
  }
  if (settings.requireEmail && !customer.email) {
    errors.push({ field: 'email', code: 'required', message: 'Is required (see Settings)' });
  }
  if (customer.taxExempt && !customer.salesTaxNumber) {
    errors.push({
      field: 'salesTaxNumber',
      code: 'required',
      message: 'Is required for a tax-exempt customer',
    });
  }
  return errors;
}

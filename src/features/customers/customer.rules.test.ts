import { describe, expect, it } from 'vitest';
import { merchantSettings } from '../../../tests/support/factories.ts';
import type { Settings } from '../settings/settings.schema.ts';
import { checkCustomerRules, normalizePhone } from './customer.rules.ts';
import { customerCreateSchema } from './customer.schema.ts';

const settings: Settings = merchantSettings();

const nobody = {
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  mobile: null,
  taxExempt: false,
  salesTaxNumber: null,
};

describe('normalizePhone', () => {
  it.each([
    ['0412 345 678', '+61412345678'],
    ['+61 412 345 678', '+61412345678'],
    ['(02) 9876-5432', '+61298765432'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+1 (212) 555-0123', '+12125550123'],
  ])('reads %s as %s with the merchant country AU', (typed, e164) => {
    expect(normalizePhone('phone', typed, 'AU')).toEqual({ e164 });
  });

  it.each([
    ['12', 'Is too short for a phone number'],
    ['call me maybe', 'Is not a phone number: it contains letters'],
    ['0412 345 678 999 999 9', 'Is too long for a phone number'],
  ])('rejects %s with a reason', (typed, message) => {
    const result = normalizePhone('phone', typed, 'AU');
    expect(result).toEqual({ error: { field: 'phone', code: 'invalid_phone', message } });
  });

  it('rejects a number that fits no numbering plan of its country', () => {
    const result = normalizePhone('mobile', '0412345678', 'US');
    expect(result).toMatchObject({ error: { field: 'mobile', message: 'Is not a valid phone number for US' } });
  });
});

describe('checkCustomerRules', () => {
  it('needs at least a first name, last name, email or phone', () => {
    expect(checkCustomerRules(nobody, settings).map((e) => e.code)).toEqual(['identity_required']);
    for (const field of ['firstName', 'lastName', 'email', 'phone', 'mobile'] as const) {
      expect(checkCustomerRules({ ...nobody, [field]: 'x' }, settings)).toEqual([]);
    }
  });

  it('enforces the required fields the merchant chose', () => {
    const strict = { ...settings, requireFirstName: true, requireLastName: true, requireEmail: true };
    const errors = checkCustomerRules({ ...nobody, phone: '0412 345 678' }, strict);
    expect(errors.map((e) => e.field)).toEqual(['firstName', 'lastName', 'email']);
  });

  it('rejects a tax-exempt customer without a sales tax number', () => {
    const errors = checkCustomerRules({ ...nobody, firstName: 'A', taxExempt: true }, settings);
    expect(errors).toEqual([expect.objectContaining({ field: 'salesTaxNumber', code: 'required' })]);
  });
});

describe('customer input schema', () => {
  it('trims text and treats an empty string as no value', () => {
    const parsed = customerCreateSchema.parse({ firstName: '  Ana ', lastName: '', companyName: '   ' });
    expect(parsed).toMatchObject({ firstName: 'Ana', lastName: null, companyName: null });
  });

  it.each([
    ['example.com', 'https://example.com/'],
    ['http://shop.example.com/about', 'http://shop.example.com/about'],
  ])('reads the website %s as %s', (typed, stored) => {
    expect(customerCreateSchema.parse({ website: typed }).website).toBe(stored);
  });

  it.each(['@harbour_cafe', 'harbour_cafe', 'https://twitter.com/harbour_cafe', 'https://x.com/harbour_cafe'])(
    'reads the twitter handle %s as @harbour_cafe',
    (typed) => {
      expect(customerCreateSchema.parse({ twitter: typed }).twitter).toBe('@harbour_cafe');
    },
  );

  it.each([
    ['1990-13-01', 'Is not a real date'],
    ['2023-02-29', 'Is not a real date'],
    ['12/04/1990', 'Must be a date as YYYY-MM-DD, or --MM-DD when the year is not known'],
    ['2999-01-01', 'Must not be in the future'],
  ])('rejects the date of birth %s: %s', (typed, message) => {
    const result = customerCreateSchema.safeParse({ dateOfBirth: typed });
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it('accepts a year-less birthday and 29 February of a leap year', () => {
    expect(customerCreateSchema.parse({ dateOfBirth: '--02-29' }).dateOfBirth).toBe('--02-29');
    expect(customerCreateSchema.parse({ dateOfBirth: '2024-02-29' }).dateOfBirth).toBe('2024-02-29');
  });
});

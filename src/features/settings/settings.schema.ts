import { z } from 'zod';
import { countryCode, currencyCode, timeZone } from '../../shared/fields.ts';
import { PAYMENT_METHODS } from '../sales/sale.schema.ts';

/** What cash payments may be rounded to, in minor units: 5 is to 5 cents. 0: not rounded. */
export const CASH_ROUNDINGS = [0, 5, 10, 50, 100] as const;
export type CashRounding = (typeof CASH_ROUNDINGS)[number];
const cashRounding = z
  .union(
    CASH_ROUNDINGS.map((n) => z.literal(n)),
    { error: `Must be one of ${CASH_ROUNDINGS.join(', ')} (minor units)` },
  )
  .describe(
    'Cash payments are rounded to this many minor units, as where the smallest coins are gone (5: to 5 cents in Australia); 0: not rounded. A sale states its rounding (`rounding`).',
  );

export const settingsSchema = z
  .object({
    businessName: z.string(),
    currency: z.string().describe('ISO 4217 code; money is kept in its minor units'),
    defaultCountry: z
      .string()
      .describe(
        "ISO 3166-1 alpha-2; phone numbers without a country code are read as from here, unless the customer's address is in another country; receipts, invoices and statements write dates and amounts as in this country (in English)",
      ),
    timeZone: z.string().describe('IANA time zone of the business'),
    requireFirstName: z.boolean().describe('A customer must have a first name'),
    requireLastName: z.boolean().describe('A customer must have a last name'),
    requireEmail: z.boolean().describe('A customer must have an email address'),
    loyaltyEnabled: z.boolean().describe('Customers who opted in earn points on their sales'),
    loyaltyPointsPerUnit: z.number().describe('Points earned per whole unit of currency (e.g. per dollar) paid'),
    loyaltyPointValue: z.number().int().describe('What one point is worth when it pays, in minor units'),
    loyaltyEarningMethods: z.array(z.enum(PAYMENT_METHODS)).describe('Payment methods whose amounts earn points'),
    loyaltyExpiryMonths: z
      .number()
      .int()
      .nullable()
      .describe('Points lapse this many months after they were earned; null: never'),
    invoicingEnabled: z.boolean().describe('Sales may be put on account, opening an invoice'),
    paymentTermsDays: z.number().int().describe("Days from an on-account sale to its invoice's due date"),
    defaultCreditLimit: z
      .number()
      .int()
      .nullable()
      .describe(
        'What a customer may owe on account unless their own limit says otherwise (minor units); null: no limit',
      ),
    cashRounding,
  })
  .meta({ id: 'Settings' });
export type Settings = z.infer<typeof settingsSchema>;

export const settingsUpdateSchema = z
  .strictObject({
    businessName: z
      .string()
      .trim()
      .min(1, { error: 'Must not be empty' })
      .max(200, { error: 'Must be at most 200 characters' }),
    currency: currencyCode,
    defaultCountry: countryCode,
    timeZone,
    requireFirstName: z.boolean(),
    requireLastName: z.boolean(),
    requireEmail: z.boolean(),
    loyaltyEnabled: z.boolean(),
    loyaltyPointsPerUnit: z
      .number({ error: 'Must be a number' })
      .min(0, { error: 'Must not be negative' })
      .max(1000, { error: 'Must be at most 1000' })
      .refine((n) => Number.isInteger(Math.round(n * 100)) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-9, {
        error: 'At most two decimals',
      }),
    loyaltyPointValue: z
      .number({ error: 'Must be a whole number of minor units' })
      .int({ error: 'Must be a whole number of minor units' })
      .min(1, { error: 'Must be at least 1' })
      .max(1_000_000, { error: 'Is too large' }),
    loyaltyEarningMethods: z.array(z.enum(PAYMENT_METHODS)).max(PAYMENT_METHODS.length),
    loyaltyExpiryMonths: z
      .number({ error: 'Must be a whole number of months' })
      .int({ error: 'Must be a whole number of months' })
      .min(1, { error: 'Must be at least 1' })
      .max(120, { error: 'Must be at most 120' })
      .nullable(),
    invoicingEnabled: z.boolean(),
    paymentTermsDays: z
      .number({ error: 'Must be a whole number of days' })
      .int({ error: 'Must be a whole number of days' })
      .min(0, { error: 'Must not be negative' })
      .max(365, { error: 'Must be at most 365' }),
    defaultCreditLimit: z
      .number({ error: 'Must be an amount in minor units, or null for no limit' })
      .int({ error: 'Must be a whole number of minor units' })
      .min(0, { error: 'Must not be negative' })
      .max(1e12, { error: 'Is too large' })
      .nullable(),
    cashRounding,
  })
  .partial()
  .meta({ id: 'SettingsUpdate' });
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

import { z } from 'zod';
import { countryCode, currencyCode, timeZone } from '../../shared/fields.ts';

export const settingsSchema = z
  .object({
    businessName: z.string(),
    currency: z.string().describe('ISO 4217 code; money is kept in its minor units'),
    defaultCountry: z
      .string()
      .describe('ISO 3166-1 alpha-2; phone numbers without a country code are read as from here'),
    timeZone: z.string().describe('IANA time zone of the business'),
    requireFirstName: z.boolean().describe('A customer must have a first name'),
    requireLastName: z.boolean().describe('A customer must have a last name'),
    requireEmail: z.boolean().describe('A customer must have an email address'),
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
  })
  .partial()
  .meta({ id: 'SettingsUpdate' });
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

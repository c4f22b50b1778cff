import { z } from 'zod';
import { timestamp } from '../../shared/fields.ts';
import { PERMISSIONS } from '../../shared/permissions.ts';

export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the secret, to recognise it'),
    scopes: z.array(z.enum(PERMISSIONS)),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const apiTokenCreateSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, { error: 'Must not be empty' })
      .max(100, { error: 'Must be at most 100 characters' }),
    scopes: z
      .array(z.enum(PERMISSIONS))
      .min(1, { error: 'Choose at least one permission' })
      .describe('The permissions the token has; at most your own'),
    expiresAt: z.iso
      .datetime({ offset: true, error: 'Must be a date and time such as 2027-01-31T00:00:00Z' })
      .nullable()
      .optional()
      .describe('When the token stops working; never when left out'),
  })
  .meta({ id: 'ApiTokenCreate' });
export type ApiTokenCreate = z.infer<typeof apiTokenCreateSchema>;

export const apiTokenCreatedSchema = z
  .object({
    token: apiTokenSchema,
    secret: z.string().describe('Shown this once: send it as "Authorization: Bearer <secret>"'),
  })
  .meta({ id: 'ApiTokenCreated' });

export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) }).meta({ id: 'ApiTokenList' });

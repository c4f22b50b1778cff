import { z } from 'zod';

export const emailSettingsSchema = z
  .object({
    configured: z.boolean(),
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    security: z.enum(['tls', 'starttls', 'none']).nullable(),
    username: z.string().nullable(),
    passwordSet: z.boolean().describe('The password itself is never returned'),
    fromAddress: z.string().nullable(),
    fromName: z.string().nullable(),
  })
  .meta({ id: 'EmailSettings' });
export type EmailSettings = z.infer<typeof emailSettingsSchema>;

export const emailSettingsUpdateSchema = z
  .strictObject({
    host: z.string().trim().min(1, { error: 'Must not be empty' }).max(253),
    port: z.number().int().min(1).max(65535),
    security: z
      .enum(['tls', 'starttls', 'none'])
      .describe('tls (usually port 465), starttls (587), none (a local relay)'),
    username: z.string().trim().max(254).nullable().optional(),
    password: z.string().max(500).nullable().optional().describe('Left out: keep the stored one; null: remove it'),
    fromAddress: z
      .string()
      .trim()
      .max(254)
      .pipe(z.email({ error: 'Must be a valid email address' })),
    fromName: z.string().trim().max(200).nullable().optional(),
  })
  .meta({ id: 'EmailSettingsUpdate' });
export type EmailSettingsUpdate = z.infer<typeof emailSettingsUpdateSchema>;

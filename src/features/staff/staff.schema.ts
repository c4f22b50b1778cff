import { z } from 'zod';
import { timestamp, uuid } from '../../shared/fields.ts';
import { ROLES } from '../../shared/permissions.ts';
import { staffEmail } from '../auth/auth.schema.ts';

/** Roles an owner or admin can give: ownership is not handed out this way. */
export const ASSIGNABLE_ROLES = ['admin', 'manager', 'cashier'] as const;

export const staffMemberSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    storeIds: z.array(z.string()).describe('Stores the person works in; empty means every store'),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    lastSignInAt: timestamp.nullable(),
    createdAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'StaffMember' });
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const staffInviteSchema = z
  .strictObject({
    name: z.string().trim().min(1, { error: 'Must not be empty' }).max(200),
    email: staffEmail,
    role: z.enum(ASSIGNABLE_ROLES),
    storeIds: z.array(uuid).max(100).optional(),
  })
  .meta({ id: 'StaffInvite' });
export type StaffInvite = z.infer<typeof staffInviteSchema>;

export const staffUpdateSchema = z
  .strictObject({
    name: z.string().trim().min(1, { error: 'Must not be empty' }).max(200).optional(),
    role: z.enum(ASSIGNABLE_ROLES).optional(),
    storeIds: z.array(uuid).max(100).optional(),
    disabled: z.boolean().optional().describe('A disabled account cannot sign in, and its sessions end at once'),
    version: z.number().int().positive().optional(),
  })
  .meta({ id: 'StaffUpdate' });
export type StaffUpdate = z.infer<typeof staffUpdateSchema>;

export const temporaryPasswordSchema = z
  .object({
    member: staffMemberSchema,
    temporaryPassword: z.string().describe('Shown once: give it to the person, who must change it at first sign-in'),
  })
  .meta({ id: 'StaffCredentials' });

export const staffListSchema = z.object({ items: z.array(staffMemberSchema) }).meta({ id: 'StaffList' });

import { z } from 'zod';
import { countryCode, currencyCode, timeZone } from '../../shared/fields.ts';
import { PERMISSIONS, type Permission, ROLES } from '../../shared/permissions.ts';

export const PASSWORD_MIN = 10;

export const newPassword = z
  .string()
  .min(PASSWORD_MIN, { error: `Must be at least ${PASSWORD_MIN} characters` })
  .max(200, { error: 'Must be at most 200 characters' });

const email = z
  .string()
  .trim()
  .max(254, { error: 'Must be at most 254 characters' })
  .pipe(z.email({ error: 'Must be a valid email address, such as name@example.com' }));

export const staffEmail = email;

export const setupStatusSchema = z
  .object({ needsSetup: z.boolean().describe('True until the first owner account exists') })
  .meta({ id: 'SetupStatus' });

export const setupSchema = z
  .strictObject({
    businessName: z.string().trim().min(1, { error: 'Must not be empty' }).max(200),
    ownerName: z.string().trim().min(1, { error: 'Must not be empty' }).max(200),
    email,
    password: newPassword,
    currency: currencyCode.optional(),
    defaultCountry: countryCode.optional(),
    timeZone: timeZone.optional(),
  })
  .meta({ id: 'Setup' });
export type SetupInput = z.infer<typeof setupSchema>;

export const signInSchema = z
  .strictObject({
    email: z.string().trim().min(1, { error: 'Must not be empty' }).max(254),
    password: z.string().min(1, { error: 'Must not be empty' }).max(200),
  })
  .meta({ id: 'SignIn' });

export const changePasswordSchema = z
  .strictObject({ currentPassword: z.string().max(200), newPassword })
  .meta({ id: 'PasswordChange' });

export const sessionSchema = z
  .object({
    actor: z.object({
      type: z.enum(['user', 'token']),
      id: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      role: z.enum(ROLES).nullable(),
    }),
    merchant: z.object({ id: z.string(), name: z.string() }),
    permissions: z.array(z.enum(PERMISSIONS)),
    mustChangePassword: z.boolean(),
    csrfToken: z
      .string()
      .nullable()
      .describe('Send it as the X-CSRF-Token header on every change made with the session cookie'),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

export const APPROVAL_HEADER = 'x-approval';

/**
 * What a manager may approve at a cashier's till: money going back out (a cancelled sale, a refund), and a sale put on
 * a customer's account past their credit limit; nothing else.
 */
export const APPROVABLE = [
  'sales:cancel',
  'invoices:manage',
] as const satisfies readonly (typeof PERMISSIONS)[number][];

/**
 * The approvals a route's permission check accepts, for the record of the route's `:id` (a sale to cancel or refund).
 * An approval of `invoices:manage` is for one sale past a credit limit only, spent by that sale (its Idempotency-Key is
 * the record): no route that needs `invoices:manage` takes it, or a cashier could ask for one on an invoice's id and
 * void the invoice with it.
 */
export const APPROVABLE_BY_ROUTE: readonly Permission[] = ['sales:cancel'];

export const approvalRequestSchema = z
  .strictObject({
    email: z.string().trim().min(1, { error: 'Must not be empty' }).max(254).describe("The approver's own email"),
    password: z.string().min(1, { error: 'Must not be empty' }).max(200).describe("The approver's own password"),
    permission: z
      .enum(APPROVABLE)
      .describe('What the approval lets the person asking do, once: only what a till may need a manager for'),
    recordId: z
      .uuid({ error: 'Must be a record id (UUID)' })
      .describe(
        'The record the action is on: the sale to cancel or refund (sales:cancel); for a new sale past a credit limit (invoices:manage), the UUID it will be sent with as its Idempotency-Key',
      ),
    onAccount: z
      .strictObject({
        customerId: z.uuid({ error: 'Must be a record id (UUID)' }),
        amount: z
          .number({ error: 'Must be a whole number of minor units' })
          .int({ error: 'Must be a whole number of minor units' })
          .positive({ error: 'Must be positive' })
          .max(Number.MAX_SAFE_INTEGER),
      })
      .optional()
      .describe(
        'For invoices:manage, required: the customer whose account the sale goes on, and the most it may put there; the sale is refused with the approval for another customer or a larger amount',
      ),
  })
  .refine((request) => request.permission !== 'invoices:manage' || request.onAccount !== undefined, {
    path: ['onAccount'],
    error: 'Say which customer and how much goes on their account: a manager approves that, not any sale',
  })
  .refine((request) => request.permission === 'invoices:manage' || request.onAccount === undefined, {
    path: ['onAccount'],
    error: 'Only for invoices:manage (a sale past a credit limit)',
  })
  .meta({ id: 'ApprovalRequest' });

export const approvalSchema = z
  .object({
    approval: z
      .string()
      .describe(`Send it as the ${APPROVAL_HEADER} header of the one request it approves; good once, for two minutes`),
    approvedBy: z.object({ id: z.string(), name: z.string() }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Approval' });

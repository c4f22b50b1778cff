import { z } from 'zod';
import { timestamp, uuid } from '../../shared/fields.ts';

export const BALANCE_KINDS = ['loyalty', 'store_credit', 'account'] as const;
export const BALANCE_REASONS = [
  'earned',
  'earning_reversed',
  'redeemed',
  'redemption_reversed',
  'issued',
  'issue_reversed',
  'adjusted',
  'expired',
  'import',
  'invoiced',
  'settled',
  'credited',
  'credit_reversed',
  'voided',
] as const;

export const balancesSchema = z
  .object({
    loyaltyPoints: z.number().int().describe('Points the customer has'),
    loyaltyValue: z.number().int().describe('What those points are worth as a payment, in minor units'),
    storeCredit: z.number().int().describe('Store credit, in minor units'),
    account: z.number().int().describe('What the customer owes on account (open invoices), in minor units'),
  })
  .meta({ id: 'CustomerBalances' });
export type Balances = z.infer<typeof balancesSchema>;

export const balanceEntrySchema = z
  .object({
    id: z.string(),
    balance: z.enum(BALANCE_KINDS),
    amount: z.number().int().describe('Points for loyalty, minor units otherwise; positive adds to the balance'),
    reason: z.enum(BALANCE_REASONS),
    note: z.string().nullable(),
    saleId: z.string().nullable().describe('The sale or refund that made this change'),
    receiptRef: z.string().nullable().describe('The receipt reference of that sale or refund'),
    invoiceId: z.string().nullable().describe('The invoice an account entry concerns'),
    invoiceReference: z.string().nullable().describe('Its number as printed, e.g. INV-00042'),
    expiresAt: timestamp.nullable().describe('Earned points: when they lapse'),
    createdBy: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: 'BalanceEntry' });
export type BalanceEntry = z.input<typeof balanceEntrySchema>;

export const balanceEntryPageSchema = z
  .object({ items: z.array(balanceEntrySchema), next: z.string().nullable() })
  .meta({ id: 'BalanceEntryPage' });

export const balanceEntryQuerySchema = z.object({
  balance: z.enum(BALANCE_KINDS).optional().describe('Only this balance'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const balanceAdjustmentSchema = z
  .strictObject({
    balance: z.enum(['loyalty', 'store_credit']).describe('The account moves only through invoices'),
    amount: z
      .number({ error: 'Must be a whole number' })
      .int({ error: 'Must be a whole number' })
      .refine((n) => n !== 0, { error: 'Must not be zero' })
      .refine((n) => Math.abs(n) <= 1e12, { error: 'Is too large' })
      .describe('Points for loyalty, minor units for store credit; negative takes away'),
    reason: z
      .enum(['adjusted', 'issued'])
      .default('adjusted')
      .describe('`issued`: store credit given (e.g. on a return instead of a refund); `adjusted`: a correction'),
    note: z
      .string()
      .trim()
      .min(1, { error: 'Say why: the customer may ask' })
      .max(500, { error: 'Must be at most 500 characters' }),
  })
  .refine((a) => a.reason !== 'issued' || (a.balance === 'store_credit' && a.amount > 0), {
    error: 'Only a positive store credit amount can be issued',
    path: ['reason'],
  })
  .meta({ id: 'BalanceAdjustment' });
export type BalanceAdjustment = z.infer<typeof balanceAdjustmentSchema>;

export const loyaltyCardSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    number: z.string(),
    active: z.boolean(),
    createdAt: timestamp,
    deactivatedAt: timestamp.nullable(),
  })
  .meta({ id: 'LoyaltyCard' });
export type LoyaltyCard = z.input<typeof loyaltyCardSchema>;

export const loyaltyCardListSchema = z.object({ items: z.array(loyaltyCardSchema) }).meta({ id: 'LoyaltyCardList' });

export const loyaltyCardCreateSchema = z
  .strictObject({
    number: z
      .string()
      .trim()
      .min(1, { error: 'Must not be empty' })
      .max(64, { error: 'Must be at most 64 characters' })
      .describe('As printed on the card or read by the scanner'),
  })
  .meta({ id: 'LoyaltyCardCreate' });

export const loyaltyCardParams = z.object({ id: uuid, cardId: uuid });

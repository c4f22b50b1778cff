import { z } from 'zod';
import { timestamp, uuid } from '../../shared/fields.ts';
import { money, nonNegativeMoney } from '../../shared/money.ts';

export const PAYMENT_METHODS = ['cash', 'card', 'store_credit', 'loyalty', 'on_account', 'gift_card', 'other'] as const;
export const SALE_STATUSES = ['completed', 'on_account', 'cancelled', 'refunded'] as const;

const quantity = z
  .number({ error: 'Must be a number' })
  .refine((q) => q !== 0, { error: 'Must not be zero' })
  .refine((q) => Math.abs(q) < 1_000_000, { error: 'Is too large' })
  .refine((q) => Number.isInteger(Math.round(q * 1000)) && Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6, {
    error: 'May have at most 3 decimals',
  });

export const saleLineInputSchema = z
  .strictObject({
    productId: uuid.optional().describe('A product of the catalogue'),
    sku: z.string().trim().min(1).max(64).optional().describe('Or the product by its SKU'),
    description: z.string().trim().min(1).max(200).optional().describe('Free text; defaults to the product name'),
    quantity: quantity.describe('Up to 3 decimals (weights); positive on a sale'),
    unitPrice: money.describe('Price of one, in minor units'),
    unitCost: nonNegativeMoney.optional().describe("Cost of one; defaults to the product's cost"),
    discount: nonNegativeMoney.default(0).describe('Amount taken off this line'),
    tax: money.default(0).describe('Tax added to this line (0 when prices include tax)'),
  })
  .meta({ id: 'NewSaleLine' });

export const paymentInputSchema = z
  .strictObject({ method: z.enum(PAYMENT_METHODS), amount: money })
  .meta({ id: 'NewPayment' });

export const customerRefSchema = z
  .strictObject({
    id: uuid.optional(),
    code: z.string().trim().min(1).max(64).optional(),
    email: z.string().trim().min(3).max(254).optional(),
  })
  .refine((ref) => [ref.id, ref.code, ref.email].filter((v) => v !== undefined).length === 1, {
    error: 'Give exactly one of id, code or email',
  })
  .describe('The customer, by record id, customer code or email')
  .meta({ id: 'CustomerRef' });
export type CustomerRef = z.infer<typeof customerRefSchema>;

/** What rounding the cash to the nearest coin moved a sale's total by (the bound is the business's, checked with it). */
const cashRoundingInput = z
  .number({ error: 'Must be a whole number of minor units' })
  .int({ error: 'Must be a whole number of minor units' })
  .min(-50, { error: 'Must be at least -50' })
  .max(50, { error: 'Must be at most 50' })
  .optional()
  .describe(
    "Cash rounding, in minor units: added to the lines' total to give what is paid (lines 1237 paid 1235 in cash: -2). Only with a cash payment, within half the business's cash rounding (Settings), and only when it rounds cash.",
  );

export const saleCreateSchema = z
  .strictObject({
    storeId: uuid,
    register: z.string().trim().max(64).optional(),
    receiptRef: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .describe('Unique in the store: a retry with the same one records nothing twice'),
    channel: z.enum(['pos', 'ecommerce']).default('pos'),
    soldAt: z.iso.datetime({ offset: true }).optional().describe('When the sale was made; now when left out'),
    customer: customerRefSchema.optional(),
    lines: z.array(saleLineInputSchema).min(1, { error: 'A sale needs at least one line' }).max(500),
    payments: z.array(paymentInputSchema).max(20).default([]),
    rounding: cashRoundingInput,
    note: z.string().trim().max(2000).optional(),
    groupDiscountPercent: z
      .number({ error: 'Must be a percentage' })
      .min(0.01, { error: 'Must be more than zero' })
      .max(100, { error: 'Must be at most 100' })
      .optional()
      .describe(
        "The customer's group discount, applied to the lines' discounts by the till: must be the discount of the customer's group. The receipt names it.",
      ),
    creditLimitOverride: z
      .strictObject({
        reason: z
          .string()
          .trim()
          .min(1, { error: 'Say why the limit may be passed' })
          .max(500, { error: 'Must be at most 500 characters' }),
      })
      .optional()
      .describe("A manager lets an on-account sale past the customer's credit limit (needs `invoices:manage`)"),
  })
  .meta({ id: 'SaleCreate' });
export type SaleCreate = z.infer<typeof saleCreateSchema>;

export const saleLineSchema = z
  .object({
    lineNo: z.number().int(),
    productId: z.string().nullable(),
    sku: z.string().nullable(),
    description: z.string(),
    quantity: z.number(),
    unitPrice: z.number().int(),
    unitCost: z.number().int().nullable(),
    discount: z.number().int(),
    tax: z.number().int(),
    total: z.number().int(),
    refundsLineNo: z.number().int().nullable(),
  })
  .meta({ id: 'SaleLine' });

export const saleSchema = z
  .object({
    id: z.string(),
    store: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
    register: z.string().nullable(),
    receiptRef: z.string(),
    channel: z.enum(['pos', 'ecommerce']),
    kind: z.enum(['sale', 'refund']),
    status: z.enum(SALE_STATUSES),
    soldAt: timestamp,
    customer: z.object({ id: z.string(), name: z.string() }).nullable(),
    refundOf: z.string().nullable(),
    subtotal: z.number().int(),
    discountTotal: z.number().int(),
    taxTotal: z.number().int(),
    total: z.number().int(),
    rounding: z
      .number()
      .int()
      .describe("Cash rounding: the total less the lines' total (0 when the cash was not rounded)"),
    lines: z.array(saleLineSchema),
    payments: z.array(z.object({ method: z.enum(PAYMENT_METHODS), amount: z.number().int() })),
    note: z.string().nullable(),
    createdBy: z.string(),
    createdAt: timestamp,
    cancelledAt: timestamp.nullable(),
    cancelledBy: z.string().nullable(),
    cancelReason: z.string().nullable(),
    groupDiscount: z
      .object({ name: z.string(), percent: z.number() })
      .nullable()
      .describe("The customer's group discount the sale was given"),
    invoice: z
      .object({ id: z.string(), reference: z.string() })
      .nullable()
      .describe('The invoice an on-account sale opened'),
  })
  .meta({ id: 'Sale' });
export type Sale = z.infer<typeof saleSchema>;

export const reasonSchema = z
  .string()
  .trim()
  .min(1, { error: 'Say why: it is recorded with the change' })
  .max(500, { error: 'Must be at most 500 characters' });

export const saleCancelSchema = z.strictObject({ reason: reasonSchema }).meta({ id: 'SaleCancel' });

export const saleRefundSchema = z
  .strictObject({
    receiptRef: z.string().trim().min(1).max(64).describe('Reference of the refund receipt'),
    lines: z
      .array(
        z.strictObject({
          lineNo: z.number().int().positive(),
          quantity: quantity.refine((q) => q > 0, { error: 'Must be positive' }),
        }),
      )
      .min(1),
    payments: z.array(paymentInputSchema).max(20).default([]).describe('Money given back: negative amounts'),
    rounding: cashRoundingInput,
    reason: reasonSchema,
  })
  .meta({ id: 'SaleRefund' });
export type SaleRefund = z.infer<typeof saleRefundSchema>;

export const saleCustomerChangeSchema = z
  .strictObject({
    customerId: uuid.nullable().describe('The customer the sale belongs to; null to detach it'),
    reason: reasonSchema,
  })
  .meta({ id: 'SaleCustomerChange' });

export const saleNoteSchema = z.strictObject({ note: z.string().trim().max(2000).nullable() }).meta({ id: 'SaleNote' });

export const salePageSchema = z
  .object({ items: z.array(saleSchema), next: z.string().nullable() })
  .meta({ id: 'SalePage' });

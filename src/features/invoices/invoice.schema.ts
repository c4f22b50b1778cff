import { z } from 'zod';
import { timestamp, uuid } from '../../shared/fields.ts';

/**
 * `open`: nothing settled yet; `partly_paid`; `paid` (nothing left open: settled, or credited by
 * refunds); `overdue`: open or partly paid after its due date; `void`: written off.
 */
export const INVOICE_STATUSES = ['open', 'partly_paid', 'paid', 'overdue', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** How a customer settles an invoice: at the counter, or later from their bank. */
export const INVOICE_PAYMENT_METHODS = ['cash', 'card', 'bank_transfer', 'cheque', 'other'] as const;
export type InvoicePaymentMethod = (typeof INVOICE_PAYMENT_METHODS)[number];

const isoDay = z.iso.date().describe('A day (YYYY-MM-DD)');
const amount = (what: string) => z.number().int().describe(`${what}, in minor units`);

export const invoiceSchema = z
  .object({
    id: z.string(),
    number: z.number().int().describe('Runs 1, 2, 3… per business, without gaps'),
    reference: z.string().describe('The number as printed, e.g. INV-00042'),
    customer: z.object({ id: z.string(), name: z.string() }),
    saleId: z.string().describe('The on-account sale the invoice is for'),
    receiptRef: z.string(),
    storeName: z.string(),
    issuedOn: isoDay.describe("The sale's day in its store's time zone"),
    dueOn: isoDay.describe('Issued on plus the payment terms'),
    amount: amount('What the sale put on account'),
    paid: amount('Settled by payments'),
    credited: amount('Taken off by refunds to the account'),
    voidedAmount: amount('Written off when the invoice was voided'),
    openAmount: amount('Still owed: amount less paid, credited and voided'),
    status: z.enum(INVOICE_STATUSES),
    daysOverdue: z.number().int().describe("Days past the due date (today in the business's time zone); 0 if not"),
    voidedAt: timestamp.nullable(),
    voidedBy: z.string().nullable(),
    voidReason: z.string().nullable(),
    limitOverride: z
      .object({ by: z.string(), reason: z.string() })
      .nullable()
      .describe("Set when a manager let the sale past the customer's credit limit"),
    createdAt: timestamp,
  })
  .meta({ id: 'Invoice' });
export type Invoice = z.infer<typeof invoiceSchema>;

export const invoicePaymentSchema = z
  .object({
    id: z.string(),
    paymentId: z.string().describe('Rows of one payment that settled several invoices share it'),
    kind: z
      .enum(['payment', 'credit', 'credit_reversed'])
      .describe('`credit`: a refund to the account; `credit_reversed`: that refund was cancelled'),
    amount: amount('Positive settles; negative (a cancelled refund) opens again'),
    method: z.enum(INVOICE_PAYMENT_METHODS).nullable(),
    paidOn: isoDay,
    reference: z.string().nullable(),
    note: z.string().nullable(),
    saleId: z.string().nullable().describe('The refund that credited the invoice'),
    createdBy: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: 'InvoicePayment' });
export type InvoicePayment = z.infer<typeof invoicePaymentSchema>;

export const invoiceDetailSchema = invoiceSchema
  .extend({ payments: z.array(invoicePaymentSchema) })
  .meta({ id: 'InvoiceDetail' });
export type InvoiceDetail = z.infer<typeof invoiceDetailSchema>;

export const invoicePageSchema = z
  .object({ items: z.array(invoiceSchema), next: z.string().nullable() })
  .meta({ id: 'InvoicePage' });

export const invoiceQuerySchema = z.object({
  customerId: uuid.optional().describe("Only this customer's invoices"),
  status: z
    .enum([...INVOICE_STATUSES, 'unpaid'])
    .optional()
    .describe('Only invoices with this status; `unpaid`: everything still open (open, partly paid or overdue)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type InvoiceQuery = z.infer<typeof invoiceQuerySchema>;

export const invoiceParams = z.object({ id: uuid });

export const invoiceTotalsSchema = z
  .object({
    openCount: z.number().int().describe('Invoices with something open'),
    openAmount: amount('Owed on them, together'),
    overdueCount: z.number().int().describe('Of which past their due date'),
    overdueAmount: amount('Owed on the overdue ones'),
    customers: z.number().int().describe('Customers who owe something'),
  })
  .meta({ id: 'InvoiceTotals' });
export type InvoiceTotals = z.infer<typeof invoiceTotalsSchema>;

const positiveAmount = z
  .number({ error: 'Must be an amount in minor units (e.g. 1250 for 12.50)' })
  .int({ error: 'Must be a whole number of minor units' })
  .min(1, { error: 'Must be more than zero' })
  .max(1e12, { error: 'Is too large' });

export const invoicePaymentCreateSchema = z
  .strictObject({
    customerId: uuid,
    amount: positiveAmount.describe('What the customer paid, in minor units'),
    method: z.enum(INVOICE_PAYMENT_METHODS, {
      error: `Must be one of ${INVOICE_PAYMENT_METHODS.join(', ')}`,
    }),
    paidOn: z.iso
      .date({ error: 'Must be a date as YYYY-MM-DD' })
      .optional()
      .describe("When the money arrived; default today in the business's time zone"),
    reference: z.string().trim().max(100, { error: 'Must be at most 100 characters' }).optional(),
    note: z.string().trim().max(500, { error: 'Must be at most 500 characters' }).optional(),
    allocations: z
      .array(z.strictObject({ invoiceId: uuid, amount: positiveAmount }))
      .min(1, { error: 'Name at least one invoice, or leave allocations out' })
      .max(200)
      .optional()
      .describe(
        'Which invoices the payment settles and how much of each; they must add up to `amount`. Left out: the oldest due invoices first.',
      ),
  })
  .meta({ id: 'InvoicePaymentCreate' });
export type InvoicePaymentCreate = z.infer<typeof invoicePaymentCreateSchema>;

export const invoicePaymentResultSchema = z
  .object({
    paymentId: z.string(),
    customerId: z.string(),
    amount: amount('What the payment settled'),
    allocations: z.array(
      z.object({
        invoiceId: z.string(),
        reference: z.string(),
        amount: z.number().int(),
        openAmount: z.number().int(),
      }),
    ),
    account: amount('What the customer owes on account now'),
  })
  .meta({ id: 'InvoicePaymentResult' });
export type InvoicePaymentResult = z.infer<typeof invoicePaymentResultSchema>;

export const invoiceVoidSchema = z
  .strictObject({
    reason: z
      .string()
      .trim()
      .min(1, { error: 'Say why: the customer and your accountant may ask' })
      .max(500, { error: 'Must be at most 500 characters' }),
  })
  .meta({ id: 'InvoiceVoid' });

export const emailToSchema = z.strictObject({
  to: z.email({ error: 'Must be an email address' }).optional().describe("Default: the customer's email"),
});

export const customerAccountSchema = z
  .object({
    invoicingEnabled: z.boolean(),
    balance: amount('What the customer owes: the sum of their open invoices'),
    overdue: amount('Of which past its due date'),
    openInvoices: z.number().int(),
    creditLimit: z.number().int().nullable().describe("The customer's own limit; null: the business default applies"),
    defaultCreditLimit: z.number().int().nullable().describe('The business default; null: no limit'),
    effectiveCreditLimit: z.number().int().nullable().describe('The limit that applies; null: none'),
    available: z.number().int().nullable().describe('What can still go on account; null: no limit'),
  })
  .meta({ id: 'CustomerAccount' });
export type CustomerAccount = z.infer<typeof customerAccountSchema>;

export const creditLimitUpdateSchema = z
  .strictObject({
    creditLimit: z
      .number({ error: 'Must be an amount in minor units, or null for the default' })
      .int({ error: 'Must be a whole number of minor units' })
      .min(0, { error: 'Must not be negative' })
      .max(1e12, { error: 'Is too large' })
      .nullable()
      .describe("Minor units; null: the business's default limit applies"),
  })
  .meta({ id: 'CreditLimitUpdate' });

export const AGEING_BUCKETS = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

export const statementQuerySchema = z.object({
  asOf: z.iso
    .date({ error: 'Must be a date as YYYY-MM-DD' })
    .optional()
    .describe("The day the ageing counts from; default today in the business's time zone"),
});

export const statementSchema = z
  .object({
    customer: z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }),
    asOf: isoDay,
    invoices: z.array(invoiceSchema.extend({ bucket: z.enum(AGEING_BUCKETS) })),
    ageing: z.object(
      Object.fromEntries(AGEING_BUCKETS.map((b) => [b, z.number().int()])) as Record<AgeingBucket, z.ZodNumber>,
    ),
    total: amount('Everything open'),
  })
  .meta({ id: 'CustomerStatement' });
export type Statement = z.infer<typeof statementSchema>;

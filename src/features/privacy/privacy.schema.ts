import { z } from 'zod';
import { timestamp, uuid } from '../../shared/fields.ts';
import { auditEventSchema } from '../audit/audit.schema.ts';
import { customerSchema } from '../customers/customer.schema.ts';

/** What an erased value becomes wherever it cannot simply be emptied (audit events, reasons). */
export const ERASED = '(erased)';

export const privacyCustomerParams = z.object({ id: uuid.describe("The customer's record id") });

export const erasureRequestSchema = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1, 'Say why (for example the date and the way the customer asked)')
      .max(500)
      .describe('Why the data is erased: kept in the audit log, which keeps no personal data of the customer'),
  })
  .meta({ id: 'ErasureRequest' });
export type ErasureRequest = z.infer<typeof erasureRequestSchema>;

export const erasureSchema = z
  .object({
    id: uuid,
    erasedAt: timestamp,
    notesDeleted: z.number().int().describe('Team notes about the customer, deleted'),
    loyaltyCardsDeactivated: z
      .number()
      .int()
      .describe('Cards deactivated; their numbers stay taken, so that no one else is ever found by them'),
    saleNotesCleared: z.number().int().describe('Notes on their sales, cleared'),
    auditEventsRedacted: z
      .number()
      .int()
      .describe('Audit events about them, their sales and invoices whose values were replaced by "(erased)"'),
    salesKept: z
      .number()
      .int()
      .describe('Sales kept for the accounts, under the record id, with no name: reports count them as before'),
  })
  .meta({ id: 'Erasure' });
export type Erasure = z.infer<typeof erasureSchema>;

const money = z.number().int().describe('Minor units of the currency');

export const personalDataSchema = z
  .object({
    generatedAt: timestamp,
    business: z.object({
      name: z.string(),
      currency: z.string(),
      timeZone: z.string().describe('The business’s time zone (IANA), whose day names the file'),
      amounts: z
        .string()
        .describe('How to read the amounts of the file, for the customer: minor units of the currency'),
    }),
    customer: customerSchema.extend({
      deletedAt: timestamp.nullable().describe('When the customer was deleted from the directory, if they were'),
    }),
    notes: z.array(z.object({ createdAt: timestamp, author: z.string(), body: z.string() })),
    loyaltyCards: z.array(
      z.object({ number: z.string(), active: z.boolean(), createdAt: timestamp, deactivatedAt: timestamp.nullable() }),
    ),
    balances: z.object({
      loyaltyPoints: z.number().int(),
      storeCredit: money,
      account: money.describe('What the customer owes on account'),
      entries: z.array(
        z.object({
          createdAt: timestamp,
          balance: z.string(),
          amount: z.number().int(),
          reason: z.string(),
          note: z.string().nullable(),
          receiptRef: z.string().nullable(),
        }),
      ),
    }),
    invoices: z.array(
      z.object({
        reference: z.string().describe('The invoice as printed: INV-00002'),
        number: z.number().int(),
        issuedOn: z.string(),
        dueOn: z.string(),
        amount: money,
        paid: money,
        open: money,
        voidedAt: timestamp.nullable(),
      }),
    ),
    sales: z.array(
      z.object({
        id: uuid,
        receiptRef: z.string(),
        store: z.string(),
        channel: z.string(),
        kind: z.string(),
        status: z.string(),
        soldAt: timestamp,
        total: money,
        note: z.string().nullable(),
        lines: z.array(
          z.object({
            description: z.string(),
            sku: z.string().nullable(),
            quantity: z.string(),
            unitPrice: money,
            discount: money,
            tax: money,
            total: money,
          }),
        ),
        payments: z.array(z.object({ method: z.string(), amount: money })),
      }),
    ),
    history: z
      .array(auditEventSchema)
      .describe('What was done to the record, its sales and its invoices, oldest first'),
  })
  .meta({
    id: 'PersonalData',
    description:
      'Everything Patron holds about one customer, for a privacy request (right of access, portability): the profile, team notes, cards, balances with their ledger, invoices, every sale with its lines and payments, and the audit trail.',
  });
export type PersonalData = z.infer<typeof personalDataSchema>;

import { z } from 'zod';
import { timestamp, uuid } from '../../shared/fields.ts';
import { PAYMENT_METHODS, SALE_STATUSES } from '../sales/sale.schema.ts';

const range = {
  from: z.iso.datetime({ offset: true }).optional().describe('Sales from this time on (inclusive)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Sales before this time (exclusive)'),
};

export const reportFilterSchema = z.object({
  customerId: uuid.optional(),
  storeId: uuid.optional(),
  ...range,
  format: z.enum(['json', 'csv']).default('json').describe('csv downloads the whole report as a file'),
});
export type ReportFilter = z.infer<typeof reportFilterSchema>;

export const receiptsQuerySchema = reportFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const receiptRowSchema = z
  .object({
    id: z.string(),
    soldAt: timestamp,
    receiptRef: z.string(),
    store: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
    channel: z.enum(['pos', 'ecommerce']),
    kind: z.enum(['sale', 'refund']),
    status: z.enum(SALE_STATUSES),
    customer: z.object({ id: z.string(), name: z.string() }).nullable(),
    items: z.number(),
    total: z.number().int(),
    paymentMethods: z.array(z.enum(PAYMENT_METHODS)),
  })
  .meta({ id: 'ReceiptRow' });
export type ReceiptRow = z.infer<typeof receiptRowSchema>;

export const receiptsReportSchema = z
  .object({ items: z.array(receiptRowSchema), next: z.string().nullable() })
  .meta({ id: 'ReceiptsReport' });

export const PRODUCT_SORTS = ['value', 'quantity', 'cost', 'margin', 'name'] as const;

export const productsQuerySchema = reportFilterSchema.extend({
  sort: z.enum(PRODUCT_SORTS).default('value'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});

export const productRowSchema = z
  .object({
    productId: z.string().nullable(),
    sku: z.string().nullable(),
    name: z.string(),
    quantity: z.number().describe('Sold less returned'),
    value: z.number().int().describe('What customers paid, less refunds (minor units)'),
    cost: z
      .number()
      .int()
      .nullable()
      .describe('What the products sold cost (minor units); null when a line sold had no cost recorded'),
    margin: z.number().int().nullable().describe('Value less cost; null when the cost is unknown'),
  })
  .meta({ id: 'ProductRow' });
export type ProductRow = z.infer<typeof productRowSchema>;

export const productsReportSchema = z.object({ items: z.array(productRowSchema) }).meta({ id: 'ProductsReport' });

export const salesByCustomerQuerySchema = reportFilterSchema.omit({ customerId: true }).extend({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe("Find by a live customer's name (deleted customers are listed by record id only)"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const customerSalesRowSchema = z
  .object({
    customerId: z.string(),
    name: z.string().describe('"Deleted customer" for a deleted customer, whose sales stay under its record id'),
    deleted: z.boolean(),
    orders: z.number().int(),
    total: z.number().int(),
    firstSaleAt: timestamp.nullable(),
    lastSaleAt: timestamp.nullable(),
  })
  .meta({ id: 'CustomerSalesRow' });
export type CustomerSalesRow = z.infer<typeof customerSalesRowSchema>;

export const salesByCustomerReportSchema = z
  .object({ items: z.array(customerSalesRowSchema) })
  .meta({ id: 'SalesByCustomerReport' });

import { z } from 'zod';
import { timestamp } from '../../shared/fields.ts';
import { nonNegativeMoney } from '../../shared/money.ts';

export const productSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    price: z.number().int(),
    cost: z.number().int().nullable(),
    active: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof productSchema>;

export const productUpsertSchema = z
  .strictObject({
    sku: z
      .string()
      .trim()
      .min(1, { error: 'Must not be empty' })
      .max(64, { error: 'Must be at most 64 characters' })
      .describe('Stock keeping unit: the product key, case-insensitive'),
    name: z
      .string()
      .trim()
      .min(1, { error: 'Must not be empty' })
      .max(200, { error: 'Must be at most 200 characters' }),
    price: nonNegativeMoney,
    cost: nonNegativeMoney.nullable().optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'ProductUpsert' });
export type ProductUpsert = z.infer<typeof productUpsertSchema>;

export const productListQuerySchema = z.object({
  q: z.string().trim().max(100).optional().describe('SKU or the start of a word of the name'),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const productListSchema = z.object({ items: z.array(productSchema) }).meta({ id: 'ProductList' });

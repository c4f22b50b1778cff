import { z } from 'zod';

export const customerGroupSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    isDefault: z.boolean().describe('The group new customers join ("All Customers"); it cannot be deleted'),
  })
  .meta({ id: 'CustomerGroup' });
export type CustomerGroup = z.infer<typeof customerGroupSchema>;

export const customerGroupListSchema = z
  .object({ items: z.array(customerGroupSchema) })
  .meta({ id: 'CustomerGroupList' });

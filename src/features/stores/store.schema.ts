import { z } from 'zod';

export const storeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    channel: z.enum(['pos', 'ecommerce', 'backoffice']),
    timeZone: z.string().describe('IANA time zone: times of this store are shown in it'),
  })
  .meta({ id: 'Store' });
export type Store = z.infer<typeof storeSchema>;

export const storeListSchema = z.object({ items: z.array(storeSchema) }).meta({ id: 'StoreList' });

import { z } from 'zod';
import { uuid } from '../../shared/fields.ts';
import { type CustomerFilter, customerFilterSchema } from '../customers/customer.schema.ts';

export const GROUP_NAME_MAX = 100;
/** Most customer ids one move may name; more at once go by search and filters (`matching`). */
export const MOVE_IDS_MAX = 1000;

export const customerGroupSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    isDefault: z.boolean().describe('The group new customers join ("All Customers"); it cannot be deleted'),
    discountPercent: z.number().describe("Taken off a sale for the group's customers at the till (0: none)"),
    size: z.number().int().describe('How many live (not deleted) customers are in the group'),
    totalSpent: z
      .number()
      .int()
      .describe("What the group's live customers have spent, together, in minor units (their total spent, summed)"),
  })
  .meta({ id: 'CustomerGroup' });
export type CustomerGroup = z.infer<typeof customerGroupSchema>;

export const customerGroupListSchema = z
  .object({ items: z.array(customerGroupSchema) })
  .meta({ id: 'CustomerGroupList' });

const groupName = z
  .string({ error: 'Must be text' })
  .trim()
  .min(1, { error: 'Must not be empty' })
  .max(GROUP_NAME_MAX, { error: `Must be at most ${GROUP_NAME_MAX} characters` })
  .describe("Unique among the merchant's groups, compared case-insensitively");

const discountPercent = z
  .number({ error: 'Must be a percentage' })
  .min(0, { error: 'Must not be negative' })
  .max(100, { error: 'Must be at most 100' })
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-9, { error: 'At most two decimals' })
  .describe("Percent taken off a sale for the group's customers at the till; 0: none");

export const customerGroupCreateSchema = z
  .strictObject({ name: groupName, discountPercent: discountPercent.default(0) })
  .meta({ id: 'CustomerGroupCreate' });
export type CustomerGroupCreate = z.infer<typeof customerGroupCreateSchema>;

export const customerGroupUpdateSchema = z
  .strictObject({ name: groupName.optional(), discountPercent: discountPercent.optional() })
  .meta({ id: 'CustomerGroupUpdate' });
export type CustomerGroupUpdate = z.infer<typeof customerGroupUpdateSchema>;

export const groupIdParams = z.object({ id: uuid });

/** A yes/no filter in a JSON body: `true`, or `"true"` as in the list's address. */
const jsonYesNo = (description: string | undefined) =>
  z
    .union([z.boolean(), z.enum(['true', 'false'])], { error: 'Must be true or false' })
    .optional()
    .describe(description ?? '`true` or `false`');

/** The list's yes/no filters read text (`?hasEmail=true`): a string turned into a boolean. */
function isTextYesNo(field: z.ZodType): field is z.ZodOptional<z.ZodType> {
  return field instanceof z.ZodOptional && field.unwrap() instanceof z.ZodPipe;
}

/**
 * The customer list's search and filters (the same names and meanings as `GET /customers`), taken as JSON:
 * yes/no filters may be JSON booleans or, as in the list's address, the strings `true` and `false`. Checked by
 * the list's own schema, so a selection means here what it means in the list, filters added later included.
 */
export const customerSelectionSchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(customerFilterSchema.shape).map(([name, field]: [string, z.ZodType]) => [
        name,
        isTextYesNo(field) ? jsonYesNo(field.description) : field,
      ]),
    ),
  )
  .transform(
    (selection) =>
      Object.fromEntries(
        Object.entries(selection).map(([key, value]) => [key, typeof value === 'boolean' ? String(value) : value]),
      ) as z.input<typeof customerFilterSchema>,
  )
  .pipe(customerFilterSchema)
  .meta({ id: 'CustomerSelection' });
/** A selection as sent: the list's filters as values, or as the strings of its address. */
export type CustomerSelection = { [K in keyof CustomerFilter]?: CustomerFilter[K] | string };

export const moveCustomersSchema = z
  .strictObject({
    customerIds: z
      .array(uuid)
      .min(1, { error: 'Name at least one customer' })
      .max(MOVE_IDS_MAX, { error: `At most ${MOVE_IDS_MAX} customers at once; move more with \`matching\`` })
      .optional()
      .describe(`These customers (record ids), up to ${MOVE_IDS_MAX}`),
    matching: customerSelectionSchema
      .optional()
      .describe(
        'Every customer the list shows for this search and these filters (the parameters of `GET /customers`); `{}` is every customer. With `q`, every customer the search finds.',
      ),
  })
  .superRefine((body, ctx) => {
    if ((body.customerIds === undefined) === (body.matching === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['customerIds'],
        message: 'Send either customerIds or matching (a search and filters), not both',
      });
    }
  })
  .meta({ id: 'CustomerGroupMove' });
export type MoveCustomers = z.infer<typeof moveCustomersSchema>;

export const moveResultSchema = z
  .object({
    moved: z.number().int().describe('Customers who changed group'),
    alreadyInGroup: z.number().int().describe('Customers selected who were in the group already'),
    notFound: z
      .array(z.string())
      .describe('Ids of `customerIds` that are no live customer (deleted, or never existed); nothing was done to them'),
    group: customerGroupSchema.describe('The group as it is now'),
  })
  .meta({ id: 'CustomerGroupMoveResult' });
export type MoveResult = z.infer<typeof moveResultSchema>;

export const groupDeleteResultSchema = z
  .object({
    customersMoved: z.number().int().describe('Live customers of the deleted group, now in the default group'),
    movedTo: customerGroupSchema.describe('The default group, as it is now'),
  })
  .meta({ id: 'CustomerGroupDeleteResult' });
export type GroupDeleteResult = z.infer<typeof groupDeleteResultSchema>;

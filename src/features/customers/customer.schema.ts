import { z } from 'zod';
import { countryCode, optionalText, timestamp, uuid } from '../../shared/fields.ts';

export const CUSTOMER_SOURCES = ['pos', 'ecommerce', 'backoffice', 'import', 'api'] as const;
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];

export const LIMITS = {
  name: 100,
  company: 200,
  email: 254,
  phone: 40,
  website: 500,
  twitter: 100,
  code: 64,
  addressLine: 200,
  addressPart: 100,
  postcode: 20,
  note: 5000,
  taxNumber: 50,
} as const;

/** A birthday: `YYYY-MM-DD`, or `--MM-DD` when the year is not known (ISO 8601 / vCard form). */
export const dateOfBirth = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === '') return null;
    const match = /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/.exec(value);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'Must be a date as YYYY-MM-DD, or --MM-DD when the year is not known' });
      return z.NEVER;
    }
    const [, yearText, monthText, dayText] = match;
    const year = yearText ? Number(yearText) : 2000; // 2000 is a leap year: 29 February is a real birthday
    const month = Number(monthText);
    const day = Number(dayText);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      ctx.addIssue({ code: 'custom', message: 'Is not a real date' });
      return z.NEVER;
    }
    if (yearText && date.getTime() > Date.now()) {
      ctx.addIssue({ code: 'custom', message: 'Must not be in the future' });
      return z.NEVER;
    }
    if (yearText && year < 1850) {
      ctx.addIssue({ code: 'custom', message: 'Must be after 1850' });
      return z.NEVER;
    }
    return value;
  })
  .nullable()
  .optional()
  .describe('`YYYY-MM-DD`, or `--MM-DD` for a birthday without a year');

const website = z
  .string()
  .trim()
  .max(LIMITS.website, { error: `Must be at most ${LIMITS.website} characters` })
  .transform((value, ctx) => {
    if (value === '') return null;
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
    try {
      const url = new URL(withScheme);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.')) return url.toString();
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'Must be a web address, such as example.com or https://example.com' });
    return z.NEVER;
  })
  .nullable()
  .optional();

const twitter = z
  .string()
  .trim()
  .max(LIMITS.twitter, { error: `Must be at most ${LIMITS.twitter} characters` })
  .transform((value, ctx) => {
    if (value === '') return null;
    const handle =
      /^(?:https?:\/\/)?(?:www\.)?(?:twitter|x)\.com\/@?([A-Za-z0-9_]{1,15})\/?$/i.exec(value)?.[1] ??
      /^@?([A-Za-z0-9_]{1,15})$/.exec(value)?.[1];
    if (handle) return `@${handle}`;
    ctx.addIssue({ code: 'custom', message: 'Must be a handle such as @name (letters, digits and _, up to 15)' });
    return z.NEVER;
  })
  .nullable()
  .optional();

/** Built once: a schema made inside a transform is made again for every value. */
const EMAIL_ADDRESS = z.email();

const email = z
  .string()
  .trim()
  .max(LIMITS.email, { error: `Must be at most ${LIMITS.email} characters` })
  .transform((value, ctx) => {
    if (value === '') return null;
    if (!EMAIL_ADDRESS.safeParse(value).success) {
      ctx.addIssue({ code: 'custom', message: 'Must be a valid email address, such as name@example.com' });
      return z.NEVER;
    }
    return value;
  })
  .nullable()
  .optional();

const code = z
  .string()
  .trim()
  .max(LIMITS.code, { error: `Must be at most ${LIMITS.code} characters` })
  .transform((value, ctx) => {
    if (value === '') return null;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'May contain only letters, digits, dot, dash and underscore' });
      return z.NEVER;
    }
    return value;
  })
  .nullable()
  .optional()
  .describe('Barcode or loyalty card number; unique, case-insensitive. Generated when left blank.');

const phone = optionalText(LIMITS.phone).describe(
  "As typed; without + or an international prefix it is read in the country of the customer's address (physical, else postal), else the merchant's default country",
);

export const addressInputSchema = z
  .strictObject({
    line1: optionalText(LIMITS.addressLine),
    line2: optionalText(LIMITS.addressLine),
    suburb: optionalText(LIMITS.addressPart),
    city: optionalText(LIMITS.addressPart),
    state: optionalText(LIMITS.addressPart),
    postcode: optionalText(LIMITS.postcode),
    country: countryCode
      .nullable()
      .optional()
      .or(z.literal('').transform(() => null)),
  })
  .meta({ id: 'AddressFields' });
export type AddressInput = z.infer<typeof addressInputSchema>;

const customerFields = {
  code,
  firstName: optionalText(LIMITS.name),
  lastName: optionalText(LIMITS.name),
  companyName: optionalText(LIMITS.company),
  email,
  phone,
  mobile: phone,
  website,
  twitter,
  dateOfBirth,
  physicalAddress: addressInputSchema.nullable().optional(),
  postalAddress: addressInputSchema.nullable().optional(),
  note: optionalText(LIMITS.note).describe('Profile note, shown on the customer page'),
  taxExempt: z.boolean().optional(),
  salesTaxNumber: optionalText(LIMITS.taxNumber).describe('Required when taxExempt is true'),
  emailMarketing: z.boolean().optional().describe('Agreed to receive marketing email'),
  smsMarketing: z.boolean().optional().describe('Agreed to receive marketing text messages'),
  loyaltyOptIn: z.boolean().optional(),
  groupId: uuid.optional().describe('Customer group; the default group ("All Customers") when left out'),
  createdStoreId: uuid.nullable().optional().describe('Store the customer was created in'),
};

export const customerCreateSchema = z
  .strictObject({
    ...customerFields,
    source: z.enum(CUSTOMER_SOURCES).optional().describe('Where the customer was created; `api` when left out'),
  })
  .meta({ id: 'CustomerCreate' });
export type CustomerCreate = z.infer<typeof customerCreateSchema>;

export const customerUpdateSchema = z
  .strictObject({
    ...customerFields,
    physicalAddress: addressInputSchema.partial().nullable().optional(),
    postalAddress: addressInputSchema.partial().nullable().optional(),
    version: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('The version you edited; a stale one is refused with 412. `If-Match` does the same.'),
  })
  .meta({ id: 'CustomerUpdate' });
export type CustomerUpdate = z.infer<typeof customerUpdateSchema>;

export const addressSchema = z
  .object({
    line1: z.string().nullable(),
    line2: z.string().nullable(),
    suburb: z.string().nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    postcode: z.string().nullable(),
    country: z.string().nullable(),
  })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof addressSchema>;

export const customerStatsSchema = z
  .object({
    totalSpent: z.number().int().describe('Sales less refunds, in minor units'),
    orderCount: z.number().int(),
    averageOrder: z.number().int().describe('Total spent divided by orders, rounded; 0 without orders'),
    visitCount: z.number().int().describe('Sales made in a store (not online)'),
    returnCount: z.number().int(),
    firstOrderAt: timestamp.nullable(),
    lastOrderAt: timestamp.nullable(),
  })
  .describe('Kept in step with every sale, cancellation, refund and move')
  .meta({ id: 'CustomerStats' });
export type CustomerStats = z.infer<typeof customerStatsSchema>;

export const customerSchema = z
  .object({
    id: z.string().describe('Record id'),
    code: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    companyName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    phoneE164: z.string().nullable().describe('The phone in E.164 form, e.g. +61412345678'),
    mobile: z.string().nullable(),
    mobileE164: z.string().nullable(),
    website: z.string().nullable(),
    twitter: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    physicalAddress: addressSchema,
    postalAddress: addressSchema,
    note: z.string().nullable(),
    taxExempt: z.boolean(),
    salesTaxNumber: z.string().nullable(),
    emailMarketing: z.boolean(),
    smsMarketing: z.boolean(),
    loyaltyOptIn: z.boolean(),
    group: z.object({ id: z.string(), name: z.string() }),
    createdStoreId: z.string().nullable(),
    source: z.enum(CUSTOMER_SOURCES),
    createdAt: timestamp,
    updatedAt: timestamp,
    updatedBy: z.string().nullable().describe('Who made the last change (a person or an API token)'),
    stats: customerStatsSchema,
    groupKey: z
      .string()
      .describe(
        'The letter the customer is listed under: of the surname, else first name, company or email; # otherwise',
      ),
    version: z.number().int(),
  })
  .meta({ id: 'Customer' });
export type Customer = z.input<typeof customerSchema>;
export type CustomerJson = z.output<typeof customerSchema>;

/** Sorts of the customer list; a leading `-` means descending. */
export const CUSTOMER_SORT_KEYS = ['name', 'totalSpent', 'orders', 'lastOrderAt', 'createdAt'] as const;
export type CustomerSortKey = (typeof CUSTOMER_SORT_KEYS)[number];
export const CUSTOMER_SORTS = CUSTOMER_SORT_KEYS.flatMap((key) => [key, `-${key}`] as const);
export type CustomerSort = CustomerSortKey | `-${CustomerSortKey}`;

const day = (what: string) =>
  z.iso
    .date({ error: 'Must be a date as YYYY-MM-DD' })
    .optional()
    .describe(`${what} (a day in the merchant's time zone)`);
const minorUnits = (what: string) =>
  z.coerce
    .number({ error: 'Must be a whole number of minor units (cents)' })
    .int({ error: 'Must be a whole number of minor units (cents)' })
    .min(-1e15)
    .max(1e15)
    .optional()
    .describe(`${what}, in minor units (cents)`);
const count = (what: string) =>
  z.coerce
    .number({ error: 'Must be a whole number' })
    .int({ error: 'Must be a whole number' })
    .min(0, { error: 'Must be 0 or more' })
    .max(1e9)
    .optional()
    .describe(what);
const yesNo = (what: string) =>
  z.stringbool({ error: 'Must be true or false' }).optional().describe(`${what}: \`true\` or \`false\``);

/** Which customers: every filter of the list, combinable with each other and with a search. */
/** Most customers a search without a sort or filters lists, best first (the reach of its ranking). */
export const SEARCH_RANKS_AT_MOST = 2000;

export const customerFilterSchema = z
  .object({
    q: z
      .string()
      .trim()
      .max(200)
      .optional()
      .describe(
        'Find by name, company, email, phone or code, as typed (names within a typo when nothing matches as typed). Without a sort, best matches first (exact code, card or email, whole words, prefixes, phone digits, then the most recent activity): the best 2,000, or with filters every match that passes them. With a sort, every match in the order asked. The count, an export and a move to a group take every match',
      ),
    groupId: uuid.optional().describe('In this customer group'),
    storeId: uuid.optional().describe('Created in this store'),
    createdFrom: day('Created on or after this day'),
    createdTo: day('Created on or before this day'),
    firstOrderFrom: day('First order on or after this day'),
    firstOrderTo: day('First order on or before this day'),
    lastOrderFrom: day('Last order on or after this day'),
    lastOrderTo: day('Last order on or before this day'),
    totalSpentMin: minorUnits('Total spent at least this'),
    totalSpentMax: minorUnits('Total spent at most this'),
    ordersMin: count('At least this many orders'),
    ordersMax: count('At most this many orders'),
    emailMarketing: yesNo('Agreed (or not) to email marketing'),
    hasEmail: yesNo('Has an email address (or not)'),
    hasPhone: yesNo('Has a phone or mobile number (or not)'),
    hasBalance: yesNo('Has loyalty points, store credit or an account balance (or not)'),
  })
  .superRefine((query, ctx) => {
    const ranges = [
      ['createdFrom', 'createdTo'],
      ['firstOrderFrom', 'firstOrderTo'],
      ['lastOrderFrom', 'lastOrderTo'],
      ['totalSpentMin', 'totalSpentMax'],
      ['ordersMin', 'ordersMax'],
    ] as const;
    for (const [from, to] of ranges) {
      const low = query[from];
      const high = query[to];
      if (low !== undefined && high !== undefined && low > high) {
        ctx.addIssue({ code: 'custom', path: [to], message: `Must not be before ${from} (${low})` });
      }
    }
  });
export type CustomerFilter = z.infer<typeof customerFilterSchema>;

export const customerListQuerySchema = customerFilterSchema.safeExtend({
  sort: z
    .enum(CUSTOMER_SORTS)
    .optional()
    .describe(
      'Order of the list; `-` before a key means descending. Default: by name, or best match first with `q`. Customers who never ordered count as 0 and as the oldest last order.',
    ),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size, 1 to 200'),
  cursor: z
    .string()
    .max(500)
    .optional()
    .describe('The `next` value of the previous page (with the same filters and sort)'),
});
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;

export const customerPageSchema = z
  .object({
    items: z.array(customerSchema),
    next: z.string().nullable().describe('Cursor of the next page; null on the last page'),
    order: z
      .enum(['rank', ...CUSTOMER_SORTS])
      .describe(
        'The order the list is in: the `sort` asked for; `rank` for a search without one (best matches first); `-lastOrderAt` for a search with filters and no sort that matches more customers than are ranked (over 5,000 expected)',
      ),
  })
  .meta({ id: 'CustomerPage' });
export type CustomerListPage = z.infer<typeof customerPageSchema>;

export const customerCountSchema = z
  .object({
    count: z.number().int().describe('How many customers match; when `exact` is false, at least this many'),
    exact: z.boolean().describe('False when counting further would be slow: then there are more than `count`'),
  })
  .meta({ id: 'CustomerCount' });

export const noteCreateSchema = z
  .strictObject({
    body: z
      .string()
      .trim()
      .min(1, { error: 'Must not be empty' })
      .max(LIMITS.note, { error: `Must be at most ${LIMITS.note} characters` }),
  })
  .meta({ id: 'CustomerNoteCreate' });

export const noteSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    author: z.object({ name: z.string() }),
    body: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: 'CustomerNote' });
export type CustomerNote = z.input<typeof noteSchema>;

export const noteListSchema = z.object({ items: z.array(noteSchema) }).meta({ id: 'CustomerNoteList' });

export const customerIdParams = z.object({ id: uuid });

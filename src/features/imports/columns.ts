/**
 * The catalogue of customer columns for CSV import, bulk modify and export. One entry per column:
 * the field it fills (`key`, the path in the customer API, e.g. `postalAddress.city`), the header
 * Patron writes in its template and export, and what a person needs to fill it in (meaning,
 * format, whether it is required, allowed values, an example). The template, the column
 * documentation page, the export and the recognition of Patron's own files all come from here.
 *
 * Beyond the customer fields: `id` (the record id, for matching rows when modifying or deleting),
 * `group` (by name; a new name creates the group), the opening balances `loyaltyPoints` and
 * `storeCredit`, and statistics that are exported but never imported (`importable: false`).
 */
import { stringify } from 'csv-stringify/sync';
import { LIMITS } from '../customers/customer.schema.ts';
import { type CellKind, neutralise } from './cells.ts';

/** How an export-only column is written: a count, or a time in ISO 8601 UTC. */
export type ExportOnlyKind = 'count' | 'timestamp';

export interface CustomerColumn {
  key: string;
  header: string;
  meaning: string;
  format: string;
  required: string;
  allowedValues?: readonly string[];
  example: string;
  importable: boolean;
  kind: CellKind | ExportOnlyKind;
}

const NOT_REQUIRED = 'No';
const IDENTITY = 'One of first name, last name, email, phone or mobile (Settings may require more)';
const YES_NO = ['yes', 'no'] as const;
const BOOLEAN_FORMAT = 'yes or no (true/false, 1/0 and Y/N, in any case, are read too)';
const CONSENT_FORMAT = `${BOOLEAN_FORMAT}; subscribed/unsubscribed are read too. Blank on a new customer: no`;
const PHONE_FORMAT =
  "As written; without a country code it is read as a number of the row's country (physical, else postal address), else of the merchant's country. Format the column as text in a spreadsheet: a number shown as 4.41234E+11 has lost its digits and is rejected";
const COUNTRY_FORMAT = 'Country name or ISO code (Australia, AU or AUS); stored as the two-letter code';
const upTo = (max: number) => `Text, up to ${max} characters`;

/** The seven address columns of one address, e.g. "Postal city" → `postalAddress.city`. */
function addressColumns<const Prefix extends 'physicalAddress' | 'postalAddress'>(prefix: Prefix, label: string) {
  const which = prefix === 'physicalAddress' ? 'where the customer lives or works' : 'where mail goes';
  const column = <const Part extends string>(part: Part, header: string, meaning: string, example: string) =>
    ({
      key: `${prefix}.${part}`,
      header: `${label} ${header}`,
      meaning: `${meaning} of the ${label.toLowerCase()} address (${which})`,
      format: part === 'postcode' ? upTo(LIMITS.postcode) : upTo(LIMITS.addressPart),
      required: NOT_REQUIRED,
      example,
      importable: true,
      kind: 'text',
    }) as const;
  return [
    {
      ...column('line1', 'address line 1', 'First street line', '12 Harbour Street'),
      format: upTo(LIMITS.addressLine),
    },
    { ...column('line2', 'address line 2', 'Second street line', 'Unit 4'), format: upTo(LIMITS.addressLine) },
    column('suburb', 'suburb', 'Suburb or district', 'Haymarket'),
    column('city', 'city', 'City or town', 'Sydney'),
    column('state', 'state', 'State, province or region', 'NSW'),
    column('postcode', 'postcode', 'Postcode or ZIP code', '2000'),
    { ...column('country', 'country', 'Country', 'AU'), format: COUNTRY_FORMAT, kind: 'country' },
  ] as const;
}

export const CUSTOMER_COLUMNS = [
  {
    key: 'id',
    header: 'Record ID',
    meaning:
      "Patron's id of the customer, as exported. Matches a row to the customer when modifying or deleting; leave blank for new customers",
    format: 'The id as exported, e.g. 3f2b8c1e-5d4a-4c3b-9a7e-1f2d3c4b5a69',
    required: 'For modify and delete, unless rows are matched by customer code or email; blank for new customers',
    example: '3f2b8c1e-5d4a-4c3b-9a7e-1f2d3c4b5a69',
    importable: true,
    kind: 'id',
  },
  {
    key: 'code',
    header: 'Customer code',
    meaning: 'Barcode or loyalty card number; unique among customers (case-insensitive). Generated when left blank',
    format: `Letters, digits, dot, dash and underscore, up to ${LIMITS.code} characters`,
    required: NOT_REQUIRED,
    example: 'C-10042',
    importable: true,
    kind: 'text',
  },
  {
    key: 'firstName',
    header: 'First name',
    meaning: 'Given name',
    format: upTo(LIMITS.name),
    required: IDENTITY,
    example: 'Jane',
    importable: true,
    kind: 'text',
  },
  {
    key: 'lastName',
    header: 'Last name',
    meaning: 'Family name; customers are listed under its first letter',
    format: upTo(LIMITS.name),
    required: IDENTITY,
    example: 'Citizen',
    importable: true,
    kind: 'text',
  },
  {
    key: 'companyName',
    header: 'Company',
    meaning: 'Company or organisation the customer buys for',
    format: upTo(LIMITS.company),
    required: NOT_REQUIRED,
    example: 'Harbour Cafe Pty Ltd',
    importable: true,
    kind: 'text',
  },
  {
    key: 'email',
    header: 'Email',
    meaning: 'Email address; unique among customers (case-insensitive)',
    format: `An email address such as name@example.com, up to ${LIMITS.email} characters`,
    required: IDENTITY,
    example: 'jane.citizen@example.com',
    importable: true,
    kind: 'text',
  },
  {
    key: 'phone',
    header: 'Phone',
    meaning: 'Main phone number',
    format: PHONE_FORMAT,
    required: IDENTITY,
    example: '+61 2 9876 5432',
    importable: true,
    kind: 'phone',
  },
  {
    key: 'mobile',
    header: 'Mobile',
    meaning: 'Mobile phone number (text messages go here)',
    format: PHONE_FORMAT,
    required: IDENTITY,
    example: '0412 345 678',
    importable: true,
    kind: 'phone',
  },
  {
    key: 'website',
    header: 'Website',
    meaning: 'Web address',
    format: 'example.com or https://example.com',
    required: NOT_REQUIRED,
    example: 'harbourcafe.example.com',
    importable: true,
    kind: 'text',
  },
  {
    key: 'twitter',
    header: 'Twitter',
    meaning: 'Twitter / X handle',
    format: '@name, or the profile address',
    required: NOT_REQUIRED,
    example: '@janecitizen',
    importable: true,
    kind: 'text',
  },
  {
    key: 'dateOfBirth',
    header: 'Date of birth',
    meaning: 'Birthday',
    format:
      'YYYY-MM-DD, or day/month/year or month/day/year as chosen on upload; --MM-DD for a birthday without a year',
    required: NOT_REQUIRED,
    example: '1990-05-17',
    importable: true,
    kind: 'date',
  },
  ...addressColumns('physicalAddress', 'Physical'),
  ...addressColumns('postalAddress', 'Postal'),
  {
    key: 'group',
    header: 'Group',
    meaning: 'Customer group, by name; a name that does not exist yet creates the group',
    format: 'Text, up to 100 characters; compared case-insensitively. Blank on a new customer: All Customers',
    required: NOT_REQUIRED,
    example: 'VIP',
    importable: true,
    kind: 'text',
  },
  {
    key: 'note',
    header: 'Note',
    meaning: 'Profile note, shown on the customer page',
    format: upTo(LIMITS.note),
    required: NOT_REQUIRED,
    example: 'Prefers oat milk',
    importable: true,
    kind: 'text',
  },
  {
    key: 'taxExempt',
    header: 'Tax exempt',
    meaning: 'Sales to the customer carry no sales tax',
    format: `${BOOLEAN_FORMAT}. Blank on a new customer: no`,
    required: 'No; a tax-exempt customer needs a sales tax number',
    allowedValues: YES_NO,
    example: 'no',
    importable: true,
    kind: 'boolean',
  },
  {
    key: 'salesTaxNumber',
    header: 'Sales tax number',
    meaning: "The customer's sales tax (VAT, GST, ABN) number",
    format: upTo(LIMITS.taxNumber),
    required: 'When tax exempt is yes',
    example: '51 824 753 556',
    importable: true,
    kind: 'text',
  },
  {
    key: 'emailMarketing',
    header: 'Email marketing',
    meaning: 'The customer agreed to receive marketing email',
    format: CONSENT_FORMAT,
    required: NOT_REQUIRED,
    allowedValues: YES_NO,
    example: 'yes',
    importable: true,
    kind: 'consent',
  },
  {
    key: 'smsMarketing',
    header: 'SMS marketing',
    meaning: 'The customer agreed to receive marketing text messages',
    format: CONSENT_FORMAT,
    required: NOT_REQUIRED,
    allowedValues: YES_NO,
    example: 'no',
    importable: true,
    kind: 'consent',
  },
  {
    key: 'loyaltyOptIn',
    header: 'Loyalty opt-in',
    meaning: 'The customer takes part in the loyalty programme and earns points on sales',
    format: `${BOOLEAN_FORMAT}. Blank on a new customer: no`,
    required: NOT_REQUIRED,
    allowedValues: YES_NO,
    example: 'yes',
    importable: true,
    kind: 'boolean',
  },
  {
    key: 'loyaltyPoints',
    header: 'Loyalty points',
    meaning:
      'Points balance. On import, the opening balance, recorded as a ledger entry with reason "import"; in an export, the current balance',
    format: 'A whole number of points, 0 or more, such as 250 or 1,000',
    required: NOT_REQUIRED,
    example: '250',
    importable: true,
    kind: 'points',
  },
  {
    key: 'storeCredit',
    header: 'Store credit',
    meaning:
      'Store credit. On import, the opening balance, recorded as a ledger entry with reason "import"; in an export, the current balance',
    format:
      "An amount in the merchant's currency in major units, 0 or more, with . or , before the cents: 12.50 or 12,50",
    required: NOT_REQUIRED,
    example: '12.50',
    importable: true,
    kind: 'money',
  },
  {
    key: 'stats.totalSpent',
    header: 'Total spent',
    meaning: 'Sales less refunds, all time (export only: statistics are kept from sales)',
    format: "Amount in the merchant's currency, in major units",
    required: 'Export only',
    example: '1234.50',
    importable: false,
    kind: 'money',
  },
  {
    key: 'stats.orderCount',
    header: 'Orders',
    meaning: 'Number of orders, all time (export only)',
    format: 'A whole number',
    required: 'Export only',
    example: '17',
    importable: false,
    kind: 'count',
  },
  {
    key: 'stats.firstOrderAt',
    header: 'First order',
    meaning: 'Time of the first order (export only)',
    format: "Date and time on the business's clock (the time zone in Settings), YYYY-MM-DD HH:MM:SS",
    required: 'Export only',
    example: '2023-02-01 20:30:00',
    importable: false,
    kind: 'timestamp',
  },
  {
    key: 'stats.lastOrderAt',
    header: 'Last order',
    meaning: 'Time of the last order (export only)',
    format: "Date and time on the business's clock (the time zone in Settings), YYYY-MM-DD HH:MM:SS",
    required: 'Export only',
    example: '2025-06-15 02:05:00',
    importable: false,
    kind: 'timestamp',
  },
  {
    key: 'createdAt',
    header: 'Created at',
    meaning: 'When the customer was added to Patron (export only)',
    format: "Date and time on the business's clock (the time zone in Settings), YYYY-MM-DD HH:MM:SS",
    required: 'Export only',
    example: '2023-01-15 21:00:00',
    importable: false,
    kind: 'timestamp',
  },
] as const satisfies readonly CustomerColumn[];

export type ColumnKey = (typeof CUSTOMER_COLUMNS)[number]['key'];
export type ImportableColumn = Extract<(typeof CUSTOMER_COLUMNS)[number], { importable: true }>;
export type ImportableKey = ImportableColumn['key'];

const BY_KEY = new Map<string, CustomerColumn>(CUSTOMER_COLUMNS.map((column) => [column.key, column]));

/** The column of a key. */
export function columnByKey(key: ColumnKey): CustomerColumn {
  const column = BY_KEY.get(key);
  if (!column) throw new Error(`No customer column ${key}`);
  return column;
}

export function isColumnKey(key: string): key is ColumnKey {
  return BY_KEY.has(key);
}

/** The columns a file may fill, in template order. */
export function importableColumns(): ImportableColumn[] {
  return CUSTOMER_COLUMNS.filter((column): column is ImportableColumn => column.importable);
}

/**
 * The downloadable template: a byte-order mark (so spreadsheets read it as UTF-8), the header of
 * every importable column and one example row, neutralised like an export. The record id is blank:
 * a row of the template is a new customer.
 */
export function buildTemplateCsv(): string {
  const columns = importableColumns();
  const example = columns.map((column) => neutralise(column.key === 'id' ? '' : column.example));
  return stringify([columns.map((column) => column.header), example], { bom: true });
}

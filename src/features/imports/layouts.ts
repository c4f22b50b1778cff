/**
 * Recognise whose customer file this is from its header row, and say what each column fills.
 *
 * Known layouts: Patron's own template and export (headers from columns.ts), and the customer
 * exports and import templates of Shopify, Square, Lightspeed Retail (X-Series), WooCommerce and
 * Loyverse. Headers are compared normalised (case, spaces, punctuation and accents ignored), so
 * "First Name", "first_name" and "FirstName" are the same header.
 *
 * The layout with a telling header (its "signature", such as Square's "Square Customer ID") that
 * knows the most of the file's headers wins; headers it does not know, and every header of a file
 * of no known layout, are looked up among common names ("E-mail", "Surname", "Zip"). What is left
 * is unknown, for the person to map by hand.
 *
 * Each column comes back mapped (to a column key of columns.ts, or `fullName` for a single name
 * cell to split with `splitFullName`), ignored with the reason (statistics, the other system's
 * ids), or unknown; duplicates (two columns filling the same field, or the same header twice)
 * are listed so the caller can refuse the file naming them. A `fallback` column fills its field
 * only where the main one is blank (Shopify's "Province" beside "Province Code", WooCommerce's
 * billing email beside the account email); several fallbacks are tried in column order.
 */
import { CUSTOMER_COLUMNS, type ImportableKey } from './columns.ts';

export type LayoutId = 'patron' | 'shopify' | 'square' | 'lightspeed-x' | 'woocommerce' | 'loyverse' | 'unknown';

/** A field a column can fill: a column key, or a full name that the row mapper splits into first and last. */
export type ImportTarget = ImportableKey | 'fullName';

export type ColumnMapping =
  | {
      index: number;
      header: string;
      status: 'mapped';
      key: ImportTarget;
      /** Fills the field only where the main column for it is blank. */
      fallback: boolean;
      /** The column says the opposite (Lightspeed's "do_not_email" for email marketing). */
      negate: boolean;
    }
  | { index: number; header: string; status: 'ignored'; reason: string }
  | { index: number; header: string; status: 'unknown' };

export interface HeaderRef {
  index: number;
  header: string;
}

export interface DuplicateColumns {
  /** The field the columns fill; null when the same unknown header appears twice. */
  key: ImportTarget | null;
  columns: HeaderRef[];
  message: string;
}

export interface HeaderRecognition {
  layout: LayoutId;
  /** For people: "Shopify customer export". */
  layoutName: string;
  /** One per header, in file order. */
  columns: ColumnMapping[];
  unknown: HeaderRef[];
  duplicates: DuplicateColumns[];
}

type Rule =
  | { to: ImportTarget; fallback?: boolean; negate?: boolean }
  | {
      ignore: string;
    };

interface Layout {
  id: Exclude<LayoutId, 'unknown'>;
  name: string;
  /** Headers only this layout has: one of them must be present for it to be recognised. */
  signature: string[];
  rules: Map<string, Rule>;
}

/** "First Name", "first_name", " FirstName " and "First-name" are all `firstname`. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The spreadsheet letter of a column: 0 is A, 26 is AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

// ---------------------------------------------------------------------------------------------
// Reasons for ignoring a column

const STATISTIC = 'Statistic: not imported (Patron keeps statistics from the sales it records)';
const OTHER_ID = "The other system's record id: not imported";
const noField = (what: string) => `${what}: Patron has no such field`;
const LIST_OF_GROUPS =
  'A list of groups or tags: Patron keeps one group per customer. Map it to Group by hand if each customer has one';
const CUSTOM_FIELD = 'Custom field: map it by hand if it holds a Patron field';

// ---------------------------------------------------------------------------------------------
// Rule tables, written with the headers as the other systems spell them

type RuleSpec = ImportTarget | Rule;

function rules(table: Record<string, RuleSpec>): Map<string, Rule> {
  return new Map(
    Object.entries(table).map(([header, spec]) => [
      normaliseHeader(header),
      typeof spec === 'string' ? { to: spec } : spec,
    ]),
  );
}

const fallback = (to: ImportTarget): Rule => ({ to, fallback: true });
const ignore = (reason: string): Rule => ({ ignore: reason });

function patronRules(): Map<string, Rule> {
  const table: Record<string, RuleSpec> = {};
  for (const column of CUSTOMER_COLUMNS) {
    const rule: RuleSpec = column.importable
      ? column.key
      : ignore('Export only: Patron keeps statistics from its sales and does not import them');
    table[column.header] = rule;
    if (column.key !== 'id') table[column.key] = rule;
  }
  return rules(table);
}

const PATRON: Layout = {
  id: 'patron',
  name: 'Patron template or export',
  signature: [
    'Record ID',
    'Physical address line 1',
    'Postal address line 1',
    'Email marketing',
    'SMS marketing',
    'Loyalty opt-in',
    'Sales tax number',
  ],
  rules: patronRules(),
};

const SHOPIFY: Layout = {
  id: 'shopify',
  name: 'Shopify customer export',
  signature: [
    'Accepts Email Marketing',
    'Accepts Marketing',
    'Accepts SMS Marketing',
    'Default Address Address1',
    'Default Address Zip',
    'Province Code',
    'Total Orders',
  ],
  rules: rules({
    'Customer ID': ignore(OTHER_ID),
    'First Name': 'firstName',
    'Last Name': 'lastName',
    Email: 'email',
    'Accepts Email Marketing': 'emailMarketing',
    'Accepts Marketing': 'emailMarketing',
    'Accepts SMS Marketing': 'smsMarketing',
    'Default Address Company': 'companyName',
    Company: 'companyName',
    'Default Address Address1': 'physicalAddress.line1',
    Address1: 'physicalAddress.line1',
    'Default Address Address2': 'physicalAddress.line2',
    Address2: 'physicalAddress.line2',
    'Default Address City': 'physicalAddress.city',
    City: 'physicalAddress.city',
    'Default Address Province Code': 'physicalAddress.state',
    'Province Code': 'physicalAddress.state',
    'Default Address Province': fallback('physicalAddress.state'),
    Province: fallback('physicalAddress.state'),
    'Default Address Country Code': 'physicalAddress.country',
    'Country Code': 'physicalAddress.country',
    'Default Address Country': fallback('physicalAddress.country'),
    Country: fallback('physicalAddress.country'),
    'Default Address Zip': 'physicalAddress.postcode',
    Zip: 'physicalAddress.postcode',
    Phone: 'phone',
    'Default Address Phone': fallback('phone'),
    'Total Spent': ignore(STATISTIC),
    'Total Orders': ignore(STATISTIC),
    Note: 'note',
    'Tax Exempt': 'taxExempt',
    Tags: ignore(LIST_OF_GROUPS),
  }),
};

const SQUARE: Layout = {
  id: 'square',
  name: 'Square customer directory export',
  signature: [
    'Square Customer ID',
    'Reference ID',
    'Surname',
    'Email Subscription Status',
    'Creation Source',
    'Transaction Count',
    'Instant Profile',
  ],
  rules: rules({
    'Square Customer ID': ignore(OTHER_ID),
    'Reference ID': 'code',
    'First Name': 'firstName',
    Surname: 'lastName',
    'Email Address': 'email',
    'Phone Number': 'phone',
    Nickname: ignore(noField('Nickname')),
    'Company Name': 'companyName',
    'Street Address 1': 'physicalAddress.line1',
    'Street Address 2': 'physicalAddress.line2',
    City: 'physicalAddress.city',
    State: 'physicalAddress.state',
    'Postal Code': 'physicalAddress.postcode',
    Country: 'physicalAddress.country',
    Birthday: 'dateOfBirth',
    Memo: 'note',
    'Creation Source': ignore('Where Square created the customer: not imported'),
    'First Visit': ignore(STATISTIC),
    'Last Visit': ignore(STATISTIC),
    'Transaction Count': ignore(STATISTIC),
    'Total Spend': ignore(STATISTIC),
    'Email Subscription Status': 'emailMarketing',
    'Instant Profile': ignore('Square bookkeeping (profile made from a card payment): not imported'),
    'Blocked from Online Booking': ignore(noField('Online booking')),
    Groups: ignore(LIST_OF_GROUPS),
  }),
};

const LIGHTSPEED_X: Layout = {
  id: 'lightspeed-x',
  name: 'Lightspeed Retail (X-Series) customer export',
  signature: [
    'customer_code',
    'physical_address_1',
    'physical_suburb',
    'postal_suburb',
    'physical_country_id',
    'customer_group_name',
    'do_not_email',
    'enable_loyalty',
  ],
  rules: rules({
    id: ignore(OTHER_ID),
    customer_id: ignore(OTHER_ID),
    customer_code: 'code',
    first_name: 'firstName',
    last_name: 'lastName',
    company_name: 'companyName',
    email: 'email',
    phone: 'phone',
    mobile: 'mobile',
    fax: ignore(noField('Fax')),
    website: 'website',
    twitter: 'twitter',
    date_of_birth: 'dateOfBirth',
    sex: ignore(noField('Sex')),
    gender: ignore(noField('Gender')),
    ...addressRules('physical', 'physicalAddress'),
    ...addressRules('postal', 'postalAddress'),
    customer_group_name: 'group',
    customer_group: fallback('group'),
    customer_group_id: ignore("Lightspeed's group id: the group is taken from customer_group_name"),
    note: 'note',
    enable_loyalty: 'loyaltyOptIn',
    loyalty_enabled: 'loyaltyOptIn',
    loyalty_balance: ignore(
      'Lightspeed loyalty is an amount of money, Patron loyalty is points: set opening points in Loyalty points',
    ),
    store_credit: 'storeCredit',
    store_credit_balance: 'storeCredit',
    balance: ignore('Account balance: open invoices are not imported'),
    account_balance: ignore('Account balance: open invoices are not imported'),
    year_to_date: ignore(STATISTIC),
    do_not_email: { to: 'emailMarketing', negate: true },
    tax_number: 'salesTaxNumber',
    custom_field_1: ignore(CUSTOM_FIELD),
    custom_field_2: ignore(CUSTOM_FIELD),
    custom_field_3: ignore(CUSTOM_FIELD),
    custom_field_4: ignore(CUSTOM_FIELD),
    created_at: ignore("Lightspeed's record time: not imported"),
    updated_at: ignore("Lightspeed's record time: not imported"),
  }),
};

/** Lightspeed's `physical_address_1` … `physical_country_id` columns of one address. */
function addressRules(
  prefix: 'physical' | 'postal',
  to: 'physicalAddress' | 'postalAddress',
): Record<string, RuleSpec> {
  return {
    [`${prefix}_address_1`]: `${to}.line1` as const,
    [`${prefix}_address_2`]: `${to}.line2` as const,
    [`${prefix}_suburb`]: `${to}.suburb` as const,
    [`${prefix}_city`]: `${to}.city` as const,
    [`${prefix}_postcode`]: `${to}.postcode` as const,
    [`${prefix}_state`]: `${to}.state` as const,
    [`${prefix}_country_id`]: `${to}.country` as const,
    [`${prefix}_country`]: fallback(`${to}.country` as const),
  };
}

/** WooCommerce's billing address goes to the postal address, its shipping address to the physical one. */
function wooAddressRules(prefix: 'billing' | 'shipping', to: 'physicalAddress' | 'postalAddress') {
  return {
    [`${prefix}_first_name`]: fallback('firstName'),
    [`${prefix}_last_name`]: fallback('lastName'),
    [`${prefix}_company`]: prefix === 'billing' ? 'companyName' : fallback('companyName'),
    [`${prefix}_address_1`]: `${to}.line1` as const,
    [`${prefix}_address_2`]: `${to}.line2` as const,
    [`${prefix}_city`]: `${to}.city` as const,
    [`${prefix}_state`]: `${to}.state` as const,
    [`${prefix}_postcode`]: `${to}.postcode` as const,
    [`${prefix}_country`]: `${to}.country` as const,
    [`${prefix}_email`]: fallback('email'),
    [`${prefix}_phone`]: prefix === 'billing' ? 'phone' : fallback('phone'),
  } satisfies Record<string, RuleSpec>;
}

const WOOCOMMERCE: Layout = {
  id: 'woocommerce',
  name: 'WooCommerce customer export',
  signature: ['billing_first_name', 'billing_address_1', 'billing_email', 'shipping_address_1', 'date_registered'],
  rules: rules({
    customer_id: ignore(OTHER_ID),
    id: ignore(OTHER_ID),
    user_id: ignore(OTHER_ID),
    user_login: ignore('Web shop login name: not imported'),
    username: ignore('Web shop login name: not imported'),
    user_pass: ignore('Password: never imported'),
    role: ignore('Web shop role: not imported'),
    first_name: 'firstName',
    last_name: 'lastName',
    email: 'email',
    date_registered: ignore('When the customer registered in the web shop: not imported'),
    ...wooAddressRules('billing', 'postalAddress'),
    ...wooAddressRules('shipping', 'physicalAddress'),
    orders: ignore(STATISTIC),
    order_count: ignore(STATISTIC),
    total_spent: ignore(STATISTIC),
  }),
};

const LOYVERSE: Layout = {
  id: 'loyverse',
  name: 'Loyverse customer export',
  signature: ['Customer name', 'Points balance', 'Total visits'],
  rules: rules({
    'Customer ID': ignore(OTHER_ID),
    'Customer name': 'fullName',
    Email: 'email',
    Phone: 'phone',
    Address: 'physicalAddress.line1',
    City: 'physicalAddress.city',
    Province: 'physicalAddress.state',
    Region: 'physicalAddress.state',
    State: 'physicalAddress.state',
    'Postal code': 'physicalAddress.postcode',
    'ZIP code': 'physicalAddress.postcode',
    Country: 'physicalAddress.country',
    'Customer code': 'code',
    Note: 'note',
    'First visit': ignore(STATISTIC),
    'Last visit': ignore(STATISTIC),
    'Total visits': ignore(STATISTIC),
    'Total spent': ignore(STATISTIC),
    'Points balance': 'loyaltyPoints',
  }),
};

/** In order of preference when two layouts know as many headers. */
export const LAYOUTS: readonly Layout[] = [PATRON, SHOPIFY, SQUARE, LIGHTSPEED_X, WOOCOMMERCE, LOYVERSE];

/** Names people give columns in files of no known layout (Patron's own headers and keys are added). */
const COMMON_NAMES = rules({
  First: 'firstName',
  'Given name': 'firstName',
  Forename: 'firstName',
  Last: 'lastName',
  Surname: 'lastName',
  'Family name': 'lastName',
  Name: 'fullName',
  'Full name': 'fullName',
  'Customer name': 'fullName',
  'Contact name': 'fullName',
  'Company name': 'companyName',
  Organisation: 'companyName',
  Organization: 'companyName',
  Business: 'companyName',
  'Business name': 'companyName',
  'E-mail': 'email',
  'Email address': 'email',
  Mail: 'email',
  'Phone number': 'phone',
  Telephone: 'phone',
  Tel: 'phone',
  'Home phone': 'phone',
  Landline: 'phone',
  'Mobile phone': 'mobile',
  'Mobile number': 'mobile',
  Cell: 'mobile',
  'Cell phone': 'mobile',
  Web: 'website',
  URL: 'website',
  Homepage: 'website',
  Birthday: 'dateOfBirth',
  'Birth date': 'dateOfBirth',
  Birthdate: 'dateOfBirth',
  DOB: 'dateOfBirth',
  Code: 'code',
  'Customer number': 'code',
  'Customer no': 'code',
  Barcode: 'code',
  'Card number': 'code',
  'Loyalty card': 'code',
  'Member number': 'code',
  'Membership number': 'code',
  Notes: 'note',
  Comment: 'note',
  Comments: 'note',
  Memo: 'note',
  Remarks: 'note',
  Address: 'physicalAddress.line1',
  'Address 1': 'physicalAddress.line1',
  'Address line 1': 'physicalAddress.line1',
  Street: 'physicalAddress.line1',
  'Street address': 'physicalAddress.line1',
  'Address 2': 'physicalAddress.line2',
  'Address line 2': 'physicalAddress.line2',
  Suburb: 'physicalAddress.suburb',
  District: 'physicalAddress.suburb',
  City: 'physicalAddress.city',
  Town: 'physicalAddress.city',
  State: 'physicalAddress.state',
  Province: 'physicalAddress.state',
  Region: 'physicalAddress.state',
  County: 'physicalAddress.state',
  Postcode: 'physicalAddress.postcode',
  'Postal code': 'physicalAddress.postcode',
  'Post code': 'physicalAddress.postcode',
  Zip: 'physicalAddress.postcode',
  'Zip code': 'physicalAddress.postcode',
  Country: 'physicalAddress.country',
  'Country code': 'physicalAddress.country',
  'Customer group': 'group',
  'Group name': 'group',
  'Tax free': 'taxExempt',
  'Tax number': 'salesTaxNumber',
  'Tax ID': 'salesTaxNumber',
  'VAT number': 'salesTaxNumber',
  'GST number': 'salesTaxNumber',
  ABN: 'salesTaxNumber',
  'Accepts marketing': 'emailMarketing',
  'Accepts email marketing': 'emailMarketing',
  Newsletter: 'emailMarketing',
  'Email opt-in': 'emailMarketing',
  'Accepts SMS marketing': 'smsMarketing',
  'SMS opt-in': 'smsMarketing',
  Points: 'loyaltyPoints',
  'Points balance': 'loyaltyPoints',
  Credit: 'storeCredit',
});

const GENERIC = new Map<string, Rule>([...COMMON_NAMES, ...PATRON.rules]);

// ---------------------------------------------------------------------------------------------
// Recognition

function chooseLayout(normalised: string[]): Layout | undefined {
  const present = new Set(normalised);
  let best: { layout: Layout; known: number } | undefined;
  for (const layout of LAYOUTS) {
    const signed = layout.signature.some((header) => present.has(normaliseHeader(header)));
    if (!signed) continue;
    const known = [...present].filter((header) => layout.rules.has(header)).length;
    if (!best || known > best.known) best = { layout, known };
  }
  return best?.layout;
}

function mapColumn(index: number, header: string, rule: Rule | undefined): ColumnMapping {
  if (header.trim() === '') {
    return { index, header, status: 'ignored', reason: 'Has no header: its cells are not imported' };
  }
  if (!rule) return { index, header, status: 'unknown' };
  if ('ignore' in rule) return { index, header, status: 'ignored', reason: rule.ignore };
  return {
    index,
    header,
    status: 'mapped',
    key: rule.to,
    fallback: rule.fallback ?? false,
    negate: rule.negate ?? false,
  };
}

const ref = (column: ColumnMapping): HeaderRef => ({ index: column.index, header: column.header });
const describe = (column: HeaderRef) => `"${column.header}" (${columnLetter(column.index)})`;
const letters = (columns: HeaderRef[]) => columns.map((column) => columnLetter(column.index)).join(', ');

/** The Patron header of what a column fills, for messages. */
function fieldLabel(key: ImportTarget): string {
  if (key === 'fullName') return 'Name';
  return CUSTOMER_COLUMNS.find((column) => column.key === key)?.header ?? key;
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The same header twice, unless both are ignored: two columns nobody imports do no harm. */
function repeatedHeaders(columns: ColumnMapping[]): DuplicateColumns[] {
  const byName = groupBy(
    columns.filter((column) => column.status !== 'ignored'),
    (column) => normaliseHeader(column.header),
  );
  return [...byName.values()]
    .filter((group) => group.length > 1)
    .map((group) => {
      const [first] = group;
      const columns = group.map(ref);
      return {
        key: first?.status === 'mapped' ? first.key : null,
        columns,
        message: `The column "${first?.header}" appears more than once (columns ${letters(columns)}): keep one`,
      };
    });
}

/** Two different headers filling the same field, neither a fallback. */
function competingColumns(columns: ColumnMapping[], alreadyReported: Set<number>): DuplicateColumns[] {
  const mains = columns.filter(
    (column): column is Extract<ColumnMapping, { status: 'mapped' }> =>
      column.status === 'mapped' && !column.fallback && !alreadyReported.has(column.index),
  );
  return [...groupBy(mains, (column) => column.key)]
    .filter(([, group]) => group.length > 1)
    .map(([key, group]) => ({
      key,
      columns: group.map(ref),
      message: `Columns ${group.map(describe).join(' and ')} both fill ${fieldLabel(key)}: keep one`,
    }));
}

/**
 * Recognise the layout of a header row and map each of its columns (see the top of this file).
 * `headers` are the cells of the header row as read (trailing empty cells already dropped).
 */
export function recogniseHeader(headers: readonly string[]): HeaderRecognition {
  const normalised = headers.map(normaliseHeader);
  const layout = chooseLayout(normalised);
  const columns = headers.map((header, index) => {
    const name = normalised[index] ?? '';
    return mapColumn(index, header, layout?.rules.get(name) ?? GENERIC.get(name));
  });
  const repeated = repeatedHeaders(columns);
  const reported = new Set(repeated.flatMap((duplicate) => duplicate.columns.map((column) => column.index)));
  return {
    layout: layout?.id ?? 'unknown',
    layoutName: layout?.name ?? 'Unknown layout',
    columns,
    unknown: columns.filter((column) => column.status === 'unknown').map(ref),
    duplicates: [...repeated, ...competingColumns(columns, reported)],
  };
}

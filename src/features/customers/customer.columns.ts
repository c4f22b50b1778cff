/**
 * The API's shape of a customer as the customer table's columns. Pure, without the database: the
 * import's row checks run it on worker threads (imports/stage.worker.ts).
 */
import type { CustomerRowUpdate } from '../../platform/db/schema.ts';
import type { AddressInput, CustomerUpdate } from './customer.schema.ts';

export const ADDRESS_PARTS = ['line1', 'line2', 'suburb', 'city', 'state', 'postcode', 'country'] as const;
type AddressPart = (typeof ADDRESS_PARTS)[number];
type AddressColumn = `${'physical' | 'postal'}${Capitalize<AddressPart>}`;

export function column(kind: 'physical' | 'postal', part: AddressPart): AddressColumn {
  return ADDRESS_COLUMNS[kind][part];
}

/** Each address part's column, worked out once (an import asks for them a million times). */
const ADDRESS_COLUMNS = Object.fromEntries(
  (['physical', 'postal'] as const).map((kind) => [
    kind,
    Object.fromEntries(
      ADDRESS_PARTS.map((part) => [part, `${kind}${part.charAt(0).toUpperCase()}${part.slice(1)}` as AddressColumn]),
    ),
  ]),
) as Record<'physical' | 'postal', Record<AddressPart, AddressColumn>>;

/** The fields that are columns as they are. */
const SIMPLE_FIELDS = [
  'code',
  'firstName',
  'lastName',
  'companyName',
  'email',
  'phone',
  'mobile',
  'website',
  'twitter',
  'note',
  'taxExempt',
  'salesTaxNumber',
  'emailMarketing',
  'smsMarketing',
  'loyaltyOptIn',
  'groupId',
  'createdStoreId',
] as const;

/**
 * The customer table's columns for a create or update, from the API's shape of the editable fields
 * (birthday split, addresses flattened); only the keys present are set.
 */
export function columnsFrom(input: CustomerUpdate): CustomerRowUpdate {
  const columns: CustomerRowUpdate = {};
  for (const key of SIMPLE_FIELDS) {
    if (input[key] !== undefined) (columns as Record<string, unknown>)[key] = input[key];
  }
  if (input.dateOfBirth !== undefined) {
    const match = input.dateOfBirth ? /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/.exec(input.dateOfBirth) : null;
    columns.birthYear = match?.[1] ? Number(match[1]) : null;
    columns.birthMonth = match ? Number(match[2]) : null;
    columns.birthDay = match ? Number(match[3]) : null;
  }
  for (const kind of ['physical', 'postal'] as const) {
    const address = input[`${kind}Address`] as Partial<AddressInput> | null | undefined;
    if (address === undefined) continue;
    for (const part of ADDRESS_PARTS) {
      if (address === null) columns[column(kind, part)] = null;
      else if (address[part] !== undefined) columns[column(kind, part)] = address[part] ?? null;
    }
  }
  return columns;
}

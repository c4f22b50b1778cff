import type { Address, Customer, CustomerCreate, CustomerUpdate } from '../../features/customers/customer.schema.ts';

export interface AddressValues {
  line1: string;
  line2: string;
  suburb: string;
  city: string;
  state: string;
  postcode: string;
  country: string | null;
}

/** What the form edits: the customer's fields as inputs hold them (text, never null). */
export interface CustomerFormValues {
  firstName: string;
  lastName: string;
  companyName: string;
  email: string;
  phone: string;
  mobile: string;
  code: string;
  /** The customer's group; empty for a new customer who joins the default group. */
  groupId: string;
  physicalAddress: AddressValues;
  postalSameAsPhysical: boolean;
  postalAddress: AddressValues;
  emailMarketing: boolean;
  smsMarketing: boolean;
  loyaltyOptIn: boolean;
  taxExempt: boolean;
  salesTaxNumber: string;
  birthDay: string | null;
  birthMonth: string | null;
  birthYear: string;
  website: string;
  twitter: string;
  note: string;
}

export const ADDRESS_PARTS = ['line1', 'line2', 'suburb', 'city', 'state', 'postcode', 'country'] as const;
type AddressPart = (typeof ADDRESS_PARTS)[number];

export const ADDRESS_LABELS: Record<AddressPart, string> = {
  line1: 'Address line 1',
  line2: 'Address line 2',
  suburb: 'Suburb',
  city: 'City',
  state: 'State or region',
  postcode: 'Postcode',
  country: 'Country',
};

/** Every field the API takes from this form, by the dotted path its errors use, with the label the form shows. */
export const FIELD_LABELS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  companyName: 'Company',
  email: 'Email',
  phone: 'Phone',
  mobile: 'Mobile',
  code: 'Customer code',
  groupId: 'Customer group',
  ...Object.fromEntries(
    ADDRESS_PARTS.map((part) => [`physicalAddress.${part}`, `Physical address · ${ADDRESS_LABELS[part]}`]),
  ),
  ...Object.fromEntries(
    ADDRESS_PARTS.map((part) => [`postalAddress.${part}`, `Postal address · ${ADDRESS_LABELS[part]}`]),
  ),
  emailMarketing: 'Email marketing',
  smsMarketing: 'SMS marketing',
  loyaltyOptIn: 'Loyalty program',
  taxExempt: 'Tax exempt',
  salesTaxNumber: 'Sales tax number',
  dateOfBirth: 'Date of birth',
  website: 'Website',
  twitter: 'Twitter',
  note: 'Profile note',
};

function addressValues(address: Address | undefined): AddressValues {
  return {
    line1: address?.line1 ?? '',
    line2: address?.line2 ?? '',
    suburb: address?.suburb ?? '',
    city: address?.city ?? '',
    state: address?.state ?? '',
    postcode: address?.postcode ?? '',
    country: address?.country ?? null,
  };
}

function sameAddress(a: AddressValues, b: AddressValues): boolean {
  return ADDRESS_PARTS.every((part) => (a[part] ?? '') === (b[part] ?? ''));
}

function birthdayParts(
  value: string | null | undefined,
): Pick<CustomerFormValues, 'birthDay' | 'birthMonth' | 'birthYear'> {
  const match = value ? /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/.exec(value) : null;
  return { birthYear: match?.[1] ?? '', birthMonth: match?.[2] ?? null, birthDay: match?.[3] ?? null };
}

/** `YYYY-MM-DD`, or `--MM-DD` without a year; an incomplete date goes to the server as typed, for it to explain. */
function birthday(values: CustomerFormValues): string {
  const year = values.birthYear.trim();
  if (!values.birthDay && !values.birthMonth && !year) return '';
  return `${year || '-'}-${values.birthMonth ?? ''}-${values.birthDay ?? ''}`;
}

export function toFormValues(customer?: Customer): CustomerFormValues {
  const physical = addressValues(customer?.physicalAddress);
  const postal = addressValues(customer?.postalAddress);
  return {
    firstName: customer?.firstName ?? '',
    lastName: customer?.lastName ?? '',
    companyName: customer?.companyName ?? '',
    email: customer?.email ?? '',
    phone: customer?.phone ?? '',
    mobile: customer?.mobile ?? '',
    code: customer?.code ?? '',
    groupId: customer?.group.id ?? '',
    physicalAddress: physical,
    postalSameAsPhysical: sameAddress(physical, postal),
    postalAddress: postal,
    emailMarketing: customer?.emailMarketing ?? false,
    smsMarketing: customer?.smsMarketing ?? false,
    loyaltyOptIn: customer?.loyaltyOptIn ?? false,
    taxExempt: customer?.taxExempt ?? false,
    salesTaxNumber: customer?.salesTaxNumber ?? '',
    ...birthdayParts(customer?.dateOfBirth),
    website: customer?.website ?? '',
    twitter: customer?.twitter ?? '',
    note: customer?.note ?? '',
  };
}

type AddressPayload = Record<AddressPart, string>;

/** The form as the API takes it: every field, an empty string meaning "none". */
export interface CustomerPayload {
  firstName: string;
  lastName: string;
  companyName: string;
  email: string;
  phone: string;
  mobile: string;
  code: string;
  groupId: string;
  physicalAddress: AddressPayload;
  postalAddress: AddressPayload;
  emailMarketing: boolean;
  smsMarketing: boolean;
  loyaltyOptIn: boolean;
  taxExempt: boolean;
  salesTaxNumber: string;
  dateOfBirth: string;
  website: string;
  twitter: string;
  note: string;
}

function addressPayload(address: AddressValues): AddressPayload {
  return { ...address, country: address.country ?? '' };
}

export function toPayload(values: CustomerFormValues): CustomerPayload {
  return {
    firstName: values.firstName,
    lastName: values.lastName,
    companyName: values.companyName,
    email: values.email,
    phone: values.phone,
    mobile: values.mobile,
    code: values.code,
    groupId: values.groupId,
    physicalAddress: addressPayload(values.physicalAddress),
    postalAddress: addressPayload(values.postalSameAsPhysical ? values.physicalAddress : values.postalAddress),
    emailMarketing: values.emailMarketing,
    smsMarketing: values.smsMarketing,
    loyaltyOptIn: values.loyaltyOptIn,
    taxExempt: values.taxExempt,
    salesTaxNumber: values.salesTaxNumber,
    dateOfBirth: birthday(values),
    website: values.website,
    twitter: values.twitter,
    note: values.note,
  };
}

export function toCreate(values: CustomerFormValues): CustomerCreate {
  const { groupId, ...payload } = toPayload(values);
  // No group chosen: the server puts the customer in the default group.
  return { ...payload, ...(groupId ? { groupId } : {}), source: 'backoffice' };
}

type Flat = Record<string, string | boolean | null>;

/** One level of nesting is all these values have: `physicalAddress.city` and the like. */
function flatten(values: object): Flat {
  const flat: Flat = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && typeof value === 'object') {
      for (const [part, partValue] of Object.entries(value)) flat[`${key}.${part}`] = partValue as string | null;
    } else {
      flat[key] = value as string | boolean | null;
    }
  }
  return flat;
}

function differentPaths(before: object, after: object): string[] {
  const a = flatten(before);
  const b = flatten(after);
  return Object.keys(b).filter((path) => (a[path] ?? '') !== (b[path] ?? ''));
}

/** Dotted paths of the API fields the user changed, compared with the customer they loaded. */
export function changedFields(loaded: Customer, values: CustomerFormValues): string[] {
  return differentPaths(toPayload(toFormValues(loaded)), toPayload(values));
}

/** A PATCH body with only the given fields, so a save never rewrites what the user did not touch. */
export function toUpdate(values: CustomerFormValues, fields: string[], version: number): CustomerUpdate {
  const payload = flatten(toPayload(values));
  const update: Record<string, unknown> = { version };
  for (const field of fields) {
    const [key, part] = field.split('.') as [string, string | undefined];
    if (part === undefined) {
      update[key] = payload[field];
    } else {
      update[key] = { ...(update[key] as object | undefined), [part]: payload[field] };
    }
  }
  return update as CustomerUpdate;
}

/** Value of one API field for display in the conflict summary. */
export function fieldValue(values: CustomerFormValues, field: string): string | boolean {
  return flatten(toPayload(values))[field] ?? '';
}

/**
 * Replay the user's edits onto someone else's newer version: the fields the user changed keep the user's
 * value, every other field takes the newer one. Saving the result then changes only what the user changed.
 */
export function rebase(values: CustomerFormValues, loaded: Customer, current: Customer): CustomerFormValues {
  const mine = flatten(values);
  const edited = differentPaths(toFormValues(loaded), values);
  const next = toFormValues(current) as unknown as Record<string, unknown>;
  for (const path of edited) {
    const [key, part] = path.split('.') as [string, string | undefined];
    if (part === undefined) next[key] = mine[path];
    else next[key] = { ...(next[key] as object), [part]: mine[path] };
  }
  return next as unknown as CustomerFormValues;
}

import type { AuditAction, AuditEntity, AuditEvent } from '../../features/audit/audit.schema.ts';
import { PERMISSION_LABELS, PERMISSIONS, type Permission, ROLE_LABELS, type Role } from '../../shared/permissions.ts';
import { BALANCE_LABELS } from '../customers/balance-format.ts';
import { FIELD_LABELS as CUSTOMER_FIELD_LABELS } from '../customers/customer-form-values.ts';
import { INVOICE_METHOD_LABELS } from '../invoices/invoice-format.ts';
import { countryName } from '../lib/countries.ts';
import { formatBirthday, formatDate, SOURCE_LABELS } from '../lib/format.ts';
import { PAYMENT_LABELS } from '../sales/sale-format.ts';

/**
 * Audit events in words, for the audit log and a customer's History card alike: what was done ("Updated
 * customer"), and what changed ("Company: Old Co → New Co"), with the labels the forms use.
 */

export const ACTION_LABELS: Record<AuditAction, string> = {
  'merchant.created': 'Set up the business',
  'customer.created': 'Created customer',
  'customer.updated': 'Updated customer',
  'customer.deleted': 'Deleted customer',
  'customer.note_added': 'Added a note',
  'customer_group.created': 'Created customer group',
  'customer_group.renamed': 'Renamed customer group',
  'customer_group.updated': 'Changed customer group',
  'customer_group.deleted': 'Deleted customer group',
  'customer_group.customers_moved': 'Moved customers to a group',
  'customer.balance_adjusted': 'Adjusted a balance',
  'customer.loyalty_card_added': 'Linked a loyalty card',
  'customer.loyalty_card_deactivated': 'Deactivated a loyalty card',
  'settings.updated': 'Changed settings',
  'staff.invited': 'Invited staff member',
  'staff.updated': 'Updated staff member',
  'staff.password_reset': 'Reset a staff member’s password',
  'user.signed_in': 'Signed in',
  'user.signed_out': 'Signed out',
  'user.password_changed': 'Changed their password',
  'user.approval_given': 'A manager approved an action at the till',
  'token.created': 'Created API token',
  'token.revoked': 'Revoked API token',
  'sale.cancelled': 'Cancelled a sale',
  'sale.refunded': 'Refunded items',
  'sale.customer_changed': 'Changed the customer of a sale',
  'sale.note_changed': 'Edited the note of a sale',
  'sale.emailed': 'Emailed a receipt',
  'invoice.credit_limit_overridden': 'Let a sale past a credit limit',
  'invoice.settled': 'Took an invoice payment',
  'invoice.voided': 'Voided an invoice',
  'invoice.emailed': 'Emailed an invoice',
  'customer.credit_limit_changed': 'Changed a credit limit',
  'customer.statement_emailed': 'Emailed a statement',
  'customer.imported': 'Imported customers',
  'report.export_started': 'Started downloading a report',
  'report.exported': 'Downloaded a report',
  'customer.export_started': 'Started a customer export',
  'customer.exported': 'Exported customers',
  'customer.export_failed': 'A customer export stopped',
  'customer.export_downloaded': 'Downloaded the file of a customer export',
  'customer.personal_data_exported': 'Exported a customer’s personal data (privacy request)',
  'customer.erased': 'Erased a customer’s personal data (privacy request)',
};

export const ENTITY_LABELS: Record<AuditEntity, string> = {
  customer: 'Customer',
  customer_group: 'Customer group',
  user: 'Staff member',
  token: 'API token',
  settings: 'Settings',
  merchant: 'Business',
  sale: 'Sale',
  invoice: 'Invoice',
  import: 'Import',
  report: 'Report',
  export: 'Export',
};

const FIELD_LABELS: Record<string, Record<string, string>> = {
  customer: {
    ...CUSTOMER_FIELD_LABELS,
    'group.id': 'Customer group',
    createdStoreId: 'Created in store',
    source: 'Source',
    note: 'Profile note',
  },
  customer_group: {
    name: 'Name',
    group: 'Group',
    moved: 'Customers moved',
    customersMoved: 'Customers moved',
    movedTo: 'Customers moved to',
    matching: 'Customers matching',
  },
  settings: {
    businessName: 'Business name',
    currency: 'Currency',
    defaultCountry: 'Default country',
    timeZone: 'Time zone',
    requireFirstName: 'Require first name',
    requireLastName: 'Require last name',
    requireEmail: 'Require email',
    cashRounding: 'Cash rounding',
    loyaltyEnabled: 'Customers earn loyalty points',
    loyaltyPointsPerUnit: 'Points per unit of currency',
    loyaltyPointValue: 'Value of one point',
    loyaltyEarningMethods: 'Payments that earn points',
    loyaltyExpiryMonths: 'Months until points expire',
    invoicingEnabled: 'Customers can buy on account',
    paymentTermsDays: 'Payment terms (days)',
    defaultCreditLimit: 'Default credit limit',
  },
  user: {
    name: 'Name',
    email: 'Email',
    role: 'Role',
    storeIds: 'Stores',
    disabled: 'Access',
    mustChangePassword: 'Must choose a new password',
  },
  token: { name: 'Name', scopes: 'Permissions', expiresAt: 'Expires' },
  merchant: { businessName: 'Business name', owner: 'Owner' },
  sale: {
    receiptRef: 'Receipt',
    total: 'Amount',
    customerId: 'Customer',
    note: 'Note',
    to: 'Sent to',
    reason: 'Reason',
  },
  report: { report: 'Report', filter: 'Filter', rows: 'Rows' },
  export: { q: 'Search', filter: 'Filter', fields: 'Fields', rows: 'Rows', reason: 'Why' },
};

/** Fields holding the id of something else: a person cannot read the id, only that it changed. */
const REFERENCES = new Set(['group.id', 'customerId', 'refundId', 'customerIds', 'recordId']);

const REPORT_NAMES: Record<string, string> = {
  receipts: 'Receipts',
  products: 'Products',
  'sales-by-customer': 'Sales by customer',
};

/** "salesTaxNumber" → "Sales tax number", "physicalAddress.city" → "Physical address · City". */
function humanise(path: string): string {
  return path
    .split('.')
    .map((part) => {
      const words = part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
      return words.charAt(0).toUpperCase() + words.slice(1);
    })
    .join(' · ');
}

/** Labels that depend on what was done: a balance adjustment's note is the reason staff gave for it. */
const ACTION_FIELD_LABELS: Partial<Record<AuditAction, Record<string, string>>> = {
  'customer.note_added': { note: 'Note' },
  'customer.balance_adjusted': { balance: 'Balance', amount: 'Amount', after: 'Balance after', note: 'Reason' },
  'invoice.settled': { amount: 'Amount', method: 'Paid by', paidOn: 'Paid on', allocations: 'Paid off' },
  'invoice.credit_limit_overridden': { balanceBefore: 'Owed before the sale', amount: 'Sale on account' },
  'user.approval_given': { permission: 'Approved', amount: 'On the customer’s account, at most', approvedBy: 'By' },
};

export function fieldLabel(entityType: string, field: string, action?: string): string {
  const byAction = ACTION_FIELD_LABELS[action as AuditAction]?.[field];
  if (byAction) return byAction;
  return FIELD_LABELS[entityType]?.[field] ?? humanise(field);
}

/** What a formatter may look up: names for ids the events carry. */
export interface FormatContext {
  storeName?: (id: string) => string | undefined;
  /** Minor units in the merchant's currency, for amounts. */
  money?: (minor: number) => string;
  /** The amounts of this event are loyalty points, not money. */
  points?: boolean;
}

/** Fields that hold an amount of money, in minor units (or points, in a loyalty adjustment). */
const AMOUNTS = new Set([
  'total',
  'amount',
  'after',
  'openAmount',
  'creditLimit',
  'defaultCreditLimit',
  'balanceBefore',
  'loyaltyPointValue',
]);

/** One line of what an event did. A null value is "none" (shown as a dash). */
export type ChangeLine =
  | { kind: 'change'; field: string; label: string; from: string | null; to: string | null }
  | { kind: 'value'; field: string; label: string; value: string }
  | { kind: 'changed'; field: string; label: string };

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function last(field: string): string {
  return field.split('.').at(-1) ?? field;
}

/** A value as the person reads it, by what the field holds. */
export function formatValue(field: string, value: unknown, context: FormatContext = {}): string | null {
  const name = last(field);
  if (name === 'expiresAt') return isEmpty(value) ? 'Never' : formatDate(String(value));
  if (name === 'storeIds' && Array.isArray(value)) {
    if (value.length === 0) return 'All stores';
    return value.map((id) => context.storeName?.(String(id)) ?? 'a store no longer listed').join(', ');
  }
  if (isEmpty(value)) return null;
  if (name === 'disabled' && typeof value === 'boolean') return value ? 'Disabled' : 'Active';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (name === 'scopes' && Array.isArray(value)) {
    if (PERMISSIONS.every((permission) => value.includes(permission))) return 'All permissions';
    return value.map((scope) => PERMISSION_LABELS[scope as Permission] ?? String(scope)).join(', ');
  }
  if (name === 'role' && typeof value === 'string') return ROLE_LABELS[value as Role] ?? value;
  if (name === 'permission' && typeof value === 'string') return PERMISSION_LABELS[value as Permission] ?? value;
  if ((name === 'country' || name === 'defaultCountry') && typeof value === 'string') return countryName(value);
  if (name === 'dateOfBirth' && typeof value === 'string') return formatBirthday(value);
  if (name === 'source' && typeof value === 'string')
    return SOURCE_LABELS[value as keyof typeof SOURCE_LABELS] ?? value;
  if (name === 'createdStoreId' && typeof value === 'string') return context.storeName?.(value) ?? 'Another store';
  if (AMOUNTS.has(name) && typeof value === 'number') {
    if (context.points && (name === 'amount' || name === 'after'))
      return `${value.toLocaleString()} ${Math.abs(value) === 1 ? 'point' : 'points'}`;
    if (context.money) return context.money(value);
  }
  if (name === 'balance' && typeof value === 'string')
    return BALANCE_LABELS[value as keyof typeof BALANCE_LABELS] ?? value;
  if (name === 'method' && typeof value === 'string')
    return INVOICE_METHOD_LABELS[value as keyof typeof INVOICE_METHOD_LABELS] ?? value;
  if (name === 'loyaltyEarningMethods' && Array.isArray(value))
    return value.map((method) => PAYMENT_LABELS[method as keyof typeof PAYMENT_LABELS] ?? String(method)).join(', ');
  if (name === 'allocations' && Array.isArray(value))
    return value
      .map((allocation: { reference?: unknown; amount?: unknown }) =>
        typeof allocation.amount === 'number' && context.money
          ? `${String(allocation.reference)} ${context.money(allocation.amount)}`
          : String(allocation.reference),
      )
      .join(', ');
  if (name === 'report' && typeof value === 'string') return REPORT_NAMES[value] ?? value;
  if (name === 'fields' && Array.isArray(value)) return value.map((key) => humanise(String(key))).join(', ');
  if (
    (name === 'filter' || name === 'matching') &&
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value)
  )
    return filterText(value, context);
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A report's filter in words: "Store: Main store, from 1 Apr 2026, a customer". */
function filterText(filter: object, context: FormatContext): string {
  const { from, to, ...rest } = filter as { from?: unknown; to?: unknown };
  const parts = Object.entries(rest).map(([key, value]) => {
    if (key === 'customerId') return 'one customer';
    if (key === 'groupId') return 'in one group';
    if (key === 'storeId') return context.storeName?.(String(value)) ?? 'one store';
    if (key === 'q') return `“${String(value)}”`;
    return `${humanise(key).toLowerCase()} ${String(value)}`;
  });
  const dates = periodText(from, to);
  if (dates) parts.unshift(dates);
  return parts.length > 0 ? parts.join(', ') : 'Everything';
}

/**
 * A report's period as the person chose it: its `to` is the first instant after it (midnight after the last day),
 * so the last day shown is the one before. "Jan 1, 2030 – Jan 2, 2030", "from Jan 1, 2030", "to Jan 2, 2030".
 */
function periodText(from: unknown, to: unknown): string | null {
  const first = typeof from === 'string' ? formatDate(from) : null;
  const last = typeof to === 'string' ? formatDate(new Date(Date.parse(to) - 1).toISOString()) : null;
  if (first && last) return first === last ? first : `${first} – ${last}`;
  if (first) return `from ${first}`;
  if (last) return `to ${last}`;
  return null;
}

function isFieldChange(value: unknown): value is { from: unknown; to: unknown } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && keys.includes('from') && keys.includes('to');
}

/** Every field in the order the form shows them; fields it does not know, after, as they came. */
function byFormOrder(entityType: string, fields: string[]): string[] {
  const order = Object.keys(FIELD_LABELS[entityType] ?? {});
  const rank = (field: string) => {
    const index = order.indexOf(field);
    return index === -1 ? order.length : index;
  };
  return [...fields].sort((a, b) => rank(a) - rank(b));
}

/** What the event changed or recorded, one line per field. */
export function changeLines(event: AuditEvent, context: FormatContext = {}): ChangeLine[] {
  const changes = event.changes ?? {};
  const fields = byFormOrder(event.entityType, Object.keys(changes));
  const entries = fields.map((field) => [field, changes[field]] as const);
  const diff = entries.length > 0 && entries.every(([, value]) => isFieldChange(value));
  // A record created is a diff from nothing: say what it was created with, leaving out what it was created without.
  const created = diff && event.action.endsWith('.created');
  if (event.action === 'customer.balance_adjusted' && changes.balance === 'loyalty')
    context = { ...context, points: true };
  const lines: ChangeLine[] = [];
  for (const [field, raw] of entries) {
    const label = fieldLabel(event.entityType, field, event.action);
    if (diff && isFieldChange(raw)) {
      if (created) {
        if (isEmpty(raw.to) || raw.to === false || REFERENCES.has(field)) continue;
        const value = formatValue(field, raw.to, context);
        if (value !== null) lines.push({ kind: 'value', field, label, value });
        continue;
      }
      if (REFERENCES.has(field)) {
        lines.push({ kind: 'changed', field, label });
        continue;
      }
      lines.push({
        kind: 'change',
        field,
        label,
        from: formatValue(field, raw.from, context),
        to: formatValue(field, raw.to, context),
      });
      continue;
    }
    if (REFERENCES.has(field)) continue;
    const value = formatValue(field, raw, context);
    if (value !== null) lines.push({ kind: 'value', field, label, value });
  }
  return lines;
}

/** A change line as plain text: "Company: Old Co → New Co", "City: — → Perth". */
export function lineText(line: ChangeLine): string {
  switch (line.kind) {
    case 'change':
      return `${line.label}: ${line.from ?? '—'} → ${line.to ?? '—'}`;
    case 'value':
      return `${line.label}: ${line.value}`;
    case 'changed':
      return `${line.label} changed`;
    default: {
      const unreachable: never = line;
      return unreachable;
    }
  }
}

/** What was done, as a short sentence: "Updated customer", "Disabled staff member". */
export function describeAction(event: AuditEvent): string {
  if (event.action === 'staff.updated') {
    const changes = event.changes ?? {};
    const disabled = changes.disabled;
    if (isFieldChange(disabled)) return disabled.to ? 'Disabled staff member' : 'Enabled staff member';
    const fields = Object.keys(changes);
    if (fields.length === 1 && fields[0] === 'role') return 'Changed a staff member’s role';
  }
  return ACTION_LABELS[event.action as AuditAction] ?? humanise(event.action.replace(/[._]/g, ' '));
}

/** Who did it: a person, an integration through an API token, or Patron itself. */
export function describeActor(actor: AuditEvent['actor']): { name: string; via: 'person' | 'token' | 'system' } {
  if (actor.type === 'token') {
    return { name: /^API token "(.*)"$/.exec(actor.name)?.[1] ?? actor.name, via: 'token' };
  }
  if (actor.type === 'system') return { name: actor.name || 'Patron', via: 'system' };
  return { name: actor.name, via: 'person' };
}

import type { InvoicePaymentMethod, InvoiceStatus } from '../../features/invoices/invoice.schema.ts';
import { INVOICE_PAYMENT_METHODS } from '../../features/invoices/invoice.schema.ts';

export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  open: 'Open',
  partly_paid: 'Partly paid',
  paid: 'Paid',
  overdue: 'Overdue',
  void: 'Void',
};

export const INVOICE_STATUS_COLORS: Record<InvoiceStatus, string> = {
  open: 'blue',
  partly_paid: 'cyan',
  paid: 'teal',
  overdue: 'red',
  void: 'gray',
};

export const INVOICE_METHOD_LABELS: Record<InvoicePaymentMethod, string> = {
  cash: 'Cash',
  card: 'Card',
  bank_transfer: 'Bank transfer',
  cheque: 'Cheque',
  other: 'Other',
};

export const INVOICE_METHOD_OPTIONS = INVOICE_PAYMENT_METHODS.map((value) => ({
  value,
  label: INVOICE_METHOD_LABELS[value],
}));

/** A day (YYYY-MM-DD) as people read it: 3 Mar 2026. A day has no time zone: it is shown as it is. */
export function formatDay(day: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** How late an open invoice is, in words: "Due in 5 days", "Due today", "12 days overdue". */
export function dueText(invoice: { dueOn: string; daysOverdue: number; openAmount: number }, todayDay: string): string {
  if (invoice.openAmount === 0) return '';
  if (invoice.daysOverdue > 0) return `${invoice.daysOverdue} ${invoice.daysOverdue === 1 ? 'day' : 'days'} overdue`;
  const days = Math.round(
    (Date.parse(`${invoice.dueOn}T00:00:00Z`) - Date.parse(`${todayDay}T00:00:00Z`)) / 86_400_000,
  );
  if (days <= 0) return 'Due today';
  return `Due in ${days} ${days === 1 ? 'day' : 'days'}`;
}

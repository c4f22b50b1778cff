import type { FieldError } from '../../shared/problem.schema.ts';
import type { AgeingBucket, InvoiceStatus } from './invoice.schema.ts';

/** An invoice number as printed: INV-00042. */
export function invoiceReference(number: number): string {
  return `INV-${String(number).padStart(5, '0')}`;
}

/** Where an invoice stands, from its amounts and how many days it is past due. */
export function invoiceStatus(invoice: {
  voided: boolean;
  openAmount: number;
  paid: number;
  credited: number;
  daysOverdue: number;
}): InvoiceStatus {
  if (invoice.voided) return 'void';
  if (invoice.openAmount === 0) return 'paid';
  if (invoice.daysOverdue > 0) return 'overdue';
  return invoice.paid + invoice.credited > 0 ? 'partly_paid' : 'open';
}

/** The ageing bucket of an open invoice that is `daysOverdue` days past its due date. */
export function ageingBucket(daysOverdue: number): AgeingBucket {
  if (daysOverdue <= 0) return 'current';
  if (daysOverdue <= 30) return 'days1to30';
  if (daysOverdue <= 60) return 'days31to60';
  if (daysOverdue <= 90) return 'days61to90';
  return 'over90';
}

export interface OpenInvoice {
  id: string;
  reference: string;
  openAmount: number;
}

/**
 * How a payment of `amount` settles a customer's open invoices: as the payer said (`wanted`, which must
 * name their open invoices, each at most its open amount, adding up to `amount`), or else the oldest due
 * first. `open` is in due order. Field errors name what cannot be right.
 */
export function allocatePayment(
  amount: number,
  open: OpenInvoice[],
  wanted: { invoiceId: string; amount: number }[] | undefined,
  /** An amount as the merchant reads it, for the messages: 1890 → "A$18.90". */
  money: (minor: number) => string = String,
): { allocations: { invoice: OpenInvoice; amount: number }[] } | { errors: FieldError[] } {
  const owed = open.reduce((sum, invoice) => sum + invoice.openAmount, 0);
  if (!wanted) {
    if (amount > owed) {
      return {
        errors: [
          {
            field: 'amount',
            code: 'too_large',
            message: `Is more than the customer owes on open invoices (${money(owed)})`,
          },
        ],
      };
    }
    const allocations = [];
    let left = amount;
    for (const invoice of open) {
      if (left === 0) break;
      const part = Math.min(left, invoice.openAmount);
      allocations.push({ invoice, amount: part });
      left -= part;
    }
    return { allocations };
  }
  const errors: FieldError[] = [];
  const byId = new Map(open.map((invoice) => [invoice.id, invoice]));
  const seen = new Set<string>();
  const allocations = [];
  for (const [index, want] of wanted.entries()) {
    const invoice = byId.get(want.invoiceId);
    if (!invoice) {
      errors.push({
        field: `allocations.${index}.invoiceId`,
        code: 'not_open',
        message: "Is not an open invoice of this customer (paid, void, or someone else's)",
      });
      continue;
    }
    if (seen.has(invoice.id)) {
      errors.push({ field: `allocations.${index}.invoiceId`, code: 'duplicate', message: 'Is named twice' });
      continue;
    }
    seen.add(invoice.id);
    if (want.amount > invoice.openAmount) {
      errors.push({
        field: `allocations.${index}.amount`,
        code: 'too_large',
        message: `Is more than is open on ${invoice.reference} (${money(invoice.openAmount)})`,
      });
      continue;
    }
    allocations.push({ invoice, amount: want.amount });
  }
  const total = wanted.reduce((sum, want) => sum + want.amount, 0);
  if (errors.length === 0 && total !== amount) {
    errors.push({
      field: 'amount',
      code: 'mismatch',
      message: `Must equal the sum of the allocations (${money(total)})`,
    });
  }
  return errors.length > 0 ? { errors } : { allocations };
}

import { formatMoney } from '../../shared/money.ts';
import type { Sale } from '../sales/sale.schema.ts';
import { AGEING_BUCKETS, type AgeingBucket, type InvoiceDetail, type Statement } from './invoice.schema.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export interface DocumentContext {
  businessName: string;
  currency: string;
  /** How amounts and days are written (documentContext). */
  locale: string;
}

export interface Rendered {
  subject: string;
  html: string;
  text: string;
}

export const AGEING_LABELS: Record<AgeingBucket, string> = {
  current: 'Current',
  days1to30: '1–30 days',
  days31to60: '31–60 days',
  days61to90: '61–90 days',
  over90: 'Over 90 days',
};

const METHOD_LABELS: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  bank_transfer: 'Bank transfer',
  cheque: 'Cheque',
  other: 'Other',
};

/**
 * A day (YYYY-MM-DD) as people in the business's country read it: 3 Mar 2026 in Britain, Mar 3, 2026 in the US. Days
 * have no time zone: they are shown as they are.
 */
function dayText(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

const STYLE = `
  body { font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #1a1b1e; margin: 0; padding: 32px; }
  .doc { max-width: 720px; margin: 0 auto; }
  header { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 24px; }
  h1 { font-size: 22px; margin: 0; }
  h2 { font-size: 28px; margin: 0; letter-spacing: .04em; text-align: right; }
  .meta { color: #555; font-size: 14px; text-align: right; line-height: 1.6; }
  .to { margin-bottom: 24px; font-size: 14px; line-height: 1.5; }
  .label { color: #777; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; }
  table { width: 100%; border-collapse: collapse; font-size: 14px; }
  th { text-align: left; font-size: 12px; color: #555; border-bottom: 2px solid #1a1b1e; padding: 6px 4px; }
  td { padding: 6px 4px; border-bottom: 1px solid #e5e5e5; vertical-align: top; }
  .num { text-align: right; white-space: nowrap; }
  tr.total td { border-top: 2px solid #1a1b1e; border-bottom: none; font-weight: 700; font-size: 16px; }
  .stamp { display: inline-block; border: 3px solid; border-radius: 6px; padding: 2px 12px; font-weight: 800; letter-spacing: .12em; margin-top: 8px; }
  .stamp.paid { color: #2b8a3e; } .stamp.void, .stamp.overdue { color: #c92a2a; }
  .ageing { margin-top: 24px; } .ageing td, .ageing th { text-align: right; }
  .muted { color: #777; font-size: 13px; }
  .print { text-align: center; margin-top: 32px; }
  @media print { body { padding: 0; } .print { display: none; } }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><div class="doc">${body}</div></body></html>`;
}

/** A page with a Print button (hidden when printed), for the browser. */
export function printable(html: string): string {
  return html.replace(
    '</div></body>',
    '<div class="print"><button onclick="window.print()">Print</button></div></div></body>',
  );
}

/** One invoice, with the sale it is for and what settled it, as an email and a page to print. */
export function renderInvoice(
  invoice: InvoiceDetail,
  sale: Sale,
  customer: { email: string | null },
  ctx: DocumentContext,
): Rendered {
  const money = (minor: number) => formatMoney(minor, ctx.currency, ctx.locale);
  const day = (d: string) => dayText(d, ctx.locale);
  const subject = `Invoice ${invoice.reference} from ${ctx.businessName}`;
  const stamp =
    invoice.status === 'paid'
      ? 'PAID'
      : invoice.status === 'void'
        ? 'VOID'
        : invoice.status === 'overdue'
          ? 'OVERDUE'
          : '';
  // What is asked of the customer: nothing once it is paid or void; past its due date, to pay now.
  const quoting = `quoting ${invoice.reference}`;
  const request =
    invoice.openAmount <= 0 || invoice.status === 'void'
      ? null
      : invoice.daysOverdue > 0
        ? `This was due on ${day(invoice.dueOn)}: please pay now, ${quoting}.`
        : `Please pay by ${day(invoice.dueOn)}, ${quoting}.`;
  const lines = sale.lines
    .map(
      (line) =>
        `<tr><td>${escapeHtml(String(line.quantity))}</td><td>${escapeHtml(line.description)}</td><td class="num">${escapeHtml(money(line.unitPrice))}</td><td class="num">${escapeHtml(money(line.total))}</td></tr>`,
    )
    .join('');
  const otherPayments = sale.payments.filter((p) => p.method !== 'on_account').reduce((sum, p) => sum + p.amount, 0);
  const settled = invoice.payments
    .map(
      (p) =>
        `<tr><td colspan="3">${escapeHtml(day(p.paidOn))} · ${escapeHtml(p.kind === 'payment' ? (METHOD_LABELS[p.method ?? 'other'] ?? 'Payment') : p.kind === 'credit' ? 'Refund credited' : 'Refund cancelled')}${p.reference ? ` · ${escapeHtml(p.reference)}` : ''}</td><td class="num">−${escapeHtml(money(p.amount))}</td></tr>`,
    )
    .join('');
  const html = page(
    subject,
    `<header>
      <div><h1>${escapeHtml(ctx.businessName)}</h1><div class="muted">${escapeHtml(invoice.storeName)}</div></div>
      <div><h2>INVOICE</h2><div class="meta">${escapeHtml(invoice.reference)}<br>Issued ${escapeHtml(day(invoice.issuedOn))}<br>Due ${escapeHtml(day(invoice.dueOn))}<br>Receipt ${escapeHtml(invoice.receiptRef)}</div>
      ${stamp ? `<div style="text-align:right"><span class="stamp ${invoice.status}">${stamp}</span></div>` : ''}</div>
    </header>
    <div class="to"><div class="label">Bill to</div>${escapeHtml(invoice.customer.name)}${customer.email ? `<br>${escapeHtml(customer.email)}` : ''}</div>
    <table>
      <thead><tr><th>Qty</th><th>Item</th><th class="num">Price</th><th class="num">Amount</th></tr></thead>
      <tbody>${lines}
        ${sale.discountTotal ? `<tr><td colspan="3">Discounts</td><td class="num">−${escapeHtml(money(sale.discountTotal))}</td></tr>` : ''}
        ${sale.taxTotal ? `<tr><td colspan="3">Tax included</td><td class="num">${escapeHtml(money(sale.taxTotal))}</td></tr>` : ''}
        <tr><td colspan="3"><strong>Sale total</strong></td><td class="num"><strong>${escapeHtml(money(sale.total))}</strong></td></tr>
        ${otherPayments ? `<tr><td colspan="3">Paid at the sale</td><td class="num">−${escapeHtml(money(otherPayments))}</td></tr>` : ''}
        <tr><td colspan="3">On account</td><td class="num">${escapeHtml(money(invoice.amount))}</td></tr>
        ${settled}
        ${invoice.voidedAmount ? `<tr><td colspan="3">Voided${invoice.voidReason ? `: ${escapeHtml(invoice.voidReason)}` : ''}</td><td class="num">−${escapeHtml(money(invoice.voidedAmount))}</td></tr>` : ''}
        <tr class="total"><td colspan="3">Amount due</td><td class="num">${escapeHtml(money(invoice.openAmount))}</td></tr>
      </tbody>
    </table>
    ${request ? `<p class="muted">${escapeHtml(request)}</p>` : ''}`,
  );
  const text = [
    ctx.businessName,
    `Invoice ${invoice.reference}${stamp ? ` (${stamp})` : ''}`,
    `Issued ${day(invoice.issuedOn)} · due ${day(invoice.dueOn)} · receipt ${invoice.receiptRef}`,
    `Bill to: ${invoice.customer.name}`,
    '',
    ...sale.lines.map((line) => `${line.quantity} × ${line.description}  ${money(line.total)}`),
    '',
    `Sale total: ${money(sale.total)}`,
    `On account: ${money(invoice.amount)}`,
    ...invoice.payments.map((p) => `${day(p.paidOn)} ${p.kind === 'payment' ? 'paid' : p.kind}: −${money(p.amount)}`),
    ...(invoice.voidedAmount ? [`Voided: −${money(invoice.voidedAmount)}`] : []),
    `Amount due: ${money(invoice.openAmount)}`,
    ...(request ? ['', request] : []),
  ].join('\n');
  return { subject, html, text };
}

/** A customer's statement: every open invoice, aged, and what is due in all. */
export function renderStatement(statement: Statement, ctx: DocumentContext): Rendered {
  const money = (minor: number) => formatMoney(minor, ctx.currency, ctx.locale);
  const day = (d: string) => dayText(d, ctx.locale);
  const subject = `Statement of account from ${ctx.businessName}, ${day(statement.asOf)}`;
  const rows = statement.invoices
    .map(
      (invoice) =>
        `<tr><td>${escapeHtml(invoice.reference)}</td><td>${escapeHtml(day(invoice.issuedOn))}</td><td>${escapeHtml(day(invoice.dueOn))}</td><td class="num">${escapeHtml(money(invoice.amount))}</td><td class="num">${escapeHtml(money(invoice.openAmount))}</td><td class="num">${invoice.daysOverdue > 0 ? `${invoice.daysOverdue} days` : '—'}</td></tr>`,
    )
    .join('');
  const html = page(
    subject,
    `<header>
      <div><h1>${escapeHtml(ctx.businessName)}</h1></div>
      <div><h2>STATEMENT</h2><div class="meta">As of ${escapeHtml(day(statement.asOf))}</div></div>
    </header>
    <div class="to"><div class="label">Account of</div>${escapeHtml(statement.customer.name)}${statement.customer.email ? `<br>${escapeHtml(statement.customer.email)}` : ''}</div>
    <table>
      <thead><tr><th>Invoice</th><th>Issued</th><th>Due</th><th class="num">Amount</th><th class="num">Open</th><th class="num">Overdue</th></tr></thead>
      <tbody>${rows || '<tr><td colspan="6" class="muted">No open invoices.</td></tr>'}
        <tr class="total"><td colspan="4">Total due</td><td class="num">${escapeHtml(money(statement.total))}</td><td></td></tr>
      </tbody>
    </table>
    <table class="ageing">
      <thead><tr>${AGEING_BUCKETS.map((b) => `<th>${escapeHtml(AGEING_LABELS[b])}</th>`).join('')}</tr></thead>
      <tbody><tr>${AGEING_BUCKETS.map((b) => `<td>${escapeHtml(money(statement.ageing[b]))}</td>`).join('')}</tr></tbody>
    </table>`,
  );
  const text = [
    ctx.businessName,
    `Statement of account, as of ${day(statement.asOf)}`,
    `Account of: ${statement.customer.name}`,
    '',
    ...statement.invoices.map(
      (invoice) =>
        `${invoice.reference}  issued ${day(invoice.issuedOn)}  due ${day(invoice.dueOn)}  open ${money(invoice.openAmount)}`,
    ),
    '',
    ...AGEING_BUCKETS.map((b) => `${AGEING_LABELS[b]}: ${money(statement.ageing[b])}`),
    `Total due: ${money(statement.total)}`,
  ].join('\n');
  return { subject, html, text };
}

import { formatMoney } from '../../shared/money.ts';
import type { Sale } from './sale.schema.ts';

const PAYMENT_LABELS: Record<Sale['payments'][number]['method'], string> = {
  cash: 'Cash',
  card: 'Card',
  store_credit: 'Store credit',
  loyalty: 'Loyalty points',
  on_account: 'On account',
  gift_card: 'Gift card',
  other: 'Other',
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export interface ReceiptContext {
  businessName: string;
  currency: string;
  /** How amounts and times are written (documentContext). */
  locale: string;
}

/** The time of the sale in its store's time zone, as the receipt printed at the till showed it. */
function storeTime(sale: Sale, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: sale.store.timeZone,
  }).format(new Date(sale.soldAt));
}

function quantityText(quantity: number): string {
  return Number.isInteger(quantity) ? String(quantity) : quantity.toFixed(3).replace(/0+$/, '');
}

/** One receipt as an email (subject, HTML, plain text) and as a page to print. */
export function renderReceipt(sale: Sale, ctx: ReceiptContext): { subject: string; html: string; text: string } {
  const money = (minor: number) => formatMoney(minor, ctx.currency, ctx.locale);
  /** A change of the total, with its sign: "−$0.02", "+$0.03". */
  const signed = (minor: number) => `${minor < 0 ? '−' : '+'}${money(Math.abs(minor))}`;
  const title = sale.kind === 'refund' ? 'Refund' : 'Receipt';
  const subject = `Your ${title.toLowerCase()} ${sale.receiptRef} from ${ctx.businessName}`;
  const when = storeTime(sale, ctx.locale);
  // A group discount is named, so the customer sees why they paid less.
  const discountLabel = sale.groupDiscount
    ? `Discounts (incl. ${sale.groupDiscount.name} discount ${sale.groupDiscount.percent}%)`
    : 'Discounts';
  const paymentLabel = (method: Sale['payments'][number]['method']) =>
    method === 'on_account' && sale.invoice ? `On account · invoice ${sale.invoice.reference}` : PAYMENT_LABELS[method];
  const status = sale.status === 'cancelled' ? 'CANCELLED' : sale.status === 'refunded' ? 'Refunded' : '';

  const textLines = [
    ctx.businessName,
    `${title} ${sale.receiptRef} · ${sale.store.name} · ${when}`,
    ...(status ? [status] : []),
    ...(sale.customer ? [`Customer: ${sale.customer.name}`] : []),
    '',
    ...sale.lines.map(
      (line) =>
        `${quantityText(line.quantity)} × ${line.description} @ ${money(line.unitPrice)}${line.discount ? ` − ${money(line.discount)}` : ''}  ${money(line.total)}`,
    ),
    '',
    ...(sale.discountTotal ? [`${discountLabel}: −${money(sale.discountTotal)}`] : []),
    ...(sale.taxTotal ? [`Tax: ${money(sale.taxTotal)}`] : []),
    ...(sale.rounding ? [`Cash rounding: ${signed(sale.rounding)}`] : []),
    `Total: ${money(sale.total)}`,
    ...sale.payments.map((p) => `${paymentLabel(p.method)}: ${money(p.amount)}`),
    ...(sale.note ? ['', sale.note] : []),
  ];

  const rows = sale.lines
    .map(
      (line) => `<tr>
        <td class="qty">${escapeHtml(quantityText(line.quantity))}</td>
        <td>${escapeHtml(line.description)}${line.discount ? `<div class="muted">discount −${escapeHtml(money(line.discount))}</div>` : ''}</td>
        <td class="num">${escapeHtml(money(line.unitPrice))}</td>
        <td class="num">${escapeHtml(money(line.total))}</td>
      </tr>`,
    )
    .join('');
  const payments = sale.payments
    .map(
      (p) =>
        `<tr><td colspan="3">${escapeHtml(paymentLabel(p.method))}</td><td class="num">${escapeHtml(money(p.amount))}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title>
<style>
  body { font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #1a1b1e; margin: 0; padding: 24px; }
  .receipt { max-width: 380px; margin: 0 auto; }
  h1 { font-size: 20px; margin: 0 0 4px; text-align: center; }
  .meta, .muted { color: #666; font-size: 13px; }
  .meta { text-align: center; margin-bottom: 16px; }
  .status { text-align: center; font-weight: 700; color: #c92a2a; letter-spacing: .1em; margin: 8px 0; }
  table { width: 100%; border-collapse: collapse; font-size: 14px; }
  td { padding: 4px 0; vertical-align: top; }
  td.qty { width: 40px; } td.num { text-align: right; white-space: nowrap; padding-left: 8px; }
  tr.total td { border-top: 1px solid #1a1b1e; font-weight: 700; font-size: 16px; padding-top: 8px; }
  .sep td { border-top: 1px dashed #bbb; }
  .note { margin-top: 16px; font-size: 13px; white-space: pre-wrap; }
  .print { text-align: center; margin-top: 24px; }
  @media print { body { padding: 0; } .print { display: none; } }
</style></head>
<body><div class="receipt">
  <h1>${escapeHtml(ctx.businessName)}</h1>
  <div class="meta">${escapeHtml(title)} ${escapeHtml(sale.receiptRef)}<br>${escapeHtml(sale.store.name)} · ${escapeHtml(when)}${sale.customer ? `<br>Customer: ${escapeHtml(sale.customer.name)}` : ''}</div>
  ${status ? `<div class="status">${escapeHtml(status)}</div>` : ''}
  <table>
    ${rows}
    <tr class="sep"><td colspan="4"></td></tr>
    ${sale.discountTotal ? `<tr><td colspan="3">${escapeHtml(discountLabel)}</td><td class="num">−${escapeHtml(money(sale.discountTotal))}</td></tr>` : ''}
    ${sale.taxTotal ? `<tr><td colspan="3">Tax</td><td class="num">${escapeHtml(money(sale.taxTotal))}</td></tr>` : ''}
    ${sale.rounding ? `<tr><td colspan="3">Cash rounding</td><td class="num">${escapeHtml(signed(sale.rounding))}</td></tr>` : ''}
    <tr class="total"><td colspan="3">Total</td><td class="num">${escapeHtml(money(sale.total))}</td></tr>
    ${payments}
  </table>
  ${sale.note ? `<div class="note">${escapeHtml(sale.note)}</div>` : ''}
</div></body></html>`;
  return { subject, html, text: textLines.join('\n') };
}

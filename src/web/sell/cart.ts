import type { Balances } from '../../features/balances/balance.schema.ts';
import type { Customer } from '../../features/customers/customer.schema.ts';
import type { CustomerGroup } from '../../features/groups/group.schema.ts';
import type { Product } from '../../features/products/product.schema.ts';
import { lineTotal, roundMoney, saleTotals, toMilli } from '../../features/sales/sale.rules.ts';
import type { SaleCreate } from '../../features/sales/sale.schema.ts';
import { wallClock } from '../lib/dates.ts';
import { minorDigits } from '../lib/money.ts';

/** A line of the sale being rung up: a product at the price it had when it went in. */
export interface CartLine {
  productId: string;
  sku: string;
  name: string;
  unitPrice: number;
  quantity: number;
}

export interface Cart {
  lines: CartLine[];
  customer: Customer | null;
  /** The cashier took the customer's group discount off this sale (it comes back with another customer). */
  groupDiscountRemoved?: boolean;
}

export const EMPTY_CART: Cart = { lines: [], customer: null };

/** The discount a customer's group gives at the till, as the sale and its receipt name it. */
export interface GroupDiscount {
  name: string;
  /** Up to two decimals: 12.5 is 12.5%. */
  percent: number;
}

/** Who the sale is for (or no one): a customer's group discount is theirs alone, so a new one starts applied. */
export function setCustomer(cart: Cart, customer: Customer | null): Cart {
  return { ...cart, customer, groupDiscountRemoved: false };
}

/** The discount of the customer's group, if it gives one; null while the groups are not known. */
export function groupDiscountOf(
  customer: Pick<Customer, 'group'> | null,
  groups: Pick<CustomerGroup, 'id' | 'name' | 'discountPercent'>[] | undefined,
): GroupDiscount | null {
  if (!customer || !groups) return null;
  const group = groups.find((candidate) => candidate.id === customer.group.id);
  return group && group.discountPercent > 0 ? { name: group.name, percent: group.discountPercent } : null;
}

/** The group discount this sale gives: the customer's, unless the cashier removed it. */
export function appliedGroupDiscount(cart: Cart, discount: GroupDiscount | null): GroupDiscount | null {
  return cart.groupDiscountRemoved ? null : discount;
}

const percentFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** "Trade discount 10%", "Staff discount 12.5%": the group's name, as the printed receipt says it. */
export function groupDiscountLabel(discount: GroupDiscount): string {
  return `${discount.name} discount ${percentFormat.format(discount.percent)}%`;
}

/**
 * What a percentage takes off one line: of the line's amount, rounded to the minor unit on each line (half
 * away from zero, as the till rounds), so the lines' discounts add up to the discount the receipt shows.
 */
export function lineDiscount(line: Pick<CartLine, 'quantity' | 'unitPrice'>, percent: number): number {
  if (!(percent > 0)) return 0;
  const { gross } = lineTotal({ ...line, discount: 0, tax: 0 });
  // In hundredths of a percent, so 12.5% is the whole number 1250 and only the last step rounds.
  const hundredths = Math.round(Math.min(percent, 100) * 100);
  return roundMoney((gross * hundredths) / 10_000);
}

/** One more of a product: on its line when it has one (the last added goes to the top), else a new line. */
export function addProduct(cart: Cart, product: Product): Cart {
  const existing = cart.lines.find((line) => line.productId === product.id);
  if (existing) {
    return {
      ...cart,
      lines: [{ ...existing, quantity: existing.quantity + 1 }, ...cart.lines.filter((line) => line !== existing)],
    };
  }
  const line: CartLine = {
    productId: product.id,
    sku: product.sku,
    name: product.name,
    unitPrice: product.price,
    quantity: 1,
  };
  return { ...cart, lines: [line, ...cart.lines] };
}

/** Set how many; none takes the line out. */
export function setQuantity(cart: Cart, productId: string, quantity: number): Cart {
  if (!(quantity > 0)) return removeLine(cart, productId);
  return {
    ...cart,
    lines: cart.lines.map((line) =>
      line.productId === productId ? { ...line, quantity: toMilli(quantity) / 1000 } : line,
    ),
  };
}

export function removeLine(cart: Cart, productId: string): Cart {
  return { ...cart, lines: cart.lines.filter((line) => line.productId !== productId) };
}

/** The totals as the server will count them (the same rules, the same rounding), less a group discount if any. */
export function cartTotals(lines: CartLine[], discount: GroupDiscount | null = null) {
  const percent = discount?.percent ?? 0;
  const totals = saleTotals(
    lines.map((line) => ({ ...line, unitCost: null, discount: lineDiscount(line, percent), tax: 0 })),
  );
  const items = lines.reduce((sum, line) => sum + toMilli(line.quantity), 0) / 1000;
  return { ...totals, items };
}

/**
 * What else goes with the sale: the group discount it gives, a manager's word to pass the credit limit, and
 * what rounding the cash to the nearest coin moved the total by.
 */
export interface SaleExtras {
  groupDiscount?: GroupDiscount | null;
  creditLimitOverride?: { reason: string } | undefined;
  rounding?: number;
}

/** What goes to the server, less the receipt reference (which belongs to an attempt, not to the cart). */
export function saleBody(
  cart: Cart,
  storeId: string,
  payments: SaleCreate['payments'],
  { groupDiscount = null, creditLimitOverride, rounding = 0 }: SaleExtras = {},
): Omit<SaleCreate, 'receiptRef' | 'channel'> {
  // The server checks the percent against the customer's group; without a customer there is none to give.
  const discount = cart.customer ? groupDiscount : null;
  return {
    storeId,
    ...(cart.customer ? { customer: { id: cart.customer.id } } : {}),
    lines: cart.lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discount: lineDiscount(line, discount?.percent ?? 0),
      tax: 0,
    })),
    payments,
    ...(rounding !== 0 ? { rounding } : {}),
    ...(discount ? { groupDiscountPercent: discount.percent } : {}),
    ...(creditLimitOverride ? { creditLimitOverride } : {}),
  };
}

// Letters and digits that cannot be mistaken for each other when read out or typed back.
const READABLE = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A receipt reference a person can read out and find again: the store's initials, the date and time in the
 * store (its time zone, as its receipts show, whatever the till's clock is set to), and two characters that keep
 * two tills ringing up in the same second apart. "MS-260412-140512-K7".
 */
export function newReceiptRef(store: { name: string; timeZone: string }, now = new Date()): string {
  const initials =
    store.name
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((word) => word[0]?.toUpperCase())
      .join('')
      .slice(0, 4) || 'POS';
  const parts = wallClock(now, store.timeZone);
  const date = `${parts.year.slice(-2)}${parts.month}${parts.day}`;
  const time = `${parts.hour}${parts.minute}${parts.second}`;
  const random = Array.from(crypto.getRandomValues(new Uint8Array(2)), (byte) => READABLE[byte % READABLE.length]).join(
    '',
  );
  return `${initials}-${date}-${time}-${random}`;
}

/** Round amounts a customer might hand over for `due`: the next whole unit, then the next notes. */
export function cashSuggestions(due: number, currency: string): number[] {
  const unit = 10 ** minorDigits(currency);
  const steps = [1, 5, 10, 20, 50, 100].map((step) => step * unit);
  const amounts = steps.map((step) => Math.ceil(due / step) * step).filter((amount) => amount > due);
  return [...new Set(amounts)].slice(0, 3);
}

/**
 * The most a balance can still pay towards `due`, after what it already paid in this sale: store credit to the
 * minor unit, points in whole points (a multiple of what one point is worth).
 */
export function balanceCap(
  method: 'store_credit' | 'loyalty',
  balances: Pick<Balances, 'storeCredit' | 'loyaltyValue'>,
  alreadyPaid: number,
  due: number,
  pointValue: number,
): number {
  if (method === 'store_credit') return Math.max(0, Math.min(balances.storeCredit - alreadyPaid, due));
  const left = Math.max(0, Math.min(balances.loyaltyValue - alreadyPaid, due));
  return Math.floor(left / pointValue) * pointValue;
}

/** What can still go on the customer's account in this sale, after what it already put there; null: no limit. */
export function accountRoom(available: number | null, alreadyOnAccount: number): number | null {
  return available === null ? null : Math.max(0, available - alreadyOnAccount);
}

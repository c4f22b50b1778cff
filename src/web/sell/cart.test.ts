import { describe, expect, it } from 'vitest';
import type { Product } from '../../features/products/product.schema.ts';
import {
  accountRoom,
  addProduct,
  appliedGroupDiscount,
  balanceCap,
  cartTotals,
  cashSuggestions,
  EMPTY_CART,
  groupDiscountLabel,
  groupDiscountOf,
  lineDiscount,
  newReceiptRef,
  saleBody,
  setCustomer,
  setQuantity,
} from './cart.ts';
import { readTyped } from './typed-customer.ts';

const product = (id: string, price: number): Product => ({
  id,
  sku: id.toUpperCase(),
  name: `Product ${id}`,
  price,
  cost: null,
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('the cart', () => {
  it('adds one more to a product’s line, the last touched on top, and totals as the server does', () => {
    let cart = addProduct(EMPTY_CART, product('a', 340));
    cart = addProduct(cart, product('b', 325));
    cart = addProduct(cart, product('a', 340));
    expect(cart.lines.map((line) => [line.productId, line.quantity])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(cartTotals(cart.lines)).toMatchObject({ total: 1005, items: 3 });
    // A weight: 0.333 kg at 12.99 a kilo rounds to the minor unit like the till.
    cart = setQuantity(addProduct(EMPTY_CART, product('cheese', 1299)), 'cheese', 0.333);
    expect(cartTotals(cart.lines).total).toBe(433);
    expect(setQuantity(cart, 'cheese', 0).lines).toEqual([]);
  });

  it('sends the lines by product id, with the customer by id', () => {
    const cart = { ...addProduct(EMPTY_CART, product('a', 340)), customer: { id: 'c1' } as never };
    expect(saleBody(cart, 'store-1', [{ method: 'card', amount: 340 }])).toEqual({
      storeId: 'store-1',
      customer: { id: 'c1' },
      lines: [{ productId: 'a', quantity: 1, unitPrice: 340, discount: 0, tax: 0 }],
      payments: [{ method: 'card', amount: 340 }],
    });
  });

  it('names a receipt after the store and the time on the till', () => {
    const london = { name: 'Main store', timeZone: 'Europe/London' };
    expect(newReceiptRef(london, new Date(Date.UTC(2026, 3, 12, 13, 5, 9)))).toMatch(/^MS-260412-140509-[A-Z2-9]{2}$/);
    expect(newReceiptRef({ ...london, name: '' }, new Date(Date.UTC(2026, 3, 12, 13, 5, 9)))).toMatch(/^POS-/);
    // The store's date and time, not the till's clock: 13:30 UTC on 31 October is 00:30 on 1 November in Sydney.
    const sydney = { name: 'Harbour St store', timeZone: 'Australia/Sydney' };
    expect(newReceiptRef(sydney, new Date(Date.UTC(2026, 9, 31, 13, 30, 0)))).toMatch(
      /^HSS-261101-003000-[A-Z2-9]{2}$/,
    );
  });

  it('suggests the notes a customer may hand over', () => {
    expect(cashSuggestions(1005, 'GBP')).toEqual([1100, 1500, 2000]);
    // Exactly a note: the next larger notes ("Exact" is a button of its own).
    expect(cashSuggestions(2000, 'GBP')).toEqual([5000, 10000]);
    expect(cashSuggestions(730, 'JPY')).toEqual([740, 750, 800]);
  });
});

describe('a group discount', () => {
  const trade = { name: 'Trade', percent: 10 };
  const customerIn = (groupId: string) => ({ id: 'c1', group: { id: groupId, name: 'x' } }) as never;
  const groups = [
    { id: 'all', name: 'All Customers', discountPercent: 0 },
    { id: 'trade', name: 'Trade', discountPercent: 10 },
  ];

  it('is the discount of the customer’s group, and none for a group without one or no customer', () => {
    expect(groupDiscountOf(customerIn('trade'), groups)).toEqual(trade);
    expect(groupDiscountOf(customerIn('all'), groups)).toBeNull();
    expect(groupDiscountOf(null, groups)).toBeNull();
    // The groups not loaded yet: nothing is taken off until they are.
    expect(groupDiscountOf(customerIn('trade'), undefined)).toBeNull();
    expect(groupDiscountLabel(trade)).toBe('Trade discount 10%');
    expect(groupDiscountLabel({ name: 'Staff', percent: 12.5 })).toBe('Staff discount 12.5%');
  });

  it('takes its percent off each line, rounded to the minor unit on the line, half away from zero', () => {
    expect(lineDiscount({ quantity: 1, unitPrice: 340 }, 10)).toBe(34);
    // 10% of £3.25 is 32.5p: 33p.
    expect(lineDiscount({ quantity: 1, unitPrice: 325 }, 10)).toBe(33);
    // Of the line's amount, not of each unit: 3 × £3.25 = £9.75, 10% is 97.5p: 98p (not 3 × 33p).
    expect(lineDiscount({ quantity: 3, unitPrice: 325 }, 10)).toBe(98);
    // A weight: 0.333 kg at £12.99 is £4.33; 12.5% of it is 54.125p: 54p.
    expect(lineDiscount({ quantity: 0.333, unitPrice: 1299 }, 12.5)).toBe(54);
    // Two decimals of a percent are whole hundredths, never a float's 0.29999.
    expect(lineDiscount({ quantity: 1, unitPrice: 10_000 }, 0.29)).toBe(29);
    expect(lineDiscount({ quantity: 2, unitPrice: 1200 }, 100)).toBe(2400);
    expect(lineDiscount({ quantity: 2, unitPrice: 1200 }, 0)).toBe(0);
  });

  it('counts in the totals line by line, as the server adds them up', () => {
    let cart = addProduct(EMPTY_CART, product('a', 340));
    cart = addProduct(cart, product('b', 325));
    expect(cartTotals(cart.lines, trade)).toMatchObject({ subtotal: 665, discountTotal: 67, total: 598 });
    expect(cartTotals(cart.lines, null)).toMatchObject({ subtotal: 665, discountTotal: 0, total: 665 });
  });

  it('goes to the server on the lines, with the percent the server checks against the group', () => {
    const cart = setCustomer(addProduct(EMPTY_CART, product('a', 325)), { id: 'c1' } as never);
    expect(saleBody(cart, 'store-1', [{ method: 'card', amount: 292 }], { groupDiscount: trade })).toEqual({
      storeId: 'store-1',
      customer: { id: 'c1' },
      lines: [{ productId: 'a', quantity: 1, unitPrice: 325, discount: 33, tax: 0 }],
      payments: [{ method: 'card', amount: 292 }],
      groupDiscountPercent: 10,
    });
    // Never without a customer: the server would refuse it.
    const anonymous = setCustomer(cart, null);
    expect(saleBody(anonymous, 'store-1', [], { groupDiscount: trade })).not.toHaveProperty('groupDiscountPercent');
  });

  it('can be removed for one sale, and comes back with the next customer', () => {
    const customer = { id: 'c1' } as never;
    const removed = { ...setCustomer(EMPTY_CART, customer), groupDiscountRemoved: true };
    expect(appliedGroupDiscount(removed, trade)).toBeNull();
    expect(appliedGroupDiscount(setCustomer(removed, { id: 'c2' } as never), trade)).toEqual(trade);
    // A cart kept from before group discounts existed has no flag: the discount applies.
    expect(appliedGroupDiscount({ lines: [], customer }, trade)).toEqual(trade);
  });

  it('sends a manager’s override of the credit limit with the sale', () => {
    const cart = setCustomer(addProduct(EMPTY_CART, product('a', 340)), { id: 'c1' } as never);
    const body = saleBody(cart, 'store-1', [{ method: 'on_account', amount: 340 }], {
      creditLimitOverride: { reason: 'Pays on Friday' },
    });
    expect(body.creditLimitOverride).toEqual({ reason: 'Pays on Friday' });
    expect(body).not.toHaveProperty('groupDiscountPercent');
  });
});

describe('putting a sale on account', () => {
  it('has room for what is available under the limit, less what this sale already put there', () => {
    expect(accountRoom(5000, 0)).toBe(5000);
    expect(accountRoom(5000, 2000)).toBe(3000);
    expect(accountRoom(1000, 2000)).toBe(0);
    expect(accountRoom(null, 2000)).toBeNull();
  });
});

describe('what the cashier typed, as a new customer', () => {
  it('splits a name, and recognises an email, a phone number and a card', () => {
    expect(readTyped('jane van der berg')).toMatchObject({ firstName: 'Jane Van Der', lastName: 'Berg' });
    expect(readTyped('Mary-Kate McKay')).toMatchObject({ firstName: 'Mary-Kate', lastName: 'McKay' });
    expect(readTyped('Zara')).toMatchObject({ firstName: 'Zara', lastName: '' });
    expect(readTyped(' zara@example.com ')).toMatchObject({ email: 'zara@example.com', firstName: '' });
    expect(readTyped('+44 20 7946 0321')).toMatchObject({ phone: '+44 20 7946 0321' });
    expect(readTyped('CARD-77120')).toMatchObject({ code: 'CARD-77120', firstName: '' });
  });
});

describe('paying from a balance', () => {
  const balances = { storeCredit: 1500, loyaltyValue: 1240 };

  it('takes store credit up to what the customer has and what is due, less what it already paid', () => {
    expect(balanceCap('store_credit', balances, 0, 1200, 1)).toBe(1200);
    expect(balanceCap('store_credit', balances, 0, 2000, 1)).toBe(1500);
    expect(balanceCap('store_credit', balances, 1000, 2000, 1)).toBe(500);
    // Spent elsewhere after this sale took from it: nothing left, never a negative amount.
    expect(balanceCap('store_credit', { ...balances, storeCredit: 100 }, 300, 900, 1)).toBe(0);
  });

  it('takes points in whole points only', () => {
    expect(balanceCap('loyalty', balances, 0, 5000, 1)).toBe(1240);
    expect(balanceCap('loyalty', balances, 0, 5000, 5)).toBe(1240);
    expect(balanceCap('loyalty', balances, 0, 1003, 5)).toBe(1000);
    expect(balanceCap('loyalty', balances, 0, 4, 5)).toBe(0);
  });
});

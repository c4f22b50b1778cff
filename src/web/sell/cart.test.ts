import { describe, expect, it } from 'vitest';
import type { Product } from '../../features/products/product.schema.ts';
import {
  addProduct,
  balanceCap,
  cartTotals,
  cashSuggestions,
  EMPTY_CART,
  newReceiptRef,
  saleBody,
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
    expect(newReceiptRef('Main store', new Date(2026, 3, 12, 14, 5, 9))).toMatch(/^MS-260412-140509-[A-Z2-9]{2}$/);
    expect(newReceiptRef('', new Date(2026, 3, 12, 14, 5, 9))).toMatch(/^POS-/);
  });

  it('suggests the notes a customer may hand over', () => {
    expect(cashSuggestions(1005, 'GBP')).toEqual([1100, 1500, 2000]);
    // Exactly a note: the next larger notes ("Exact" is a button of its own).
    expect(cashSuggestions(2000, 'GBP')).toEqual([5000, 10000]);
    expect(cashSuggestions(730, 'JPY')).toEqual([740, 750, 800]);
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

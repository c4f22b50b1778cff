import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/features/customers/customer.schema.ts';
import type { Client } from '../support/app.ts';
import {
  changeSettings,
  createCustomer,
  createProduct,
  type E2E,
  field,
  getCustomer,
  openPage,
  sellInPounds,
  snap,
  startE2E,
  visible,
} from './e2e-helpers.ts';

let e2e: E2E;
let cashier: Client;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
  cashier = await e2e.testApp.as('cashier');
  await sellInPounds(e2e);
  await createProduct(e2e, { sku: 'FLAT-WHITE', name: 'Flat white', price: 340, cost: 60 });
  await createProduct(e2e, { sku: 'CROISSANT-ALM', name: 'Almond croissant', price: 325, cost: 110 });
  await createProduct(e2e, { sku: 'BEANS-1KG', name: 'House blend beans 1 kg', price: 2450, cost: 1100 });
  await createProduct(e2e, { sku: 'MUG-BLUE', name: 'Enamel mug, harbour blue', price: 1200, cost: 450 });
});

afterAll(async () => {
  await e2e?.close();
});

async function newPage(client: Client = cashier): Promise<Page> {
  await page?.context().close();
  page = (await openPage(e2e, client)).page;
  return page;
}

function customerIdFrom(url: string): string {
  const id = /\/customers\/([0-9a-f-]{36})/.exec(new URL(url).pathname)?.[1];
  if (!id) throw new Error(`Not a customer page: ${url}`);
  return id;
}

describe('the sell screen', () => {
  it('rings up a sale for a customer added on the spot, takes cash, and shows it on the customer’s page at once', async () => {
    await newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Sell' }).click();
    await visible(page.getByRole('heading', { name: 'Sell', level: 1 }));

    // Two flat whites by tapping, the croissant by typing a word of its name and Enter (the only match).
    await page.getByRole('button', { name: 'Add Flat white' }).click();
    await page.getByRole('button', { name: 'Add Flat white' }).click();
    const products = page.getByRole('searchbox', { name: 'Products' });
    await products.fill('almond');
    await products.press('Enter');
    const lines = page.getByRole('list', { name: 'Sale lines' });
    await visible(lines.getByRole('listitem', { name: 'Almond croissant' }));
    expect(
      await lines.getByRole('listitem', { name: 'Flat white' }).getByLabel('Quantity of Flat white').inputValue(),
    ).toBe('2');
    expect(await products.inputValue()).toBe('');
    await visible(page.getByLabel('Sale total').getByText('£10.05'));
    // 0, or an emptied field, is no quantity: leaving the field puts back what the sale charges.
    const flatWhites = lines.getByRole('listitem', { name: 'Flat white' }).getByLabel('Quantity of Flat white');
    for (const typed of ['0', '']) {
      await flatWhites.fill(typed);
      await flatWhites.press('Tab');
      expect(await flatWhites.inputValue()).toBe('2');
    }
    await visible(page.getByLabel('Sale total').getByText('£10.05'));

    // Nobody by that name: the search offers to add them.
    const search = page.getByRole('textbox', { name: 'Customer' });
    await search.fill('Zara Quill');
    await page.getByRole('option', { name: 'Add “Zara Quill” as new customer' }).click();
    const form = await visible(page.getByRole('dialog', { name: 'New customer' }));
    expect(await field(form, 'First name').inputValue()).toBe('Zara');
    expect(await field(form, 'Last name').inputValue()).toBe('Quill');
    await field(form, 'Email').fill('zara.quill@example.com');
    await field(form, 'Phone').fill('+44 20 7946 0321');
    await snap(page, 'sell-new-customer', { screenOnly: true });
    await form.getByRole('button', { name: 'Add and attach' }).click();

    // Back on the sale, with her attached.
    const attached = await visible(page.getByRole('region', { name: 'Customer of this sale' }));
    await visible(attached.getByText('Zara Quill'));
    await visible(attached.getByText('First purchase'));
    expect(await page.getByRole('dialog').count()).toBe(0);
    await snap(page, 'sell-cart', { screenOnly: true });

    await page.getByRole('button', { name: 'Take payment' }).click();
    const payment = await visible(page.getByRole('dialog', { name: 'Take payment' }));
    await visible(payment.getByLabel('Amount due').getByText('£10.05'));
    // The business runs no loyalty programme and she has no points: paying with points is not offered.
    await visible(payment.getByText('Store credit', { exact: true }));
    expect(await payment.getByText('Points', { exact: true }).count()).toBe(0);
    await payment.getByRole('button', { name: '£20.00' }).click();
    await visible(payment.getByLabel('Change due').getByText('£9.95'));
    await snap(page, 'sell-payment', { screenOnly: true });
    await payment.getByRole('button', { name: 'Complete sale' }).click();

    const done = await visible(page.getByRole('region', { name: 'Sale complete' }));
    await visible(done.getByLabel('Change due').getByText('£9.95'));
    await visible(page.getByRole('region', { name: 'Receipt' }).getByText('Almond croissant'));
    // No points (loyalty is off), no credit, nothing owed: no balances line, not a bare "Now has".
    await expect.poll(() => done.getByLabel('Loading the balances').count()).toBe(0);
    expect(await done.getByText('Now has').count()).toBe(0);
    await snap(page, 'sell-complete');

    await done.getByRole('link', { name: 'Zara Quill' }).click();
    await visible(page.getByRole('heading', { name: 'Zara Quill', level: 1 }));
    const stats = page.getByRole('region', { name: 'Statistics' });
    await visible(stats.getByRole('group', { name: 'Total spent' }).getByText('£10.05'));
    expect(await stats.getByRole('group', { name: 'Orders' }).textContent()).toContain('1');
    const transactions = page.getByRole('table', { name: 'Transactions' });
    await visible(transactions.getByText('£10.05'));
    expect(await transactions.getByRole('row').count()).toBe(2);

    const customer = await getCustomer(e2e, customerIdFrom(page.url()));
    expect(customer).toMatchObject({
      firstName: 'Zara',
      lastName: 'Quill',
      email: 'zara.quill@example.com',
      source: 'pos',
      stats: { totalSpent: 1005, orderCount: 1, visitCount: 1 },
    });
    await snap(page, 'customer-page-with-sales');
  });

  it('attaches a customer by scanning their card, adds a product by its SKU, and takes a split payment', async () => {
    const regular: Customer = await createCustomer(e2e, {
      firstName: 'Oluwaseun',
      lastName: 'Adeyemi',
      code: 'CARD-77120',
    });
    await createCustomer(e2e, { firstName: 'Oluwaseun', lastName: 'Adeyemi-Clarke' });
    await newPage();
    await page.goto('/sell');
    const products = await visible(page.getByRole('searchbox', { name: 'Products' }));

    // A scanner types the code and presses Enter faster than any search: the customer is attached at once.
    const search = page.getByRole('textbox', { name: 'Customer' });
    await search.fill('card-77120');
    await search.press('Enter');
    const attached = await visible(page.getByRole('region', { name: 'Customer of this sale' }));
    await visible(attached.getByText('Oluwaseun Adeyemi'));

    await products.fill('beans-1kg');
    await products.press('Enter');
    await products.fill('MUG-BLUE');
    await products.press('Enter');
    await page.getByRole('button', { name: 'One more Enamel mug, harbour blue' }).click();
    await visible(page.getByLabel('Sale total').getByText('£48.50'));

    await page.getByRole('button', { name: 'Take payment' }).click();
    const payment = await visible(page.getByRole('dialog', { name: 'Take payment' }));
    // £20 in cash, the rest by card.
    await payment.getByRole('textbox', { name: 'Cash received' }).fill('20');
    await payment.getByRole('button', { name: 'Take £20.00, then the rest' }).click();
    await visible(payment.getByLabel('Amount due').getByText('£28.50'));
    expect(await payment.getByRole('radio', { name: 'Card', exact: true }).isChecked()).toBe(true);
    await payment.getByRole('button', { name: 'Complete sale' }).click();

    await visible(page.getByRole('region', { name: 'Sale complete' }));
    const after = await getCustomer(e2e, regular.id);
    expect(after.stats).toMatchObject({ totalSpent: 4850, orderCount: 1 });
    const sales = await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/customers/${regular.id}/sales` });
    expect(sales.json().items[0].payments).toEqual([
      { method: 'cash', amount: 2000 },
      { method: 'card', amount: 2850 },
    ]);

    // The next sale starts empty.
    await page.getByRole('button', { name: 'New sale' }).click();
    await visible(page.getByText('Nothing in the sale yet.'));
    expect(await page.getByRole('region', { name: 'Customer of this sale' }).count()).toBe(0);
  });
});

describe('a lost answer', () => {
  it('records the sale once when the connection drops after the server took it and the cashier tries again', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Ottilie', lastName: 'Brannagh' });
    await newPage();
    await page.goto(`/sell?customer=${customer.id}`);
    await visible(page.getByRole('region', { name: 'Customer of this sale' }).getByText('Ottilie Brannagh'));
    await page.getByRole('button', { name: 'Add Flat white' }).click();

    // The first try reaches the server and is recorded; its answer never reaches the till.
    let tries = 0;
    const keys: string[] = [];
    await page.route('**/api/v1/sales', async (route) => {
      tries++;
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (tries === 1) {
        await route.fetch();
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await page.getByRole('button', { name: 'Take payment' }).click();
    const payment = await visible(page.getByRole('dialog', { name: 'Take payment' }));
    await payment.getByText('Card', { exact: true }).click();
    expect(await payment.getByRole('radio', { name: 'Card', exact: true }).isChecked()).toBe(true);
    await payment.getByRole('button', { name: 'Complete sale' }).click();
    await visible(payment.getByText(/it is not known whether the sale was recorded/));
    await payment.getByRole('button', { name: 'Complete sale' }).click();

    await visible(page.getByRole('region', { name: 'Sale complete' }));
    expect(tries).toBe(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const after = await getCustomer(e2e, customer.id);
    expect(after.stats).toMatchObject({ orderCount: 1, totalSpent: 340 });
  });
});

describe('the sell screen on a phone', () => {
  it('keeps the sale so far in sight below the products, and takes payment from there', async () => {
    await newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/sell');
    await page.getByRole('button', { name: 'Add Flat white' }).click();
    await page.getByRole('button', { name: 'Add Almond croissant' }).click();
    // The lines and the total are far below the products; a bar at the bottom says what the sale comes to.
    const bar = await visible(page.getByRole('region', { name: 'Sale so far' }));
    expect(await bar.textContent()).toContain('2 items · £6.65');
    const takePayment = page.getByRole('button', { name: 'Take payment' });
    expect(await takePayment.isVisible()).toBe(true);
    expect(await takePayment.evaluate((button) => button.getBoundingClientRect().top > window.innerHeight)).toBe(true);
    await bar.getByRole('button', { name: 'View sale' }).click();
    await expect
      .poll(() => takePayment.evaluate((button) => button.getBoundingClientRect().bottom <= window.innerHeight))
      .toBe(true);
    await snap(page, 'sell-phone', { screenOnly: true });
    await takePayment.click();
    const payment = await visible(page.getByRole('dialog', { name: 'Take payment' }));
    // The payment methods fit the screen: each is inside the dialog's width.
    const methods = payment.getByRole('radiogroup', { name: 'Payment method' }).locator('label');
    expect(await methods.count()).toBe(4);
    const rights = await methods.evaluateAll((labels) => labels.map((label) => label.getBoundingClientRect().right));
    expect(rights.every((right) => right <= 390)).toBe(true);
    // From tablet width up, the sale is beside the products: no bar.
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 860 });
    await expect.poll(() => page.getByRole('region', { name: 'Sale so far' }).count()).toBe(0);
  });
});

describe('selling from a customer’s page', () => {
  it('starts a sale with the customer attached', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Wilhelmina', lastName: 'Osei' });
    await newPage(e2e.testApp.owner);
    await page.goto(`/customers/${customer.id}`);
    await page.getByRole('region', { name: 'Transactions' }).getByRole('link', { name: 'New sale' }).click();
    await page.waitForURL(/\/sell$/);
    const attached = await visible(page.getByRole('region', { name: 'Customer of this sale' }));
    await visible(attached.getByText('Wilhelmina Osei'));
  });

  it('rounds cash to the nearest 5p once the business says so in Settings, and the receipt shows the rounding', async () => {
    await createProduct(e2e, { sku: 'CHEESE-W', name: 'Cheese by the wedge', price: 1237, cost: 600 });
    // The owner turns cash rounding on.
    await newPage(e2e.testApp.owner);
    await page.goto('/settings');
    await page.getByRole('combobox', { name: 'Cash rounding' }).click();
    await page.getByRole('option', { name: 'To the nearest £0.05' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await visible(page.getByText('Settings saved'));

    await newPage();
    await page.goto('/sell');
    await page.getByRole('button', { name: 'Add Cheese by the wedge' }).click();
    await visible(page.getByLabel('Sale total').getByText('£12.37'));
    await page.getByRole('button', { name: 'Take payment' }).click();
    const payment = await visible(page.getByRole('dialog', { name: 'Take payment' }));
    // In cash the customer pays £12.35: that is the figure to say.
    await visible(payment.getByLabel('Amount due').getByText('£12.35'));
    await visible(payment.getByText('In cash: £12.37 rounded to the nearest £0.05'));
    expect(await payment.getByRole('textbox', { name: 'Cash received' }).inputValue()).toBe('12.35');
    await payment.getByRole('button', { name: '£20.00' }).click();
    await visible(payment.getByLabel('Change due').getByText('£7.65'));
    await snap(page, 'sell-cash-rounding', { screenOnly: true });
    // By card, nothing is rounded.
    await payment.getByText('Card', { exact: true }).click();
    expect(await payment.getByRole('textbox', { name: 'Card amount' }).inputValue()).toBe('12.37');
    await visible(payment.getByLabel('Amount due').getByText('£12.37'));
    await payment.getByText('Cash', { exact: true }).click();
    await payment.getByRole('button', { name: '£20.00' }).click();
    await payment.getByRole('button', { name: 'Complete sale' }).click();

    const done = await visible(page.getByRole('region', { name: 'Sale complete' }));
    await visible(done.getByLabel('Change due').getByText('£7.65'));
    const receipt = page.getByRole('region', { name: 'Receipt' });
    await visible(receipt.getByText('Cash rounding'));
    await visible(receipt.getByText('−£0.02'));
    const sales = await e2e.testApp.owner.inject({ method: 'GET', url: '/api/v1/reports/receipts?limit=1' });
    expect(sales.json().items[0]).toMatchObject({ total: 1235 });
    await changeSettings(e2e, { cashRounding: 0 });
  });
});

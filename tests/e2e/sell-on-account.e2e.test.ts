import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/features/customers/customer.schema.ts';
import type { CustomerGroup } from '../../src/features/groups/group.schema.ts';
import type { InvoiceDetail } from '../../src/features/invoices/invoice.schema.ts';
import type { Sale } from '../../src/features/sales/sale.schema.ts';
import type { Client } from '../support/app.ts';
import {
  changeSettings,
  createCustomer,
  createProduct,
  descriptionOf,
  type E2E,
  openPage,
  sellInPounds,
  snap,
  startE2E,
  visible,
} from './e2e-helpers.ts';

let e2e: E2E;
let cashier: Client;
let manager: Client;
let page: Page;
let trade: CustomerGroup;
let builder: Customer;

beforeAll(async () => {
  e2e = await startE2E();
  [cashier, manager] = await Promise.all([e2e.testApp.as('cashier'), e2e.testApp.as('manager')]);
  await sellInPounds(e2e);
  // Invoicing on, invoices due in 30 days, and no customer may owe more than £50 unless their record says so.
  await changeSettings(e2e, { invoicingEnabled: true, paymentTermsDays: 30, defaultCreditLimit: 5000 });
  await createProduct(e2e, { sku: 'FLAT-WHITE', name: 'Flat white', price: 340, cost: 60 });
  await createProduct(e2e, { sku: 'BEANS-1KG', name: 'House blend beans 1 kg', price: 2450, cost: 1100 });
});

afterAll(async () => {
  await e2e?.close();
});

async function newPage(client: Client): Promise<Page> {
  await page?.context().close();
  page = (await openPage(e2e, client)).page;
  return page;
}

/** The customer's sale with the given products in it, and the payment modal open. */
async function ringUp(products: string[], total: string): Promise<Locator> {
  await page.goto(`/sell?customer=${builder.id}`);
  await visible(page.getByRole('region', { name: 'Customer of this sale' }).getByText('Bram Okonkwo'));
  for (const product of products) await page.getByRole('button', { name: `Add ${product}` }).click();
  await visible(page.getByLabel('Sale total').getByText(total));
  await page.getByRole('button', { name: 'Take payment' }).click();
  return visible(page.getByRole('dialog', { name: 'Take payment' }));
}

async function latestSale(): Promise<Sale> {
  const response = await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/customers/${builder.id}/sales` });
  expect(response.statusCode, response.body).toBe(200);
  const sale = response.json<{ items: Sale[] }>().items[0];
  if (!sale) throw new Error('No sale');
  return sale;
}

describe('a group’s discount', () => {
  it('is set by a manager when creating the group, and changed when editing it', async () => {
    await newPage(manager);
    await page.goto('/groups');
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'New customer group' }));
    await dialog.getByRole('textbox', { name: 'Group name' }).fill('Trade');
    const discount = dialog.getByRole('textbox', { name: 'Discount' });
    await discount.fill('150');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await expect.poll(() => descriptionOf(discount)).toContain('Must be at most 100%');
    await discount.fill('12.5');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    const row = await visible(page.getByRole('table', { name: 'Customer groups' }).getByRole('row', { name: /Trade/ }));
    await visible(row.getByText('12.5% off'));
    // The default group gives none: a dash.
    await visible(page.getByRole('row', { name: /All Customers/ }).getByLabel('none'));

    await row.getByRole('button', { name: 'Actions for Trade' }).click();
    await page.getByRole('menuitem', { name: 'Edit name and discount…' }).click();
    const edit = await visible(page.getByRole('dialog', { name: 'Edit “Trade”' }));
    expect(await edit.getByRole('textbox', { name: 'Discount' }).inputValue()).toBe('12.5');
    await edit.getByRole('textbox', { name: 'Discount' }).fill('10');
    await snap(page, 'groups-edit-discount', { screenOnly: true });
    await edit.getByRole('button', { name: 'Save group' }).click();
    await visible(page.getByText('Its customers get 10% off at the till from now on.'));
    await visible(row.getByText('10% off'));
    await snap(page, 'groups-with-discounts', { screenOnly: true });

    const groups = await e2e.testApp.owner.inject({ method: 'GET', url: '/api/v1/customer-groups' });
    const found = groups.json<{ items: CustomerGroup[] }>().items.find((group) => group.name === 'Trade');
    if (!found) throw new Error('No Trade group');
    expect(found.discountPercent).toBe(10);
    trade = found;
    builder = await createCustomer(e2e, { firstName: 'Bram', lastName: 'Okonkwo', groupId: trade.id });
  });
});

describe('selling on account to a customer with a group discount', () => {
  it('gives the trade discount, puts part of the sale on account and shows the invoice it opened', async () => {
    await newPage(cashier);
    await page.goto(`/sell?customer=${builder.id}`);
    await visible(page.getByRole('region', { name: 'Customer of this sale' }).getByText('Bram Okonkwo'));
    await page.getByRole('button', { name: 'Add House blend beans 1 kg' }).click();
    await page.getByRole('button', { name: 'Add Flat white' }).click();

    // £27.90 less 10%, line by line: £2.45 off the beans, 34p off the coffee.
    const discount = await visible(page.getByRole('group', { name: 'Group discount' }));
    await visible(discount.getByText('Trade discount 10%'));
    await visible(discount.getByLabel('Discount').getByText('−£2.79'));
    await visible(page.getByLabel('Sale total').getByText('£25.11'));
    await visible(page.getByRole('listitem', { name: 'Flat white' }).getByText('£3.06'));
    await snap(page, 'sell-group-discount', { screenOnly: true });

    // Taken off for this sale, and given back.
    await discount.getByRole('button', { name: 'Remove the Trade discount 10% from this sale' }).click();
    await visible(page.getByLabel('Sale total').getByText('£27.90'));
    await page.getByRole('button', { name: 'Apply it again' }).click();
    await visible(page.getByLabel('Sale total').getByText('£25.11'));

    await page.getByRole('button', { name: 'Take payment' }).click();
    const payment = await visible(page.getByRole('dialog', { name: 'Take payment' }));
    await payment.getByText('On account', { exact: true }).click();
    expect(await payment.getByRole('radio', { name: /^On account/ }).isChecked()).toBe(true);
    const account = await visible(payment.getByRole('group', { name: 'The customer’s account' }));
    await visible(account.getByText('£50.00').first());
    await visible(payment.getByText('Opens an invoice due in 30 days.', { exact: false }));
    const amount = payment.getByRole('textbox', { name: 'Put on account' });
    expect(await amount.inputValue()).toBe('25.11');
    // £20 on account, the rest by card.
    await amount.fill('20');
    await payment.getByRole('button', { name: 'Put £20.00 on account, then the rest' }).click();
    await visible(payment.getByLabel('Amount due').getByText('£5.11'));
    await payment.getByText('Card', { exact: true }).click();
    await payment.getByRole('button', { name: 'Complete sale' }).click();

    const done = await visible(page.getByRole('region', { name: 'Sale complete' }));
    await visible(done.getByText('£25.11: £5.11 paid by card, £20.00 on account', { exact: false }));
    await visible(done.getByText('Trade discount 10%: −£2.79'));
    const invoice = await visible(done.getByRole('group', { name: 'Invoice' }));
    await visible(invoice.getByText('INV-00001'));
    await visible(invoice.getByText(/£20\.00 on account · invoice INV-00001 · due /));
    await visible(done.getByRole('link', { name: 'Print invoice' }));
    await snap(page, 'sell-on-account-complete');

    const sale = await latestSale();
    expect(sale).toMatchObject({
      status: 'on_account',
      subtotal: 2790,
      discountTotal: 279,
      total: 2511,
      groupDiscount: { name: 'Trade', percent: 10 },
      invoice: { reference: 'INV-00001' },
      payments: [
        { method: 'on_account', amount: 2000 },
        { method: 'card', amount: 511 },
      ],
    });
    expect(sale.lines.map((line) => line.discount).sort((a, b) => a - b)).toEqual([34, 245]);
  });

  it('refuses a cashier’s sale past the credit limit, naming the limit; a manager approves it at the till', async () => {
    await newPage(cashier);
    // Owes £20 of a £50 limit: £30 is left, and this sale is £44.10.
    const payment = await ringUp(['House blend beans 1 kg', 'House blend beans 1 kg'], '£44.10');
    await payment.getByText('On account', { exact: true }).click();
    const account = await visible(payment.getByRole('group', { name: 'The customer’s account' }));
    await visible(account.getByText('£20.00'));
    await visible(account.getByText('£30.00'));
    await visible(payment.getByText('£30.00 left', { exact: true }));
    await visible(payment.getByText('£14.10 more than is available under the credit limit', { exact: false }));
    await payment.getByRole('button', { name: 'Complete sale' }).click();

    const refusal = await visible(payment.getByRole('alert'));
    await visible(refusal.getByText('Over the customer’s credit limit: the sale was not recorded'));
    await visible(
      refusal.getByText(/would bring what the customer owes to £64\.10, over their credit limit of £50\.00/),
    );
    await visible(refusal.getByRole('listitem', { name: 'Credit limit: £50.00' }));
    await visible(refusal.getByRole('listitem', { name: 'Owes now: £20.00' }));
    await visible(refusal.getByRole('listitem', { name: 'Available: £30.00' }));
    await visible(refusal.getByText('Ask a manager'));
    await snap(page, 'sell-credit-limit-refused', { screenOnly: true });
    expect((await latestSale()).total).toBe(2511);

    // The cashier says why, then a manager, at the cashier's till, approves this one sale with their own password.
    expect(await refusal.getByRole('button', { name: 'Override the limit…' }).count()).toBe(0);
    await refusal.getByRole('button', { name: 'Manager approval…' }).click();
    const reason = await visible(refusal.getByRole('textbox', { name: 'Why may this sale go past the limit?' }));
    await visible(refusal.getByText(/^A manager approves it next, with their own password/));
    // One way on: the payment's own button steps aside.
    expect(await payment.getByRole('button', { name: 'Complete sale', exact: true }).count()).toBe(0);
    await reason.fill('Pays on Friday, the manager knows him');
    await snap(page, 'sell-credit-limit-reason', { screenOnly: true });
    await refusal.getByRole('button', { name: 'Ask a manager to approve…' }).click();
    const approve = await visible(page.getByRole('dialog', { name: 'A manager approves' }));
    // The manager sees what they approve.
    await visible(
      approve.getByText('putting £44.10 on Bram Okonkwo’s account past their credit limit', { exact: false }),
    );
    await approve.getByRole('textbox', { name: 'Manager’s email' }).fill(manager.email);
    await approve.getByLabel('Manager’s password').fill(manager.password);
    await snap(page, 'sell-credit-limit-manager-approval', { screenOnly: true });
    await approve.getByRole('button', { name: 'Approve' }).click();

    const done = await visible(page.getByRole('region', { name: 'Sale complete' }));
    await visible(done.getByRole('group', { name: 'Invoice' }));
    const sale = await latestSale();
    expect(sale.total).toBe(4410);
    const invoice = await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/invoices/${sale.invoice?.id}` });
    const { limitOverride } = invoice.json<InvoiceDetail>();
    expect(limitOverride?.reason).toBe('Pays on Friday, the manager knows him');
    // The manager's name, not the cashier's.
    expect(limitOverride?.by).toMatch(/^Manager/);
  });

  it('lets a manager override the limit with a reason, recorded on the invoice', async () => {
    await newPage(manager);
    const payment = await ringUp(['House blend beans 1 kg', 'House blend beans 1 kg'], '£44.10');
    await payment.getByText('On account', { exact: true }).click();
    await payment.getByRole('button', { name: 'Complete sale' }).click();
    const refusal = await visible(payment.getByRole('alert'));
    await refusal.getByRole('button', { name: 'Override the limit…' }).click();
    // One way on while the manager overrides: the payment's own button steps aside.
    expect(await payment.getByRole('button', { name: 'Complete sale', exact: true }).count()).toBe(0);
    // Without a reason it does not go.
    await refusal.getByRole('button', { name: 'Override and complete sale' }).click();
    await visible(refusal.getByText('Say why this sale may go past the limit', { exact: false }));
    await refusal
      .getByRole('textbox', { name: 'Why may this sale go past the limit?' })
      .fill('Regular trade customer, settles at the end of the month');
    await snap(page, 'sell-credit-limit-override', { screenOnly: true });
    await refusal.getByRole('button', { name: 'Override and complete sale' }).click();

    const done = await visible(page.getByRole('region', { name: 'Sale complete' }));
    const sale = await latestSale();
    expect(sale).toMatchObject({ total: 4410, invoice: { reference: expect.stringMatching(/^INV-\d{5}$/) } });
    await visible(done.getByRole('group', { name: 'Invoice' }).getByText(sale.invoice?.reference ?? 'no invoice'));
    const invoice = await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/invoices/${sale.invoice?.id}` });
    expect(invoice.json<InvoiceDetail>()).toMatchObject({
      amount: 4410,
      limitOverride: { reason: 'Regular trade customer, settles at the end of the month' },
    });
  });

  it('records a sale a manager approved once, when its answer is lost and the cashier presses again', async () => {
    await newPage(cashier);
    const before = (await latestSale()).id;
    const payment = await ringUp(['House blend beans 1 kg', 'House blend beans 1 kg'], '£44.10');
    await payment.getByText('On account', { exact: true }).click();
    await payment.getByRole('button', { name: 'Complete sale' }).click();
    const refusal = await visible(payment.getByRole('alert'));
    await refusal.getByRole('button', { name: 'Manager approval…' }).click();
    await refusal.getByRole('textbox', { name: 'Why may this sale go past the limit?' }).fill('Pays on Friday');

    // The approved try reaches the server and is recorded; its answer never reaches the till.
    const keys: string[] = [];
    await page.route('**/api/v1/sales', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length === 1) {
        await route.fetch();
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await refusal.getByRole('button', { name: 'Ask a manager to approve…' }).click();
    const approve = await visible(page.getByRole('dialog', { name: 'A manager approves' }));
    await approve.getByRole('textbox', { name: 'Manager’s email' }).fill(manager.email);
    await approve.getByLabel('Manager’s password').fill(manager.password);
    await approve.getByRole('button', { name: 'Approve' }).click();
    await visible(payment.getByText(/it is not known whether the sale was recorded/));
    // Pressing again sends the same sale, approval and key: the server answers with the sale it recorded.
    await payment.getByRole('button', { name: 'Complete sale' }).click();

    await visible(page.getByRole('region', { name: 'Sale complete' }));
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const sales = await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/customers/${builder.id}/sales` });
    const items = sales.json<{ items: Sale[] }>().items;
    // One new sale, not two.
    expect(items.findIndex((sale) => sale.id === before)).toBe(1);
    expect(items[0]).toMatchObject({ total: 4410 });
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Balances } from '../../src/features/balances/balance.schema.ts';
import type { Client } from '../support/app.ts';
import {
  createCustomer,
  createProduct,
  descriptionOf,
  type E2E,
  openPage,
  recordSale,
  sellInPounds,
  snap,
  startE2E,
  visible,
} from './e2e-helpers.ts';

let e2e: E2E;
let manager: Client;
let cashier: Client;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
  manager = await e2e.testApp.as('manager');
  cashier = await e2e.testApp.as('cashier');
  await sellInPounds(e2e);
  await createProduct(e2e, { sku: 'BEANS-1KG', name: 'House blend beans 1 kg', price: 2450, cost: 1100 });
  await createProduct(e2e, { sku: 'MUG-BLUE', name: 'Enamel mug, harbour blue', price: 1200, cost: 450 });
});

afterAll(async () => {
  await e2e?.close();
});

/** A fresh window signed in as `client` (the owner unless told otherwise). */
async function newPage(client: Client = e2e.testApp.owner): Promise<Page> {
  await page?.context().close();
  page = (await openPage(e2e, client)).page;
  return page;
}

async function balancesOf(customerId: string): Promise<Balances> {
  const response = await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/balances` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Balances>();
}

function balancesCard() {
  return page.getByRole('region', { name: 'Balances' });
}

/** Ring up one product for the customer in the URL, as a cashier does, and open the payment step. */
async function ringUp(customerId: string, productName: string, total: string) {
  await page.goto(`/sell?customer=${customerId}`);
  await visible(page.getByRole('region', { name: 'Customer of this sale' }));
  await page.getByRole('button', { name: `Add ${productName}` }).click();
  await visible(page.getByLabel('Sale total').getByText(total));
  await page.getByRole('button', { name: 'Take payment' }).click();
  return visible(page.getByRole('dialog', { name: 'Take payment' }));
}

describe('loyalty and store credit', () => {
  it('earns points on a sale once loyalty is on, and the customer page shows them with their ledger entry', async () => {
    // The owner turns loyalty on: a point per pound, a penny a point.
    await newPage();
    await page.goto('/settings');
    await page.getByRole('tab', { name: 'Loyalty' }).click();
    const enabled = await visible(page.getByRole('switch', { name: 'Customers earn loyalty points' }));
    expect(await enabled.isChecked()).toBe(false);
    await enabled.setChecked(true);
    const perPound = page.getByRole('textbox', { name: 'Points earned per £1 spent' });
    await perPound.fill('');
    await page.getByRole('button', { name: 'Save loyalty settings' }).click();
    await expect.poll(() => descriptionOf(perPound)).toContain('Enter how many points');
    await perPound.fill('1');
    await page.getByRole('textbox', { name: 'Value of one point' }).fill('0.01');
    await page.getByRole('radio', { name: 'Points expire after' }).check();
    await page.getByRole('textbox', { name: 'Months until points expire' }).fill('12');
    await visible(page.getByText('Customers earn 1 point for every £1 spent; 100 points are worth £1.00 (1% back).'));
    await visible(page.getByText('A £25.00 sale paid by card earns 25 points.'));
    await page.getByRole('button', { name: 'Save loyalty settings' }).click();
    await visible(page.getByText('Loyalty settings saved'));
    await snap(page, 'settings-loyalty');

    const customer = await createCustomer(e2e, { firstName: 'Imogen', lastName: 'Thackeray', loyaltyOptIn: true });

    // The cashier sells her a bag of beans by card.
    await newPage(cashier);
    const payment = await ringUp(customer.id, 'House blend beans 1 kg', '£24.50');
    await payment.getByText('Card', { exact: true }).click();
    await payment.getByRole('button', { name: 'Complete sale' }).click();
    const done = await visible(page.getByRole('region', { name: 'Sale complete' }));
    await visible(done.getByRole('group', { name: 'Balances' }).getByText('24 points'));
    await snap(page, 'sell-complete-points', { screenOnly: true });
    expect(await balancesOf(customer.id)).toMatchObject({ loyaltyPoints: 24, loyaltyValue: 24 });

    // The manager finds the points on her page, and why she has them.
    await newPage(manager);
    await page.goto(`/customers/${customer.id}`);
    const card = await visible(balancesCard());
    const loyalty = card.getByRole('button', { name: /Loyalty points/ });
    await visible(loyalty.getByText('24 points'));
    await visible(loyalty.getByText('Worth £0.24 as a payment'));
    await loyalty.click();
    const ledger = await visible(card.getByRole('table', { name: 'Balance history' }));
    const row = ledger.getByRole('row').nth(1);
    await visible(row.getByText('+24 points'));
    await visible(row.getByText('Earned on a sale'));
    await visible(row.getByText(/unless spent first/));
    await snap(page, 'customer-balances-loyalty');

    // The entry leads to the sale that earned it.
    const [sale] = (
      await e2e.testApp.owner
        .inject({ method: 'GET', url: `/api/v1/customers/${customer.id}/sales` })
        .then((response) => response.json<{ items: { receiptRef: string }[] }>())
    ).items;
    await row.getByRole('button', { name: sale?.receiptRef ?? '' }).click();
    await visible(page.getByRole('dialog', { name: `Receipt ${sale?.receiptRef}` }));

    // Next visit she spends her points on a mug, and pays the rest by card (which earns again).
    await newPage(cashier);
    const next = await ringUp(customer.id, 'Enamel mug, harbour blue', '£12.00');
    await next.getByText('Points', { exact: true }).click();
    const points = next.getByRole('textbox', { name: 'Paid with points' });
    expect(await points.inputValue()).toBe('0.24');
    await expect.poll(() => descriptionOf(points)).toContain('Uses 24 points');
    await snap(page, 'sell-pay-points', { screenOnly: true });
    await next.getByRole('button', { name: 'Take £0.24, then the rest' }).click();
    await next.getByText('Card', { exact: true }).click();
    await next.getByRole('button', { name: 'Complete sale' }).click();
    await visible(page.getByRole('region', { name: 'Sale complete' }));
    // 24 spent, 11 earned on the £11.76 paid by card.
    expect(await balancesOf(customer.id)).toMatchObject({ loyaltyPoints: 11 });
  });

  it('issues store credit on the customer page, and the cashier takes it as a payment', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Rupert', lastName: 'Okonkwo-Hale' });

    // A cashier may not adjust balances: no buttons for it.
    await newPage(cashier);
    await page.goto(`/customers/${customer.id}`);
    await visible(balancesCard());
    expect(await balancesCard().getByRole('button', { name: 'Issue store credit' }).count()).toBe(0);
    expect(await balancesCard().getByRole('button', { name: 'Adjust' }).count()).toBe(0);

    await newPage(manager);
    await page.goto(`/customers/${customer.id}`);
    await balancesCard().getByRole('button', { name: 'Issue store credit' }).click();
    const issue = await visible(page.getByRole('dialog', { name: 'Issue store credit' }));
    await issue.getByRole('textbox', { name: 'Amount' }).fill('15');
    await issue.getByRole('button', { name: 'Issue £15.00' }).click();
    await visible(issue.getByText('Say why: the customer may ask'));
    await issue.getByRole('textbox', { name: 'Why is it given?' }).fill('Mug arrived chipped');
    await snap(page, 'customer-issue-store-credit', { screenOnly: true });
    await issue.getByRole('button', { name: 'Issue £15.00' }).click();
    await visible(page.getByText('Store credit issued'));
    const credit = balancesCard().getByRole('button', { name: /Store credit/ });
    await visible(credit.getByText('£15.00'));
    const ledger = await visible(balancesCard().getByRole('table', { name: 'Balance history' }));
    await visible(ledger.getByText('+£15.00'));
    await visible(ledger.getByText('Issued by hand'));
    await visible(ledger.getByText('“Mug arrived chipped”'));

    // Taking away more than there is: refused on the field, nothing changes.
    await balancesCard().getByRole('button', { name: 'Adjust' }).click();
    const adjust = await visible(page.getByRole('dialog', { name: 'Adjust a balance' }));
    await adjust.getByText('Store credit', { exact: true }).click();
    await adjust.getByText('Take away', { exact: true }).click();
    const amount = adjust.getByRole('textbox', { name: 'Amount' });
    await amount.fill('20');
    await adjust.getByRole('textbox', { name: 'Reason' }).fill('Typo');
    await adjust.getByRole('button', { name: 'Take away £20.00' }).click();
    await expect.poll(() => descriptionOf(amount)).toContain('Is more than the customer has: £15.00');
    await snap(page, 'customer-adjust-refused', { screenOnly: true });

    // Spent at a till meanwhile: the server refuses, on the field, and the balance shown catches up.
    const spent = await e2e.testApp.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/balance-adjustments`,
      payload: { balance: 'store_credit', amount: -1000, note: 'Spent elsewhere' },
    });
    expect(spent.statusCode, spent.body).toBe(200);
    await amount.fill('10');
    await adjust.getByRole('button', { name: 'Take away £10.00' }).click();
    await expect.poll(() => descriptionOf(amount)).toContain('Is more than the customer has now');
    await visible(adjust.getByText('£5.00 now'));
    await adjust.getByRole('button', { name: 'Cancel' }).click();
    const restored = await e2e.testApp.owner.inject({
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/balance-adjustments`,
      payload: { balance: 'store_credit', amount: 1000, note: 'Spent elsewhere: undone' },
    });
    expect(restored.statusCode, restored.body).toBe(200);
    await page.reload();
    await visible(
      balancesCard()
        .getByRole('button', { name: /Store credit/ })
        .getByText('£15.00'),
    );
    await snap(page, 'customer-balances-store-credit');

    // The cashier sells a £12 mug and takes it from the credit.
    await newPage(cashier);
    await page.goto(`/sell?customer=${customer.id}`);
    const attached = await visible(page.getByRole('region', { name: 'Customer of this sale' }));
    await visible(attached.getByText('£15.00'));
    await snap(page, 'sell-customer-balances', { screenOnly: true });
    const payment = await ringUp(customer.id, 'Enamel mug, harbour blue', '£12.00');
    await payment.getByText('Store credit', { exact: true }).click();
    expect(await payment.getByRole('radio', { name: /^Store credit/ }).isChecked()).toBe(true);
    expect(await payment.getByRole('radio', { name: /^Points/ }).isDisabled()).toBe(true);
    const paid = payment.getByRole('textbox', { name: 'Store credit amount' });
    expect(await paid.inputValue()).toBe('12.00');
    await paid.fill('13');
    await payment.getByRole('button', { name: 'Complete sale' }).click();
    await expect.poll(() => descriptionOf(paid)).toContain('cannot take more than the £12.00 due');
    await paid.fill('12');
    await snap(page, 'sell-pay-store-credit', { screenOnly: true });
    await payment.getByRole('button', { name: 'Complete sale' }).click();
    const done = await visible(page.getByRole('region', { name: 'Sale complete' }));
    await visible(done.getByText('£12.00 paid by store credit'));
    await visible(done.getByRole('group', { name: 'Balances' }).getByText('£3.00'));
    expect(await balancesOf(customer.id)).toMatchObject({ storeCredit: 300 });

    // The next sale: £3.00 of credit goes towards it, and the rest in cash...
    await done.getByRole('button', { name: 'New sale' }).click();
    const next = await ringUp(customer.id, 'Enamel mug, harbour blue', '£12.00');
    await next.getByText('Store credit', { exact: true }).click();
    expect(await next.getByRole('textbox', { name: 'Store credit amount' }).inputValue()).toBe('3.00');
    await next.getByRole('button', { name: 'Take £3.00, then the rest' }).click();
    await visible(next.getByLabel('Amount due').getByText('£9.00'));
    // ...but another till spent some of it meanwhile: the server refuses, and the till says so plainly.
    await recordSale(e2e, {
      customerId: customer.id,
      lines: [{ sku: 'MUG-BLUE', quantity: 1, unitPrice: 200 }],
      payments: [{ method: 'store_credit', amount: 200 }],
    });
    await next.getByRole('button', { name: 'Complete sale' }).click();
    const refused = await visible(next.getByRole('alert'));
    await visible(refused.getByText(/Store credit: £3\.00 is more than the customer has now/));
    await snap(page, 'sell-store-credit-refused', { screenOnly: true });
    // Undo the credit taken: what is left of it shows beside the method.
    await next.getByRole('button', { name: 'Undo the store credit payment' }).click();
    const left = next.getByRole('radiogroup', { name: 'Or from the customer’s balances' });
    await visible(left.getByText('£1.00'));
    expect(await balancesOf(customer.id)).toMatchObject({ storeCredit: 100 });
  });

  it('refunds a sale as store credit instead of money: a cashier does it once a manager approves at the till', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Wilhelmina', lastName: 'Asante' });
    const sale = await recordSale(e2e, {
      customerId: customer.id,
      lines: [{ sku: 'MUG-BLUE', quantity: 1, unitPrice: 1200 }],
    });
    // Money going back is a manager's: the cashier's menu says a manager approves it.
    await newPage(cashier);
    await page.goto(`/customers/${customer.id}`);
    await page.getByRole('button', { name: `Open receipt ${sale.receiptRef}` }).click();
    const drawer = await visible(page.getByRole('dialog', { name: `Receipt ${sale.receiptRef}` }));
    await drawer.getByRole('button', { name: 'More' }).click();
    await visible(page.getByRole('menuitem', { name: 'Move to another customer' }));
    await visible(page.getByRole('menuitem', { name: /Cancel sale.*A manager approves/ }));
    await page.getByRole('menuitem', { name: /Refund items.*A manager approves/ }).click();

    const approve = await visible(page.getByRole('dialog', { name: 'A manager approves' }));
    await approve.getByRole('textbox', { name: 'Manager’s email' }).fill(manager.email);
    await approve.getByLabel('Manager’s password').fill('not the password');
    await approve.getByRole('button', { name: 'Approve' }).click();
    await visible(approve.getByText('Email or password is incorrect'));
    await approve.getByLabel('Manager’s password').fill(manager.password);
    await snap(page, 'manager-approval', { screenOnly: true });
    await approve.getByRole('button', { name: 'Approve' }).click();

    const refund = await visible(page.getByRole('dialog', { name: `Refund items of ${sale.receiptRef}` }));
    await refund.getByText('Give store credit instead of refunding', { exact: true }).click();
    await visible(refund.getByText('£12.00 goes onto Wilhelmina Asante’s store credit', { exact: false }));
    expect(await refund.getByRole('textbox', { name: 'Give the money back by' }).count()).toBe(0);
    await refund.getByRole('textbox', { name: 'Reason' }).fill('Wrong colour');
    await snap(page, 'refund-as-store-credit', { screenOnly: true });
    await refund.getByRole('button', { name: 'Give £12.00 store credit' }).click();
    const made = await visible(page.getByRole('dialog', { name: `Refund R-${sale.receiptRef}` }));
    await visible(made.getByText(/\(approved by Manager \d+\)/));
    expect(await balancesOf(customer.id)).toMatchObject({ storeCredit: 1200 });
    await page.keyboard.press('Escape');
    await visible(
      balancesCard()
        .getByRole('button', { name: /Store credit/ })
        .getByText('£12.00'),
    );
  });

  it('links a loyalty card that finds the customer on the sell screen, and deactivates it when lost', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Eudora', lastName: 'Blackwood' });
    const other = await createCustomer(e2e, { firstName: 'Fenwick', lastName: 'Marsh' });

    await newPage(cashier);
    await page.goto(`/customers/${customer.id}`);
    const cards = await visible(page.getByRole('region', { name: 'Loyalty cards' }));
    await visible(cards.getByText('No cards linked.'));
    await cards.getByRole('button', { name: 'Link a card' }).click();
    const link = await visible(page.getByRole('dialog', { name: 'Link a loyalty card' }));
    const number = link.getByRole('textbox', { name: 'Card number' });
    // A scanner types the number and presses Enter.
    await number.fill('LC-44170093');
    await number.press('Enter');
    await visible(page.getByText('Card linked'));
    await visible(cards.getByRole('listitem', { name: 'Card LC-44170093' }));

    // The same card cannot go to someone else.
    await page.goto(`/customers/${other.id}`);
    await page.getByRole('region', { name: 'Loyalty cards' }).getByRole('button', { name: 'Link a card' }).click();
    const taken = await visible(page.getByRole('dialog', { name: 'Link a loyalty card' }));
    const takenNumber = taken.getByRole('textbox', { name: 'Card number' });
    await takenNumber.fill('lc-44170093');
    await taken.getByRole('button', { name: 'Link card' }).click();
    await expect.poll(() => descriptionOf(takenNumber)).toContain('already linked to a customer');
    await snap(page, 'loyalty-card-taken', { screenOnly: true });

    // At the till, the card number finds her.
    await page.goto('/sell');
    const search = await visible(page.getByRole('textbox', { name: 'Customer' }));
    await search.fill('LC-44170093');
    await visible(page.getByRole('option', { name: /Eudora Blackwood/ }));
    await search.press('Enter');
    const attached = await visible(page.getByRole('region', { name: 'Customer of this sale' }));
    await visible(attached.getByText('Eudora Blackwood'));

    // Lost: deactivated, it no longer finds her.
    await page.goto(`/customers/${customer.id}`);
    const list = await visible(page.getByRole('region', { name: 'Loyalty cards' }));
    await list.getByRole('button', { name: 'Deactivate card LC-44170093' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Deactivate card LC-44170093?' }));
    await snap(page, 'loyalty-card-deactivate', { screenOnly: true });
    await confirm.getByRole('button', { name: 'Deactivate card' }).click();
    await visible(list.getByText('Inactive'));
    await snap(page, 'customer-loyalty-cards');
    const found = await e2e.testApp.owner.inject({
      method: 'GET',
      url: `/api/v1/customers?q=${encodeURIComponent('LC-44170093')}`,
    });
    expect(found.json<{ items: { id: string }[] }>().items.map((item) => item.id)).not.toContain(customer.id);
  });
});

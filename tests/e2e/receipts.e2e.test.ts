import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeSettings,
  createCustomer,
  createProduct,
  type E2E,
  getCustomer,
  openPage,
  recordSale,
  sellInPounds,
  snap,
  startE2E,
  visible,
} from './e2e-helpers.ts';

let e2e: E2E;
let page: Page;

const LATTE = { sku: 'LATTE', quantity: 2, unitPrice: 340 };
const SCONE = { sku: 'SCONE', quantity: 1, unitPrice: 295 };

beforeAll(async () => {
  e2e = await startE2E();
  await sellInPounds(e2e);
  await createProduct(e2e, { sku: 'LATTE', name: 'Oat latte', price: 340, cost: 70 });
  await createProduct(e2e, { sku: 'SCONE', name: 'Cheese scone', price: 295, cost: 90 });
});

afterAll(async () => {
  await e2e?.close();
});

async function customerPage(customerId: string): Promise<Page> {
  await page?.context().close();
  page = (await openPage(e2e)).page;
  await page.goto(`/customers/${customerId}`);
  return page;
}

function stat(name: string) {
  return page.getByRole('region', { name: 'Statistics' }).getByRole('group', { name });
}

async function openReceipt(receiptRef: string) {
  await page.getByRole('button', { name: `Open receipt ${receiptRef}` }).click();
  return visible(page.getByRole('dialog', { name: `Receipt ${receiptRef}` }));
}

async function chooseAction(drawer: Awaited<ReturnType<typeof openReceipt>>, action: string) {
  await drawer.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

describe('a customer’s receipts', () => {
  it('opens a receipt from the transactions, cancels it with a reason, and the statistics drop', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Ada', lastName: 'Okafor' });
    const older = await recordSale(e2e, {
      customerId: customer.id,
      lines: [LATTE],
      soldAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    });
    const sale = await recordSale(e2e, { customerId: customer.id, lines: [LATTE, SCONE] });

    await customerPage(customer.id);
    await visible(stat('Total spent').getByText('£16.55'));
    const rows = page.getByRole('table', { name: 'Transactions' }).getByRole('row');
    // Newest first (row 0 is the header).
    expect(await rows.nth(1).textContent()).toContain(sale.receiptRef);
    expect(await rows.nth(2).textContent()).toContain(older.receiptRef);

    const drawer = await openReceipt(sale.receiptRef);
    await visible(drawer.getByText('Cheese scone'));
    await visible(drawer.getByRole('link', { name: 'Ada Okafor' }));
    expect(await drawer.getByRole('link', { name: 'Print' }).getAttribute('href')).toBe(
      `/api/v1/sales/${sale.id}/receipt`,
    );
    await snap(page, 'receipt-open', { screenOnly: true });

    await chooseAction(drawer, 'Cancel sale');
    const confirm = await visible(page.getByRole('dialog', { name: `Cancel sale ${sale.receiptRef}?` }));
    await confirm.getByRole('button', { name: 'Cancel sale' }).click();
    await visible(confirm.getByText('Say why: it is recorded with the cancellation'));
    await confirm.getByRole('textbox', { name: 'Reason' }).fill('Rung up twice by mistake');
    await confirm.getByRole('button', { name: 'Cancel sale' }).click();

    await visible(drawer.getByText('Cancelled sale'));
    await visible(drawer.getByText('Reason: Rung up twice by mistake'));
    await visible(stat('Total spent').getByText('£6.80'));
    expect(await stat('Orders').textContent()).toContain('1');
    expect((await getCustomer(e2e, customer.id)).stats).toMatchObject({ totalSpent: 680, orderCount: 1 });
    await snap(page, 'receipt-cancelled', { screenOnly: true });
  });

  it('refunds one item of a sale and shows the refund receipt', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Bartholomew', lastName: 'Ferrante' });
    const sale = await recordSale(e2e, { customerId: customer.id, lines: [LATTE, SCONE] });
    await customerPage(customer.id);
    const drawer = await openReceipt(sale.receiptRef);

    await chooseAction(drawer, 'Refund items');
    const refund = await visible(page.getByRole('dialog', { name: `Refund items of ${sale.receiptRef}` }));
    expect(await refund.getByRole('textbox', { name: 'Refund receipt reference' }).inputValue()).toBe(
      `R-${sale.receiptRef}`,
    );
    await refund.getByRole('textbox', { name: 'Quantity of Cheese scone to return' }).fill('1');
    await refund.getByRole('textbox', { name: 'Reason' }).fill('Went stale before lunch');
    await snap(page, 'receipt-refund-form', { screenOnly: true });
    await refund.getByRole('button', { name: 'Refund £2.95' }).click();

    // The drawer now shows the refund, which leads back to the sale.
    const refundReceipt = await visible(page.getByRole('dialog', { name: `Refund R-${sale.receiptRef}` }));
    await visible(refundReceipt.getByText('-£2.95').first());
    await visible(refundReceipt.getByRole('button', { name: sale.receiptRef }));
    await visible(refundReceipt.getByText('Went stale before lunch'));
    await visible(stat('Returns').getByText('1'));
    await visible(stat('Total spent').getByText('£6.80'));
    await visible(page.getByRole('table', { name: 'Transactions' }).getByText('Part refunded'));
    await snap(page, 'receipt-refund', { screenOnly: true });

    // The original lists its refund, and the scone cannot go back twice.
    await refundReceipt.getByRole('button', { name: sale.receiptRef }).click();
    const original = await visible(page.getByRole('dialog', { name: `Receipt ${sale.receiptRef}` }));
    await visible(original.getByRole('button', { name: `Open refund R-${sale.receiptRef}` }));
    await chooseAction(original, 'Refund items');
    const again = await visible(page.getByRole('dialog', { name: `Refund items of ${sale.receiptRef}` }));
    expect(await again.getByRole('textbox', { name: 'Refund receipt reference' }).inputValue()).toBe(
      `R-${sale.receiptRef}-2`,
    );
    await visible(again.getByText('All returned'));
  });

  it('moves a sale to another customer, and both customers’ figures follow', async () => {
    const from = await createCustomer(e2e, { firstName: 'Clementine', lastName: 'Achterberg' });
    const to = await createCustomer(e2e, {
      firstName: 'Desmond',
      lastName: 'Achterberg',
      email: 'desmond.achterberg@example.com',
    });
    const sale = await recordSale(e2e, { customerId: from.id, lines: [SCONE] });
    await customerPage(from.id);
    const drawer = await openReceipt(sale.receiptRef);

    await chooseAction(drawer, 'Move to another customer');
    const move = await visible(page.getByRole('dialog', { name: `Move ${sale.receiptRef} to another customer` }));
    await move.getByRole('textbox', { name: 'Move to' }).fill('achterberg');
    // The customer the sale belongs to now is not offered; the namesake shows what tells them apart.
    const option = await visible(page.getByRole('option', { name: /Desmond Achterberg/ }));
    expect(await option.textContent()).toContain('desmond.achterberg@example.com');
    expect(await page.getByRole('option', { name: /Clementine/ }).count()).toBe(0);
    await option.click();
    await move.getByRole('textbox', { name: 'Reason' }).fill('Paid with her husband’s card');
    await move.getByRole('button', { name: 'Move sale' }).click();

    await visible(page.getByText(`${sale.receiptRef} now belongs to Desmond Achterberg.`));
    await visible(drawer.getByRole('link', { name: 'Desmond Achterberg' }));
    await visible(stat('Orders').getByText('0'));
    expect((await getCustomer(e2e, from.id)).stats).toMatchObject({ totalSpent: 0, orderCount: 0 });

    await drawer.getByRole('button', { name: 'Add a note' }).click();
    await drawer.getByRole('textbox', { name: 'Note' }).fill('Moved at the customer’s request');
    await drawer.getByRole('button', { name: 'Save note' }).click();
    await visible(drawer.getByText('Moved at the customer’s request'));
    await visible(drawer.getByRole('button', { name: 'Edit note' }));
    expect((await getCustomer(e2e, to.id)).stats).toMatchObject({ totalSpent: 295, orderCount: 1 });
  });
});

describe('dates on the business’s clock', () => {
  it('shows a first order on the day it was in the business’s time zone, whatever the computer’s zone', async () => {
    // A business in Sydney, looked at from a browser on UTC: 13:30 UTC on 31 October is 00:30 on 1 November there.
    await changeSettings(e2e, { timeZone: 'Australia/Sydney' });
    try {
      const customer = await createCustomer(e2e, { firstName: 'Effie', lastName: 'Abbotsleigh' });
      await recordSale(e2e, { customerId: customer.id, lines: [SCONE], soldAt: '2026-10-31T13:30:00.000Z' });
      await customerPage(customer.id);
      const firstOrder = await visible(stat('First order').getByText(/2026/));
      const text = (await firstOrder.textContent()) ?? '';
      expect(text).toMatch(/Nov/);
      expect(text).toMatch(/(^|\D)1(\D|$)/);
      expect(text).not.toContain('31');

      await page.goto('/customers?q=Abbotsleigh');
      const row = await visible(page.getByRole('row', { name: /Effie Abbotsleigh/ }));
      expect(await row.textContent()).toMatch(/Nov(\D+)1\D|1 Nov/);
      expect(await row.textContent()).not.toContain('Oct');
      await snap(page, 'customer-list-business-clock', { screenOnly: true });
    } finally {
      await changeSettings(e2e, { timeZone: 'UTC' });
    }
  });
});

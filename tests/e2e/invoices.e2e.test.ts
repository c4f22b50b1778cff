import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../support/app.ts';
import {
  changeSettings,
  createCustomer,
  createProduct,
  type E2E,
  openPage,
  recordSale,
  sellInPounds,
  snap,
  startE2E,
  visible,
} from './e2e-helpers.ts';

/**
 * A builder's merchant: sales on account open invoices; the back office takes a payment against them, voids
 * one, and every figure on the customer's page and the invoices page follows.
 */
let e2e: E2E;
let manager: Client;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
  manager = await e2e.testApp.as('manager');
  await sellInPounds(e2e);
  await changeSettings(e2e, { invoicingEnabled: true, paymentTermsDays: 30, defaultCreditLimit: 100000 });
  await createProduct(e2e, { sku: 'TIMBER-2M', name: 'Treated pine 2 m', price: 1850 });
});

afterAll(async () => {
  await e2e?.close();
});

async function accountOf(customerId: string) {
  return (await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/account` })).json();
}

describe('a customer on account', () => {
  it('shows what they owe, takes a payment against the oldest invoice first and voids another', async () => {
    const customer = await createCustomer(e2e, {
      firstName: 'Mia',
      lastName: 'Kowalski',
      email: 'mia@build.example.com',
    });
    // Two sales on account, a month apart: the older is overdue.
    const older = await recordSale(e2e, {
      customerId: customer.id,
      soldAt: '2026-01-10T10:00:00Z',
      lines: [{ sku: 'TIMBER-2M', quantity: 10, unitPrice: 1850 }],
      payments: [{ method: 'on_account', amount: 18500 }],
    });
    const newer = await recordSale(e2e, {
      customerId: customer.id,
      lines: [{ sku: 'TIMBER-2M', quantity: 4, unitPrice: 1850 }],
      payments: [
        { method: 'card', amount: 2400 },
        { method: 'on_account', amount: 5000 },
      ],
    });
    if (!older.invoice || !newer.invoice) throw new Error('The sales opened no invoices');

    page = (await openPage(e2e, manager)).page;
    await page.goto(`/customers/${customer.id}`);
    const card = await visible(page.getByRole('region', { name: 'Account' }));
    await visible(card.getByRole('group', { name: 'Owes' }).getByText('£235.00'));
    await visible(card.getByRole('group', { name: 'Overdue' }).getByText('£185.00'));
    await visible(card.getByRole('group', { name: 'Available' }).getByText('£765.00'));
    const olderRow = card.locator(`tr[data-invoice="${older.invoice.reference}"]`);
    await visible(olderRow.getByText('Overdue', { exact: true }));
    await snap(page, 'customer-account');

    // £200 by bank transfer: the older invoice is paid, £15 goes on the newer.
    await card.getByRole('button', { name: 'Take a payment' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Take a payment from Mia Kowalski' }));
    const amount = dialog.getByRole('textbox', { name: 'Amount paid' });
    expect(await amount.inputValue()).toBe('235.00');
    // More than they owe is said at once, and cannot be recorded.
    await amount.fill('300');
    await visible(dialog.getByText('Mia Kowalski owes £235.00 in all'));
    expect(await dialog.getByRole('button', { name: 'Record £300.00' }).isDisabled()).toBe(true);
    await amount.fill('200');
    await dialog.getByRole('textbox', { name: 'Reference' }).fill('BT 20417');
    await visible(dialog.getByText('paid in full'));
    await visible(dialog.getByText('£35.00 left'));
    await snap(page, 'invoice-take-payment', { screenOnly: true });
    await dialog.getByRole('button', { name: 'Record £200.00' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await accountOf(customer.id)).balance).toBe(3500);
    await visible(card.getByRole('group', { name: 'Owes' }).getByText('£35.00'));
    await expect.poll(() => olderRow.count()).toBe(0);

    // The manager voids what is left of the newer one.
    const newerRow = card.locator(`tr[data-invoice="${newer.invoice.reference}"]`);
    await newerRow.getByRole('button', { name: `Actions for ${newer.invoice.reference}` }).click();
    await page.getByRole('menuitem', { name: 'Void invoice' }).click();
    const voidDialog = await visible(page.getByRole('dialog', { name: `Void invoice ${newer.invoice.reference}` }));
    await voidDialog.getByRole('button', { name: 'Void invoice' }).click();
    await visible(voidDialog.getByText('Say why'));
    await voidDialog.getByRole('textbox', { name: 'Reason' }).fill('Agreed discount for the late delivery');
    await voidDialog.getByRole('button', { name: 'Void invoice' }).click();
    await voidDialog.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await accountOf(customer.id)).balance).toBe(0);
    await visible(card.getByText('No unpaid invoices.'));
    await card.getByRole('radiogroup', { name: 'Show invoices' }).getByText('All', { exact: true }).click();
    await visible(card.locator(`tr[data-invoice="${newer.invoice.reference}"]`).getByText('Void', { exact: true }));
    await visible(card.locator(`tr[data-invoice="${older.invoice.reference}"]`).getByText('Paid', { exact: true }));
  });

  it('lists every unpaid invoice of the business, overdue ones on their own', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Tane', lastName: 'Parata' });
    const sale = await recordSale(e2e, {
      customerId: customer.id,
      soldAt: '2026-02-01T10:00:00Z',
      lines: [{ sku: 'TIMBER-2M', quantity: 2, unitPrice: 1850 }],
      payments: [{ method: 'on_account', amount: 3700 }],
    });
    page = (await openPage(e2e, manager)).page;
    await page.goto('/invoices');
    const row = page.locator(`tr[data-invoice="${sale.invoice?.reference}"]`);
    await visible(row.getByRole('link', { name: 'Tane Parata' }));
    // What the business is owed: this £37 and nothing else left open by the first test.
    await visible(page.getByRole('group', { name: 'Owed on account' }).getByText('£37.00'));
    await visible(page.getByRole('group', { name: 'Overdue' }).getByText('£37.00'));
    const show = page.getByRole('radiogroup', { name: 'Show invoices' });
    await show.getByText('Overdue', { exact: true }).click();
    await expect.poll(() => page.url()).toContain('status=overdue');
    await visible(row.getByText('Overdue', { exact: true }));
    await page.waitForLoadState('networkidle');
    await snap(page, 'invoices-page');
    await show.getByText('Paid', { exact: true }).click();
    await expect.poll(() => row.count()).toBe(0);

    // The invoice as the customer gets it.
    await page.goto(`/api/v1/invoices/${sale.invoice?.id}/document`);
    await visible(page.getByText('Amount due'));
    await visible(page.getByText('OVERDUE', { exact: true }));
    await snap(page, 'invoice-document');
  });

  it('tells an owner at once that a customer who owes money cannot be erased yet', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Owen', lastName: 'Owing' });
    await recordSale(e2e, {
      customerId: customer.id,
      lines: [{ sku: 'TIMBER-2M', quantity: 2, unitPrice: 1850 }],
      payments: [{ method: 'on_account', amount: 3700 }],
    });
    page = (await openPage(e2e)).page;
    await page.goto(`/customers/${customer.id}`);
    await page.getByRole('button', { name: 'Erase personal data…' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Erase Owen Owing’s personal data?' }));
    await visible(dialog.getByText('Owen Owing owes £37.00 on invoices. Settle or void them first', { exact: false }));
    expect(await dialog.getByRole('button', { name: 'Erase personal data' }).isDisabled()).toBe(true);
    await snap(page, 'privacy-erase-owes', { screenOnly: true });
  });
});

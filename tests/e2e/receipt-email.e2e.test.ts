import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpTestServer, startSmtpServer } from '../support/smtp.ts';
import {
  createCustomer,
  createProduct,
  type E2E,
  field,
  openPage,
  recordSale,
  sellInPounds,
  snap,
  startE2E,
  visible,
} from './e2e-helpers.ts';

let e2e: E2E;
let smtp: SmtpTestServer;
let page: Page;

beforeAll(async () => {
  [e2e, smtp] = await Promise.all([startE2E(), startSmtpServer()]);
  await sellInPounds(e2e);
  await createProduct(e2e, { sku: 'TEAPOT', name: 'Cast iron teapot', price: 3800, cost: 1500 });
});

afterAll(async () => {
  await smtp?.stop();
  await e2e?.close();
});

describe('emailing a receipt', () => {
  it('says email is not set up, leads to Settings → Email, and once the mail server is saved sends the receipt', async () => {
    const customer = await createCustomer(e2e, {
      firstName: 'Imogen',
      lastName: 'Thistlewood',
      email: 'imogen.thistlewood@example.com',
    });
    const sale = await recordSale(e2e, {
      customerId: customer.id,
      lines: [{ sku: 'TEAPOT', quantity: 1, unitPrice: 3800 }],
    });
    page = (await openPage(e2e)).page;
    await page.goto(`/customers/${customer.id}?sale=${sale.id}`);

    // Before the mail server is set up, the server says so, and the way there is one click.
    let drawer = await visible(page.getByRole('dialog', { name: `Receipt ${sale.receiptRef}` }));
    await drawer.getByRole('button', { name: 'Email' }).click();
    let dialog = await visible(page.getByRole('dialog', { name: `Email receipt ${sale.receiptRef}` }));
    expect(await field(dialog, 'Send to').inputValue()).toBe('imogen.thistlewood@example.com');
    await dialog.getByRole('button', { name: 'Send receipt' }).click();
    await visible(dialog.getByText('The receipt was not sent'));
    await visible(dialog.getByText(/^Email is not set up/));
    await dialog.getByRole('link', { name: 'Open Settings → Email' }).click();

    await page.waitForURL('**/settings/email');
    await visible(page.getByText('Not set up'));
    await field(page, 'Server').fill('127.0.0.1');
    await page.getByRole('textbox', { name: 'Port' }).fill(String(smtp.port));
    await page.getByText('None', { exact: true }).click();
    await field(page, 'From address').fill('receipts@harbour-street.example.com');
    await field(page, 'From name').fill('Harbour Street Coffee');
    await page.getByRole('button', { name: 'Save email settings' }).click();
    await visible(page.getByText('Email settings saved'));
    await visible(page.getByText('Set up', { exact: true }));
    await snap(page, 'settings-email');

    await page.goto(`/customers/${customer.id}?sale=${sale.id}`);
    drawer = await visible(page.getByRole('dialog', { name: `Receipt ${sale.receiptRef}` }));
    await drawer.getByRole('button', { name: 'Email' }).click();
    dialog = await visible(page.getByRole('dialog', { name: `Email receipt ${sale.receiptRef}` }));
    await expect.poll(() => field(dialog, 'Send to').inputValue()).toBe('imogen.thistlewood@example.com');
    await dialog.getByRole('button', { name: 'Send receipt' }).click();
    await visible(page.getByText('Sent to imogen.thistlewood@example.com.'));

    const [message] = await smtp.waitFor(1);
    expect(message?.subject).toBe(`Your receipt ${sale.receiptRef} from Harbour Street Coffee`);
    expect(message?.envelopeTo).toContain('imogen.thistlewood@example.com');
    expect(message?.text).toContain('Cast iron teapot');
  });

  it('sends a receipt to another address typed in, and shows the mail server’s refusal when it fails', async () => {
    const sale = await recordSale(e2e, { lines: [{ sku: 'TEAPOT', quantity: 2, unitPrice: 3800 }] });
    page = (await openPage(e2e)).page;
    await page.goto(`/reports?sale=${sale.id}`);
    const drawer = await visible(page.getByRole('dialog', { name: `Receipt ${sale.receiptRef}` }));
    await drawer.getByRole('button', { name: 'Email' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: `Email receipt ${sale.receiptRef}` }));
    const to = field(dialog, 'Send to');
    expect(await to.inputValue()).toBe('');
    await to.fill('walk-in@example.com');
    await dialog.getByRole('button', { name: 'Send receipt' }).click();
    await visible(page.getByText('Sent to walk-in@example.com.'));
    const messages = await smtp.waitFor(2);
    expect(messages.some((message) => message.envelopeTo.includes('walk-in@example.com'))).toBe(true);

    // A mail server that is not there: its answer reaches the person, not a bare error.
    const update = await e2e.testApp.owner.inject({
      method: 'PUT',
      url: '/api/v1/settings/email',
      payload: { host: '127.0.0.1', port: 9, security: 'none', fromAddress: 'receipts@harbour-street.example.com' },
    });
    expect(update.statusCode, update.body).toBe(200);
    await drawer.getByRole('button', { name: 'Email' }).click();
    const again = await visible(page.getByRole('dialog', { name: `Email receipt ${sale.receiptRef}` }));
    await field(again, 'Send to').fill('walk-in@example.com');
    await again.getByRole('button', { name: 'Send receipt' }).click();
    await visible(again.getByText('The email server did not take the message'));
    await visible(again.getByText(/127\.0\.0\.1:9/));
  });
});

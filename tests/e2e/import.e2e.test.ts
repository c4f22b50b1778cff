import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, openPage, snap, startE2E, visible } from './e2e-helpers.ts';

/**
 * A manager brings customers over from a spreadsheet: drops the file, maps the column Patron does not
 * know, sees the dry run with the row to fix, downloads the error file, and imports the valid rows.
 */
let e2e: E2E;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('importing customers', () => {
  it('walks through upload, mapping, dry run, error file and commit', async () => {
    const manager = await e2e.testApp.as('manager');
    page = (await openPage(e2e, manager)).page;
    await page.goto('/customers/import');
    const file = [
      'First name,Last name,Email,Loyalty card no',
      'Ruby,Hale,ruby@example.com,LC-1001',
      'Sam,Ito,not-an-email,LC-1002',
      'Tia,Moss,tia@example.com,',
    ].join('\n');
    await page.locator('input[type="file"]').setInputFiles({
      name: 'old-shop-customers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(file),
    });
    await page.waitForURL(/\/customers\/import\/[0-9a-f-]{36}$/);
    await visible(page.getByText('Checked: ready to commit'));

    // The unknown column: not imported (its a card number; Patron's cards are linked on the customer page).
    const columns = page.getByRole('table', { name: 'Columns of the file' });
    const unknown = columns.getByRole('combobox', { name: 'Field for Loyalty card no' });
    await unknown.click();
    await page.getByRole('option', { name: 'Customer code' }).click();
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(async () => page.getByRole('group', { name: 'New customers' }).textContent()).toContain('2');
    await visible(page.getByRole('group', { name: 'Rejected: to fix' }).getByText('1'));
    const problems = page.getByRole('table', { name: 'Rows not imported' });
    await visible(problems.getByText('Email:'));
    await snap(page, 'import-dry-run');

    // The error file: the row as it was, with what to fix.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the rows to fix (CSV)' }).click(),
    ]);
    const errors = await readFile((await download.path()) as string, 'utf8');
    expect(errors).toContain('Sam,Ito,not-an-email,LC-1002,3,Email,');

    await expect.poll(() => page.getByRole('button', { name: /^Import all/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Import the 2 valid rows only' }).click();
    await visible(page.getByText('2 customers were created'));
    // The file holds every customer in it: it is not kept for ever, and the page says until when.
    await visible(page.getByText(/^The file and its rows are kept until \d{1,2} \w{3} \d{4}\.$/));
    await snap(page, 'import-done');

    const found = await e2e.testApp.owner.inject({ method: 'GET', url: '/api/v1/customers?q=ruby@example.com' });
    expect(found.json().items[0]).toMatchObject({ firstName: 'Ruby', code: 'LC-1001' });
  });

  it('updates customers from an edited file, showing each change before writing it', async () => {
    const ruby = (await e2e.testApp.owner.inject({ method: 'GET', url: '/api/v1/customers?q=ruby@example.com' })).json()
      .items[0];
    await page.goto('/customers/import');
    await page.getByRole('radiogroup', { name: 'What the file does' }).getByText('Update customers').click();
    await page.locator('input[type="file"]').setInputFiles({
      name: 'edited.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`Record ID,First name,Last name,Email\n${ruby.id},Ruby,Hale-Stone,ruby@example.com\n`),
    });
    await page.waitForURL(/\/customers\/import\/[0-9a-f-]{36}$/);
    const changes = await visible(page.getByRole('table', { name: 'Changes' }));
    await visible(changes.getByText('Hale → Hale-Stone'));
    // Every column recognised: the list of columns is folded away, a click from view.
    const columns = page.getByRole('table', { name: 'Columns of the file' });
    expect(await columns.isVisible()).toBe(false);
    await snap(page, 'import-modify-dry-run');
    await page.getByRole('button', { name: 'Show the 4 columns and what each fills' }).click();
    await visible(columns.getByRole('combobox', { name: 'Field for Last name' }));
    await page.getByRole('button', { name: 'Update 1 customer' }).click();
    await visible(page.getByText('1 customer was updated'));
    const after = await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/customers/${ruby.id}` });
    expect(after.json().lastName).toBe('Hale-Stone');
  });
});

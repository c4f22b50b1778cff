import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type E2E, openPage, snap, startE2E, visible } from './e2e-helpers.ts';

/**
 * A manager exports the wholesale customers for a mailing: filters the list to the group, opens Export, keeps
 * only the fields the mailing needs, downloads the file, and finds the export in the export log.
 */
let e2e: E2E;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('exporting customers', () => {
  it('downloads the filtered customers with the chosen fields, and lists the export in the export log', async () => {
    const wholesale = uuidv7();
    await sql`INSERT INTO customer_group (merchant_id, id, name) VALUES (${e2e.testApp.merchantId}, ${wholesale}, 'Wholesale')`.execute(
      e2e.testApp.database.system,
    );
    await createCustomer(e2e, {
      firstName: 'Alice',
      lastName: 'Ashworth',
      companyName: '=HYPERLINK("http://evil.example","Click")',
      email: 'alice@ashworth.example.com',
      phone: '+1 212 555 0101',
      groupId: wholesale,
    });
    await createCustomer(e2e, {
      firstName: 'Ben',
      lastName: 'Brooks',
      companyName: 'Brooks & Sons',
      email: 'ben@brooks.example.com',
      groupId: wholesale,
    });
    await createCustomer(e2e, { firstName: 'Cara', lastName: 'Cole', email: 'cara@cole.example.com' });

    page = (await openPage(e2e)).page;
    await page.goto(`/customers?groupId=${wholesale}`);
    await visible(page.getByText('2 customers', { exact: true }));
    await page.getByRole('button', { name: 'Export', exact: true }).click();

    const dialog = page.getByRole('dialog', { name: 'Export customers' });
    await visible(dialog.getByText('2 customers will be exported'));
    await visible(dialog.getByRole('listitem').filter({ hasText: 'Group: Wholesale' }));
    // The default choice, then only what the mailing needs.
    await expect.poll(() => dialog.getByRole('checkbox', { name: 'Email', exact: true }).isChecked()).toBe(true);
    await snap(page, 'export-modal');
    await dialog.getByRole('button', { name: 'Select none' }).click();
    await visible(dialog.getByText('Choose at least one field.'));
    expect(await dialog.getByRole('button', { name: 'Download CSV' }).isDisabled()).toBe(true);
    for (const name of ['First name', 'Last name', 'Company', 'Email']) {
      await dialog.getByRole('checkbox', { name, exact: true }).check();
    }
    await visible(dialog.getByText(/^4 of \d+ chosen$/));
    await snap(page, 'export-modal-fields-chosen');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('link', { name: 'Download 2 customers' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^customers-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await readFile((await download.path()) as string);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(file.subarray(3).toString('utf8')) as string[][];
    expect(header).toEqual(['First name', 'Last name', 'Company', 'Email']);
    expect(rows.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''))).toEqual([
      ['Alice', 'Ashworth', `'=HYPERLINK("http://evil.example","Click")`, 'alice@ashworth.example.com'],
      ['Ben', 'Brooks', 'Brooks & Sons', 'ben@brooks.example.com'],
    ]);
    await visible(page.getByText('Your export is downloading'));

    await page.getByRole('link', { name: 'Export log' }).click();
    await page.waitForURL('**/exports');
    const table = page.getByRole('table', { name: 'Exports' });
    const row = table.locator('tbody tr').first();
    await visible(row.getByText('Group: Wholesale'));
    await visible(row.getByText('First name, Last name, Company, Email'));
    await visible(row.getByText('2', { exact: true }));
    await visible(row.getByText(/^Owner/));
    await snap(page, 'export-log');
  });
});

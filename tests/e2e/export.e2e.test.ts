import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { Locator, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type E2E, openPage, snap, startE2E, visible } from './e2e-helpers.ts';

/**
 * A manager exports the wholesale customers for a mailing: filters the list to the group, opens Export, keeps
 * only the fields the mailing needs, downloads the file, and finds the export in the export log. Then the
 * newsletter list, more than 10,000 customers: it is prepared in the background with a progress bar, and
 * its file downloads from the export form and from the export log.
 */
let e2e: E2E;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

/** Click `link` and read the CSV it downloads: its bytes, header and rows (after the byte-order mark, checked). */
async function downloadCsv(page: Page, link: Locator) {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^customers-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = await readFile((await download.path()) as string);
  expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parse(file.subarray(3).toString('utf8')) as string[][];
  return { file, header, rows };
}

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

    const { header, rows } = await downloadCsv(page, dialog.getByRole('link', { name: 'Download 2 customers' }));
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
  it('prepares a large export in the background, with progress, and downloads its file', async () => {
    const newsletter = uuidv7();
    const { merchantId, database } = e2e.testApp;
    await sql`INSERT INTO customer_group (merchant_id, id, name) VALUES (${merchantId}, ${newsletter}, 'Newsletter')`.execute(
      database.system,
    );
    await sql`
      INSERT INTO customer (merchant_id, id, first_name, last_name, email, group_id, source)
      SELECT ${merchantId}, gen_random_uuid(), 'Reader', 'No ' || i, 'reader' || i || '@example.com', ${newsletter}, 'import'
      FROM generate_series(1, 10050) AS i`.execute(database.system);

    page = (await openPage(e2e)).page;
    await page.goto(`/customers?groupId=${newsletter}`);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export customers' });
    await visible(dialog.getByText('More than 10,000 customers will be exported'));
    await visible(dialog.getByText(/Patron prepares the file in the background/));
    await dialog.getByRole('button', { name: 'Select none' }).click();
    for (const name of ['First name', 'Last name', 'Email']) {
      await dialog.getByRole('checkbox', { name, exact: true }).check();
    }

    // Held at a point part-way, for as long as it takes to look at it: a small export finishes in a blink.
    await page.route(/\/api\/v1\/exports\/jobs\/[^/]+$/, async (route) => {
      const response = await route.fetch();
      const job = await response.json();
      await route.fulfill({
        response,
        json: {
          ...job,
          status: 'running',
          file: null,
          finishedAt: null,
          progress: { rowsDone: 4200, rowsTotal: 10050, rowsPerSecond: 2100, secondsLeft: 3 },
        },
      });
    });
    await snap(page, 'export-modal-background-form', { screenOnly: true });
    await dialog.getByRole('button', { name: 'Export 10,000+ customers' }).click();
    const region = dialog.getByRole('region', { name: 'Background export' });
    await visible(region.getByText('Preparing your file…'));
    await visible(region.getByText('4,200 of 10,050 customers · 2,100 a second · about 3 s left'));
    expect(await region.getByRole('progressbar', { name: 'Export progress' }).getAttribute('aria-valuenow')).toBe('41');
    await visible(dialog.getByRole('button', { name: 'Stop export' }));
    await visible(dialog.getByText(/You can close this window/));
    await snap(page, 'export-modal-background-running', { screenOnly: true });
    // A poll caught half way keeps its held answer; the next ones are real.
    await page.unrouteAll({ behavior: 'ignoreErrors' });

    await visible(region.getByText('Your file is ready'));
    await visible(
      region.getByText(/^customers-\d{4}-\d{2}-\d{2}\.csv · 10,050 customers · [\d.]+ (KB|MB) · kept until /),
    );
    await snap(page, 'export-modal-background-done', { screenOnly: true });
    const { file, header, rows } = await downloadCsv(page, dialog.getByRole('link', { name: 'Download CSV' }));
    expect(header).toEqual(['First name', 'Last name', 'Email']);
    expect(rows).toHaveLength(10050);
    expect(rows.find((row) => row[1] === 'No 7')).toEqual(['Reader', 'No 7', 'reader7@example.com']);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.goto('/exports');
    const row = page.getByRole('table', { name: 'Exports' }).locator('tbody tr').first();
    await visible(row.getByText('Group: Newsletter'));
    await visible(row.getByText('10,050', { exact: true }));
    await visible(row.getByRole('link', { name: 'Download' }));
    await snap(page, 'export-log-background');
    const again = await downloadCsv(page, row.getByRole('link', { name: 'Download' }));
    expect(again.file.equals(file)).toBe(true);
  });
});

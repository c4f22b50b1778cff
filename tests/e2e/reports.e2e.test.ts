import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/features/customers/customer.schema.ts';
import type { Sale } from '../../src/features/sales/sale.schema.ts';
import {
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

let e2e: E2E;
let page: Page;
let ada: Customer;
let recent: Sale;
let old: Sale;
let other: Sale;

const DAY = 86_400_000;

beforeAll(async () => {
  e2e = await startE2E();
  await sellInPounds(e2e);
  await createProduct(e2e, { sku: 'LOAF', name: 'Sourdough loaf', price: 450, cost: 120 });
  await createProduct(e2e, { sku: 'JAM', name: 'Damson jam', price: 575, cost: 300 });
  ada = await createCustomer(e2e, { firstName: 'Ada', lastName: 'Lovegood' });
  const ben = await createCustomer(e2e, { firstName: 'Benedict', lastName: 'Marlow' });
  old = await recordSale(e2e, {
    customerId: ada.id,
    lines: [{ sku: 'JAM', quantity: 2, unitPrice: 575 }],
    soldAt: new Date(Date.now() - 40 * DAY).toISOString(),
  });
  recent = await recordSale(e2e, {
    customerId: ada.id,
    lines: [
      { sku: 'LOAF', quantity: 1, unitPrice: 450 },
      { sku: 'JAM', quantity: 1, unitPrice: 575 },
    ],
    payments: [{ method: 'cash', amount: 1025 }],
    soldAt: new Date(Date.now() - 3 * DAY).toISOString(),
  });
  other = await recordSale(e2e, {
    customerId: ben.id,
    lines: [{ sku: 'LOAF', quantity: 3, unitPrice: 450 }],
    soldAt: new Date(Date.now() - 2 * DAY).toISOString(),
  });
  page = (await openPage(e2e)).page;
});

afterAll(async () => {
  await e2e?.close();
});

describe('reports', () => {
  it('filters receipts by customer and dates, keeps the filter in the address and in the CSV download', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Reports' }).click();
    const table = page.getByRole('table', { name: 'Receipts' });
    await visible(table.getByText(other.receiptRef));
    expect(await table.getByRole('row').count()).toBe(4);

    await page.getByRole('textbox', { name: 'Customer' }).fill('lovegood');
    await page.getByRole('option', { name: /Ada Lovegood/ }).click();
    await page.waitForURL(new RegExp(`customer=${ada.id}`));
    await visible(page.getByRole('group', { name: 'Chosen customer' }).getByText('Ada Lovegood'));
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    expect(await table.getByText(other.receiptRef).count()).toBe(0);

    await page.getByRole('button', { name: 'Dates' }).click();
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.waitForURL(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await visible(table.getByText(recent.receiptRef));
    expect(await table.getByText(old.receiptRef).count()).toBe(0);
    await snap(page, 'reports-receipts');

    // The download is the same report, whole: the filter goes with it.
    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const url = new URL(href ?? '', e2e.testApp.url);
    expect(url.pathname).toBe('/api/v1/reports/receipts');
    expect(url.searchParams.get('customerId')).toBe(ada.id);
    expect(url.searchParams.get('format')).toBe('csv');
    expect(url.searchParams.get('from')).toBeTruthy();
    expect(url.searchParams.get('to')).toBeTruthy();
    const csv = await page.evaluate(async (path) => (await fetch(path)).text(), `${url.pathname}${url.search}`);
    const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((row) => row.Receipt)).toEqual([recent.receiptRef]);

    // The same filter, kept across the tabs: what she bought in those days.
    await page.getByRole('tab', { name: 'Products' }).click();
    const products = page.getByRole('table', { name: 'Products sold' });
    await visible(products.getByText('Sourdough loaf'));
    expect(page.url()).toContain(`customer=${ada.id}`);
    await page.getByRole('button', { name: 'Sort by margin' }).click();
    await page.waitForURL(/sort=margin/);
    await expect
      .poll(() => page.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))
      .toContain('sort=margin');
    await snap(page, 'reports-products');
  });

  it('lists sales by customer, largest first, and opens a receipt from the receipts report', async () => {
    await page.goto('/reports?tab=customers');
    const table = page.getByRole('table', { name: 'Sales by customer' });
    await visible(table.getByRole('link', { name: 'Ada Lovegood' }));
    expect(await table.getByRole('row').nth(1).textContent()).toContain('Ada Lovegood');
    expect(await table.getByRole('row').nth(1).textContent()).toContain('£21.75');
    await snap(page, 'reports-sales-by-customer');

    await page.getByRole('tab', { name: 'Receipts' }).click();
    await page.getByRole('button', { name: `Open receipt ${recent.receiptRef}` }).click();
    const drawer = await visible(page.getByRole('dialog', { name: `Receipt ${recent.receiptRef}` }));
    await visible(drawer.getByText('Damson jam'));
    expect(page.url()).toContain(`sale=${recent.id}`);
  });
});

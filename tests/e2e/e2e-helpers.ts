import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Session } from '../../src/features/auth/auth.schema.ts';
import type { Customer, CustomerNote } from '../../src/features/customers/customer.schema.ts';
import type { Product } from '../../src/features/products/product.schema.ts';
import type { Sale } from '../../src/features/sales/sale.schema.ts';
import type { Store } from '../../src/features/stores/store.schema.ts';
import { type Client, createTestApp, type TestApp } from '../support/app.ts';
import { ARTIFACTS, launchBrowser, screenshot } from '../support/browser.ts';
import { newCustomer } from '../support/factories.ts';

/** One app on its own database and one Chromium, shared by the tests of a file. */
export interface E2E {
  testApp: TestApp;
  browser: Browser;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  const [testApp, browser] = await Promise.all([createTestApp({ listen: true }), launchBrowser()]);
  return {
    testApp,
    browser,
    async close() {
      await browser.close();
      await testApp.close();
    },
  };
}

/**
 * A fresh browser window as a shop manager has it: British English, London time, a laptop screen (asking for
 * reduced motion, so that screenshots never catch a modal half-way through opening); signed in
 * as `client` (the owner unless told otherwise), or as no one with `null`.
 */
export async function openPage(
  e2e: E2E,
  client: Client | null = e2e.testApp.owner,
): Promise<{ page: Page; context: BrowserContext }> {
  return openBrowserPage(e2e.browser, e2e.testApp.url, client);
}

/** The same, for an app of the test's own (such as one on a database still waiting for its first run). */
export async function openBrowserPage(
  browser: Browser,
  baseURL: string,
  client: Pick<Client, 'cookie'> | null = null,
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    baseURL,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    viewport: { width: 1280, height: 860 },
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(10_000);
  if (client) {
    const value = client.cookie.slice(client.cookie.indexOf('=') + 1);
    await context.addCookies([{ name: 'patron_session', value, url: baseURL }]);
  }
  const page = await context.newPage();
  // A crash in the page shows up as a missing element: say why in the test output.
  page.on('pageerror', (error) => console.error(`Browser error on ${page.url()}: ${error.stack ?? error.message}`));
  return { page, context };
}

/** Make a customer the way a register or an integration would: through the API. */
export async function createCustomer(e2e: E2E, overrides: Record<string, unknown> = {}): Promise<Customer> {
  const response = await e2e.testApp.owner.inject({
    method: 'POST',
    url: '/api/v1/customers',
    payload: newCustomer(overrides),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Customer>();
}

export async function getCustomer(e2e: E2E, id: string): Promise<Customer> {
  const response = await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/customers/${id}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Customer>();
}

export async function addNote(e2e: E2E, customerId: string, body: string): Promise<CustomerNote> {
  const response = await e2e.testApp.owner.inject({
    method: 'POST',
    url: `/api/v1/customers/${customerId}/notes`,
    payload: { body },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CustomerNote>();
}

/** Who `client` is signed in as: their name, role and permissions as the API describes them. */
export async function sessionOf(client: Client): Promise<Session> {
  const response = await client.inject({ method: 'GET', url: '/api/v1/auth/session' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Session>();
}

export async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible' });
  return locator;
}

/** What a screen reader announces as the description of a field: its error message and help text. */
export async function descriptionOf(field: Locator): Promise<string> {
  return field.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/**
 * A text field by its accessible name, exactly (so "Email" is not "Email marketing"). By role rather than by
 * label text: the asterisk of a required field is hidden from assistive technology, and from this lookup.
 */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByRole('textbox', { name: label, exact: true });
}

/**
 * A screenshot of the whole page as a person would see it on a screen tall enough for all of it: growing the
 * window (rather than stitching a scrolled page) keeps the fixed header and the sticky save bar in their places.
 */
export async function snap(page: Page, name: string, options: { screenOnly?: boolean } = {}): Promise<string> {
  if (options.screenOnly) {
    // Just the first screen, at full resolution: what a person sees on arriving.
    const file = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
  }
  const viewport = page.viewportSize() ?? { width: 1280, height: 860 };
  // Twice: a taller window can change the page's height (a sticky bar, a centred empty state).
  for (let round = 0; round < 2; round++) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = await screenshot(page, name);
  await page.setViewportSize(viewport);
  return file;
}

/** Change the business's settings, as the owner does on the Settings page. */
export async function changeSettings(e2e: E2E, changes: Record<string, unknown>): Promise<void> {
  const response = await e2e.testApp.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: changes });
  expect(response.statusCode, response.body).toBe(200);
}

/** The business as a British shop has it: prices in pounds. */
export async function sellInPounds(e2e: E2E): Promise<void> {
  // A British café: its receipts and invoices write dates as the British do.
  await changeSettings(e2e, { currency: 'GBP', defaultCountry: 'GB', businessName: 'Harbour Street Coffee' });
}

/** Put a product in the catalogue, as the POS would. */
export async function createProduct(
  e2e: E2E,
  product: { sku: string; name: string; price: number; cost?: number },
): Promise<Product> {
  const response = await e2e.testApp.owner.inject({ method: 'POST', url: '/api/v1/products', payload: product });
  expect([200, 201], response.body).toContain(response.statusCode);
  return response.json<Product>();
}

/** The business's first store: every new business has one, "Main store". */
export async function firstStore(e2e: E2E): Promise<Store> {
  const response = await e2e.testApp.owner.inject({ method: 'GET', url: '/api/v1/stores' });
  expect(response.statusCode, response.body).toBe(200);
  const store = response.json<{ items: Store[] }>().items[0];
  if (!store) throw new Error('The business has no store');
  return store;
}

let receiptCounter = 0;

/**
 * Record a sale as a register would, through the API: `lines` by SKU at the given prices, paid by card unless
 * told otherwise.
 */
export async function recordSale(
  e2e: E2E,
  sale: {
    customerId?: string;
    lines: { sku: string; quantity: number; unitPrice: number }[];
    payments?: { method: string; amount: number }[];
    soldAt?: string;
    receiptRef?: string;
  },
): Promise<Sale> {
  const store = await firstStore(e2e);
  const total = sale.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const response = await e2e.testApp.owner.inject({
    method: 'POST',
    url: '/api/v1/sales',
    payload: {
      storeId: store.id,
      register: 'Till 1',
      receiptRef: sale.receiptRef ?? `T1-${Date.now().toString(36).toUpperCase()}-${++receiptCounter}`,
      ...(sale.customerId ? { customer: { id: sale.customerId } } : {}),
      ...(sale.soldAt ? { soldAt: sale.soldAt } : {}),
      lines: sale.lines,
      payments: sale.payments ?? [{ method: 'card', amount: total }],
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Sale>();
}

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/platform/http/app.ts';
import { createTestDatabase } from '../support/database.ts';
import {
  createCustomer,
  type E2E,
  field,
  openBrowserPage,
  openPage,
  sessionOf,
  snap,
  startE2E,
  visible,
} from './e2e-helpers.ts';

let e2e: E2E;
const pages: Page[] = [];

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  for (const page of pages) await page.context().close();
  await e2e?.close();
});

/** A browser window in which nobody is signed in. */
async function signedOut(): Promise<Page> {
  const { page } = await openPage(e2e, null);
  pages.push(page);
  return page;
}

describe('first run', () => {
  it('sets up the business and its owner on a new installation, and lands signed in on the customers list', async () => {
    const testDb = await createTestDatabase();
    const app = await buildApp({ database: testDb.database });
    let page: Page | undefined;
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      ({ page } = await openBrowserPage(e2e.browser, url));

      // Any address leads to setup while there is no owner.
      await page.goto('/customers');
      await page.waitForURL(/\/setup$/);
      await visible(page.getByRole('heading', { name: 'Welcome to Patron' }));
      // Defaults come from the browser: en-GB in London.
      expect(await page.getByLabel('Time zone', { exact: true }).inputValue()).toBe('Europe/London');
      expect(await page.getByLabel('Country', { exact: true }).inputValue()).toBe('United Kingdom');
      expect(await page.getByLabel('Currency', { exact: true }).inputValue()).toMatch(/^GBP/);

      await field(page, 'Business name').fill('Harbourside Deli');
      await field(page, 'Your name').fill('Ada Whitfield');
      await field(page, 'Email').fill('ada@harbourside.example.com');
      await field(page, 'Password').fill('short');
      await field(page, 'Confirm password').fill('different');
      await page.getByRole('button', { name: 'Create business and sign in' }).click();
      await visible(page.getByText('Must be at least 10 characters'));
      await visible(page.getByText('The two passwords are not the same'));
      await snap(page, 'first-run-setup');

      await field(page, 'Password').fill('sea salt and vinegar');
      await field(page, 'Confirm password').fill('sea salt and vinegar');
      await page.getByRole('button', { name: 'Create business and sign in' }).click();

      await page.waitForURL(/\/customers$/);
      await visible(page.getByRole('heading', { name: 'Customers', level: 1 }));
      await visible(page.getByRole('banner').getByText('Harbourside Deli'));
      await visible(page.getByRole('button', { name: 'Account: Ada Whitfield' }));
      const settings = await app.inject({ method: 'GET', url: '/api/v1/setup' });
      expect(settings.json()).toEqual({ needsSetup: false });

      // Setup is over: its page now leads elsewhere.
      await page.goto('/setup');
      await page.waitForURL(/\/customers$/);
    } finally {
      // The browser's connections first: the server waits for requests in flight before it closes.
      await page?.context().close();
      await app.close();
      await testDb.drop();
    }
    // A database, a server and a browser of its own: on a busy 2-core machine it has taken over 30 s, and once
    // (CI, 2026-11-24, with every other test file running) over 60 s.
  }, 120_000);
});

describe('signing in and out', () => {
  it('says so when the password is wrong, then signs in and opens the page that was asked for', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Leopold', lastName: 'Vantongeren' });
    const { owner } = e2e.testApp;
    const page = await signedOut();

    await page.goto(`/customers/${customer.id}`);
    await page.waitForURL(/\/sign-in\?next=/);
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    await snap(page, 'sign-in');

    await field(page, 'Email').fill(owner.email);
    await field(page, 'Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'The email or password is incorrect' }));
    // The password field is emptied for the next attempt; the email stays.
    expect(await field(page, 'Password').inputValue()).toBe('');
    expect(await field(page, 'Email').inputValue()).toBe(owner.email);
    await snap(page, 'sign-in-wrong-password');

    await field(page, 'Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/customers/${customer.id}`);
    await visible(page.getByRole('heading', { name: 'Leopold Vantongeren', level: 1 }));

    // Signing out returns to the sign-in page, and the back office is out of reach.
    const { actor } = await sessionOf(owner);
    await page.getByRole('button', { name: `Account: ${actor.name}` }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    await visible(page.getByText('You are signed out.'));
    await page.goto('/customers');
    await page.waitForURL(/\/sign-in\?next=%2Fcustomers$/);
  });

  it('goes back to sign-in when the session ends, and returns to the same page after signing in again', async () => {
    const client = await e2e.testApp.as('manager');
    const customer = await createCustomer(e2e, { firstName: 'Ottilie', lastName: 'Brandvold' });
    const { page } = await openPage(e2e, client);
    pages.push(page);
    await page.goto('/customers');
    await visible(page.getByRole('heading', { name: 'Customers', level: 1 }));
    // The list, its count and the filters' choices have loaded: the search below is the next call.
    await page.waitForLoadState('networkidle');

    // The session ends elsewhere (another tab signed out): the next call the page makes finds out.
    await client.inject({ method: 'POST', url: '/api/v1/auth/sign-out' });
    await page.getByLabel('Search customers').fill('Brandvold');
    await page.waitForURL(/\/sign-in\?next=/);
    await visible(page.getByText('Your session ended'));

    await field(page, 'Email').fill(client.email);
    await field(page, 'Password').fill(client.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/customers\?q=Brandvold$/);
    await page.getByRole('link', { name: 'Ottilie Brandvold' }).click();
    await page.waitForURL(`**/customers/${customer.id}`);
  });

  it('tells someone locked out by too many wrong passwords how long to wait', async () => {
    const admin = await e2e.testApp.as('admin');
    for (let attempt = 0; attempt < 10; attempt++) {
      await e2e.testApp.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: admin.email, password: `guess ${attempt}` },
      });
    }
    const page = await signedOut();
    await page.goto('/sign-in');
    await field(page, 'Email').fill(admin.email);
    await field(page, 'Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('alert').filter({ hasText: /Too many attempts\. Try again in 1[45] minutes\./ }));
  });

  it('changes one’s own password from the account menu, asking for the current one first', async () => {
    const manager = await e2e.testApp.as('manager');
    const { actor } = await sessionOf(manager);
    const page = await signedOut();
    await page.goto('/sign-in');
    await field(page, 'Email').fill(manager.email);
    await field(page, 'Password').fill(manager.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/customers$/);

    await page.getByRole('button', { name: `Account: ${actor.name}` }).click();
    await visible(page.getByRole('menu').getByText(`Manager at Test shop`));
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Change your password' }));
    await field(dialog, 'Current password').fill('not my password');
    await field(dialog, 'New password').fill('a brand new passphrase');
    await field(dialog, 'Confirm new password').fill('a brand new passphrase');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await visible(dialog.getByText('Is not your current password'));

    await field(dialog, 'Current password').fill(manager.password);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByText('Password changed'));
    await dialog.waitFor({ state: 'hidden' });
    const signIn = await e2e.testApp.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: manager.email, password: 'a brand new passphrase' },
    });
    expect(signIn.statusCode).toBe(200);
  });
});

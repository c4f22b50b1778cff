import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { descriptionOf, type E2E, field, openPage, snap, startE2E, visible } from './e2e-helpers.ts';

let e2e: E2E;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
});

beforeEach(async () => {
  await page?.context().close();
  page = (await openPage(e2e)).page;
});

afterAll(async () => {
  await e2e?.close();
});

async function setRequireEmail(on: boolean) {
  await page.goto('/settings');
  const toggle = await visible(page.getByRole('switch', { name: 'Require email' }));
  if ((await toggle.isChecked()) !== on) await toggle.setChecked(on);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await visible(page.getByText('Settings saved'));
}

describe('settings', () => {
  it('shows the business settings and saves a change to the business name', async () => {
    await page.goto('/settings');
    const name = await visible(field(page, 'Business name'));
    await name.fill('Harbour Street Grocers');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await visible(page.getByText('Settings saved'));
    // The header carries the business name.
    await visible(page.getByRole('banner').getByText('Harbour Street Grocers'));
    await snap(page, 'settings');
    // The notice sits over the bottom of the page, where the buttons are: closed, as a person would.
    await page.getByRole('alert').filter({ hasText: 'Settings saved' }).getByRole('button').click();

    await name.fill('   ');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => descriptionOf(name)).toContain('Must not be empty');
  });

  it('makes email required on the customer form once “require email” is on', async () => {
    await setRequireEmail(true);

    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'New customer' }).first().click();
    const email = await visible(field(page, 'Email'));
    await expect.poll(() => email.getAttribute('aria-required')).toBe('true');
    expect(
      await page
        .locator('label', { has: page.getByText('*') })
        .filter({ hasText: /^Email/ })
        .count(),
    ).toBe(1);
    expect(await field(page, 'First name').getAttribute('aria-required')).toBeNull();

    await field(page, 'First name').fill('Ottoline');
    await page.getByRole('button', { name: 'Save customer' }).click();
    await expect.poll(() => descriptionOf(email)).toContain('Is required (see Settings)');
    expect(page.url()).toMatch(/\/customers\/new$/);
    await snap(page, 'customer-create-email-required');

    await setRequireEmail(false);
    await page.goto('/customers/new');
    await visible(field(page, 'Email'));
    expect(await field(page, 'Email').getAttribute('aria-required')).toBeNull();
  });
});

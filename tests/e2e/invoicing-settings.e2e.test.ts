import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/features/settings/settings.schema.ts';
import { descriptionOf, type E2E, openPage, sellInPounds, snap, startE2E, visible } from './e2e-helpers.ts';

let e2e: E2E;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
  await sellInPounds(e2e);
});

afterAll(async () => {
  await e2e?.close();
});

async function settingsNow(): Promise<Settings> {
  const response = await e2e.testApp.owner.inject({ method: 'GET', url: '/api/v1/settings' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Settings>();
}

describe('Settings → Invoicing', () => {
  it('turns invoicing on with payment terms and a default credit limit, and shows them again after a reload', async () => {
    page = (await openPage(e2e)).page;
    await page.goto('/settings');
    await page.getByRole('tab', { name: 'Invoicing' }).click();
    const enabled = await visible(page.getByRole('switch', { name: 'Customers can buy on account' }));
    expect(await enabled.isChecked()).toBe(false);
    await visible(page.getByText(/Invoicing is off\. When it is on:/));

    const terms = page.getByRole('textbox', { name: 'Payment terms' });
    const limit = page.getByRole('textbox', { name: 'Default credit limit' });
    expect(await terms.inputValue()).toBe('30');
    expect(await limit.inputValue()).toBe('');

    await enabled.setChecked(true);
    // Beyond what the terms allow: said at the field, and nothing is saved.
    await terms.fill('400');
    await page.getByRole('button', { name: 'Save invoicing settings' }).click();
    await expect.poll(() => descriptionOf(terms)).toContain('from 0 to 365');
    expect((await settingsNow()).invoicingEnabled).toBe(false);

    await terms.fill('14');
    await limit.fill('500');
    await visible(page.getByText('A sale on account opens an invoice due 14 days after the sale.', { exact: false }));
    await visible(page.getByText('A customer may owe up to £500.00', { exact: false }));
    await page.getByRole('button', { name: 'Save invoicing settings' }).click();
    await visible(page.getByText('Invoicing settings saved'));
    await snap(page, 'settings-invoicing');
    expect(await settingsNow()).toMatchObject({
      invoicingEnabled: true,
      paymentTermsDays: 14,
      defaultCreditLimit: 50000,
    });

    await page.reload();
    await visible(page.getByRole('tab', { name: 'Invoicing', selected: true }));
    expect(await page.getByRole('switch', { name: 'Customers can buy on account' }).isChecked()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Payment terms' }).inputValue()).toBe('14');
    expect(await page.getByRole('textbox', { name: 'Default credit limit' }).inputValue()).toBe('500.00');

    // Emptied, the limit is gone: customers may owe any amount.
    await page.getByRole('textbox', { name: 'Default credit limit' }).fill('');
    await page.getByRole('button', { name: 'Save invoicing settings' }).click();
    await visible(page.getByText('Invoicing settings saved'));
    expect((await settingsNow()).defaultCreditLimit).toBeNull();
  });

  it('places the server’s refusal next to the field it is about', async () => {
    page = (await openPage(e2e)).page;
    // The server is the judge of every value: its answer, whatever the browser checked first, lands at the field.
    await page.route('**/api/v1/settings', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      return route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Validation failed',
          status: 422,
          code: 'validation_failed',
          errors: [{ field: 'defaultCreditLimit', code: 'too_big', message: 'Is too large' }],
        }),
      });
    });
    await page.goto('/settings/invoicing');
    const limit = await visible(page.getByRole('textbox', { name: 'Default credit limit' }));
    await limit.fill('750');
    await page.getByRole('button', { name: 'Save invoicing settings' }).click();
    await expect.poll(() => descriptionOf(limit)).toContain('Is too large');
    expect(await page.getByText('Invoicing settings saved').count()).toBe(0);
  });

  it('shows a manager the invoicing settings without letting them change them', async () => {
    const manager = await e2e.testApp.as('manager');
    page = (await openPage(e2e, manager)).page;
    await page.goto('/settings/invoicing');
    await visible(page.getByText('Only the owner or an admin can change these settings.'));
    expect(await page.getByRole('switch', { name: 'Customers can buy on account' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save invoicing settings' }).count()).toBe(0);
  });
});

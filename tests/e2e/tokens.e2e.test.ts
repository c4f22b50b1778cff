import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type E2E, field, openPage, snap, startE2E, visible } from './e2e-helpers.ts';

let e2e: E2E;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
  page = (await openPage(e2e)).page;
});

afterAll(async () => {
  await page?.context().close();
  await e2e?.close();
});

/** What an integration does with the secret: call the API with it as a bearer token. */
function callWith(secret: string, path: string): Promise<Response> {
  return fetch(`${e2e.testApp.url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
}

describe('API tokens', () => {
  it('creates a token whose secret is shown once and works against the API, until it is revoked', async () => {
    await createCustomer(e2e, { firstName: 'Ignacio', lastName: 'Ferreira-Lund' });
    await page.goto('/tokens');
    await visible(page.getByText('No API tokens yet'));
    await page.getByRole('button', { name: 'Create token' }).click();

    const dialog = await visible(page.getByRole('dialog', { name: 'Create an API token' }));
    await dialog.getByRole('button', { name: 'Create token' }).click();
    await visible(dialog.getByText('Choose at least one permission'));
    await field(dialog, 'Name').fill('Online shop');
    await dialog.getByRole('button', { name: 'Read customers only' }).click();
    expect(await dialog.getByRole('checkbox', { name: 'View customers' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Delete customers' }).isChecked()).toBe(false);
    await dialog.getByRole('checkbox', { name: 'Create and edit customers' }).check();
    await snap(page, 'tokens-create');
    await dialog.getByRole('button', { name: 'Create token' }).click();

    const secretDialog = await visible(page.getByRole('dialog', { name: 'Token “Online shop” is ready' }));
    const secret = await field(secretDialog, 'API token').inputValue();
    expect(secret).toMatch(/^ptk_/);
    await visible(secretDialog.getByText(`Authorization: Bearer ${secret}`, { exact: true }));
    await visible(secretDialog.getByText(`curl -H "Authorization: Bearer ${secret}"`));
    await snap(page, 'tokens-secret');

    const allowed = await callWith(secret, '/api/v1/customers?limit=5');
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { items: unknown[] }).items.length).toBe(1);
    // It may do only what it was given.
    const settings = await fetch(`${e2e.testApp.url}/api/v1/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requireEmail: true }),
    });
    expect(settings.status).toBe(403);

    await secretDialog.getByRole('button', { name: 'Done' }).click();
    await secretDialog.waitFor({ state: 'hidden' });
    // The secret is not shown again: the list has only its first characters.
    expect(await page.getByText(secret).count()).toBe(0);
    const row = await visible(page.getByRole('row').filter({ hasText: 'Online shop' }));
    expect(await row.textContent()).toContain(`${secret.slice(0, 10)}…`);
    await visible(row.getByText('View customers'));
    await visible(row.getByText('Create and edit customers'));
    await visible(row.getByText('Active'));
    await page.reload();
    await visible(row.getByText(/just now|minute/));
    await snap(page, 'tokens');

    await row.getByRole('button', { name: 'Revoke Online shop' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Revoke “Online shop”?' }));
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await visible(row.getByText('Revoked'));
    expect(await row.getByRole('button', { name: 'Revoke Online shop' }).count()).toBe(0);

    const refused = await callWith(secret, '/api/v1/customers?limit=5');
    expect(refused.status).toBe(401);
  });
});

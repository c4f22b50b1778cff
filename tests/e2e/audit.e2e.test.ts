import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../support/app.ts';
import { createCustomer, type E2E, field, openPage, sessionOf, snap, startE2E, visible } from './e2e-helpers.ts';

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

async function patchCustomer(client: Client, id: string, body: Record<string, unknown>) {
  const response = await client.inject({ method: 'PATCH', url: `/api/v1/customers/${id}`, payload: body });
  expect(response.statusCode, response.body).toBe(200);
}

describe('audit log and customer history', () => {
  it('shows who changed a customer and what, in the audit log and on the customer’s History card', async () => {
    const customer = await createCustomer(e2e, {
      firstName: 'Cornelius',
      lastName: 'Abernathy-Quist',
      companyName: 'Old Co',
      physicalAddress: { line1: '3 Pier Road' },
    });
    const manager = await e2e.testApp.as('manager');
    const managerName = (await sessionOf(manager)).actor.name;
    const ownerName = (await sessionOf(e2e.testApp.owner)).actor.name;
    const other = await createCustomer(e2e, { firstName: 'Henrietta', lastName: 'Marchbanks' });
    await patchCustomer(manager, other.id, { mobile: '+1 212 555 0177' });

    // The owner edits the customer in the browser.
    await page.goto(`/customers/${customer.id}/edit`);
    await field(page, 'Company').fill('New Co');
    await field(page.getByRole('group', { name: 'Physical address' }), 'City').fill('Perth');
    await page.getByRole('button', { name: 'Save customer' }).click();
    await page.waitForURL(`**/customers/${customer.id}`);

    // On the customer's page, newest first: the edit, then the creation.
    const history = page.getByRole('list', { name: 'History' });
    const latest = history.getByRole('listitem').first();
    await visible(latest.getByText(`${ownerName}`));
    await visible(latest.getByText('updated the customer'));
    await visible(latest.getByText('Company: Old Co → New Co'));
    await visible(latest.getByText('Physical address · City: — → Perth'));
    await visible(history.getByText('created the customer'));
    const told = (await history.textContent()) ?? '';
    expect(told.indexOf('updated the customer')).toBeLessThan(told.indexOf('created the customer'));
    await snap(page, 'customer-history');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await visible(page.getByRole('heading', { name: 'Audit log', level: 1 }));
    const events = page.getByRole('table', { name: 'Audit events' });
    const edit = events.getByRole('row').filter({ hasText: 'Company: Old Co → New Co' });
    await visible(edit);
    expect(await edit.textContent()).toContain(ownerName);
    expect(await edit.textContent()).toContain('Updated customer');
    // The record is a link to the customer, by name.
    await visible(edit.getByRole('link', { name: 'Cornelius Abernathy-Quist' }));
    await visible(events.getByRole('row').filter({ hasText: 'Mobile: — → +1 212 555 0177' }));
    await snap(page, 'audit-log-all');

    // Only what the manager did: the address keeps the filter.
    await page.getByRole('combobox', { name: 'Person' }).click();
    await page.getByRole('option', { name: managerName }).click();
    await page.waitForURL(/[?&]person=/);
    await visible(events.getByRole('row').filter({ hasText: 'Mobile: — → +1 212 555 0177' }));
    await expect.poll(() => events.getByText('Company: Old Co → New Co').count()).toBe(0);
    expect(await events.getByText(ownerName, { exact: true }).count()).toBe(0);

    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'Updated customer' }).click();
    await page.waitForURL(/[?&]action=customer\.updated/);
    await visible(page.getByText('1 event matches'));
    await snap(page, 'audit-log');

    // The same view from its address, as a colleague given the link would see it.
    await page.reload();
    await visible(events.getByRole('row').filter({ hasText: 'Mobile: — → +1 212 555 0177' }));
    await expect.poll(() => page.getByRole('combobox', { name: 'Person' }).inputValue()).toBe(managerName);

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await visible(events.getByRole('row').filter({ hasText: 'Company: Old Co → New Co' }));
  });
});

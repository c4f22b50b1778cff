import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNote, createCustomer, type E2E, field, openPage, snap, startE2E, visible } from './e2e-helpers.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.close();
});

describe('privacy requests in the back office', () => {
  it('an owner downloads a customer’s data, then erases it: the customer leaves the list, and a manager sees neither', async () => {
    const customer = await createCustomer(e2e, {
      firstName: 'Philippa',
      lastName: 'Quennell-Ashby',
      email: 'philippa.qa@example.com',
    });
    await addNote(e2e, customer.id, 'Likes the window table');

    const manager = await e2e.testApp.as('manager');
    const asManager = (await openPage(e2e, manager)).page;
    await asManager.goto(`/customers/${customer.id}`);
    await visible(asManager.getByRole('heading', { name: 'Philippa Quennell-Ashby' }));
    await visible(asManager.getByRole('heading', { name: 'Contact' }));
    expect(await asManager.getByRole('heading', { name: 'Privacy requests' }).count()).toBe(0);
    await asManager.context().close();

    const { page } = await openPage(e2e);
    await page.goto(`/customers/${customer.id}`);
    const privacy = page.getByRole('region', { name: 'Privacy requests' });
    await visible(privacy);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      privacy.getByRole('link', { name: 'Download their data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^personal-data-${customer.code}-\\d{4}-\\d{2}-\\d{2}\\.json$`),
    );
    const data = JSON.parse(await fs.readFile((await download.path()) as string, 'utf8'));
    expect(data.customer).toMatchObject({ lastName: 'Quennell-Ashby', email: 'philippa.qa@example.com' });
    expect(data.notes).toEqual([expect.objectContaining({ body: 'Likes the window table' })]);

    await privacy.getByRole('button', { name: 'Erase personal data…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase Philippa Quennell-Ashby’s personal data?' });
    await visible(dialog);
    await dialog.getByRole('button', { name: 'Erase personal data' }).click();
    await visible(dialog.getByText('Say why: for example the date and the way the customer asked'));
    await visible(dialog.getByText('Type the word ERASE here: erasing cannot be undone'));
    await field(dialog, 'Why').fill('Asked by email on 24 November');
    await field(dialog, 'Type ERASE to confirm').fill('erase');
    await snap(page, 'privacy-erase-dialog', { screenOnly: true });
    await dialog.getByRole('button', { name: 'Erase personal data' }).click();

    await visible(page.getByRole('alert').filter({ hasText: 'Personal data erased' }));
    await page.waitForURL(/\/customers$/);
    await page.getByLabel('Search customers').fill('Quennell');
    await visible(page.getByText('No customers match “Quennell”'));

    const gone = await e2e.testApp.owner.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}` });
    expect(gone.statusCode).toBe(404);
    const log = await e2e.testApp.owner.inject({
      method: 'GET',
      url: `/api/v1/audit-events?entityId=${customer.id}&action=customer.erased`,
    });
    expect(log.json().items).toEqual([
      expect.objectContaining({ changes: expect.objectContaining({ reason: 'Asked by email on 24 November' }) }),
    ]);
  });
});

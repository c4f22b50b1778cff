import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type E2E, field, getCustomer, openPage, snap, startE2E, visible } from './e2e-helpers.ts';

let e2e: E2E;
const pages: Page[] = [];

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.close();
});

/** Two people, each in their own browser, open the same customer's edit form. */
async function twoEditors(id: string): Promise<[Page, Page]> {
  for (const page of pages.splice(0)) await page.context().close();
  const first = (await openPage(e2e)).page;
  const second = (await openPage(e2e)).page;
  pages.push(first, second);
  for (const page of [first, second]) {
    await page.goto(`/customers/${id}/edit`);
    await visible(page.getByRole('button', { name: 'Save customer' }));
  }
  return [first, second];
}

describe('two people editing the same customer', () => {
  it('warns the second person instead of overwriting, then saves theirs on “Save mine anyway”', async () => {
    const customer = await createCustomer(e2e, {
      firstName: 'Rosalind',
      lastName: 'Achterberg',
      companyName: 'Old Name Ltd',
    });
    const [alice, bob] = await twoEditors(customer.id);

    await field(alice, 'Company').fill('Achterberg Ceramics');
    await alice.getByRole('button', { name: 'Save customer' }).click();
    await alice.waitForURL(`**/customers/${customer.id}`);
    // Under the name, and again in the History card.
    await visible(alice.getByText('Achterberg Ceramics').first());

    await field(bob, 'Mobile').fill('+1 212 555 0123');
    await field(bob, 'Last name').fill('Achterberg-Moss');
    await bob.getByRole('button', { name: 'Save customer' }).click();

    const alert = await visible(
      bob
        .getByRole('alert')
        .filter({ hasText: 'Someone else changed this customer while you were editing. Nothing was saved.' }),
    );
    expect(await alert.textContent()).toContain('Mobile');
    expect(await alert.textContent()).toContain('Last name');
    expect(await alert.textContent()).toContain('Achterberg-Moss');
    // Bob's edits are still in the form, and nothing of his reached the server.
    expect(await field(bob, 'Mobile').inputValue()).toBe('+1 212 555 0123');
    expect(bob.url()).toMatch(/\/edit$/);
    const between = await getCustomer(e2e, customer.id);
    expect(between).toMatchObject({ lastName: 'Achterberg', mobile: null, companyName: 'Achterberg Ceramics' });
    await snap(bob, 'customer-edit-conflict');

    await bob.getByRole('button', { name: 'Save mine anyway' }).click();
    await bob.waitForURL(`**/customers/${customer.id}`);
    await visible(bob.getByRole('heading', { name: 'Rosalind Achterberg-Moss', level: 1 }));

    const saved = await getCustomer(e2e, customer.id);
    expect(saved).toMatchObject({
      lastName: 'Achterberg-Moss',
      mobile: '+1 212 555 0123',
      // Alice's change survives: Bob only wrote the fields he changed.
      companyName: 'Achterberg Ceramics',
    });
    expect(saved.version).toBe(customer.version + 2);
  });

  it('reloads the form with the other person’s version on “Review their version”', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Casimir', lastName: 'Delacroix-Hobbs' });
    const [alice, bob] = await twoEditors(customer.id);

    await field(alice, 'First name').fill('Casimir-Jean');
    await alice.getByRole('button', { name: 'Save customer' }).click();
    await alice.waitForURL(`**/customers/${customer.id}`);

    await field(bob, 'First name').fill('Kasimir');
    await bob.getByRole('button', { name: 'Save customer' }).click();
    await visible(bob.getByText('Someone else changed this customer while you were editing. Nothing was saved.'));

    await bob.getByRole('button', { name: 'Review their version' }).click();
    await expect.poll(() => field(bob, 'First name').inputValue()).toBe('Casimir-Jean');
    expect(await bob.getByText('Someone else changed this customer').count()).toBe(0);

    // Saving from their version is an ordinary save now.
    await field(bob, 'Company').fill('Hobbs & Co');
    await bob.getByRole('button', { name: 'Save customer' }).click();
    await bob.waitForURL(`**/customers/${customer.id}`);
    expect(await getCustomer(e2e, customer.id)).toMatchObject({ firstName: 'Casimir-Jean', companyName: 'Hobbs & Co' });
  });
});

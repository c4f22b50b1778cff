import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../src/features/staff/staff.schema.ts';
import { createCustomer, type E2E, field, openPage, sessionOf, snap, startE2E, visible } from './e2e-helpers.ts';

let e2e: E2E;
const pages: Page[] = [];

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  for (const page of pages) await page.context().close();
  await e2e?.close();
});

async function browse(...args: Parameters<typeof openPage> extends [unknown, ...infer Rest] ? Rest : never) {
  const { page } = await openPage(e2e, ...args);
  pages.push(page);
  return page;
}

async function staffList(): Promise<StaffMember[]> {
  const response = await e2e.testApp.owner.inject({ method: 'GET', url: '/api/v1/staff' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: StaffMember[] }>().items;
}

describe('staff', () => {
  it('invites a staff member who signs in with the temporary password and must choose their own first', async () => {
    const owner = await browse();
    await owner.goto('/staff');
    await visible(owner.getByRole('heading', { name: 'Staff', level: 1 }));
    const ownerName = (await sessionOf(e2e.testApp.owner)).actor.name;
    const ownerRow = owner.getByRole('row').filter({ hasText: ownerName });
    await visible(ownerRow.getByText('Owner', { exact: true }));
    await visible(ownerRow.getByText('You', { exact: true }));
    // Nobody can change the owner's role or lock the owner out: no such actions on that row.
    await ownerRow.getByRole('button', { name: `Actions for ${ownerName}` }).click();
    await visible(owner.getByRole('menuitem', { name: 'Edit name and stores' }));
    expect(await owner.getByRole('menuitem', { name: 'Disable account' }).count()).toBe(0);
    await owner.keyboard.press('Escape');

    await owner.getByRole('button', { name: 'Invite staff' }).click();
    const invite = await visible(owner.getByRole('dialog', { name: 'Invite a staff member' }));
    await field(invite, 'Name').fill('Priya Raghunathan');
    await field(invite, 'Email').fill('priya@harbourside.example.com');
    await invite.getByRole('radio', { name: /^Manager/ }).click();
    await snap(owner, 'staff-invite');
    await invite.getByRole('button', { name: 'Invite' }).click();

    const issued = await visible(owner.getByRole('dialog', { name: 'Priya Raghunathan is invited' }));
    const temporaryPassword = await field(issued, 'Temporary password').inputValue();
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(10);
    await visible(issued.getByText('This is the only time it is shown.'));
    await visible(issued.getByText('priya@harbourside.example.com'));
    await snap(owner, 'staff-temporary-password');
    await issued.getByRole('button', { name: 'Done' }).click();
    await issued.waitFor({ state: 'hidden' });

    const row = owner.getByRole('row').filter({ hasText: 'Priya Raghunathan' });
    await visible(row.getByText('Manager', { exact: true }));
    await visible(row.getByText('Must set a password'));
    await visible(row.getByText('Never'));
    await snap(owner, 'staff');

    // Priya, in her own browser.
    const priya = await browse(null);
    await priya.goto('/sign-in');
    await field(priya, 'Email').fill('priya@harbourside.example.com');
    await field(priya, 'Password').fill(temporaryPassword);
    await priya.getByRole('button', { name: 'Sign in' }).click();
    await visible(priya.getByRole('heading', { name: 'Choose a new password' }));
    // She has just typed the temporary password: it is not asked for again.
    expect(await priya.getByLabel('Current password').count()).toBe(0);
    await field(priya, 'New password').fill('short');
    await field(priya, 'Confirm new password').fill('short');
    await priya.getByRole('button', { name: 'Save password and continue' }).click();
    await visible(priya.getByText('Must be at least 10 characters'));
    await snap(priya, 'choose-new-password');
    await field(priya, 'New password').fill('marmalade on toast daily');
    await field(priya, 'Confirm new password').fill('marmalade on toast daily');
    await priya.getByRole('button', { name: 'Save password and continue' }).click();

    await priya.waitForURL(/\/customers$/);
    await visible(priya.getByRole('heading', { name: 'Customers', level: 1 }));
    await visible(priya.getByRole('button', { name: 'Account: Priya Raghunathan' }));
    const member = (await staffList()).find((item) => item.email === 'priya@harbourside.example.com');
    expect(member).toMatchObject({ role: 'manager', mustChangePassword: false });

    // The owner's list shows her as active now.
    await owner.reload();
    await visible(owner.getByRole('row').filter({ hasText: 'Priya Raghunathan' }).getByText('Active'));
  });

  it('changes a role, disables an account after confirmation, and resets a password', async () => {
    const cashier = await e2e.testApp.as('cashier');
    const { actor } = await sessionOf(cashier);
    const owner = await browse();
    await owner.goto('/staff');
    const row = await visible(owner.getByRole('row').filter({ hasText: actor.name }));

    await row.getByRole('button', { name: `Actions for ${actor.name}` }).click();
    await owner.getByRole('menuitem', { name: 'Change role, name or stores' }).click();
    const edit = await visible(owner.getByRole('dialog', { name: `Edit ${actor.name}` }));
    await edit.getByRole('radio', { name: /^Admin/ }).click();
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await visible(row.getByText('Admin', { exact: true }));

    await row.getByRole('button', { name: `Actions for ${actor.name}` }).click();
    await owner.getByRole('menuitem', { name: 'Disable account' }).click();
    const confirm = await visible(owner.getByRole('dialog', { name: `Disable ${actor.name}’s account?` }));
    await confirm.getByRole('button', { name: 'Disable account' }).click();
    await visible(row.getByText('Disabled', { exact: true }));
    // Signed out at once: the session no longer works.
    const refused = await cashier.inject({ method: 'GET', url: '/api/v1/customers' });
    expect(refused.statusCode).toBe(401);

    await row.getByRole('button', { name: `Actions for ${actor.name}` }).click();
    await owner.getByRole('menuitem', { name: 'Reset password' }).click();
    await (await visible(owner.getByRole('dialog', { name: `Reset ${actor.name}’s password?` })))
      .getByRole('button', { name: 'Reset password' })
      .click();
    const issued = await visible(owner.getByRole('dialog', { name: `New temporary password for ${actor.name}` }));
    expect((await field(issued, 'Temporary password').inputValue()).length).toBeGreaterThanOrEqual(10);
  });
});

describe('what a cashier sees', () => {
  it('shows a cashier neither staff, API tokens nor the audit log, and no Delete on a customer', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Wilhelmina', lastName: 'Osei-Bonsu' });
    const cashier = await e2e.testApp.as('cashier');
    const page = await browse(cashier);
    await page.goto(`/customers/${customer.id}`);
    await visible(page.getByRole('heading', { name: 'Wilhelmina Osei-Bonsu', level: 1 }));

    const navigation = page.getByRole('navigation', { name: 'Main' });
    await visible(navigation.getByRole('link', { name: 'Customers' }));
    await visible(navigation.getByRole('link', { name: 'Settings' }));
    for (const hidden of ['Staff', 'API tokens', 'Audit log'])
      expect(await navigation.getByRole('link', { name: hidden }).count()).toBe(0);
    // A cashier edits customers and adds notes, but does not delete them.
    await visible(page.getByRole('link', { name: 'Edit' }));
    await visible(page.getByLabel('New note'));
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await snap(page, 'customer-page-cashier');

    // Settings are there to read, not to change.
    await navigation.getByRole('link', { name: 'Settings' }).click();
    await visible(page.getByText('Only the owner or an admin can change these settings.'));
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await field(page, 'Business name').isDisabled()).toBe(true);
    await snap(page, 'settings-read-only');

    // An old link to a page they may not use says why instead of failing.
    await page.goto('/staff');
    await visible(page.getByText('You don’t have access to this page'));
  });
});

import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../support/app.ts';
import {
  createCustomer,
  type E2E,
  getCustomer,
  openPage,
  sellInPounds,
  snap,
  startE2E,
  visible,
} from './e2e-helpers.ts';

let e2e: E2E;
let manager: Client;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
  await sellInPounds(e2e);
  manager = await e2e.testApp.as('manager');
});

afterAll(async () => {
  await e2e?.close();
});

async function newPage(as: Client | null = manager): Promise<Page> {
  await page?.context().close();
  page = (await openPage(e2e, as)).page;
  return page;
}

/** The names in the customers list, top to bottom. */
async function namesShown(page: Page): Promise<string[]> {
  return page.getByRole('table', { name: 'Customers' }).locator('tbody tr[data-href] a').allTextContents();
}

describe('customer groups', () => {
  it('a manager creates a group, moves two ticked customers into it, sees its size, and opens its customers', async () => {
    const ada = await createCustomer(e2e, { firstName: 'Ada', lastName: 'Ashdown' });
    const bea = await createCustomer(e2e, { firstName: 'Bea', lastName: 'Barker' });
    const cal = await createCustomer(e2e, { firstName: 'Cal', lastName: 'Cooper' });
    // What Ada has spent, as her sales left it (sales are tested on their own).
    await sql`UPDATE customer_stats SET total_spent = 2500, order_count = 1 WHERE customer_id = ${ada.id}`.execute(
      e2e.testApp.database.system,
    );

    const page = await newPage();
    await page.goto('/groups');
    const groups = await visible(page.getByRole('table', { name: 'Customer groups' }));
    await visible(groups.getByRole('row', { name: /All Customers/ }));
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'New customer group' }));
    await dialog.getByRole('textbox', { name: 'Group name' }).fill('Wholesale');
    await snap(page, 'groups-new-group', { screenOnly: true });
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await visible(groups.getByRole('row', { name: /Wholesale.*0 customers/ }));
    // A second group with the same name, whatever its case, is refused at the field.
    await page.getByRole('button', { name: 'New group' }).click();
    const again = await visible(page.getByRole('dialog', { name: 'New customer group' }));
    await again.getByRole('textbox', { name: 'Group name' }).fill('wholesale');
    await again.getByRole('button', { name: 'Create group' }).click();
    await visible(again.getByText(/already a group called "Wholesale"/));
    await snap(page, 'groups-name-taken', { screenOnly: true });
    await again.getByRole('button', { name: 'Cancel' }).click();

    // To the customers list: tick Ada and Bea, move them.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await visible(page.getByText('3 customers', { exact: true }));
    await page.getByRole('checkbox', { name: 'Tick Ada Ashdown' }).check();
    await page.getByRole('checkbox', { name: 'Tick Bea Barker' }).check();
    await visible(page.getByText('2 ticked'));
    await snap(page, 'groups-list-ticked', { screenOnly: true });
    await page.getByRole('button', { name: 'Move to group…' }).click();
    const move = await visible(page.getByRole('dialog', { name: 'Move customers to a group' }));
    await move.getByRole('combobox', { name: 'Move to' }).click();
    await page.getByRole('option', { name: 'Wholesale' }).click();
    await snap(page, 'groups-move-dialog', { screenOnly: true });
    await move.getByRole('button', { name: 'Move 2 customers to “Wholesale”' }).click();
    await visible(page.getByText('Moved 2 customers to “Wholesale”'));
    // The ticks are gone with the move, and the customers' pages say where they are.
    await expect.poll(() => page.locator('table[aria-label="Customers"] input[type=checkbox]:checked').count()).toBe(0);
    expect((await getCustomer(e2e, ada.id)).group.name).toBe('Wholesale');
    expect((await getCustomer(e2e, bea.id)).group.name).toBe('Wholesale');
    expect((await getCustomer(e2e, cal.id)).group.name).toBe('All Customers');

    // The group's size on the Groups page, and its customers a click away.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    const row = await visible(
      page.getByRole('table', { name: 'Customer groups' }).getByRole('row', { name: /Wholesale/ }),
    );
    await visible(row.getByText('2 customers'));
    await visible(row.getByText('£25.00'));
    await snap(page, 'groups-page', { screenOnly: true });
    await row.getByRole('link', { name: 'Wholesale' }).click();
    await page.waitForURL(/\/customers\?groupId=/);
    await visible(page.getByText('2 customers', { exact: true }));
    await visible(page.getByRole('list', { name: 'Filters in use' }).getByText(/Wholesale/));
    // The count and the rows are two requests: the rows may come a moment after the count.
    await expect.poll(async () => (await namesShown(page)).sort()).toEqual(['Ada Ashdown', 'Bea Barker']);
    await snap(page, 'groups-filtered-list', { screenOnly: true });
  });

  it('moves every customer matching a search, and deleting the group sends them back to the default', async () => {
    const vip = await e2e.testApp.owner.inject({
      method: 'POST',
      url: '/api/v1/customer-groups',
      payload: { name: 'Harbour regulars' },
    });
    expect(vip.statusCode, vip.body).toBe(201);
    const first = await createCustomer(e2e, { firstName: 'Hal', lastName: 'Harbourne' });
    const second = await createCustomer(e2e, { firstName: 'Hana', lastName: 'Harbourne' });

    const page = await newPage();
    await page.goto('/customers?q=harbourne');
    await visible(page.getByText('2 customers', { exact: true }));
    await visible(page.getByRole('link', { name: 'Hana Harbourne' }));
    await snap(page, 'groups-search-move-all', { screenOnly: true });
    await page.getByRole('button', { name: 'Move all 2 matching customers to a group…' }).click();
    const move = await visible(page.getByRole('dialog', { name: 'Move customers to a group' }));
    await visible(move.getByText(/all 2 customers matching “harbourne”/));
    await move.getByRole('combobox', { name: 'Move to' }).click();
    await page.getByRole('option', { name: 'Harbour regulars' }).click();
    await move.getByRole('button', { name: 'Move 2 customers to “Harbour regulars”' }).click();
    await visible(page.getByText('Moved 2 customers to “Harbour regulars”'));
    expect((await getCustomer(e2e, first.id)).group.name).toBe('Harbour regulars');

    await page.goto('/groups');
    const row = await visible(
      page.getByRole('table', { name: 'Customer groups' }).getByRole('row', { name: /Harbour regulars/ }),
    );
    await row.getByRole('button', { name: 'Actions for Harbour regulars' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const confirm = await visible(page.getByRole('dialog', { name: 'Delete “Harbour regulars”?' }));
    await visible(confirm.getByText('Its 2 customers will move to “All Customers”.', { exact: false }));
    await snap(page, 'groups-delete-confirm', { screenOnly: true });
    await confirm.getByRole('button', { name: 'Delete group' }).click();
    await visible(page.getByText('2 customers moved to “All Customers”.'));
    await expect.poll(() => page.getByRole('row', { name: /Harbour regulars/ }).count()).toBe(0);
    expect((await getCustomer(e2e, second.id)).group.name).toBe('All Customers');
  });

  it('moves everyone a search matches, beyond the 2,000 its best-match order lists', async () => {
    const { merchantId, database } = e2e.testApp;
    await sql`
      INSERT INTO customer (merchant_id, id, first_name, last_name, group_id, source)
      SELECT ${merchantId}, gen_random_uuid(), 'Sailor' || i, 'Capstan',
             (SELECT id FROM customer_group WHERE merchant_id = ${merchantId} AND is_default), 'import'
      FROM generate_series(1, 2100) AS i`.execute(database.system);
    const group = await e2e.testApp.owner.inject({
      method: 'POST',
      url: '/api/v1/customer-groups',
      payload: { name: 'Capstan crew' },
    });
    expect(group.statusCode, group.body).toBe(201);

    const page = await newPage();
    await page.goto('/customers?q=capstan');
    // The count is of everyone; the list in best-match order holds the best 2,000, and says how to see them all.
    await visible(page.getByText(/^2,100 customers · the best 2,000 are listed: type more, or sort by a column/));
    await snap(page, 'customers-search-best-matches', { screenOnly: true });
    await page.getByRole('button', { name: 'Move all 2,100 matching customers to a group…' }).click();
    const move = await visible(page.getByRole('dialog', { name: 'Move customers to a group' }));
    await visible(move.getByText(/all 2,100 customers matching “capstan”/));
    await snap(page, 'groups-search-best-matches', { screenOnly: true });
    await move.getByRole('combobox', { name: 'Move to' }).click();
    await page.getByRole('option', { name: 'Capstan crew' }).click();
    await move.getByRole('button', { name: 'Move 2,100 customers to “Capstan crew”' }).click();
    await visible(page.getByText('Moved 2,100 customers to “Capstan crew”'));
    const { rows } = await sql<{ moved: string }>`
      SELECT count(*) AS moved FROM customer c JOIN customer_group g ON g.id = c.group_id
      WHERE c.merchant_id = ${merchantId} AND g.name = 'Capstan crew'`.execute(database.system);
    expect(Number(rows[0]?.moved)).toBe(2100);
  });

  it('lets a manager choose a new customer’s group on the form', async () => {
    const page = await newPage();
    await page.goto('/customers/new');
    await page.getByRole('textbox', { name: 'First name', exact: true }).fill('Gwen');
    await page.getByRole('textbox', { name: 'Last name', exact: true }).fill('Grouped');
    const picker = page.getByRole('combobox', { name: 'Customer group' });
    await expect.poll(() => picker.inputValue()).toBe('All Customers');
    await picker.click();
    await page.getByRole('option', { name: 'Wholesale' }).click();
    await snap(page, 'groups-customer-form', { screenOnly: true });
    await page.getByRole('button', { name: /^(Create|Save)/ }).click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').at(-1) ?? '';
    expect((await getCustomer(e2e, id)).group.name).toBe('Wholesale');
  });

  it('tells the owner in the audit log who changed groups and moved customers', async () => {
    const page = await newPage(e2e.testApp.owner);
    await page.goto('/audit?type=customer_group');
    const log = await visible(page.getByRole('table').first());
    await visible(log.getByText('Moved customers to a group').first());
    await visible(log.getByText('Deleted customer group'));
    await visible(log.getByText('Customers moved to: All Customers'));
    await snap(page, 'groups-audit-log', { screenOnly: true });
  });

  it('shows a cashier the groups, without ways to change them or tick customers', async () => {
    const cashier = await e2e.testApp.as('cashier');
    const page = await newPage(cashier);
    await page.goto('/groups');
    await visible(page.getByRole('table', { name: 'Customer groups' }).getByRole('row', { name: /Wholesale/ }));
    expect(await page.getByRole('button', { name: 'New group' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Actions for/ }).count()).toBe(0);
    await page.goto('/customers');
    await visible(page.getByRole('table', { name: 'Customers' }));
    expect(await page.getByRole('checkbox', { name: /^Tick / }).count()).toBe(0);
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addNote,
  createCustomer,
  descriptionOf,
  type E2E,
  field,
  getCustomer,
  openPage,
  sessionOf,
  snap,
  startE2E,
  visible,
} from './e2e-helpers.ts';

let e2e: E2E;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E();
});

afterAll(async () => {
  await e2e?.close();
});

async function newPage(): Promise<Page> {
  await page?.context().close();
  page = (await openPage(e2e)).page;
  return page;
}

function customerIdFrom(url: string): string {
  const id = /\/customers\/([0-9a-f-]{36})$/.exec(new URL(url).pathname)?.[1];
  if (!id) throw new Error(`Not a customer page: ${url}`);
  return id;
}

describe('customers in the back office', () => {
  it('creates a customer through the form, showing the server’s error next to a bad email until it is fixed', async () => {
    const page = await newPage();
    await page.goto('/customers');
    await page.getByRole('link', { name: 'New customer' }).first().click();
    await visible(page.getByRole('heading', { name: 'New customer' }));

    await field(page, 'First name').fill('Amelia');
    await field(page, 'Last name').fill('Hartington-Wolfe');
    await field(page, 'Company').fill('Wolfe & Daughters Fine Teas');
    await field(page, 'Email').fill('amelia.hartington@');
    await field(page, 'Mobile').fill('+1 212 555 0147');
    const physical = page.getByRole('group', { name: 'Physical address' });
    await field(physical, 'Address line 1').fill('14 Harbour Street');
    await field(physical, 'City').fill('Portland');
    await field(physical, 'State or region').fill('ME');
    await field(physical, 'Postcode').fill('04101');
    await physical.getByLabel('Country', { exact: true }).fill('united st');
    await page.getByRole('option', { name: 'United States', exact: true }).click();
    await page.getByRole('switch', { name: 'Email marketing' }).check();
    await page.getByRole('button', { name: 'Save customer' }).click();

    const email = field(page, 'Email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(email)).toContain('Must be a valid email address');
    await visible(page.getByText('One field needs your attention'));
    expect(page.url()).toMatch(/\/customers\/new$/);
    await snap(page, 'customer-create-field-error');

    await email.fill('amelia@wolfe-teas.example.com');
    // The message goes as soon as the person starts correcting the field.
    expect(await email.getAttribute('aria-invalid')).toBeNull();
    await page.getByRole('button', { name: 'Save customer' }).click();

    await visible(page.getByRole('heading', { name: 'Amelia Hartington-Wolfe', level: 1 }));
    await visible(page.getByText('Customer created'));
    const saved = await getCustomer(e2e, customerIdFrom(page.url()));
    expect(saved).toMatchObject({
      firstName: 'Amelia',
      email: 'amelia@wolfe-teas.example.com',
      companyName: 'Wolfe & Daughters Fine Teas',
      source: 'backoffice',
      emailMarketing: true,
      physicalAddress: { line1: '14 Harbour Street', city: 'Portland', postcode: '04101', country: 'US' },
      // "Same as physical" is ticked by default.
      postalAddress: { line1: '14 Harbour Street', city: 'Portland', postcode: '04101' },
    });
    await visible(page.getByRole('link', { name: 'amelia@wolfe-teas.example.com' }));
  });

  it('saves every field of the form: tax number when exempt, a birthday without a year, a separate postal address', async () => {
    const page = await newPage();
    await page.goto('/customers/new');
    await field(page, 'First name').fill('Bartholomew');
    await field(page, 'Last name').fill('Nakamura-Ellis');
    await field(page, 'Phone').fill('+1 212 555 0110');
    await field(page, 'Customer code').fill('VIP-0042');
    const physical = page.getByRole('group', { name: 'Physical address' });
    await field(physical, 'Address line 1').fill('9 Orchard Lane');
    await field(physical, 'City').fill('Boston');
    await page.getByRole('checkbox', { name: 'Postal address is the same as the physical address' }).uncheck();
    const postal = await visible(page.getByRole('group', { name: 'Postal address' }));
    await field(postal, 'Address line 1').fill('PO Box 77');
    await field(postal, 'City').fill('Cambridge');
    await page.getByRole('switch', { name: 'SMS marketing' }).check();
    await page.getByRole('switch', { name: 'Loyalty program' }).check();
    await page.getByRole('switch', { name: 'Tax exempt' }).check();
    await page.getByLabel('Birth day').fill('29');
    await page.getByRole('option', { name: '29', exact: true }).click();
    // By keyboard: a click on an option that must first be scrolled into view can land beside it (the list
    // follows its field a frame later), on the form's sticky buttons.
    const month = page.getByRole('combobox', { name: 'Birth month' });
    await month.fill('Feb');
    await visible(page.getByRole('option', { name: 'February' }));
    await month.press('ArrowDown');
    await month.press('Enter');
    await expect.poll(() => month.inputValue()).toBe('February');
    await field(page, 'Website').fill('not a website');
    await field(page, 'Twitter').fill('@bart_ne');
    await page.getByRole('textbox', { name: 'Profile note' }).fill('Collects first editions.');
    await page.getByRole('button', { name: 'Save customer' }).click();

    // The server checks the shape of each field before the rules between fields: one mistake at a time here.
    const website = field(page, 'Website');
    await expect.poll(() => descriptionOf(website)).toContain('Must be a web address');
    await website.fill('nakamura-ellis.example.com');
    await page.getByRole('button', { name: 'Save customer' }).click();
    const taxNumber = field(page, 'Sales tax number');
    await expect.poll(() => descriptionOf(taxNumber)).toContain('Is required for a tax-exempt customer');
    await visible(page.getByText('One field needs your attention'));

    await taxNumber.fill('MA-EX-5531');
    await page.getByRole('button', { name: 'Save customer' }).click();
    await visible(page.getByRole('heading', { name: 'Bartholomew Nakamura-Ellis', level: 1 }));
    await visible(page.getByRole('region', { name: 'Contact' }).getByText('29 February'));

    const saved = await getCustomer(e2e, customerIdFrom(page.url()));
    expect(saved).toMatchObject({
      code: 'VIP-0042',
      phone: '+1 212 555 0110',
      dateOfBirth: '--02-29',
      website: 'https://nakamura-ellis.example.com/',
      twitter: '@bart_ne',
      note: 'Collects first editions.',
      taxExempt: true,
      salesTaxNumber: 'MA-EX-5531',
      smsMarketing: true,
      loyaltyOptIn: true,
      emailMarketing: false,
      physicalAddress: { line1: '9 Orchard Lane', city: 'Boston' },
      postalAddress: { line1: 'PO Box 77', city: 'Cambridge' },
    });

    // The edit form shows the customer as saved, and saving it untouched changes nothing.
    await page.getByRole('link', { name: 'Edit' }).click();
    await expect.poll(() => field(page, 'Customer code').inputValue()).toBe('VIP-0042');
    expect(await page.getByLabel('Birth month').inputValue()).toBe('February');
    expect(await page.getByLabel('Birth year').inputValue()).toBe('');
    expect(await field(page.getByRole('group', { name: 'Postal address' }), 'City').inputValue()).toBe('Cambridge');
    expect(await page.getByRole('switch', { name: 'Tax exempt' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Save customer' }).click();
    await visible(page.getByText('You did not change anything.'));
    expect((await getCustomer(e2e, saved.id)).version).toBe(saved.version);
  });

  it('lists customers by name under the letter of their surname, sorts them newest first, and finds one by typing in the search box', async () => {
    const target = await createCustomer(e2e, {
      firstName: 'Philippa',
      lastName: 'Quarrington',
      companyName: 'Quarry Lane Books',
    });
    for (let index = 0; index < 55; index++)
      await createCustomer(e2e, index % 4 === 0 ? { companyName: `Shop ${index}` } : {});
    const newest = await createCustomer(e2e, { firstName: 'Zebedee', lastName: 'Newcombe' });
    const total = (await e2e.testApp.owner.inject({ method: 'GET', url: '/api/v1/customers/count' })).json<{
      count: number;
    }>().count;

    const page = await newPage();
    await page.goto('/');
    await page.waitForURL(/\/customers$/);
    const table = page.getByRole('table', { name: 'Customers' });
    await visible(page.getByText(`${total} customers`, { exact: true }));
    // The count and the rows are two requests: wait for the rows too.
    await visible(table.getByRole('rowheader').first());
    // By name: the letters that head the groups come in order.
    const letters = await table.getByRole('rowheader').allTextContents();
    expect(letters.length).toBeGreaterThan(3);
    expect(letters).toEqual([...letters].sort());

    await page.getByLabel('Sort by').click();
    await page.getByRole('option', { name: 'Created, newest first' }).click();
    await page.waitForURL(/\?sort=-createdAt$/);
    const rows = table.getByRole('row');
    // Row 0 is the header: the newest customer comes first, and no letters cut the list.
    await expect.poll(async () => rows.nth(1).textContent()).toContain('Zebedee Newcombe');
    expect(await table.getByRole('rowheader').count()).toBe(0);
    await snap(page, 'customer-list');
    await snap(page, 'customer-list-first-screen', { screenOnly: true });

    await page.getByLabel('Search customers').fill('quarr');
    await page.waitForURL(/\?sort=-createdAt&q=quarr$/);
    await visible(page.getByText('1 customer', { exact: true }));
    // The header and the one customer, once the rows' own request has answered (the count may come first).
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByRole('link', { name: 'Zebedee Newcombe' }).count()).toBe(0);

    await page.getByLabel('Search customers').fill('no-such-customer-anywhere');
    await visible(page.getByText('No customers match “no-such-customer-anywhere”'));
    await snap(page, 'customer-list-no-match');
    await page.getByRole('button', { name: 'Clear search' }).first().click();
    await visible(page.getByRole('link', { name: `${newest.firstName} ${newest.lastName}` }));
    expect(await page.getByLabel('Search customers').inputValue()).toBe('');

    await page.getByLabel('Search customers').fill('Philippa Quar');
    await page.getByRole('link', { name: 'Philippa Quarrington' }).click();
    await page.waitForURL(`**/customers/${target.id}`);
    await visible(page.getByRole('heading', { name: 'Philippa Quarrington', level: 1 }));
    // The company is under the name (first on the page); the History card further down repeats it.
    await visible(page.getByText('Quarry Lane Books').first());

    // Back returns to the list as it was left: the search and the sort.
    await page.goBack();
    await page.waitForURL(/\?sort=-createdAt&q=Philippa\+Quar$/);
    expect(await page.getByLabel('Search customers').inputValue()).toBe('Philippa Quar');
    await visible(page.getByRole('link', { name: 'Philippa Quarrington' }));
  });

  it('edits a field and shows the change on the customer page', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Tobias', lastName: 'Ferreira', companyName: null });
    const page = await newPage();
    await page.goto(`/customers/${customer.id}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await visible(page.getByRole('heading', { name: 'Edit Tobias Ferreira' }));
    expect(await field(page, 'First name').inputValue()).toBe('Tobias');

    await field(page, 'Company').fill('Ferreira Bicycle Repairs');
    await page.getByRole('button', { name: 'Save customer' }).click();

    await page.waitForURL(`**/customers/${customer.id}`);
    await visible(page.getByText('Changes saved'));
    await visible(page.getByText('Ferreira Bicycle Repairs').first());
    const saved = await getCustomer(e2e, customer.id);
    expect(saved.companyName).toBe('Ferreira Bicycle Repairs');
    expect(saved.version).toBe(customer.version + 1);
    // Only the changed field was sent: the rest is as it was.
    expect(saved.email).toBe(customer.email);
  });

  it('asks before leaving an edit with unsaved changes, and keeps them when the person stays', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Ottilie', lastName: 'Brennan', companyName: null });
    const page = await newPage();
    await page.goto(`/customers/${customer.id}`);
    const customers = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' });
    // Nothing changed yet: leaving is at once.
    await page.getByRole('link', { name: 'Edit' }).click();
    await visible(page.getByRole('heading', { name: 'Edit Ottilie Brennan' }));
    await page.goBack();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/customers/${customer.id}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await visible(page.getByRole('heading', { name: 'Edit Ottilie Brennan' }));

    await field(page, 'Company').fill('Brennan Bakes');
    await customers.click();
    const ask = await visible(page.getByRole('dialog', { name: 'Leave without saving?' }));
    await visible(ask.getByText('Your changes to Ottilie Brennan are not saved.', { exact: false }));
    await snap(page, 'leave-without-saving', { screenOnly: true });
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/customers/${customer.id}/edit`);
    expect(await field(page, 'Company').inputValue()).toBe('Brennan Bakes');

    // Back in the browser asks too; leaving drops the change.
    await page.goBack();
    const again = await visible(page.getByRole('dialog', { name: 'Leave without saving?' }));
    await again.getByRole('button', { name: 'Leave without saving' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/customers/${customer.id}`);
    expect((await getCustomer(e2e, customer.id)).companyName).toBeNull();
  });

  it('adds a note that appears at the top of the timeline with its author and time', async () => {
    const customer = await createCustomer(e2e, {
      firstName: 'Margarethe',
      lastName: 'Okonkwo-Lindqvist',
      companyName: 'Lindqvist Floral Studio',
      mobile: '+1 212 555 0199',
      website: 'lindqvist-floral.example.com',
      twitter: '@lindqvistfloral',
      dateOfBirth: '--04-12',
      physicalAddress: {
        line1: '221 Canal Road',
        line2: 'Unit 4',
        city: 'Brooklyn',
        state: 'NY',
        postcode: '11201',
        country: 'US',
      },
      postalAddress: { line1: 'PO Box 8812', city: 'Brooklyn', state: 'NY', postcode: '11202', country: 'US' },
      note: 'Orders peonies every Friday in season. Prefers delivery before 9am.',
      emailMarketing: true,
      loyaltyOptIn: true,
      taxExempt: true,
      salesTaxNumber: 'NY-ST-119-42881',
    });
    await addNote(e2e, customer.id, 'Asked about wholesale pricing for weddings.');

    const page = await newPage();
    await page.goto(`/customers/${customer.id}`);
    const timeline = page.getByRole('list', { name: 'Notes timeline' });
    await visible(timeline.getByText('Asked about wholesale pricing for weddings.'));

    const before = Date.now();
    await page.getByLabel('New note').fill('Called to confirm the Friday order: 40 stems, white.');
    await page.getByRole('button', { name: 'Add note' }).click();

    const first = timeline.getByRole('listitem').first();
    await visible(first.getByText('Called to confirm the Friday order: 40 stems, white.'));
    expect(await timeline.getByRole('listitem').count()).toBe(2);
    // Notes carry the name of the person who wrote them.
    expect(await first.textContent()).toContain((await sessionOf(e2e.testApp.owner)).actor.name);
    const time = first.locator('time');
    const shownAt = Date.parse((await time.getAttribute('datetime')) ?? '');
    expect(Math.abs(shownAt - before)).toBeLessThan(60_000);
    // On the business's clock (UTC here), named because the browser's is London's.
    expect(await time.textContent()).toMatch(/^\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2} UTC$/);
    // The form clears once the note is saved, which may land a moment after the note is shown.
    await expect.poll(() => page.getByLabel('New note').inputValue()).toBe('');
    await snap(page, 'customer-page');
  });

  it('deletes a customer after confirmation, so it leaves the list and its page says it is gone', async () => {
    const customer = await createCustomer(e2e, { firstName: 'Ignatius', lastName: 'Pemberton-Vale' });
    const page = await newPage();
    await page.goto(`/customers/${customer.id}`);
    await page.getByRole('button', { name: 'Delete' }).click();

    const dialog = await visible(page.getByRole('dialog', { name: 'Delete Ignatius Pemberton-Vale?' }));
    await dialog.getByRole('button', { name: 'Delete customer' }).click();

    await page.waitForURL(/\/customers$/);
    await visible(page.getByText('Ignatius Pemberton-Vale was deleted.'));
    await page.getByLabel('Search customers').fill('Pemberton');
    // The search forgives typos, so look-alikes of earlier tests may be offered; the deleted customer never is.
    await visible(page.getByText(/^No customers match “Pemberton”$|^\d+ customers?$/));
    expect(await page.getByRole('link', { name: 'Ignatius Pemberton-Vale' }).count()).toBe(0);

    await page.goto(`/customers/${customer.id}`);
    await visible(page.getByText('This customer does not exist or was deleted'));
    await snap(page, 'customer-not-found');
  });
});

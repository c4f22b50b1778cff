import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function create(body: Record<string, unknown>) {
  return t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: body });
}

describe('POST /api/v1/customers', () => {
  it('creates a customer with every field and reads it back', async () => {
    const body = {
      code: 'CARD-0001',
      firstName: 'José',
      lastName: 'Álvarez',
      companyName: 'Café Álvarez',
      email: 'Jose.Alvarez@Example.com',
      phone: '(212) 555-0123',
      mobile: '+61 412 345 678',
      website: 'cafe-alvarez.example.com',
      twitter: '@cafealvarez',
      dateOfBirth: '1985-04-12',
      physicalAddress: {
        line1: '1 Main St',
        line2: 'Unit 2',
        suburb: 'Soho',
        city: 'New York',
        state: 'NY',
        postcode: '10012',
        country: 'us',
      },
      postalAddress: { line1: 'PO Box 9', city: 'New York', country: 'US' },
      note: 'Prefers oat milk',
      taxExempt: true,
      salesTaxNumber: 'TX-998',
      emailMarketing: true,
      smsMarketing: false,
      loyaltyOptIn: true,
      source: 'backoffice',
    };
    const res = await create(body);
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(res.headers.location).toBe(`/api/v1/customers/${created.id}`);
    expect(created).toMatchObject({
      code: 'CARD-0001',
      firstName: 'José',
      email: 'Jose.Alvarez@Example.com',
      phone: '(212) 555-0123',
      phoneE164: '+12125550123',
      mobileE164: '+61412345678',
      website: 'https://cafe-alvarez.example.com/',
      twitter: '@cafealvarez',
      dateOfBirth: '1985-04-12',
      physicalAddress: { line1: '1 Main St', suburb: 'Soho', postcode: '10012', country: 'US' },
      postalAddress: { line1: 'PO Box 9', line2: null, country: 'US' },
      taxExempt: true,
      group: { name: 'All Customers' },
      source: 'backoffice',
      version: 1,
    });
    const got = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${created.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(created);
  });

  it('generates a unique customer code when none is given', async () => {
    const a = (await create(newCustomer())).json();
    const b = (await create(newCustomer())).json();
    expect(a.code).toMatch(/^C\d+$/);
    expect(b.code).not.toBe(a.code);
  });

  it('accepts a birthday without a year, and 29 February', async () => {
    const res = await create(newCustomer({ dateOfBirth: '--02-29' }));
    expect(res.statusCode).toBe(201);
    expect(res.json().dateOfBirth).toBe('--02-29');
  });

  it('rejects a customer with no name, email or phone', async () => {
    const res = await create({ companyName: 'Nobody Ltd' });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'firstName', code: 'identity_required' })]);
  });

  it('rejects a tax-exempt customer without a sales tax number', async () => {
    const res = await create(newCustomer({ taxExempt: true }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'salesTaxNumber', message: 'Is required for a tax-exempt customer' }),
    ]);
  });

  it('names every bad field and the reason, and writes nothing', async () => {
    const before = (await t.owner.inject({ method: 'GET', url: '/api/v1/customers?limit=200' })).json().items.length;
    const res = await create({
      firstName: 'A'.repeat(101),
      email: 'not-an-email',
      website: 'not a url',
      dateOfBirth: '2999-01-01',
      physicalAddress: { country: 'Atlantis' },
      favouriteColour: 'blue',
    });
    expect(res.statusCode).toBe(422);
    const problem = res.json();
    expect(problem).toMatchObject({ status: 422, code: 'validation_failed', title: expect.any(String) });
    const byField = Object.fromEntries(problem.errors.map((e: { field: string; code: string }) => [e.field, e.code]));
    expect(byField).toEqual({
      firstName: 'too_long',
      email: 'invalid',
      website: 'invalid',
      dateOfBirth: 'invalid',
      'physicalAddress.country': 'invalid',
      favouriteColour: 'unknown_field',
    });
    const after = (await t.owner.inject({ method: 'GET', url: '/api/v1/customers?limit=200' })).json().items.length;
    expect(after).toBe(before);
  });

  it('rejects a date of birth that is not a real date', async () => {
    const res = await create(newCustomer({ dateOfBirth: '2001-02-29' }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'dateOfBirth', message: 'Is not a real date' });
  });

  it('rejects a phone that cannot be a phone number, with the reason', async () => {
    const res = await create(newCustomer({ phone: '12', mobile: 'call me' }));
    expect(res.statusCode).toBe(422);
    const errors = res.json().errors;
    expect(errors).toEqual([
      expect.objectContaining({ field: 'phone', code: 'invalid_phone', message: 'Is too short for a phone number' }),
      expect.objectContaining({ field: 'mobile', code: 'invalid_phone', message: expect.stringContaining('letters') }),
    ]);
  });

  it('reads a phone without country code with the merchant default country', async () => {
    await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { defaultCountry: 'AU' } });
    const res = await create(newCustomer({ phone: '0412 345 678' }));
    await t.owner.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { defaultCountry: 'US' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ phone: '0412 345 678', phoneE164: '+61412345678' });
  });

  it("reads a phone without country code in the country of the customer's address first", async () => {
    // The merchant is in the US; this customer lives in Sydney and gives a Sydney landline.
    const res = await create(
      newCustomer({ phone: '(02) 9655 8395', physicalAddress: { city: 'Sydney', country: 'AU' } }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ phone: '(02) 9655 8395', phoneE164: '+61296558395' });
    // Only a postal address abroad: that country. A number with its own country code keeps it.
    const postal = await create(
      newCustomer({ phone: '020 7946 0958', mobile: '+1 212 555 0123', postalAddress: { country: 'GB' } }),
    );
    expect(postal.json()).toMatchObject({ phoneE164: '+442079460958', mobileE164: '+12125550123' });
    // An edit reads the new number in the address as it will be after the edit.
    const moved = await t.owner.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${res.json().id}`,
      headers: { 'if-match': `"${res.json().version}"` },
      payload: { phone: '030 901820', physicalAddress: { country: 'DE' } },
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ phoneE164: '+4930901820' });
    // The same Sydney number for a customer without an address is not a valid US number.
    const local = await create(newCustomer({ phone: '(02) 9655 8395' }));
    expect(local.statusCode).toBe(422);
    expect(local.json().errors[0]).toMatchObject({ field: 'phone', code: 'invalid_phone' });
  });

  it('refuses a second live customer with the same email, whatever its case', async () => {
    await create(newCustomer({ email: 'dup@example.com' }));
    const res = await create(newCustomer({ email: 'DUP@example.COM' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'email', code: 'taken' })]);
  });

  it('refuses a duplicate customer code, case-insensitively', async () => {
    await create(newCustomer({ code: 'loyal-42' }));
    const res = await create(newCustomer({ code: 'LOYAL-42' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'code', code: 'taken' })]);
  });

  it('answers malformed JSON with 400 and a reason', async () => {
    const res = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { 'content-type': 'application/json' },
      payload: '{"firstName": "Ann",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'malformed_request', detail: expect.stringContaining('JSON') });
  });

  it('answers a body over the size limit with 413', async () => {
    const res = await create({ firstName: 'Big', note: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });

  it('answers a wrong type with the field and the expected type', async () => {
    const res = await create({ firstName: 42, taxExempt: 'yes' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'firstName', code: 'invalid_type', message: 'Must be text' }),
      expect.objectContaining({ field: 'taxExempt', code: 'invalid_type' }),
    ]);
  });

  it('answers an unknown group or store with the field named', async () => {
    const res = await create(newCustomer({ groupId: '01a20657-9079-730c-850c-2a83a9c5cfd9' }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'groupId', code: 'not_found' })]);
  });
});

describe('settings make fields mandatory', () => {
  it('enforces required first name, last name and email once set, and not before', async () => {
    const set = await t.owner.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      payload: { requireFirstName: true, requireLastName: true, requireEmail: true },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ requireFirstName: true, requireLastName: true, requireEmail: true });
    const res = await create({ phone: '+1 212 555 0100' });
    await t.owner.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      payload: { requireFirstName: false, requireLastName: false, requireEmail: false },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['firstName', 'lastName', 'email']);
    expect((await create({ phone: '+1 212 555 0100' })).statusCode).toBe(201);
  });

  it('rejects settings that are not valid', async () => {
    const res = await t.owner.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      payload: { currency: 'XXQ', timeZone: 'Mars/Olympus', defaultCountry: 'ZZ' },
    });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['currency', 'defaultCountry', 'timeZone']);
  });
});

import { faker } from '@faker-js/faker';
import type { CustomerCreate } from '../../src/features/customers/customer.schema.ts';
import type { Settings } from '../../src/features/settings/settings.schema.ts';

/** A merchant's settings as a new business has them, in `country` with `currency`; override what the test is about. */
export function merchantSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    businessName: 'Shop',
    currency: 'AUD',
    defaultCountry: 'AU',
    timeZone: 'Australia/Sydney',
    requireFirstName: false,
    requireLastName: false,
    requireEmail: false,
    loyaltyEnabled: false,
    loyaltyPointsPerUnit: 1,
    loyaltyPointValue: 1,
    loyaltyEarningMethods: ['cash', 'card'],
    loyaltyExpiryMonths: null,
    invoicingEnabled: false,
    paymentTermsDays: 30,
    defaultCreditLimit: null,
    cashRounding: 0,
    ...overrides,
  };
}

/** A realistic new customer; override what the test is about. */
export function newCustomer(overrides: Record<string, unknown> = {}): CustomerCreate & Record<string, unknown> {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  return {
    firstName,
    lastName,
    email: faker.internet.email({
      firstName,
      lastName,
      provider: `${faker.string.alphanumeric(6).toLowerCase()}.example.com`,
    }),
    phone: faker.helpers.replaceSymbols('+1 212 555 ####'),
    ...overrides,
  };
}

import { faker } from '@faker-js/faker';
import type { CustomerCreate } from '../../src/features/customers/customer.schema.ts';

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

import { describe, expect, it } from 'vitest';
import { merchantSettings } from '../../../tests/support/factories.ts';
import { applyMapping } from './import.jobs.ts';
import { checkImportRow, type RowContext } from './import-row.ts';
import type { MappedColumn } from './stage-rows.ts';

const HEADER = ['First name', 'Last name', 'Email', 'Phone', 'City', 'Country', 'Postcode', 'Website'];
const mapped = applyMapping(HEADER, { dateOrder: 'day-first' }).columns.filter(
  (column): column is MappedColumn => column.status === 'mapped',
);
let ids = 0;
const context: RowContext = {
  settings: merchantSettings({ defaultCountry: 'GB' }),
  dateOrder: 'day-first',
  currencyExponent: 2,
  newId: () => `id-${++ids}`,
};

describe('checking a row of new customers', () => {
  it('maps every column of the file', () => {
    expect(mapped.map((column) => column.key)).toEqual([
      'firstName',
      'lastName',
      'email',
      'phone',
      'physicalAddress.city',
      'physicalAddress.country',
      'physicalAddress.postcode',
      'website',
    ]);
  });

  it("gives the customer's columns, with the address parts and the phone read in the row's country", () => {
    const checked = checkImportRow(
      ['Lena', 'Wolf', 'Lena.Wolf@Example.com', '030 1234567', 'Berlin', 'Germany', '10115', 'example.de'],
      mapped,
      context,
    );
    expect(checked).toEqual({
      action: 'create',
      customer: {
        id: expect.stringMatching(/^id-\d+$/),
        first_name: 'Lena',
        last_name: 'Wolf',
        email: 'Lena.Wolf@Example.com',
        phone: '030 1234567',
        phone_e164: '+49301234567',
        website: 'https://example.de/',
        physical_city: 'Berlin',
        physical_postcode: '10115',
        physical_country: 'DE',
      },
      emailKey: 'lena.wolf@example.com',
      codeKey: null,
      groupName: null,
      loyaltyPoints: null,
      storeCredit: null,
    });
  });

  it('checks rows that fill different columns each by the same rules, naming the column of each problem', () => {
    // Rows with different sets of filled cells, checked in turn and again: each must get its own answer.
    const rows = [
      ['Ann', '', '', '', '', '', '', ''],
      ['', '', 'not an email', '', 'Leeds', '', '', ''],
      ['', 'Berg', '', '', '', '', '', 'http://'],
      ['', '', '', '020 7946 0958', '', '', '', ''],
      ['', '', '', '', 'Leeds', 'GB', 'LS1 4AP', ''],
    ];
    for (let round = 0; round < 2; round++) {
      const [ann, badEmail, badWebsite, phoneOnly, addressOnly] = rows.map((cells) =>
        checkImportRow(cells, mapped, context),
      );
      expect(ann).toMatchObject({ action: 'create', customer: { first_name: 'Ann' } });
      expect(badEmail).toEqual({
        action: 'reject',
        problems: [{ column: 'Email', reason: 'Must be a valid email address, such as name@example.com' }],
      });
      expect(badWebsite).toEqual({
        action: 'reject',
        problems: [{ column: 'Website', reason: 'Must be a web address, such as example.com or https://example.com' }],
      });
      expect(phoneOnly).toMatchObject({ action: 'create', customer: { phone_e164: '+442079460958' } });
      expect(addressOnly).toEqual({
        action: 'reject',
        problems: [{ column: null, reason: 'A customer needs at least a first name, last name, email or phone' }],
      });
    }
  });
});

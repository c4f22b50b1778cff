import { describe, expect, it } from 'vitest';
import { CUSTOMER_COLUMNS } from './columns.ts';
import {
  type ColumnMapping,
  columnLetter,
  type HeaderRecognition,
  normaliseHeader,
  recogniseHeader,
} from './layouts.ts';

/** Header → what it fills ("key", "key (fallback)", "not key") or why it is ignored ("ignored: …"), or "unknown". */
function summary(recognition: HeaderRecognition): Record<string, string> {
  const describe = (column: ColumnMapping) => {
    switch (column.status) {
      case 'mapped':
        return `${column.negate ? 'not ' : ''}${column.key}${column.fallback ? ' (fallback)' : ''}`;
      case 'ignored':
        return `ignored: ${column.reason}`;
      case 'unknown':
        return 'unknown';
    }
  };
  return Object.fromEntries(recognition.columns.map((column) => [column.header, describe(column)]));
}

const STATISTIC = 'ignored: Statistic: not imported (Patron keeps statistics from the sales it records)';
const OTHER_ID = "ignored: The other system's record id: not imported";

function expectClean(recognition: HeaderRecognition) {
  expect(recognition.unknown).toEqual([]);
  expect(recognition.duplicates).toEqual([]);
}

describe('normaliseHeader', () => {
  it.each(['First Name', 'first_name', 'FirstName', ' first-name ', 'FIRST NAME', 'First  name:'])(
    'normalises %j to firstname',
    (header) => {
      expect(normaliseHeader(header)).toBe('firstname');
    },
  );

  it('ignores accents', () => {
    expect(normaliseHeader('Téléphone')).toBe('telephone');
  });
});

describe('columnLetter', () => {
  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [51, 'AZ'],
    [52, 'BA'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('calls column %i %s', (index, letter) => {
    expect(columnLetter(index)).toBe(letter);
  });
});

describe('recogniseHeader: Patron', () => {
  it('recognises its own export, statistics included, and ignores the statistics', () => {
    const recognition = recogniseHeader(CUSTOMER_COLUMNS.map((column) => column.header));
    expect(recognition.layout).toBe('patron');
    expectClean(recognition);
    const map = summary(recognition);
    expect(map['Record ID']).toBe('id');
    expect(map['Postal city']).toBe('postalAddress.city');
    expect(map['Physical country']).toBe('physicalAddress.country');
    expect(map.Group).toBe('group');
    expect(map['Store credit']).toBe('storeCredit');
    expect(map['Total spent']).toMatch(/^ignored: Export only/);
    expect(map['Created at']).toMatch(/^ignored: Export only/);
  });

  it('recognises a hand-made file that uses its headers in any case and order', () => {
    const recognition = recogniseHeader(['EMAIL', 'record id', 'first name', 'Loyalty Opt-In']);
    expect(recognition.layout).toBe('patron');
    expect(summary(recognition)).toEqual({
      EMAIL: 'email',
      'record id': 'id',
      'first name': 'firstName',
      'Loyalty Opt-In': 'loyaltyOptIn',
    });
  });

  it('reads API field names as headers too', () => {
    const recognition = recogniseHeader(['id', 'firstName', 'postalAddress.city', 'emailMarketing']);
    expect(summary(recognition)).toEqual({
      id: 'unknown',
      firstName: 'firstName',
      'postalAddress.city': 'postalAddress.city',
      emailMarketing: 'emailMarketing',
    });
  });
});

describe('recogniseHeader: Shopify', () => {
  const current = [
    'Customer ID',
    'First Name',
    'Last Name',
    'Email',
    'Accepts Email Marketing',
    'Default Address Company',
    'Default Address Address1',
    'Default Address Address2',
    'Default Address City',
    'Default Address Province Code',
    'Default Address Country Code',
    'Default Address Zip',
    'Default Address Phone',
    'Phone',
    'Accepts SMS Marketing',
    'Total Spent',
    'Total Orders',
    'Note',
    'Tax Exempt',
    'Tags',
  ];

  it('recognises the customer export and maps every column', () => {
    const recognition = recogniseHeader(current);
    expect(recognition).toMatchObject({ layout: 'shopify', layoutName: 'Shopify customer export' });
    expectClean(recognition);
    expect(summary(recognition)).toEqual({
      'Customer ID': OTHER_ID,
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Email: 'email',
      'Accepts Email Marketing': 'emailMarketing',
      'Default Address Company': 'companyName',
      'Default Address Address1': 'physicalAddress.line1',
      'Default Address Address2': 'physicalAddress.line2',
      'Default Address City': 'physicalAddress.city',
      'Default Address Province Code': 'physicalAddress.state',
      'Default Address Country Code': 'physicalAddress.country',
      'Default Address Zip': 'physicalAddress.postcode',
      'Default Address Phone': 'phone (fallback)',
      Phone: 'phone',
      'Accepts SMS Marketing': 'smsMarketing',
      'Total Spent': STATISTIC,
      'Total Orders': STATISTIC,
      Note: 'note',
      'Tax Exempt': 'taxExempt',
      Tags: expect.stringMatching(/^ignored: A list of groups or tags/),
    });
  });

  it('recognises the older export, with province and country names as fallbacks of their codes', () => {
    const older = [
      'First Name',
      'Last Name',
      'Email',
      'Company',
      'Address1',
      'Address2',
      'City',
      'Province',
      'Province Code',
      'Country',
      'Country Code',
      'Zip',
      'Phone',
      'Accepts Marketing',
      'Total Spent',
      'Total Orders',
      'Tags',
      'Note',
      'Tax Exempt',
    ];
    const recognition = recogniseHeader(older);
    expect(recognition.layout).toBe('shopify');
    expectClean(recognition);
    expect(summary(recognition)).toMatchObject({
      Company: 'companyName',
      Address1: 'physicalAddress.line1',
      Province: 'physicalAddress.state (fallback)',
      'Province Code': 'physicalAddress.state',
      Country: 'physicalAddress.country (fallback)',
      'Country Code': 'physicalAddress.country',
      Zip: 'physicalAddress.postcode',
      'Accepts Marketing': 'emailMarketing',
    });
  });

  it('recognises the import template', () => {
    const template = current.filter((h) => !['Customer ID', 'Total Spent', 'Total Orders'].includes(h));
    expect(recogniseHeader(template).layout).toBe('shopify');
  });
});

describe('recogniseHeader: Square', () => {
  it('recognises the customer directory export', () => {
    const headers = [
      'Reference ID',
      'First Name',
      'Surname',
      'Email Address',
      'Phone Number',
      'Nickname',
      'Company Name',
      'Street Address 1',
      'Street Address 2',
      'City',
      'State',
      'Postal Code',
      'Birthday',
      'Memo',
      'Square Customer ID',
      'Creation Source',
      'First Visit',
      'Last Visit',
      'Transaction Count',
      'Total Spend',
      'Email Subscription Status',
      'Instant Profile',
    ];
    const recognition = recogniseHeader(headers);
    expect(recognition.layout).toBe('square');
    expectClean(recognition);
    expect(summary(recognition)).toMatchObject({
      'Reference ID': 'code',
      'First Name': 'firstName',
      Surname: 'lastName',
      'Email Address': 'email',
      'Phone Number': 'phone',
      Nickname: 'ignored: Nickname: Patron has no such field',
      'Company Name': 'companyName',
      'Street Address 1': 'physicalAddress.line1',
      'Street Address 2': 'physicalAddress.line2',
      City: 'physicalAddress.city',
      State: 'physicalAddress.state',
      'Postal Code': 'physicalAddress.postcode',
      Birthday: 'dateOfBirth',
      Memo: 'note',
      'Square Customer ID': OTHER_ID,
      'First Visit': STATISTIC,
      'Last Visit': STATISTIC,
      'Transaction Count': STATISTIC,
      'Total Spend': STATISTIC,
      'Email Subscription Status': 'emailMarketing',
    });
  });
});

describe('recogniseHeader: Lightspeed Retail (X-Series)', () => {
  it('recognises the customer export with both addresses and reads do_not_email as the opposite of consent', () => {
    const headers = [
      'id',
      'customer_code',
      'first_name',
      'last_name',
      'company_name',
      'email',
      'phone',
      'mobile',
      'fax',
      'website',
      'twitter',
      'date_of_birth',
      'sex',
      'physical_address_1',
      'physical_address_2',
      'physical_suburb',
      'physical_city',
      'physical_postcode',
      'physical_state',
      'physical_country_id',
      'postal_address_1',
      'postal_address_2',
      'postal_suburb',
      'postal_city',
      'postal_postcode',
      'postal_state',
      'postal_country_id',
      'customer_group_id',
      'customer_group_name',
      'note',
      'enable_loyalty',
      'loyalty_balance',
      'account_balance',
      'year_to_date',
      'do_not_email',
      'tax_number',
      'custom_field_1',
      'created_at',
    ];
    const recognition = recogniseHeader(headers);
    expect(recognition).toMatchObject({ layout: 'lightspeed-x' });
    expectClean(recognition);
    expect(summary(recognition)).toMatchObject({
      id: OTHER_ID,
      customer_code: 'code',
      first_name: 'firstName',
      mobile: 'mobile',
      fax: 'ignored: Fax: Patron has no such field',
      twitter: 'twitter',
      date_of_birth: 'dateOfBirth',
      physical_suburb: 'physicalAddress.suburb',
      physical_country_id: 'physicalAddress.country',
      postal_address_1: 'postalAddress.line1',
      postal_postcode: 'postalAddress.postcode',
      postal_country_id: 'postalAddress.country',
      customer_group_name: 'group',
      customer_group_id: expect.stringMatching(/^ignored: /),
      enable_loyalty: 'loyaltyOptIn',
      loyalty_balance: expect.stringMatching(/^ignored: Lightspeed loyalty is an amount of money/),
      account_balance: expect.stringMatching(/^ignored: Account balance/),
      year_to_date: STATISTIC,
      do_not_email: 'not emailMarketing',
      tax_number: 'salesTaxNumber',
      custom_field_1: expect.stringMatching(/^ignored: Custom field/),
    });
  });

  it('does not take Lightspeed’s own id for a Patron record id', () => {
    const recognition = recogniseHeader(['id', 'customer_code', 'first_name']);
    expect(recognition.columns[0]).toMatchObject({ status: 'ignored' });
  });
});

describe('recogniseHeader: WooCommerce', () => {
  it('recognises the customer export: billing address as postal, shipping as physical', () => {
    const headers = [
      'customer_id',
      'first_name',
      'last_name',
      'user_login',
      'email',
      'date_registered',
      'billing_first_name',
      'billing_last_name',
      'billing_company',
      'billing_address_1',
      'billing_address_2',
      'billing_city',
      'billing_state',
      'billing_postcode',
      'billing_country',
      'billing_email',
      'billing_phone',
      'shipping_first_name',
      'shipping_last_name',
      'shipping_company',
      'shipping_address_1',
      'shipping_address_2',
      'shipping_city',
      'shipping_state',
      'shipping_postcode',
      'shipping_country',
      'orders',
      'total_spent',
    ];
    const recognition = recogniseHeader(headers);
    expect(recognition.layout).toBe('woocommerce');
    expectClean(recognition);
    expect(summary(recognition)).toMatchObject({
      customer_id: OTHER_ID,
      first_name: 'firstName',
      email: 'email',
      date_registered: expect.stringMatching(/^ignored: /),
      billing_first_name: 'firstName (fallback)',
      billing_company: 'companyName',
      billing_address_1: 'postalAddress.line1',
      billing_postcode: 'postalAddress.postcode',
      billing_country: 'postalAddress.country',
      billing_email: 'email (fallback)',
      billing_phone: 'phone',
      shipping_first_name: 'firstName (fallback)',
      shipping_company: 'companyName (fallback)',
      shipping_address_1: 'physicalAddress.line1',
      shipping_country: 'physicalAddress.country',
      orders: STATISTIC,
      total_spent: STATISTIC,
    });
  });
});

describe('recogniseHeader: Loyverse', () => {
  it('recognises the customer export, with the single name column to split', () => {
    const headers = [
      'Customer name',
      'Email',
      'Phone',
      'Address',
      'City',
      'Province',
      'Postal code',
      'Country',
      'Customer code',
      'Note',
      'First visit',
      'Last visit',
      'Total visits',
      'Total spent',
      'Points balance',
    ];
    const recognition = recogniseHeader(headers);
    expect(recognition).toMatchObject({ layout: 'loyverse', layoutName: 'Loyverse customer export' });
    expectClean(recognition);
    expect(summary(recognition)).toEqual({
      'Customer name': 'fullName',
      Email: 'email',
      Phone: 'phone',
      Address: 'physicalAddress.line1',
      City: 'physicalAddress.city',
      Province: 'physicalAddress.state',
      'Postal code': 'physicalAddress.postcode',
      Country: 'physicalAddress.country',
      'Customer code': 'code',
      Note: 'note',
      'First visit': STATISTIC,
      'Last visit': STATISTIC,
      'Total visits': STATISTIC,
      'Total spent': STATISTIC,
      'Points balance': 'loyaltyPoints',
    });
  });
});

describe('recogniseHeader: other files', () => {
  it('maps common column names of a file of no known layout', () => {
    const recognition = recogniseHeader(['Name', 'E-mail', 'Mobile phone', 'Zip code', 'Birthday', 'Newsletter']);
    expect(recognition).toMatchObject({ layout: 'unknown', layoutName: 'Unknown layout' });
    expectClean(recognition);
    expect(summary(recognition)).toEqual({
      Name: 'fullName',
      'E-mail': 'email',
      'Mobile phone': 'mobile',
      'Zip code': 'physicalAddress.postcode',
      Birthday: 'dateOfBirth',
      Newsletter: 'emailMarketing',
    });
  });

  it('lists unknown columns by header and position', () => {
    const recognition = recogniseHeader(['Email', 'Favourite colour', 'Shoe size']);
    expect(recognition.unknown).toEqual([
      { index: 1, header: 'Favourite colour' },
      { index: 2, header: 'Shoe size' },
    ]);
  });

  it('leaves a bare "id" of another system for the person to map', () => {
    expect(recogniseHeader(['id', 'Email']).unknown).toEqual([{ index: 0, header: 'id' }]);
  });

  it('maps headers a known layout lacks by their common names', () => {
    const recognition = recogniseHeader(['First Name', 'Last Name', 'Email', 'Accepts Marketing', 'Birthday']);
    expect(recognition.layout).toBe('shopify');
    expect(summary(recognition).Birthday).toBe('dateOfBirth');
  });

  it('ignores a column without a header', () => {
    const recognition = recogniseHeader(['Email', '', 'Phone']);
    expect(recognition.columns[1]).toEqual({
      index: 1,
      header: '',
      status: 'ignored',
      reason: 'Has no header: its cells are not imported',
    });
  });
});

describe('recogniseHeader: duplicates', () => {
  it('reports the same header twice, naming it and its columns', () => {
    const recognition = recogniseHeader(['First name', 'Email', 'Phone', 'email']);
    expect(recognition.duplicates).toEqual([
      {
        key: 'email',
        columns: [
          { index: 1, header: 'Email' },
          { index: 3, header: 'email' },
        ],
        message: 'The column "Email" appears more than once (columns B, D): keep one',
      },
    ]);
  });

  it('reports two different headers that fill the same field', () => {
    const recognition = recogniseHeader(['Email', 'Last name', 'E-mail address', 'Surname']);
    expect(recognition.duplicates.map((duplicate) => duplicate.message)).toEqual([
      'Columns "Email" (A) and "E-mail address" (C) both fill Email: keep one',
      'Columns "Last name" (B) and "Surname" (D) both fill Last name: keep one',
    ]);
  });

  it('reports an unknown header that appears twice', () => {
    const recognition = recogniseHeader(['Email', 'Colour', 'Colour']);
    expect(recognition.duplicates).toEqual([
      expect.objectContaining({
        key: null,
        message: 'The column "Colour" appears more than once (columns B, C): keep one',
      }),
    ]);
  });

  it('does not count a fallback column as a duplicate', () => {
    const recognition = recogniseHeader([
      'first_name',
      'email',
      'billing_email',
      'billing_first_name',
      'shipping_first_name',
    ]);
    expect(recognition.duplicates).toEqual([]);
  });

  it('does not report two ignored columns with the same header', () => {
    const recognition = recogniseHeader(['First Name', 'Email', 'Accepts Marketing', 'Total Spent', 'Total Spent']);
    expect(recognition.duplicates).toEqual([]);
  });
});

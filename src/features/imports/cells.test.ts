import { describe, expect, it } from 'vitest';
import {
  neutralise,
  readBoolean,
  readCell,
  readCountry,
  readDate,
  readMoney,
  readPhone,
  readPoints,
  readText,
  splitFullName,
  unneutralise,
} from './cells.ts';

const value = <T>(v: T) => ({ ok: true, value: v });
const rejected = (reason: string | RegExp) => ({ ok: false, reason: expect.stringMatching(reason) });

describe('neutralise and unneutralise', () => {
  it.each([
    '=1+1',
    '=HYPERLINK("http://evil.example","click")',
    '+44 20 7946 0958',
    '+1 555 0100',
    '-x',
    '-1+2',
    '@SUM(A1:A2)',
    '\tstarts with a tab',
    '\rstarts with a return',
    "'already quoted",
    "''",
  ])('prefixes an apostrophe to %j', (cell) => {
    expect(neutralise(cell)).toBe(`'${cell}`);
  });

  it.each(['', 'Jane', '0123', '12.50', '-12.50', '-5', 'a=b', 'name@example.com', ' =1'])(
    'leaves %j as it is',
    (cell) => {
      expect(neutralise(cell)).toBe(cell);
    },
  );

  it('round-trips every text exactly', () => {
    const starts = ['', '=', '+', '-', '@', '\t', '\r', "'", "''", ' ', 'a', '0', '-1', '-1.5'];
    const rests = ['', '1', '1+1', 'x', "'", ' ', '\n', '.5'];
    for (const start of starts) {
      for (const rest of rests) {
        const text = start + rest;
        expect(unneutralise(neutralise(text))).toBe(text);
      }
    }
  });

  it('removes exactly one apostrophe', () => {
    expect(unneutralise("''x")).toBe("'x");
    expect(unneutralise("'x")).toBe('x');
    expect(unneutralise('x')).toBe('x');
  });
});

describe('readText', () => {
  it.each([
    ['  Jane  ', 'Jane'],
    ["'+44 20 7946 0958", '+44 20 7946 0958'],
    ["'0123", '0123'],
    ["  '0123 ", '0123'],
    ["'=1+1", '=1+1'],
  ])('reads %j as %j', (raw, text) => {
    expect(readText(raw)).toEqual(value(text));
  });

  it.each(['', '   ', "'", "' "])('reads %j as no value', (raw) => {
    expect(readText(raw)).toEqual(value(null));
  });

  it('rejects text with bytes that could not be decoded', () => {
    expect(readText('Jos\uFFFD')).toEqual(rejected(/could not be read.*UTF-8/));
  });
});

describe('readBoolean', () => {
  it.each(['yes', 'Yes', 'YES', 'y', 'Y', 'true', 'TRUE', 'True', 't', '1', 'on', ' yes '])(
    'reads %j as yes',
    (raw) => {
      expect(readBoolean(raw)).toEqual(value(true));
    },
  );

  it.each(['no', 'No', 'NO', 'n', 'N', 'false', 'FALSE', 'False', 'f', '0', 'off'])('reads %j as no', (raw) => {
    expect(readBoolean(raw)).toEqual(value(false));
  });

  it('reads an empty cell as no value', () => {
    expect(readBoolean('')).toEqual(value(null));
  });

  it.each([
    ['subscribed', true],
    ['Subscribed', true],
    ['SUBSCRIBED', true],
    ['opted_in', true],
    ['unsubscribed', false],
    ['Not subscribed', false],
    ['not_subscribed', false],
    ['never subscribed', false],
    ['pending', false],
  ])('reads the consent word %j as %s in a marketing-consent column', (raw, expected) => {
    expect(readBoolean(raw, { consent: true })).toEqual(value(expected));
  });

  it('does not take subscription words for an ordinary yes/no column', () => {
    expect(readBoolean('subscribed')).toEqual(rejected(/^Must be yes or no.*"subscribed"/));
  });

  it.each(['maybe', '2', 'yess', 'ja'])('rejects %j saying what is allowed', (raw) => {
    expect(readBoolean(raw)).toEqual(rejected(/^Must be yes or no \(or true\/false, 1\/0, Y\/N\)/));
  });
});

describe('readDate', () => {
  it.each([
    ['1990-05-17', '1990-05-17'],
    ['1990-5-7', '1990-05-07'],
    ['1990-05-17T10:30:00Z', '1990-05-17'],
    ['1990-05-17T10:30:00.000+02:00', '1990-05-17'],
    ['1990-05-17 10:30', '1990-05-17'],
    ['1990/05/17', '1990-05-17'],
    ['--05-17', '--05-17'],
    ['--02-29', '--02-29'],
  ])('reads the ISO or year-first date %j in either order', (raw, iso) => {
    expect(readDate(raw, 'day-first')).toEqual(value(iso));
    expect(readDate(raw, 'month-first')).toEqual(value(iso));
  });

  it.each([
    ['03/04/2025', '2025-04-03', '2025-03-04'],
    ['3/4/2025', '2025-04-03', '2025-03-04'],
    ['03.04.2025', '2025-04-03', '2025-03-04'],
    ['03-04-2025', '2025-04-03', '2025-03-04'],
    ['12/11/1990 00:00', '1990-11-12', '1990-12-11'],
    ['1/2/1990 12:00:00 AM', '1990-02-01', '1990-01-02'],
  ])('reads %j as %s day first and as %s month first', (raw, dayFirst, monthFirst) => {
    expect(readDate(raw, 'day-first')).toEqual(value(dayFirst));
    expect(readDate(raw, 'month-first')).toEqual(value(monthFirst));
  });

  it('reads 29 February of a leap year', () => {
    expect(readDate('29/02/2024', 'day-first')).toEqual(value('2024-02-29'));
  });

  it.each([
    ['2023-02-29', 'day-first', /^Is not a real date: there is no 29 February in 2023$/],
    ['29/02/2023', 'day-first', /^Is not a real date: there is no 29 February in 2023$/],
    ['31/04/2024', 'day-first', /^Is not a real date: there is no 31 April in 2024$/],
    ['04/31/2024', 'month-first', /^Is not a real date: there is no 31 April in 2024$/],
    ['2024-13-01', 'day-first', /^Is not a real date: "2024-13-01" has no month 13$/],
    ['2024-00-10', 'day-first', /has no month 0$/],
    ['00/01/2024', 'day-first', /there is no 0 January in 2024$/],
    ['--02-30', 'day-first', /^Is not a real date: there is no 30 February$/],
  ] as const)('rejects the impossible date %j', (raw, order, reason) => {
    expect(readDate(raw, order)).toEqual(rejected(reason));
  });

  it('says when a date looks written in the other order', () => {
    expect(readDate('05/17/1990', 'day-first')).toEqual(
      rejected(/looks like month\/day\/year; choose that date order/),
    );
    expect(readDate('17/05/1990', 'month-first')).toEqual(
      rejected(/looks like day\/month\/year; choose that date order/),
    );
  });

  it('asks for a four-digit year', () => {
    expect(readDate('17/05/90', 'day-first')).toEqual(rejected(/^Write the year with four digits/));
  });

  it.each(['next Tuesday', '17 May', '1990', '17/05'])('rejects %j as not a date', (raw) => {
    expect(readDate(raw, 'day-first')).toEqual(rejected(/^Is not a date: write it as 1990-12-31 or 31\/12\/1990/));
  });

  it('reads an empty cell as no value', () => {
    expect(readDate(' ', 'day-first')).toEqual(value(null));
  });
});

describe('readCountry', () => {
  it.each([
    ['AU', 'AU'],
    ['au', 'AU'],
    ['AUS', 'AU'],
    ['aus', 'AU'],
    ['Australia', 'AU'],
    [' australia ', 'AU'],
    ['GB', 'GB'],
    ['GBR', 'GB'],
    ['United Kingdom', 'GB'],
    ['UK', 'GB'],
    ['Great Britain', 'GB'],
    ['England', 'GB'],
    ['US', 'US'],
    ['USA', 'US'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['DEU', 'DE'],
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['Allemagne', 'DE'],
    ['Alemania', 'DE'],
    ['Österreich', 'AT'],
    ['Oesterreich', undefined],
    ['España', 'ES'],
    ['Espana', 'ES'],
    ['The Netherlands', 'NL'],
    ['Nederland', 'NL'],
    ['Holland', 'NL'],
    ["Côte d'Ivoire", 'CI'],
    ["Cote d'Ivoire", 'CI'],
    ['Ivory Coast', 'CI'],
    ['St. Lucia', 'LC'],
    ['Saint Lucia', 'LC'],
    ['Bosnia & Herzegovina', 'BA'],
    ['Bosnia and Herzegovina', 'BA'],
    ['Korea, Republic of', 'KR'],
    ['South Korea', 'KR'],
    ['Czech Republic', 'CZ'],
    ['Czechia', 'CZ'],
    ['Turkey', 'TR'],
    ['Hong Kong', 'HK'],
    ['New Zealand', 'NZ'],
    ['NZL', 'NZ'],
  ])('reads %j as %s', (raw, code) => {
    if (code) expect(readCountry(raw)).toEqual(value(code));
    else expect(readCountry(raw).ok).toBe(false);
  });

  it('rejects a real place that cannot be a customer country, naming it', () => {
    expect(readCountry('Antarctica')).toEqual(rejected(/^"Antarctica" \(AQ\) cannot be a customer's country/));
    expect(readCountry('ATA')).toEqual(rejected(/\(AQ\)/));
  });

  it.each(['Narnia', 'XX', 'ZZZ', '12'])('rejects %j as not a country', (raw) => {
    expect(readCountry(raw)).toEqual(rejected(/^Is not a country: write a name such as Australia/));
  });

  it('reads an empty cell as no value', () => {
    expect(readCountry('')).toEqual(value(null));
  });
});

describe('readPhone', () => {
  it.each([
    ['0412 345 678', '0412 345 678'],
    ["'+44 20 7946 0958", '+44 20 7946 0958'],
    ["'0412345678", '0412345678'],
    ['+1 (212) 555-0123', '+1 (212) 555-0123'],
    ['441234567890', '441234567890'],
  ])('reads %j as typed', (raw, phone) => {
    expect(readPhone(raw)).toEqual(value(phone));
  });

  it.each(['4.41234E+11', '6.1412E+10', '6.1412e+10', '4,41234E+11', '4.41234E11', '6E+10', '1.23457E-05'])(
    'rejects %j, a number a spreadsheet turned into scientific notation',
    (raw) => {
      expect(readPhone(raw)).toEqual(
        rejected(/^Looks like a number a spreadsheet turned into scientific notation .*its digits are lost/),
      );
    },
  );
});

describe('readMoney', () => {
  it.each([
    ['12.50', 2, 1250],
    ['12,50', 2, 1250],
    ['12.5', 2, 1250],
    ['12,5', 2, 1250],
    ['12', 2, 1200],
    ['0.05', 2, 5],
    ['1,234.56', 2, 123456],
    ['1.234,56', 2, 123456],
    ['1 234,56', 2, 123456],
    ['1\u00a0234,56', 2, 123456],
    ["1'234.50", 2, 123450],
    ['1,234,567.89', 2, 123456789],
    ['1.234.567', 2, 123456700],
    ['1,000', 2, 100000],
    ['1.000', 2, 100000],
    ['$12.50', 2, 1250],
    ['€ 12,50', 2, 1250],
    ['12,50 €', 2, 1250],
    ['AUD 12.50', 2, 1250],
    ['12.50 EUR', 2, 1250],
    ['-12.50', 2, -1250],
    ['-$12.50', 2, -1250],
    ['12.500', 3, 12500],
    ['1,000', 3, 1000],
    ['1500', 0, 1500],
    ['1,500', 0, 1500],
    ['12.00', 0, 12],
    ['12.50', 3, 12500],
  ])('reads %j with %i decimals as %i minor units', (raw, exponent, minor) => {
    expect(readMoney(raw, exponent)).toEqual(value(minor));
  });

  it.each([
    ['12.5055', 2, /^Has more than 2 decimals/],
    ['0,125', 2, /^Has more than 2 decimals/],
    ['12.5', 0, /^Must be a whole number/],
    ['twelve', 2, /^Is not an amount of money: write it as 1250 or 12.50/],
    ['12.', 2, /^Is not an amount/],
    ['1.2.3', 2, /^Is not an amount/],
    ['1,23,456', 2, /^Is not an amount/],
    ['1.234,56.7', 2, /^Is not an amount/],
    ['99999999999999', 2, /^Is too large/],
  ] as const)('rejects %j with %i decimals', (raw, exponent, reason) => {
    expect(readMoney(raw, exponent)).toEqual(rejected(reason));
  });

  it('reads one separator followed by three digits as a thousands separator, unless the currency has three decimals', () => {
    expect(readMoney('12.505', 2)).toEqual(value(1250500));
    expect(readMoney('12,505', 2)).toEqual(value(1250500));
    expect(readMoney('12.505', 3)).toEqual(value(12505));
  });
});

describe('readPoints', () => {
  it.each([
    ['250', 250],
    ['1,000', 1000],
    ['1 000', 1000],
    ['12.0', 12],
    ['0', 0],
  ])('reads %j as %i points', (raw, points) => {
    expect(readPoints(raw)).toEqual(value(points));
  });

  it('rejects part of a point', () => {
    expect(readPoints('12.5')).toEqual(rejected(/^Must be a whole number, not "12.5"/));
  });

  it('rejects text', () => {
    expect(readPoints('lots')).toEqual(rejected(/^Is not a whole number of points/));
  });
});

describe('splitFullName', () => {
  it.each([
    ['Jane Citizen', 'Jane', 'Citizen'],
    ['  Jane   Citizen ', 'Jane', 'Citizen'],
    ['Mary Ann Smith', 'Mary Ann', 'Smith'],
    ['Citizen, Jane', 'Jane', 'Citizen'],
    ['Jan van der Berg', 'Jan', 'van der Berg'],
    ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['Cher', 'Cher', null],
    ['Citizen,', null, 'Citizen'],
    ['', null, null],
  ])('splits %j into %j and %j', (full, firstName, lastName) => {
    expect(splitFullName(full)).toEqual({ firstName, lastName });
  });
});

describe('readCell', () => {
  const options = { dateOrder: 'day-first', currencyExponent: 2 } as const;

  it('reads each kind of cell with its reader', () => {
    expect(readCell('text', " 'Jane ", options)).toEqual(value('Jane'));
    expect(readCell('phone', '4.41234E+11', options).ok).toBe(false);
    expect(readCell('boolean', 'Y', options)).toEqual(value(true));
    expect(readCell('consent', 'unsubscribed', options)).toEqual(value(false));
    expect(readCell('date', '17/05/1990', options)).toEqual(value('1990-05-17'));
    expect(readCell('country', 'Australia', options)).toEqual(value('AU'));
    expect(readCell('money', '12,50', options)).toEqual(value(1250));
    expect(readCell('points', '250', options)).toEqual(value(250));
  });

  it('reads a record id in lower case and rejects anything else', () => {
    expect(readCell('id', '3F2B8C1E-5D4A-4C3B-9A7E-1F2D3C4B5A69', options)).toEqual(
      value('3f2b8c1e-5d4a-4c3b-9a7e-1f2d3c4b5a69'),
    );
    expect(readCell('id', '12345', options)).toEqual(rejected(/^Is not a Patron record id/));
    expect(readCell('id', '', options)).toEqual(value(null));
  });

  it('rejects a negative opening balance', () => {
    expect(readCell('money', '-5.00', options)).toEqual(rejected(/^Must not be negative: it is an opening balance/));
    expect(readCell('points', '-5', options)).toEqual(rejected(/^Must not be negative/));
  });
});

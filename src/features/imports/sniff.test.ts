import { describe, expect, it } from 'vitest';
import { sniffDelimiter } from './sniff.ts';

describe('sniffDelimiter', () => {
  it.each([
    ['comma', 'First name,Last name,Email\nJane,Citizen,jane@example.com\n', ','],
    ['semicolon', 'First name;Last name;Email\r\nJane;Citizen;jane@example.com\r\n', ';'],
    ['tab', 'First name\tLast name\tEmail\nJane\tCitizen\tjane@example.com\n', '\t'],
    ['pipe', 'First name|Last name|Email\nJane|Citizen|jane@example.com\n', '|'],
  ])('finds the %s', (_name, text, delimiter) => {
    expect(sniffDelimiter(text)).toBe(delimiter);
  });

  it('finds semicolons when amounts use a decimal comma', () => {
    expect(sniffDelimiter('Name;Store credit;Points\nJane;12,50;3\nJo;7,25;1\n')).toBe(';');
  });

  it('does not count commas inside quoted cells of a semicolon file', () => {
    const text = 'Name;Address;City\n"Citizen, Jane";"12 Harbour St, Unit 4";Sydney\n"Smith, Jo";"1, The Lane";Perth\n';
    expect(sniffDelimiter(text)).toBe(';');
  });

  it('does not count semicolons inside quoted cells of a comma file', () => {
    const text = 'Name,Note,City\nJane,"likes tea; no sugar; oat milk",Sydney\nJo,"a;b;c;d;e",Perth\n';
    expect(sniffDelimiter(text)).toBe(',');
  });

  it('prefers the delimiter that keeps the cell count of the header on every line', () => {
    const text = 'Name,Address;City;Postcode\nJane,Unit 4;Sydney;2000\nJo;Perth;6000\n';
    expect(sniffDelimiter(text)).toBe(';');
  });

  it('reads through quoted cells with line breaks', () => {
    const text = 'Name;Note;City\nJane;"first line\nsecond; line, here";Sydney\nJo;plain;Perth\n';
    expect(sniffDelimiter(text)).toBe(';');
  });

  it('copes with a sample cut off inside a quoted cell', () => {
    const text = `Name\tNote\tCity\nJane\tshort\tSydney\nJo\t"a long note, cut off; here`;
    expect(sniffDelimiter(text)).toBe('\t');
  });

  it('reads a header alone', () => {
    expect(sniffDelimiter('First name;Last name;Email')).toBe(';');
  });

  it('takes a file of one column, or no text, as comma-separated', () => {
    expect(sniffDelimiter('Email\njane@example.com\n')).toBe(',');
    expect(sniffDelimiter('')).toBe(',');
  });

  it('ignores trailing empty cells when comparing lines', () => {
    expect(sniffDelimiter('a;b;c;;\n1;2;3\n4;5;6;;;\n')).toBe(';');
  });
});

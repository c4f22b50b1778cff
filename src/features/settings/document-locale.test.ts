import { describe, expect, it } from 'vitest';
import { documentLocale } from './settings.service.ts';

describe('documentLocale', () => {
  it('writes documents in English as the business’s country writes it', () => {
    expect(documentLocale('US')).toBe('en-US');
    expect(documentLocale('AU')).toBe('en-AU');
    expect(documentLocale('DE')).toBe('en-DE');
  });

  it('falls back to British English where the country has no English of its own, not to American', () => {
    expect(documentLocale('BR')).toBe('en-GB');
    const day = new Intl.DateTimeFormat(documentLocale('MX'), { dateStyle: 'medium', timeZone: 'UTC' });
    expect(day.format(new Date('2026-03-03T00:00:00Z'))).toBe('3 Mar 2026');
  });
});

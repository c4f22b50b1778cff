import { describe, expect, it } from 'vitest';
import { merchantSettings } from '../../../tests/support/factories.ts';
import type { Settings } from '../settings/settings.schema.ts';
import { applyMapping } from './import.jobs.ts';
import { PARALLEL_FROM_BYTES, rowChecker } from './row-checker.ts';
import type { StageContext } from './stage-rows.ts';

const settings: Settings = merchantSettings({ currency: 'GBP', defaultCountry: 'GB', timeZone: 'Europe/London' });

const header = ['First name', 'Last name', 'Email', 'Phone', 'Country', 'Note'];
const context: StageContext = {
  merchantId: '01a20935-189b-75f5-bd4d-e6a4fef2b1ee',
  jobId: '01a20935-18a6-76a1-9713-9faefb8cf939',
  kind: 'import',
  mapped: applyMapping(header, { dateOrder: 'day-first' }).columns.filter((c) => c.status === 'mapped'),
  settings,
  dateOrder: 'day-first',
  currencyExponent: 2,
  matchBy: 'id',
  clearEmpty: false,
};

/** Rows of every outcome: valid, a national number abroad, a bad email, a damaged phone, text to escape. */
const records = Array.from({ length: 300 }, (_, i) => ({
  line: i + 2,
  cells: [
    ['Ann', 'Lee', `ann${i}@example.com`, '020 7946 0958', 'GB', ''],
    ['Mia', 'Brown', `mia${i}@example.com`, '(02) 9655 8395', 'AU', 'tab\there, "quoted", back\\slash'],
    ['Bad', 'Email', 'not-an-email', '', '', ''],
    ['Sci', 'Phone', '', '4.41234E+11', '', 'line\nbreak'],
  ][i % 4] as string[],
}));

/** Record ids are new for every check: compare the rest. */
const withoutIds = (text: string) =>
  text
    .replace(/"id":\s*"[0-9a-f-]{36}"/g, '"id":"…"')
    .split('\n')
    .filter(Boolean)
    .sort();

describe('checking the rows of a dry run', () => {
  it('checks a large file on worker threads with the same outcome, row for row, as on the job thread', async () => {
    const here = rowChecker(PARALLEL_FROM_BYTES - 1);
    const threads = rowChecker(PARALLEL_FROM_BYTES);
    try {
      expect(here.inFlight).toBe(1);
      expect(threads.inFlight).toBeGreaterThan(1);
      const [onThread, onWorkers] = await Promise.all([
        here.check(context, records),
        Promise.all([threads.check(context, records.slice(0, 150)), threads.check(context, records.slice(150))]),
      ]);
      expect(onWorkers.reduce((sum, batch) => sum + batch.rows, 0)).toBe(300);
      expect(withoutIds(onWorkers.map((batch) => batch.text).join(''))).toEqual(withoutIds(onThread.text));
      // The outcomes themselves: 150 to create, 150 rejected with their reasons.
      const actions = withoutIds(onThread.text).map((line) => line.split('\t')[3]);
      expect(actions.filter((a) => a === 'create')).toHaveLength(150);
      expect(actions.filter((a) => a === 'reject')).toHaveLength(150);
      expect(onThread.text).toContain('+61296558395');
    } finally {
      await Promise.all([here.close(), threads.close()]);
    }
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';
import { writeImportBatch } from './import.repository.ts';
import type { ImportJob } from './import.schema.ts';

/**
 * A process that stops in the middle of an import (killed, restarted) leaves a job that stopped moving
 * and that no process holds: the sweep of a running process queues it again, and it runs to its end,
 * writing every customer exactly once (an all-or-nothing commit is one transaction: it happened or it
 * did not; a commit of the valid rows carries on with the batches of lines not written yet).
 */
let t: TestApp;

beforeAll(async () => {
  // Batches of 10 lines, so that a file of 50 rows is written in several.
  process.env.PATRON_IMPORT_BATCH_LINES = '10';
  t = await createTestApp({ jobs: { sweepEveryMs: 200, staleAfterSeconds: 1 } });
});
afterAll(async () => {
  delete process.env.PATRON_IMPORT_BATCH_LINES;
  await t?.close();
});

/** A batch's reason for leaving out a customer whose email or code was taken after the check. */
const TAKEN_SINCE = {
  column: null,
  reason: 'Another customer with this email or customer code was added after the check',
};

/** A checked import of `count` new people named `name`. */
function checked(name: string, count: number): Promise<string> {
  const rows = Array.from({ length: count }, (_, i) => `${name},Customer${i},${name.toLowerCase()}${i}@example.com`);
  return checkedFile(['First name,Last name,Email', ...rows]);
}

/** A checked import of `count` new people named `name`, the even lines with a customer code of their own. */
function checkedWithCodes(name: string, count: number): Promise<string> {
  const rows = Array.from(
    { length: count },
    (_, i) => `${name},Customer${i},${i % 2 === 0 ? `${name.toUpperCase()}-${i}` : ''}`,
  );
  return checkedFile(['First name,Last name,Customer code', ...rows]);
}

/** The job of a file uploaded and checked. */
async function checkedFile(lines: string[]): Promise<string> {
  const res = await t.owner.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { 'content-type': 'text/csv' },
    payload: lines.join('\n'),
  });
  expect(res.statusCode, res.body).toBe(202);
  const id = res.json().id as string;
  expect((await settled(id)).status).toBe('validated');
  return id;
}

/** As if a process had taken the commit and died: nobody works on the job, and its queue entry is gone. */
async function abandon(id: string, options: object, summary: object = {}) {
  await t.database.withMerchant(t.merchantId, (trx) =>
    sql`UPDATE bulk_job SET status = 'committing', options = options || ${JSON.stringify(options)}::jsonb,
          summary = summary || ${JSON.stringify(summary)}::jsonb, updated_at = now() - interval '1 minute'
        WHERE id = ${id}`.execute(trx),
  );
  await t.database.system.executeQuery(sql`DELETE FROM graphile_worker._private_jobs`.compile(t.database.system));
}

async function customersNamed(name: string) {
  const res = await t.owner.inject({ method: 'GET', url: `/api/v1/customers?q=${name}&limit=200` });
  return res.json().items as { email: string }[];
}

async function settled(id: string): Promise<ImportJob> {
  for (let i = 0; i < 300; i++) {
    const job = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${id}` })).json() as ImportJob;
    if (!['validating', 'committing'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Import ${id} did not finish`);
}

describe('an interrupted import', () => {
  it('resumes on its own and writes each customer once', async () => {
    const id = await checked('Resumed', 50);
    await abandon(id, { mode: 'all' });

    const done = await settled(id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.result?.created).toBe(50);
    expect(await customersNamed('Resumed')).toHaveLength(50);
  });

  it('writing the valid rows carries on with the batches not written yet', async () => {
    const id = await checked('Batched', 50);
    // The dead process had checked the directory again and written the first two batches (lines 2–19).
    await t.database.withMerchant(t.merchantId, async (trx) => {
      for (const batch of [0, 1])
        await writeImportBatch(trx, id, 'Owner', { batch, from: batch * 10, to: batch * 10 + 10 });
    });
    expect(await customersNamed('Batched')).toHaveLength(18);
    await abandon(id, { mode: 'valid' }, { commit: { groups: 0 } });

    const done = await settled(id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.result?.created).toBe(50);
    expect(done.counts?.skip).toBe(0);
    const found = await customersNamed('Batched');
    expect(found).toHaveLength(50);
    expect(new Set(found.map((c) => c.email)).size).toBe(50);
  });

  it('stopping a commit of the valid rows keeps the batches written and writes no more', async () => {
    const id = await checked('Stopped', 50);
    await abandon(id, { mode: 'valid' });
    const stop = await t.owner.inject({ method: 'POST', url: `/api/v1/imports/${id}/cancel` });
    expect(stop.statusCode, stop.body).toBe(200);

    const ended = await settled(id);
    expect(ended.status).toBe('cancelled');
    const created = ended.result?.created ?? 0;
    // Each of the two writers finishes the batch it had begun: some customers, not all of them.
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(50);
    expect(await customersNamed('Stopped')).toHaveLength(created);
  });
});

describe('a batch of the valid rows', () => {
  /** A customer added at the till between the check and the commit. */
  async function addAtTheTill(payload: Record<string, unknown>) {
    const added = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload });
    expect(added.statusCode, added.body).toBe(201);
  }

  /** The first batch of lines of a valid-rows commit, written as the commit writes it. */
  function writeFirstBatch(id: string) {
    return t.database.withMerchant(t.merchantId, (trx) =>
      writeImportBatch(trx, id, 'Owner', { batch: 0, from: 0, to: 10 }),
    );
  }

  async function problemsOf(id: string) {
    return (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${id}/problems` })).json().items;
  }

  /** The problems of a batch that left out one line, taken after the check. */
  const skippedSince = (line: number) => [expect.objectContaining({ line, action: 'skip', problems: [TAKEN_SINCE] })];

  it('skips, with the reason, a customer whose email was taken after the check', async () => {
    const id = await checked('Raced', 8);
    // Someone adds raced3@example.com at the till between the check and the commit.
    await addAtTheTill({ firstName: 'Till', email: 'raced3@example.com' });

    expect(await writeFirstBatch(id)).toEqual({ created: 7, skipped: 1 });
    expect(await problemsOf(id)).toEqual(skippedSince(5));
    // The seven imported and the one from the till (found by the email): raced3@ is there once.
    const found = await customersNamed('Raced');
    expect(found).toHaveLength(8);
    expect(found.filter((c) => c.email === 'raced3@example.com')).toHaveLength(1);
  });

  it('writes the lines with a code and those without, and skips the one whose code was taken after the check', async () => {
    const id = await checkedWithCodes('Coded', 8);
    // A customer code of the file (line 5, CODED-4) given to someone at the till meanwhile, in another case.
    await addAtTheTill({ firstName: 'Till', lastName: 'Person', code: 'coded-4' });

    expect(await writeFirstBatch(id)).toEqual({ created: 7, skipped: 1 });
    expect(await problemsOf(id)).toEqual(skippedSince(6));
    // (The search finds the till's customer too, by the code.)
    const found = (
      (await customersNamed('Coded')) as unknown as { firstName: string; lastName: string; code: string }[]
    ).filter((c) => c.firstName === 'Coded');
    expect(found.map((c) => c.lastName).sort()).toEqual([
      'Customer0',
      'Customer1',
      'Customer2',
      'Customer3',
      'Customer5',
      'Customer6',
      'Customer7',
    ]);
    // The file's codes as written; the lines without one were given the next code of the directory.
    const codes = new Map(found.map((c) => [c.lastName, c.code]));
    expect([codes.get('Customer0'), codes.get('Customer2'), codes.get('Customer6')]).toEqual([
      'CODED-0',
      'CODED-2',
      'CODED-6',
    ]);
    for (const odd of ['Customer1', 'Customer3', 'Customer5', 'Customer7']) expect(codes.get(odd)).toMatch(/^C\d+$/);
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';
import type { ImportJob } from './import.schema.ts';

/**
 * A process that stops in the middle of an import (killed, restarted) leaves a job that stopped moving
 * and that no process holds: the sweep of a running process queues it again, and it runs to its end,
 * writing every customer exactly once (the commit is one transaction: it happened or it did not).
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ jobs: { sweepEveryMs: 200, staleAfterSeconds: 1 } });
});
afterAll(async () => {
  await t?.close();
});

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
    const rows = Array.from({ length: 50 }, (_, i) => `Resumed,Customer${i},resumed${i}@example.com`);
    const res = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { 'content-type': 'text/csv' },
      payload: ['First name,Last name,Email', ...rows].join('\n'),
    });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    expect((await settled(id)).status).toBe('validated');

    // As if a process had taken the commit and died: the job says committing, nobody works on it, and its
    // queue entry is gone.
    await t.database.withMerchant(t.merchantId, (trx) =>
      sql`UPDATE bulk_job SET status = 'committing', options = options || '{"mode": "all"}', updated_at = now() - interval '1 minute'
          WHERE id = ${id}`.execute(trx),
    );
    await t.database.system.executeQuery(sql`DELETE FROM graphile_worker._private_jobs`.compile(t.database.system));

    const done = await settled(id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.result?.created).toBe(50);
    const found = (await t.owner.inject({ method: 'GET', url: '/api/v1/customers?q=Resumed&limit=200' })).json().items;
    expect(found).toHaveLength(50);
  });
});

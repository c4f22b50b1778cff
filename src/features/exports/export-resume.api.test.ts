import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import type { ExportJob } from './export.schema.ts';

/**
 * A process that stops in the middle of a background export (killed, restarted) leaves a job that says it
 * is running, that no process holds, and the first part of its file: the sweep of a running process queues
 * it again, and it writes the whole file again from the beginning.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ jobs: { sweepEveryMs: 200, staleAfterSeconds: 1 } });
  for (let i = 0; i < 12; i++) {
    const res = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: newCustomer({ firstName: `Resumed${i}`, note: `Note "${i}"\nsecond line` }),
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
});

async function settled(id: string): Promise<ExportJob> {
  for (let i = 0; i < 300; i++) {
    const job = (await t.owner.inject({ method: 'GET', url: `/api/v1/exports/jobs/${id}` })).json() as ExportJob;
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Export ${id} did not finish`);
}

describe('an interrupted export', () => {
  it('is picked up again and writes the whole file once', async () => {
    // As a process that died part-way leaves it: committing, started, some rows done, a partial chunk, not queued.
    const id = uuidv7();
    const options = {
      filter: {},
      fields: ['firstName', 'note'],
      actor: { type: 'user', id: t.owner.userId, name: 'Test owner' },
    };
    await t.database.withMerchant(t.merchantId, async (trx) => {
      await sql`
        INSERT INTO bulk_job (merchant_id, id, kind, status, options, created_by, created_by_id, rows_total, rows_done,
                              started_at, updated_at)
        VALUES (app_current_merchant(), ${id}, 'export', 'committing', ${JSON.stringify(options)}::jsonb, 'Test owner',
                ${t.owner.userId}, 12, 5, now() - interval '1 minute', now() - interval '1 minute')`.execute(trx);
      for (const seq of [0, 1]) {
        await sql`INSERT INTO bulk_job_file (merchant_id, job_id, name, seq, data)
                  VALUES (app_current_merchant(), ${id}, 'export', ${seq}, ${Buffer.from('half a file')})`.execute(trx);
      }
    });
    await t.database.system.executeQuery(sql`DELETE FROM graphile_worker._private_jobs`.compile(t.database.system));

    const done = await settled(id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.progress).toMatchObject({ rowsDone: 12, rowsTotal: 12 });
    const file = await t.owner.inject({ method: 'GET', url: `/api/v1/exports/jobs/${id}/file` });
    const streamed = await t.owner.inject({ method: 'GET', url: '/api/v1/customers/export?fields=firstName,note' });
    expect(file.statusCode, file.body).toBe(200);
    expect(file.rawPayload.equals(streamed.rawPayload)).toBe(true);
    const chunks = await sql<{ n: number }>`SELECT count(*)::int AS n FROM bulk_job_file WHERE job_id = ${id}`.execute(
      t.database.system,
    );
    expect(chunks.rows[0]?.n).toBe(1);
  });
});

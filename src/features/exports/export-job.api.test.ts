import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import { CsvRowCounter } from './export.jobs.ts';
import { purgeExportFiles } from './export.repository.ts';
import type { ExportJob } from './export.schema.ts';

/**
 * A large export as a background job: the same file as the streaming export, written into the database
 * with progress, cancelled on request, kept for a week, and only for the merchant's people who may export.
 */
let t: TestApp;
let groupId: string;

async function customer(overrides: Record<string, unknown>) {
  const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) });
  expect(res.statusCode, res.body).toBe(201);
}

async function start(body: Record<string, unknown>, by: Client = t.owner) {
  return by.inject({ method: 'POST', url: '/api/v1/exports', payload: body });
}

async function settled(id: string, by: Client = t.owner): Promise<ExportJob> {
  for (let i = 0; i < 300; i++) {
    const job = (await by.inject({ method: 'GET', url: `/api/v1/exports/jobs/${id}` })).json() as ExportJob;
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Export ${id} did not finish`);
}

async function finishedJob(body: Record<string, unknown>): Promise<ExportJob> {
  const res = await start(body);
  expect(res.statusCode, res.body).toBe(202);
  const job = await settled(res.json().id);
  expect(job.status, job.error ?? '').toBe('done');
  return job;
}

beforeAll(async () => {
  t = await createTestApp();
  groupId = (
    await t.owner.inject({ method: 'POST', url: '/api/v1/customer-groups', payload: { name: 'Wholesale' } })
  ).json().id;
  await customer({
    firstName: 'Ana',
    companyName: '=HYPERLINK("http://evil.example","Click")',
    note: 'Line one, "quoted"\nline two\n\nand "more"',
    groupId,
    emailMarketing: true,
  });
  await customer({ firstName: 'Ben', email: null, phone: '(212) 555-0142', note: '\\.' });
  await customer({ firstName: 'Cleo', groupId, note: 'Zoë, café' });
  for (let i = 0; i < 20; i++) await customer({ firstName: `Many${i}` });
});
afterAll(async () => {
  await t?.close();
});

describe('POST /exports', () => {
  it('writes the same bytes as the streaming export of the same search, filters and fields', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, ''],
      [{ fields: ['firstName', 'note', 'companyName'] }, 'fields=firstName,note,companyName'],
      [
        { groupId, emailMarketing: true, fields: ['id', 'firstName'] },
        `groupId=${groupId}&emailMarketing=true&fields=id,firstName`,
      ],
      [{ q: 'Cleo', hasEmail: true }, 'q=Cleo&hasEmail=true'],
      [{ hasEmail: false, fields: ['note'] }, 'hasEmail=false&fields=note'],
    ];
    for (const [body, query] of cases) {
      const job = await finishedJob(body);
      const file = await t.owner.inject({ method: 'GET', url: `/api/v1/exports/jobs/${job.id}/file` });
      expect(file.statusCode, file.body).toBe(200);
      const streamed = await t.owner.inject({ method: 'GET', url: `/api/v1/customers/export?${query}` });
      expect(file.rawPayload.equals(streamed.rawPayload), JSON.stringify(body)).toBe(true);
      expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(file.headers['content-disposition']).toMatch(/^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(Number(file.headers['content-length'])).toBe(file.rawPayload.length);
      expect(job.file?.bytes).toBe(file.rawPayload.length);
    }
  });

  it('answers 202 with the job, then reports its progress, its rows and its file', async () => {
    const res = await start({ fields: ['firstName'] });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/exports/jobs/${res.json().id}`);
    expect(res.json()).toMatchObject({
      status: 'running',
      cancelRequested: false,
      q: null,
      filter: {},
      fields: ['firstName'],
      file: null,
      createdBy: { type: 'user', id: t.owner.userId },
    });
    const job = await settled(res.json().id);
    expect(job).toMatchObject({
      status: 'done',
      progress: { rowsDone: 23, rowsTotal: 23, rowsPerSecond: null, secondsLeft: null },
      error: null,
      file: {
        name: expect.stringMatching(/^customers-\d{4}-\d{2}-\d{2}\.csv$/),
        url: `/api/v1/exports/jobs/${job.id}/file`,
      },
    });
    const kept = Date.parse(job.file?.expiresAt ?? '') - Date.parse(job.finishedAt ?? '');
    expect(kept).toBe(7 * 24 * 60 * 60 * 1000);
    const list = (await t.owner.inject({ method: 'GET', url: '/api/v1/exports/jobs?limit=1' })).json();
    expect(list.items.map((item: ExportJob) => item.id)).toEqual([job.id]);
  });

  it('is in the export log and the audit log: who, which customers, the rows, and each download', async () => {
    const manager = await t.as('manager');
    const res = await start({ groupId, fields: ['firstName', 'email'] }, manager);
    const job = await settled(res.json().id, manager);
    const [entry] = (await t.owner.inject({ method: 'GET', url: '/api/v1/exports?limit=1' })).json().items;
    expect(entry).toMatchObject({
      id: job.id,
      actor: { type: 'user', id: manager.userId },
      status: 'finished',
      filter: { groupId },
      fields: ['firstName', 'email'],
      rows: 2,
      job: { id: job.id, status: 'done', file: { url: `/api/v1/exports/jobs/${job.id}/file` } },
    });
    await t.owner.inject({ method: 'GET', url: `/api/v1/exports/jobs/${job.id}/file` });
    const audit = async (action: string) =>
      (await t.owner.inject({ method: 'GET', url: `/api/v1/audit-events?action=${action}&limit=1` })).json().items[0];
    expect(await audit('customer.exported')).toMatchObject({
      actor: { type: 'user', id: manager.userId },
      entityId: job.id,
      changes: { filter: { groupId }, fields: ['firstName', 'email'], rows: 2 },
    });
    expect(await audit('customer.export_downloaded')).toMatchObject({
      actor: { type: 'user', id: t.owner.userId },
      entityType: 'export',
      entityId: job.id,
    });
  });

  it('refuses unknown fields, reversed ranges and unknown members, as the streaming export does', async () => {
    const unknown = await start({ fields: ['firstName', 'shoeSize'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toMatch(/^fields/);
    const repeated = await start({ fields: ['email', 'email'] });
    expect(repeated.statusCode).toBe(422);
    const reversed = await start({ createdFrom: '2026-02-01', createdTo: '2026-01-01' });
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json().errors[0].field).toBe('createdTo');
    expect((await start({ field: ['email'] })).statusCode).toBe(422);
    expect((await start({ hasEmail: 'yes' })).statusCode).toBe(422);
  });
});

describe('a file of several chunks', () => {
  it('is stored a mebibyte at a time and downloads as the streaming export does', async () => {
    const big = await t.addMerchant('Big shop');
    await sql`
      INSERT INTO customer (merchant_id, id, first_name, note, group_id, source)
      SELECT ${big.merchantId}::uuid, gen_random_uuid(), 'Big' || g, repeat('A long note, "quoted", ' || g, 40), g2.id, 'import'
      FROM generate_series(1, 3000) g,
           (SELECT id FROM customer_group WHERE merchant_id = ${big.merchantId} AND is_default) g2`.execute(
      t.database.system,
    );
    const res = await big.owner.inject({
      method: 'POST',
      url: '/api/v1/exports',
      payload: { fields: ['firstName', 'note'] },
    });
    const job = await settled(res.json().id, big.owner);
    expect(job).toMatchObject({ status: 'done', progress: { rowsDone: 3000, rowsTotal: 3000 } });
    const chunks = await sql<{ n: number; largest: number }>`
      SELECT count(*)::int AS n, max(length(data))::int AS largest FROM bulk_job_file WHERE job_id = ${job.id}`.execute(
      t.database.system,
    );
    expect(chunks.rows[0]?.n).toBeGreaterThan(1);
    expect(chunks.rows[0]?.largest).toBeLessThan(2 * 1024 * 1024);
    const file = await big.owner.inject({ method: 'GET', url: `/api/v1/exports/jobs/${job.id}/file` });
    const streamed = await big.owner.inject({ method: 'GET', url: '/api/v1/customers/export?fields=firstName,note' });
    expect(file.rawPayload.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(file.rawPayload.equals(streamed.rawPayload)).toBe(true);
  });
});

describe('cancelling', () => {
  it('stops the job, deletes what it wrote, and logs the export as stopped', async () => {
    // The customers locked: the job waits for them, as a long export would still be running.
    const id = await t.database.system.transaction().execute(async (trx) => {
      await sql`LOCK TABLE customer IN ACCESS EXCLUSIVE MODE`.execute(trx);
      const res = await start({});
      expect(res.statusCode, res.body).toBe(202);
      const cancelled = await t.owner.inject({ method: 'POST', url: `/api/v1/exports/jobs/${res.json().id}/cancel` });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json()).toMatchObject({ status: 'running', cancelRequested: true });
      return res.json().id as string;
    });
    const job = await settled(id);
    expect(job).toMatchObject({ status: 'cancelled', file: null, error: null });
    const chunks = await sql<{ n: number }>`SELECT count(*)::int AS n FROM bulk_job_file WHERE job_id = ${id}`.execute(
      t.database.system,
    );
    expect(chunks.rows[0]?.n).toBe(0);
    const again = await t.owner.inject({ method: 'POST', url: `/api/v1/exports/jobs/${id}/cancel` });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('This export has already been cancelled');
    const file = await t.owner.inject({ method: 'GET', url: `/api/v1/exports/jobs/${id}/file` });
    expect(file.statusCode).toBe(409);
    const entry = (await t.owner.inject({ method: 'GET', url: '/api/v1/exports?limit=5' }))
      .json()
      .items.find((item: { id: string }) => item.id === id);
    expect(entry).toMatchObject({ status: 'failed', rows: null, job: { status: 'cancelled' } });
  });
});

describe('keeping the file', () => {
  it('deletes files older than seven days; the job stays, without a file', async () => {
    const job = await finishedJob({ fields: ['id'] });
    expect(await purgeExportFiles(t.database.system, 7)).toBe(0);
    await sql`UPDATE bulk_job SET finished_at = now() - interval '8 days' WHERE id = ${job.id}`.execute(
      t.database.system,
    );
    expect(await purgeExportFiles(t.database.system, 7)).toBe(1);
    const after = (await t.owner.inject({ method: 'GET', url: `/api/v1/exports/jobs/${job.id}` })).json();
    expect(after).toMatchObject({ status: 'done', file: null, progress: { rowsDone: 23 } });
    const file = await t.owner.inject({ method: 'GET', url: `/api/v1/exports/jobs/${job.id}/file` });
    expect(file.statusCode).toBe(409);
    expect(file.json().detail).toBe('The file was deleted 7 days after the export: export again');
  });
});

describe('who may', () => {
  it('refuses people without the export permission', async () => {
    const job = await finishedJob({ fields: ['id'] });
    const cashier = await t.as('cashier');
    expect((await start({}, cashier)).statusCode).toBe(403);
    for (const url of [
      '/api/v1/exports/jobs',
      `/api/v1/exports/jobs/${job.id}`,
      `/api/v1/exports/jobs/${job.id}/file`,
    ]) {
      expect((await cashier.inject({ method: 'GET', url })).statusCode, url).toBe(403);
    }
    expect((await cashier.inject({ method: 'POST', url: `/api/v1/exports/jobs/${job.id}/cancel` })).statusCode).toBe(
      403,
    );
  });

  it("keeps another merchant's exports out of sight", async () => {
    const job = await finishedJob({ fields: ['firstName'] });
    const other = await t.addMerchant('Other shop');
    for (const url of [`/api/v1/exports/jobs/${job.id}`, `/api/v1/exports/jobs/${job.id}/file`]) {
      expect((await other.owner.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
    expect(
      (await other.owner.inject({ method: 'POST', url: `/api/v1/exports/jobs/${job.id}/cancel` })).statusCode,
    ).toBe(404);
    expect((await other.owner.inject({ method: 'GET', url: '/api/v1/exports/jobs' })).json().items).toEqual([]);
    expect((await other.owner.inject({ method: 'GET', url: '/api/v1/exports' })).json().items).toEqual([]);
  });
});

describe('counting rows as the CSV passes', () => {
  it('ends a row at a line break outside quotes only, across chunk boundaries', () => {
    const text = 'a,b\n"one\nline","say ""hi""\n"\n"",x\n\n';
    for (let size = 1; size <= text.length; size++) {
      const counter = new CsvRowCounter();
      for (let at = 0; at < text.length; at += size) counter.count(Buffer.from(text.slice(at, at + size)));
      expect(counter.rows, `chunks of ${size}`).toBe(4);
    }
  });
});

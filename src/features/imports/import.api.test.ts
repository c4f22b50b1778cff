import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../tests/support/app.ts';
import { newCustomer } from '../../../tests/support/factories.ts';
import { purgeImportFiles } from './import.repository.ts';
import type { ImportJob } from './import.schema.ts';

/**
 * Importing customers from CSV through the API: upload (multipart or raw), the dry run as a background
 * job, the rows that will be created, skipped and rejected with their reasons, the error file, and the
 * commit: all or nothing, or the valid rows only.
 */
let t: TestApp;
let cashier: Client;

beforeAll(async () => {
  t = await createTestApp();
  cashier = await t.as('cashier');
  await t.owner.inject({
    method: 'PATCH',
    url: '/api/v1/settings',
    payload: { defaultCountry: 'AU', currency: 'AUD' },
  });
});
afterAll(async () => {
  await t?.close();
});

function multipart(file: Buffer, fileName: string) {
  const boundary = `----patron${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(file: Buffer | string, query = '', by: Client = t.owner) {
  const body = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
  return by.inject({ method: 'POST', url: `/api/v1/imports?${query}`, ...multipart(body, 'customers.csv') });
}

/** Follow a job until it leaves `status`. */
async function settled(id: string, from: ImportJob['status'][] = ['validating', 'committing']): Promise<ImportJob> {
  for (let i = 0; i < 200; i++) {
    const job = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${id}` })).json() as ImportJob;
    if (!from.includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Import ${id} did not finish`);
}

async function checked(file: Buffer | string, query = ''): Promise<ImportJob> {
  const res = await upload(file, query);
  expect(res.statusCode, res.body).toBe(202);
  return settled(res.json().id);
}

/** A customer added through the API, by `by` (the owner by default). */
async function addCustomer(overrides: Record<string, unknown>, by: Client = t.owner) {
  const res = await by.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; code: string };
}

async function customersMatching(q: string) {
  return (await t.owner.inject({ method: 'GET', url: `/api/v1/customers?q=${encodeURIComponent(q)}` })).json()
    .items as { id: string; firstName: string; email: string; phone: string; group: { name: string } }[];
}

describe('template and columns', () => {
  it('offers a template with every importable column and an example row, and documents each column', async () => {
    const res = await t.owner.inject({ method: 'GET', url: '/api/v1/imports/template' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('patron-customers-template.csv');
    const [header, example] = res.body.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(header).toContain('First name');
    expect(header).toContain('Loyalty points');
    expect(example?.length).toBeGreaterThan(20);
    const columns = (await t.owner.inject({ method: 'GET', url: '/api/v1/imports/columns' })).json().items;
    expect(columns.find((c: { key: string }) => c.key === 'email')).toMatchObject({
      header: expect.any(String),
      meaning: expect.any(String),
      format: expect.any(String),
    });
  });

  it('reads its own template back: one customer to create', async () => {
    const template = (await t.owner.inject({ method: 'GET', url: '/api/v1/imports/template' })).body;
    const job = await checked(template);
    expect(job.status, job.error ?? '').toBe('validated');
    expect(job.file?.layout).toBe('patron');
    expect(job.counts).toMatchObject({ create: 1, reject: 0 });
  });
});

describe('the dry run', () => {
  it('says which rows will be created, skipped and rejected, and why, before writing anything', async () => {
    const existing = await t.owner.inject({
      method: 'POST',
      url: '/api/v1/customers',
      payload: newCustomer({ email: 'already@example.com' }),
    });
    expect(existing.statusCode).toBe(201);
    const file = [
      'First name,Last name,Email,Phone,Tax exempt,Sales tax number,Customer group,Loyalty points,Store credit',
      'Ana,Lima,ana.lima@example.com,0412 345 678,no,,Trade,120,15.50',
      'Ben,Okafor,not-an-email,,,,,,',
      ',,,,,,,,',
      'Cleo,Park,ana.lima@example.com,,,,,,',
      'Dev,Rao,already@example.com,,,,,,',
      'Eve,Stone,eve@example.com,4.41234E+11,,,,,',
      'Finn,Walsh,finn@example.com,,yes,,,,',
      '"Gia","O\'Neil, Jr",gia@example.com,\'+61 2 9876 5432,,,Trade,,',
    ].join('\r\n');
    const job = await checked(file);
    expect(job.status, job.error ?? '').toBe('validated');
    expect(job.counts).toEqual({ create: 2, update: 0, delete: 0, skip: 1, reject: 4, newGroups: ['Trade'] });
    const problems = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/problems` })).json().items;
    const byLine = Object.fromEntries(
      problems.map((p: { line: number; action: string; problems: { column: string | null; reason: string }[] }) => [
        p.line,
        { action: p.action, text: p.problems.map((x) => `${x.column}: ${x.reason}`).join('; ') },
      ]),
    );
    expect(byLine[3]).toMatchObject({ action: 'reject', text: expect.stringContaining('Email') });
    expect(byLine[5]).toMatchObject({ action: 'reject', text: expect.stringContaining('same email as line 2') });
    expect(byLine[6]).toMatchObject({ action: 'skip', text: expect.stringContaining('Already a customer') });
    expect(byLine[7]).toMatchObject({ action: 'reject', text: expect.stringContaining('scientific notation') });
    expect(byLine[8]).toMatchObject({ action: 'reject', text: expect.stringContaining('Sales tax number') });
    // The blank line 4 is no customer at all: skipped over, not reported.
    expect(byLine[4]).toBeUndefined();
    // Nothing written yet.
    expect(await customersMatching('ana.lima@example.com')).toEqual([]);

    // The error file: each row as it was, with its line, the column and the reason.
    const errors = await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/errors.csv` });
    expect(errors.statusCode).toBe(200);
    const lines = errors.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      'First name,Last name,Email,Phone,Tax exempt,Sales tax number,Customer group,Loyalty points,Store credit,Error: line,Error: column,Error: reason',
    );
    expect(lines.find((l) => l.startsWith('Ben,'))).toMatch(/^Ben,Okafor,not-an-email,,,,,,,3,Email,/);
    expect(lines).toHaveLength(1 + 5);

    // All or nothing is refused while rows are rejected; the valid rows go in.
    const all = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/imports/${job.id}/commit`,
      payload: { mode: 'all' },
    });
    expect(all.statusCode).toBe(422);
    expect(all.json().errors[0]).toMatchObject({ field: 'mode', code: 'rows_rejected' });
    const valid = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/imports/${job.id}/commit`,
      payload: { mode: 'valid' },
    });
    expect(valid.statusCode, valid.body).toBe(202);
    const done = await settled(job.id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.result).toEqual({ created: 2, groups: 1, updated: 0, deleted: 0 });

    const [ana] = await customersMatching('ana.lima@example.com');
    expect(ana).toMatchObject({ firstName: 'Ana', phone: '0412 345 678', group: { name: 'Trade' } });
    const [gia] = await customersMatching('gia@example.com');
    expect(gia).toMatchObject({ firstName: 'Gia', phone: '+61 2 9876 5432' });
    // Opening balances: ledger entries with reason import.
    const balances = (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${ana?.id}/balances` })).json();
    expect(balances).toMatchObject({ loyaltyPoints: 120, storeCredit: 1550 });
    const ledger = (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${ana?.id}/balance-entries` })).json()
      .items;
    expect(ledger.map((e: { reason: string }) => e.reason)).toEqual(['import', 'import']);
    const audit = (await t.owner.inject({ method: 'GET', url: '/api/v1/audit-events?action=customer.imported' })).json()
      .items;
    expect(audit[0]).toMatchObject({ entityId: job.id, changes: { created: 2, skipped: 1, rejected: 4 } });
  });

  it('imports every row when all are valid, all or nothing', async () => {
    const job = await checked('first_name;last_name;email\nHana;Sato;hana@example.com\nIvo;Petrov;ivo@example.com\n');
    expect(job.counts).toMatchObject({ create: 2, reject: 0, skip: 0 });
    await t.owner.inject({ method: 'POST', url: `/api/v1/imports/${job.id}/commit`, payload: { mode: 'all' } });
    expect((await settled(job.id)).status).toBe('done');
    expect(await customersMatching('hana@example.com')).toHaveLength(1);
  });
});

describe('duplicates', () => {
  it('reports customers already in the directory first, then the same email or code twice in the file', async () => {
    await addCustomer({ email: 'xena@example.com', code: 'CX-1' });
    const job = await checked(
      [
        'First name,Last name,Email,Customer code',
        'Amy,One,amy@example.com,K-1',
        'Ben,Two,AMY@example.com,K-2',
        'Cal,Three,cal@example.com,k-1',
        'Dee,Four,dee@example.com,K-2',
        'Eve,Five,xena@example.com,K-3',
        'Fay,Six,fay@example.com,CX-1',
        'Gus,Seven,Xena@example.com,cx-1',
        'Hal,Eight,xena@example.com,K-4',
      ].join('\n'),
    );
    expect(job.status, job.error ?? '').toBe('validated');
    const problems = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/problems` })).json().items;
    expect(
      problems.map((p: { line: number; action: string; problems: { column: string; reason: string }[] }) => [
        p.line,
        p.action,
        p.problems.map((x) => `${x.column}: ${x.reason}`).join('; '),
      ]),
    ).toEqual([
      [3, 'reject', 'Email: The same email as line 2 of the file'],
      // Line 3 no longer counts: Dee on line 5 is the first to be created with K-2.
      [4, 'reject', 'Customer code: The same customer code as line 2 of the file'],
      [6, 'skip', 'Email: Already a customer with this email (CX-1)'],
      [7, 'reject', 'Customer code: Another customer already has this customer code (CX-1)'],
      // A code someone has outweighs an email someone has.
      [8, 'reject', 'Customer code: Another customer already has this customer code (CX-1)'],
      // Already a customer, like line 6: not a second customer with line 6's email.
      [9, 'skip', 'Email: Already a customer with this email (CX-1)'],
    ]);
    expect(job.counts).toMatchObject({ create: 2, skip: 2, reject: 4 });
  });

  it("looks up only this merchant's customers who are not deleted, in every batch of the file", async () => {
    const other = await t.addMerchant('Other shop');
    await addCustomer({ email: 'elsewhere@example.com', code: 'EL-1' }, other.owner);
    const gone = await addCustomer({ email: 'gone@example.com', code: 'GO-1' });
    const deleted = await t.owner.inject({ method: 'DELETE', url: `/api/v1/customers/${gone.id}` });
    expect(deleted.statusCode, deleted.body).toBeLessThan(300);
    const here = await addCustomer({ email: 'late@example.com', code: 'LA-1' });
    // 1,500 people: the last ones are staged in a second batch of the dry run.
    const rows = Array.from({ length: 1500 }, (_, i) => `Many,Person${i},many${i}@example.com,MP-${i}`);
    rows[0] = 'Ola,Elsewhere,elsewhere@example.com,EL-1';
    rows[1] = 'Gil,Gone,gone@example.com,GO-1';
    rows[1399] = 'Lea,Late,late@example.com,LP-1';
    const job = await checked(['First name,Last name,Email,Customer code', ...rows].join('\n'));
    expect(job.status, job.error ?? '').toBe('validated');
    expect(job.counts).toMatchObject({ create: 1499, skip: 1, reject: 0 });
    expect(job.firstProblems).toEqual([
      {
        line: 1401,
        action: 'skip',
        problems: [{ column: 'Email', reason: `Already a customer with this email (${here.code})` }],
      },
    ]);
  });

  it('looks the directory up again when the rows are written all or nothing', async () => {
    const job = await checked('First name,Email,Customer code\nIsa,isa@example.com,RE-1\nJon,jon@example.com,RE-2\n');
    expect(job.counts).toMatchObject({ create: 2, skip: 0, reject: 0 });
    // Between the dry run and the commit, someone adds Jon at the till.
    const jon = await addCustomer({ email: 'jon@example.com', code: 'TILL-9' });
    await t.owner.inject({ method: 'POST', url: `/api/v1/imports/${job.id}/commit`, payload: { mode: 'all' } });
    const done = await settled(job.id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(done.counts).toMatchObject({ create: 1, skip: 1, reject: 0 });
    expect(done.result).toMatchObject({ created: 1 });
    expect((await customersMatching('jon@example.com')).map((c) => c.id)).toEqual([jon.id]);
  });
});

describe('a large file', () => {
  it('checks 20,000 rows, finding a duplicate at the far end of the file', async () => {
    // Staged rows are counted for the planner before the checks over the whole file: a planner that
    // believes the staging table empty joins 20,000 rows with each other row by row (minutes).
    const rows = Array.from({ length: 20_000 }, (_, i) => `Bulk,Person${i},bulk${i}@example.com`);
    const job = await checked(['First name,Last name,Email', ...rows, 'Late,Twin,bulk0@example.com'].join('\n'));
    expect(job.status, job.error ?? '').toBe('validated');
    expect(job.counts).toMatchObject({ create: 20_000, reject: 1 });
    expect(job.firstProblems).toEqual([
      {
        line: 20_002,
        action: 'reject',
        problems: [{ column: 'Email', reason: 'The same email as line 2 of the file' }],
      },
    ]);
  }, 60_000);
});

describe('messy files', () => {
  it('reads Windows-1252, semicolons, CRLF, quoted newlines and yes/no in any case', async () => {
    const text =
      'Vorname;Nachname;E-Mail;Notiz;Newsletter\r\nJosé;Müller;jose@example.com;"Line one\r\nline two; still";YES\r\n';
    const bytes = Buffer.from(text, 'latin1');
    const job = await checked(bytes);
    expect(job.status, job.error ?? '').toBe('validated');
    expect(job.file).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    // The file as it was uploaded stays with the import, byte for byte.
    const original = await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/file` });
    expect(original.statusCode).toBe(200);
    expect(original.rawPayload.equals(bytes)).toBe(true);
  });

  it('gives back a rejected row exactly as it was: quotes, backslashes, tabs, braces and line breaks', async () => {
    const note = 'He said "hi"\\ then\ttabbed {a,b} \\N\r\nand left';
    const file = `First name,Email,Note\nOdd,not-an-email,"${note.replace(/"/g, '""')}"\n`;
    const job = await checked(file);
    expect(job.counts).toMatchObject({ reject: 1 });
    const errors = await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/errors.csv` });
    const [row] = parse(errors.body.replace(/^\uFEFF/, ''), { from_line: 2 }) as string[][];
    expect(row?.slice(0, 3)).toEqual(['Odd', 'not-an-email', note]);
  });

  it('recognises a Shopify customer export', async () => {
    const file = [
      'First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address City,Default Address Country Code,Default Address Zip,Phone,Total Spent,Total Orders,Note,Tax Exempt,Tags',
      'Kai,Nguyen,kai@example.com,yes,,1 Main St,Melbourne,AU,3000,+61 3 9000 0000,120.50,3,VIP,no,',
    ].join('\n');
    const job = await checked(file);
    expect(job.file).toMatchObject({ layout: 'shopify' });
    expect(job.counts).toMatchObject({ create: 1, reject: 0 });
    const ignored = job.file?.columns.filter((c) => c.status === 'ignored').map((c) => c.header);
    expect(ignored).toEqual(expect.arrayContaining(['Total Spent', 'Total Orders']));
  });

  it("reads a national phone number in the country of the customer's row, else the merchant's", async () => {
    // The merchant is in Australia; an international customer list gives each number as dialled at home.
    const file = [
      'First name,Last name,Phone,Country',
      'Oliver,Bennett,020 7946 0958,United Kingdom',
      'Lena,Vogel,030 901820,DE',
      'Mia,Brown,(02) 9655 8395,',
      'Noah,Clark,020 7946 0958,',
    ].join('\n');
    const job = await checked(file);
    // Without a country, 020 7946 0958 is read as Australian, and is not a valid Australian number.
    expect(job.counts).toMatchObject({ create: 3, reject: 1 });
    expect(job.firstProblems).toEqual([
      { line: 5, action: 'reject', problems: [{ column: 'Phone', reason: expect.stringContaining('AU') }] },
    ]);
    await t.owner.inject({ method: 'POST', url: `/api/v1/imports/${job.id}/commit`, payload: { mode: 'valid' } });
    expect((await settled(job.id)).status).toBe('done');
    const e164 = async (q: string) =>
      (await t.owner.inject({ method: 'GET', url: `/api/v1/customers?q=${q}` }))
        .json()
        .items.map((c: { phoneE164: string }) => c.phoneE164);
    expect(await e164('oliver%20bennett')).toEqual(['+442079460958']);
    expect(await e164('lena%20vogel')).toEqual(['+4930901820']);
    expect(await e164('mia%20brown')).toEqual(['+61296558395']);
  });

  it('names two columns that fill the same field, and imports nothing', async () => {
    const job = await checked('Email,E-mail address\nlee@example.com,lee@example.com\n');
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/both fill email/);
  });

  it('lets a person map a column by hand and check again', async () => {
    const job = await checked('Name of the person,Contact\nMara Quinn,mara@example.com\n');
    expect(job.file?.columns.find((c) => c.header === 'Contact')?.status).toBe('unknown');
    const again = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/imports/${job.id}/options`,
      payload: { dateOrder: 'day-first', mapping: { '0': 'fullName', '1': 'email' } },
    });
    expect(again.statusCode, again.body).toBe(202);
    const rechecked = await settled(job.id);
    expect(rechecked.counts).toMatchObject({ create: 1, reject: 0 });
  });
});

describe('bulk modify', () => {
  it('changes only the cells that differ, matched by record id, and lists the changes field by field', async () => {
    const make = async (overrides: Record<string, unknown>) =>
      (await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) })).json();
    const uma = await make({ firstName: 'Uma', lastName: 'Byrne', email: 'uma@example.com', note: 'Keep me' });
    const vic = await make({ firstName: 'Vic', lastName: 'Amos', email: 'vic@example.com' });
    const file = [
      'Record ID,First name,Last name,Email,Note',
      `${uma.id},Uma,Byrne-Hall,uma@example.com,`,
      `${vic.id},Vic,Amos,vic@example.com,`,
      '3f2b8c1e-5d4a-4c3b-9a7e-1f2d3c4b5a69,Nobody,Here,nobody@example.com,',
      `${uma.id},Uma,Again,,`,
      `${vic.id.toUpperCase().slice(0, 10)},x,y,,`,
    ].join('\n');
    const res = await upload(file, 'kind=modify&matchBy=id');
    expect(res.statusCode, res.body).toBe(202);
    const job = await settled(res.json().id);
    expect(job.status, job.error ?? '').toBe('validated');
    expect(job.counts).toMatchObject({ update: 1, skip: 1, reject: 3 });
    const changes = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/changes` })).json().items;
    expect(changes).toEqual([
      {
        line: 2,
        action: 'update',
        customer: { id: uma.id, name: 'Uma Byrne' },
        changes: { lastName: { from: 'Byrne', to: 'Byrne-Hall' } },
      },
    ]);
    const problems = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/problems` })).json().items;
    const reasons = problems.map((p: { line: number; problems: { reason: string }[] }) => [
      p.line,
      p.problems[0]?.reason,
    ]);
    expect(reasons).toEqual([
      [3, expect.stringContaining('Nothing to change')],
      [4, 'No customer has this record id'],
      [5, expect.stringContaining('same customer as line 2')],
      [6, expect.stringContaining('record id')],
    ]);
    await t.owner.inject({ method: 'POST', url: `/api/v1/imports/${job.id}/commit`, payload: { mode: 'valid' } });
    const done = await settled(job.id);
    expect(done.result).toMatchObject({ updated: 1 });
    const after = (await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${uma.id}` })).json();
    // Only the changed cell: the empty note cell left the note as it was.
    expect(after).toMatchObject({ lastName: 'Byrne-Hall', note: 'Keep me', version: uma.version + 1 });
    const events = (await t.owner.inject({ method: 'GET', url: `/api/v1/audit-events?entityId=${uma.id}` })).json()
      .items;
    expect(events[0]).toMatchObject({
      action: 'customer.updated',
      changes: { lastName: { from: 'Byrne', to: 'Byrne-Hall' } },
    });
  });

  it('clears empty cells when asked, and refuses a change that breaks the rules', async () => {
    const wes = (
      await t.owner.inject({
        method: 'POST',
        url: '/api/v1/customers',
        payload: newCustomer({ firstName: 'Wes', email: 'wes@example.com', note: 'Old note', code: 'WES-1' }),
      })
    ).json();
    const file = ['Customer code,Note,Tax exempt', 'wes-1,,yes'].join('\n');
    const job = await settled((await upload(file, 'kind=modify&matchBy=code&clearEmpty=true')).json().id);
    expect(job.counts).toMatchObject({ update: 0, reject: 1 });
    const problems = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/problems` })).json().items;
    expect(problems[0].problems[0].reason).toContain('sales tax number');
    const fixed = ['Customer code,Note', 'WES-1,'].join('\n');
    const again = await settled((await upload(fixed, 'kind=modify&matchBy=code&clearEmpty=true')).json().id);
    const why = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${again.id}/problems` })).json().items;
    expect(again.counts, JSON.stringify(why)).toMatchObject({ update: 1, reject: 0 });
    await t.owner.inject({ method: 'POST', url: `/api/v1/imports/${again.id}/commit`, payload: { mode: 'all' } });
    await settled(again.id);
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${wes.id}` })).json().note).toBeNull();
  });
});

describe('round trip', () => {
  it('exports customers and reads the file back as a modify with nothing to change', async () => {
    for (const overrides of [
      { firstName: 'Round', lastName: 'Trip', email: 'round@example.com', phone: '+1 212 555 0101', note: '=1+1' },
      {
        firstName: 'Zoë',
        lastName: "O'Hara, Jr",
        companyName: '@handle',
        physicalAddress: { city: 'Köln', country: 'DE' },
      },
    ]) {
      const res = await t.owner.inject({ method: 'POST', url: '/api/v1/customers', payload: newCustomer(overrides) });
      expect(res.statusCode, res.body).toBe(201);
    }
    const exported = await t.owner.inject({ method: 'GET', url: '/api/v1/customers/export' });
    expect(exported.statusCode, exported.body.slice(0, 200)).toBe(200);
    expect(exported.body).toContain("'=1+1");
    const total =
      exported.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n(?=(?:[^"]*"[^"]*")*[^"]*$)/).length - 1;
    const job = await checked(exported.rawPayload, 'kind=modify&matchBy=id');
    expect(job.status, job.error ?? '').toBe('validated');
    expect(job.file?.layout).toBe('patron');
    expect(job.counts).toMatchObject({ update: 0, reject: 0, skip: total });
  });
});

describe('bulk delete', () => {
  it('lists who will be deleted, then deletes them: gone from the list, kept under their id in reports', async () => {
    const xan = (
      await t.owner.inject({
        method: 'POST',
        url: '/api/v1/customers',
        payload: newCustomer({ firstName: 'Xan', email: 'xan@example.com' }),
      })
    ).json();
    const manager = await t.as('manager');
    const refused = await upload('Email\nxan@example.com\n', 'kind=delete&matchBy=email', cashier);
    expect(refused.statusCode).toBe(403);
    const res = await upload(
      'Email\nXAN@example.com\nnobody@nowhere.example.com\n',
      'kind=delete&matchBy=email',
      manager,
    );
    expect(res.statusCode, res.body).toBe(202);
    const job = await settled(res.json().id);
    expect(job.counts).toMatchObject({ delete: 1, reject: 1 });
    const who = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${job.id}/changes` })).json().items;
    expect(who).toEqual(
      [{ line: 2, action: 'delete', customer: { id: xan.id, name: 'Xan Doe' }, changes: {} }].map((x) => ({
        ...x,
        customer: { id: xan.id, name: expect.any(String) },
      })),
    );
    await t.owner.inject({ method: 'POST', url: `/api/v1/imports/${job.id}/commit`, payload: { mode: 'valid' } });
    expect((await settled(job.id)).result).toMatchObject({ deleted: 1 });
    expect((await t.owner.inject({ method: 'GET', url: `/api/v1/customers/${xan.id}` })).statusCode).toBe(404);
    expect(await customersMatching('xan@example.com')).toEqual([]);
  });
});

describe('permissions', () => {
  it('needs the import permission', async () => {
    const res = await upload('Email\nx@example.com\n', '', cashier);
    expect(res.statusCode).toBe(403);
  });
});

describe('keeping the file', () => {
  it('deletes an import’s file and rows 30 days after it ended, and sets aside a dry run left as long; the jobs stay', async () => {
    const file = 'First name,Last name,Email\nKeeper,Filewright,keeper.filewright@example.com\n,,not-an-email\n';
    const done = await checked(file);
    // A dry run waiting to be committed is kept 30 days too.
    expect(new Date(done.filesKeptUntil as string).getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
    await t.owner.inject({ method: 'POST', url: `/api/v1/imports/${done.id}/commit`, payload: { mode: 'valid' } });
    const finished = await settled(done.id);
    expect(finished.status).toBe('done');
    const keptUntil = new Date(finished.filesKeptUntil as string).getTime();
    expect(keptUntil - new Date(finished.finishedAt as string).getTime()).toBe(30 * 24 * 3600 * 1000);
    const left = await checked('Email\nleft.behind@example.com\n');
    expect(left.status).toBe('validated');

    // Nothing is old enough yet.
    expect(await purgeImportFiles(t.database.system, 30)).toBe(0);
    await sql`UPDATE bulk_job SET finished_at = now() - interval '31 days' WHERE id = ${done.id}`.execute(
      t.database.system,
    );
    await sql`UPDATE bulk_job SET updated_at = now() - interval '31 days' WHERE id = ${left.id}`.execute(
      t.database.system,
    );
    expect(await purgeImportFiles(t.database.system, 30)).toBe(2);
    expect(await purgeImportFiles(t.database.system, 30)).toBe(0);

    const after = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${done.id}` })).json() as ImportJob;
    expect(after).toMatchObject({ status: 'done', result: { created: 1 }, filesKeptUntil: null, firstProblems: [] });
    expect(after.filesDeletedAt).toEqual(expect.any(String));
    for (const path of ['file', 'errors.csv', 'problems', 'changes']) {
      const res = await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${done.id}/${path}` });
      expect(res.statusCode, path).toBe(409);
      expect(res.json().detail, path).toMatch(
        /^The file and the rows of this import were deleted on \d{4}-\d{2}-\d{2}, 30 days after it ended: upload the file again$/,
      );
    }
    const { rows } = await sql<{ files: number; staged: number }>`
      SELECT (SELECT count(*)::int FROM bulk_job_file WHERE job_id IN (${done.id}, ${left.id})) AS files,
             (SELECT count(*)::int FROM import_row WHERE job_id IN (${done.id}, ${left.id})) AS staged`.execute(
      t.database.system,
    );
    expect(rows[0]).toEqual({ files: 0, staged: 0 });
    // The customers it wrote stay.
    expect((await customersMatching('keeper.filewright@example.com')).map((c) => c.firstName)).toEqual(['Keeper']);

    const setAside = (await t.owner.inject({ method: 'GET', url: `/api/v1/imports/${left.id}` })).json() as ImportJob;
    expect(setAside).toMatchObject({
      status: 'cancelled',
      error: 'Not committed within 30 days: the file and its checked rows were deleted',
    });
    const commit = await t.owner.inject({
      method: 'POST',
      url: `/api/v1/imports/${left.id}/commit`,
      payload: { mode: 'valid' },
    });
    expect(commit.statusCode).toBe(409);
    expect(await customersMatching('left.behind@example.com')).toEqual([]);
  });
});

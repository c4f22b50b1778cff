import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCell } from './cells.ts';
import { buildTemplateCsv, importableColumns } from './columns.ts';
import { recogniseHeader } from './layouts.ts';
import { CsvFileError, type CsvRecord, MAX_RECORD_CHARS, readCsv } from './parse.ts';

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function records(bytes: Buffer | string, chunkSize = 1024) {
  const reading = await readCsv(chunks(Buffer.from(bytes), chunkSize));
  const all: CsvRecord[] = [];
  for await (const record of reading.records) all.push(record);
  return { reading, records: all };
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<CsvRecord[]> {
  const reading = await readCsv(source);
  const all: CsvRecord[] = [];
  for await (const record of reading.records) all.push(record);
  return all;
}

/** Records as "line: cell|cell" for compact expectations. */
async function lines(bytes: Buffer | string, chunkSize?: number): Promise<string[]> {
  const { records: all } = await records(bytes, chunkSize);
  return all.map((record) => `${record.line}: ${record.cells.join('|')}`);
}

describe('readCsv', () => {
  it('reads the header and the records with their line numbers', async () => {
    expect(await lines('First name,Email\nJane,jane@example.com\nJo,jo@example.com\n')).toEqual([
      '1: First name|Email',
      '2: Jane|jane@example.com',
      '3: Jo|jo@example.com',
    ]);
  });

  it('drops a UTF-8 byte-order mark', async () => {
    const { reading, records: all } = await records(Buffer.from('\uFEFFFirst name,Email\nJosé,jose@example.com\n'));
    expect(all[0]?.cells).toEqual(['First name', 'Email']);
    expect(all[1]?.cells).toEqual(['José', 'jose@example.com']);
    expect(reading).toMatchObject({ encoding: 'utf-8', byteOrderMark: true });
  });

  it('reads a Windows-1252 file ("José" as 0xE9)', async () => {
    const bytes = Buffer.from([
      ...Buffer.from('Name;City\r\nJos'),
      0xe9,
      ...Buffer.from(';M'),
      0xfc,
      ...Buffer.from('nchen\r\n'),
    ]);
    const { reading, records: all } = await records(bytes, 5);
    expect(all.map((record) => record.cells)).toEqual([
      ['Name', 'City'],
      ['José', 'München'],
    ]);
    expect(reading).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
  });

  it('reads CRLF line endings', async () => {
    expect(await lines('a,b\r\n1,2\r\n3,4\r\n')).toEqual(['1: a|b', '2: 1|2', '3: 3|4']);
  });

  it('reads old Mac CR line endings', async () => {
    expect(await lines('a,b\r1,2\r3,4\r')).toEqual(['1: a|b', '2: 1|2', '3: 3|4']);
  });

  it('reads semicolon-delimited files', async () => {
    const { reading, records: all } = await records('Name;Store credit\nJane;12,50\n');
    expect(reading.delimiter).toBe(';');
    expect(all[1]?.cells).toEqual(['Jane', '12,50']);
  });

  it('reads tab-delimited files', async () => {
    const { reading, records: all } = await records('Name\tNote\nJane\tlikes, commas; and semicolons\n');
    expect(reading.delimiter).toBe('\t');
    expect(all[1]?.cells).toEqual(['Jane', 'likes, commas; and semicolons']);
  });

  it('takes the delimiter it is given', async () => {
    const reading = await readCsv(chunks(Buffer.from('a;b,c\n1;2,3\n'), 100), { delimiter: ',' });
    const all: string[][] = [];
    for await (const record of reading.records) all.push(record.cells);
    expect(all).toEqual([
      ['a;b', 'c'],
      ['1;2', '3'],
    ]);
  });

  it('reads quoted cells with delimiters, doubled quotes and line breaks, and counts lines after them', async () => {
    const text = [
      'Name,Note,City',
      '"Citizen, Jane","She said ""hi""",Sydney',
      'Jo,"line one',
      'line two',
      'line three",Perth',
      'Sam,plain,Hobart',
      '',
    ].join('\n');
    expect(await lines(text)).toEqual([
      '1: Name|Note|City',
      '2: Citizen, Jane|She said "hi"|Sydney',
      '3: Jo|line one\nline two\nline three|Perth',
      '6: Sam|plain|Hobart',
    ]);
  });

  it('counts a CRLF inside a quoted cell as one line', async () => {
    const text = 'Name,Note\r\nJo,"one\r\ntwo\r\nthree"\r\nSam,x\r\n\r\nAl,y\r\n';
    expect(await lines(text)).toEqual(['1: Name|Note', '2: Jo|one\r\ntwo\r\nthree', '5: Sam|x', '7: Al|y']);
  });

  it('skips blank lines and rows of empty cells, keeping the line numbers of the file', async () => {
    const text = '\nName,Email,,\n\n\nJane,jane@example.com,,\n,,,\n  ,  \nJo,jo@example.com\n\n';
    expect(await lines(text)).toEqual(['2: Name|Email', '5: Jane|jane@example.com', '8: Jo|jo@example.com']);
  });

  it('drops trailing empty cells but keeps empty cells between others', async () => {
    expect(await lines('a,b,c,,\n1,,3,,,\n,2\n')).toEqual(['1: a|b|c', '2: 1||3', '3: |2']);
  });

  it('keeps a stray quote inside an unquoted cell as text', async () => {
    expect(await lines('Name,Note\nJo,5" screen\n')).toEqual(['1: Name|Note', '2: Jo|5" screen']);
  });

  it('keeps the apostrophe of spreadsheet cells for the cell readers to remove', async () => {
    expect(await lines("Phone,Code\n'+44 20 7946 0958,'0123\n")).toEqual([
      '1: Phone|Code',
      "2: '+44 20 7946 0958|'0123",
    ]);
  });

  it('reads the same records whatever the chunk size', async () => {
    const text = '\uFEFFName;Note\r\n"Zoë";"a\r\nb; ""c"""\r\n\r\nJosé;€\r\n';
    const expected = await lines(text, 1024);
    expect(expected).toEqual(['1: Name|Note', '2: Zoë|a\r\nb; "c"', '5: José|€']);
    for (const size of [1, 2, 3, 5, 7]) expect(await lines(text, size), `chunks of ${size}`).toEqual(expected);
  });

  it('reads a file with only a header, and an empty file', async () => {
    expect(await lines('Name,Email')).toEqual(['1: Name|Email']);
    expect(await lines('')).toEqual([]);
  });

  it('says on which line a quoted cell is never closed', async () => {
    const text = 'Name,Note\nJane,ok\n\nJo,"never closed\nSam,x\n';
    await expect(lines(text)).rejects.toThrow(
      new CsvFileError(
        'A quoted cell starting on line 4 is never closed: a cell that starts with " must end with "',
        4,
      ),
    );
    await expect(lines(text)).rejects.toMatchObject({ line: 4 });
  });

  it('stops at a row too long to be a customer instead of holding the rest of the file', async () => {
    const text = `Name,Note\nJane,ok\nJo,"${'x'.repeat(MAX_RECORD_CHARS + 10)}`;
    await expect(lines(text, 64 * 1024)).rejects.toMatchObject({
      name: 'CsvFileError',
      line: 3,
      message: expect.stringMatching(/^The row starting on line 3 is longer than/),
    });
  });

  it.each([
    ['in the first 64 KiB', 100],
    ['after the first 64 KiB', 200_000],
  ])('passes on an error of the source %s', async (_where, bytes) => {
    async function* failing() {
      yield Buffer.from(`Name,Note\nJane,${'x'.repeat(bytes)}\n`);
      throw new Error('connection reset');
    }
    await expect(records(Buffer.alloc(0)).then(() => readAll(failing()))).rejects.toThrow('connection reset');
  });

  it('streams: the first records arrive long before the source ends', async () => {
    let produced = 0;
    const rows = 50_000;
    async function* big() {
      yield Buffer.from('Name,Email\n');
      for (let i = 0; i < rows; i += 100) {
        let block = '';
        for (let j = i; j < i + 100; j++) block += `Customer ${j},c${j}@example.com\n`;
        produced += 100;
        yield Buffer.from(block);
      }
    }
    const reading = await readCsv(big());
    let count = 0;
    let producedAtFirstRecord = -1;
    for await (const record of reading.records) {
      if (count === 1) producedAtFirstRecord = produced;
      count++;
      if (count === rows + 1)
        expect(record).toEqual({ line: rows + 1, cells: [`Customer ${rows - 1}`, `c${rows - 1}@example.com`] });
    }
    expect(count).toBe(rows + 1);
    expect(producedAtFirstRecord).toBeLessThan(rows / 10);
  });

  it('stops reading the source when the reader stops early', async () => {
    let finished = false;
    async function* source() {
      try {
        for (let i = 0; i < 100_000; i++) yield Buffer.from(`row ${i},x\n`);
      } finally {
        finished = true;
      }
    }
    const reading = await readCsv(source());
    for await (const record of reading.records) if (record.line === 3) break;
    await expect.poll(() => finished).toBe(true);
  });

  it('reads a Node stream', async () => {
    const reading = await readCsv(Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n')]));
    const all: string[][] = [];
    for await (const record of reading.records) all.push(record.cells);
    expect(all).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads back its own template: every example cell is accepted', async () => {
    const { records: all } = await records(Buffer.from(buildTemplateCsv()));
    const [header, example] = all;
    const recognition = recogniseHeader(header?.cells ?? []);
    expect(recognition.layout).toBe('patron');
    const options = { dateOrder: 'day-first', currencyExponent: 2 } as const;
    const values = Object.fromEntries(
      importableColumns().map((column, index) => [
        column.key,
        readCell(column.kind, example?.cells[index] ?? '', options),
      ]),
    );
    expect(values.phone).toEqual({ ok: true, value: '+61 2 9876 5432' });
    expect(values.id).toEqual({ ok: true, value: null });
    expect(values.storeCredit).toEqual({ ok: true, value: 1250 });
    expect(Object.values(values).every((result) => result.ok)).toBe(true);
  });
});

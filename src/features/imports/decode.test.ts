import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeText } from './decode.ts';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The bytes in chunks of `size` bytes, as a stream would bring them. */
async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decodeAll(source: AsyncIterable<Uint8Array>, options?: { sampleBytes?: number }) {
  const decoded = decodeText(source, options);
  let text = '';
  for await (const part of decoded) text += part;
  return { text, encoding: decoded.encoding, byteOrderMark: decoded.byteOrderMark };
}

describe('decodeText', () => {
  it('reads UTF-8 and drops its byte-order mark', async () => {
    const bytes = Buffer.concat([BOM, Buffer.from('Name\nJosé\n')]);
    expect(await decodeAll(chunks(bytes, 1024))).toEqual({
      text: 'Name\nJosé\n',
      encoding: 'utf-8',
      byteOrderMark: true,
    });
  });

  it('finds the byte-order mark when it is split across chunks', async () => {
    const bytes = Buffer.concat([BOM, Buffer.from('Zoë')]);
    expect(await decodeAll(chunks(bytes, 1))).toEqual({ text: 'Zoë', encoding: 'utf-8', byteOrderMark: true });
  });

  it('reads a file of only a byte-order mark, or of nothing', async () => {
    expect((await decodeAll(chunks(BOM, 2))).text).toBe('');
    expect(await decodeAll(chunks(Buffer.alloc(0), 1))).toEqual({ text: '', encoding: 'utf-8', byteOrderMark: false });
  });

  it('reads UTF-8 without a byte-order mark', async () => {
    const text = 'Name,City\nJosé,Zürich\n"Łukasz",Kraków\n李,北京\n😀,Emoji\n';
    expect(await decodeAll(chunks(Buffer.from(text), 7))).toEqual({ text, encoding: 'utf-8', byteOrderMark: false });
  });

  it('joins a multi-byte UTF-8 character split across chunks, at every split', async () => {
    const text = 'aé€😀z';
    const bytes = Buffer.from(text);
    for (let split = 1; split < bytes.length; split++) {
      async function* twoChunks() {
        yield bytes.subarray(0, split);
        yield bytes.subarray(split);
      }
      expect((await decodeAll(twoChunks())).text, `split at ${split}`).toBe(text);
    }
  });

  it('joins split characters after the sample was decided', async () => {
    const text = `é${'x'.repeat(50)}€😀€`;
    expect(await decodeAll(chunks(Buffer.from(text), 3), { sampleBytes: 8 })).toMatchObject({
      text,
      encoding: 'utf-8',
    });
  });

  it('reads text that is not valid UTF-8 as Windows-1252 ("José" with 0xE9)', async () => {
    const bytes = Buffer.from([...Buffer.from('Name\nJos'), 0xe9, ...Buffer.from('\n')]);
    expect(await decodeAll(chunks(bytes, 4))).toEqual({
      text: 'Name\nJosé\n',
      encoding: 'windows-1252',
      byteOrderMark: false,
    });
  });

  it('reads the Windows-1252 characters that Latin-1 lacks: € and curly quotes', async () => {
    const bytes = Buffer.from([0x80, 0x20, 0x93, 0x51, 0x94, 0x20, 0x96, 0x20, 0x8a, 0x9f, 0x81]);
    expect(await decodeAll(chunks(bytes, 3))).toMatchObject({ text: '€ “Q” – ŠŸ\u0081', encoding: 'windows-1252' });
  });

  it('waits past plain ASCII to decide, however long', async () => {
    const ascii = 'Name,City\n'.repeat(20_000);
    const bytes = Buffer.concat([Buffer.from(ascii), Buffer.from([0x4a, 0x6f, 0x73, 0xe9])]);
    expect(await decodeAll(chunks(bytes, 64 * 1024))).toMatchObject({
      text: `${ascii}José`,
      encoding: 'windows-1252',
    });
  });

  it('decides on the sample: a later invalid byte becomes U+FFFD for the row to reject', async () => {
    const bytes = Buffer.concat([Buffer.from(`José${'x'.repeat(20)}`), Buffer.from([0xe9])]);
    expect(await decodeAll(chunks(bytes, 4), { sampleBytes: 8 })).toMatchObject({
      text: `José${'x'.repeat(20)}\uFFFD`,
      encoding: 'utf-8',
    });
  });

  it('takes UTF-8 cut off in the middle of a character at the end of the file as Windows-1252', async () => {
    const bytes = Buffer.from([...Buffer.from('Jos'), 0xc3]);
    expect(await decodeAll(chunks(bytes, 10))).toMatchObject({ text: 'JosÃ', encoding: 'windows-1252' });
  });

  it('reads UTF-16 with a byte-order mark (Excel "Unicode text")', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Name\tCity\nJosé\tZürich\n', 'utf16le')]);
    expect(await decodeAll(chunks(le, 3))).toEqual({
      text: 'Name\tCity\nJosé\tZürich\n',
      encoding: 'utf-16le',
      byteOrderMark: true,
    });
    const be = Buffer.from(le);
    be.swap16();
    expect(await decodeAll(chunks(be, 5))).toMatchObject({ text: 'Name\tCity\nJosé\tZürich\n', encoding: 'utf-16be' });
  });

  it('reads a Node stream', async () => {
    const stream = Readable.from([BOM, Buffer.from('a,b\n'), Buffer.from([0xc3]), Buffer.from([0xa9])]);
    expect(await decodeAll(stream)).toMatchObject({ text: 'a,b\né', encoding: 'utf-8' });
  });

  it('says utf-8 while everything so far is ASCII', async () => {
    const decoded = decodeText(chunks(Buffer.from('plain,ascii\n'), 4));
    const parts: string[] = [];
    for await (const part of decoded) {
      parts.push(part);
      expect(decoded.encoding).toBe('utf-8');
    }
    expect(parts.join('')).toBe('plain,ascii\n');
    expect(parts.length).toBeGreaterThan(1);
  });
});

/**
 * Bytes of an uploaded CSV file to text, streaming: chunks in, strings out, memory bounded by
 * the sample size whatever the file size.
 *
 * - A byte-order mark decides: UTF-8 (EF BB BF, what Excel's "CSV UTF-8" writes) or UTF-16
 *   (FF FE / FE FF, Excel's "Unicode text"). The mark itself is dropped.
 * - Without one, the first 64 KiB that hold a non-ASCII byte are the sample: valid UTF-8 means
 *   UTF-8, anything else is read as Windows-1252 (what Excel on Windows saves as plain "CSV" in
 *   western Europe, the Americas and Australia). Plain ASCII reads the same in both, so while the
 *   text is ASCII the decision waits.
 * - A UTF-8 character split across chunks is joined again (the decoder streams).
 * - Bytes that are not valid UTF-8 after a UTF-8 sample become U+FFFD, which `readText` in
 *   cells.ts rejects with a reason on the row that has them.
 */
import { isAscii } from 'node:buffer';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes of non-ASCII text to look at before deciding between UTF-8 and Windows-1252. */
export const SAMPLE_BYTES = 64 * 1024;

interface ChunkDecoder {
  decode(bytes?: Uint8Array, options?: { stream?: boolean }): string;
}

/** Windows-1252 0x80–0x9F; the rest of its bytes are the same code points as Latin-1. */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'.split('');

/**
 * Windows-1252 on its own: Node 20's `TextDecoder('windows-1252')` reads 0x80–0x9F as C1
 * control characters (Latin-1), which would turn € and curly quotes into invisible characters.
 */
const windows1252: ChunkDecoder = {
  decode(bytes) {
    if (!bytes) return '';
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      .toString('latin1')
      .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
  },
};

function decoderFor(encoding: TextEncodingName): ChunkDecoder {
  return encoding === 'windows-1252' ? windows1252 : new TextDecoder(encoding, { ignoreBOM: true });
}

const BYTE_ORDER_MARKS: { encoding: TextEncodingName; bytes: number[] }[] = [
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

function byteOrderMark(bytes: Uint8Array): (typeof BYTE_ORDER_MARKS)[number] | undefined {
  return BYTE_ORDER_MARKS.find((mark) => mark.bytes.every((byte, i) => bytes[i] === byte));
}

/** Valid UTF-8 so far; with `complete`, a character cut off at the end counts as invalid. */
function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** Text decoded from a stream of bytes; iterate it once. */
export interface DecodedText extends AsyncIterable<string> {
  /** The encoding read so far: `utf-8` while every byte has been ASCII, final at the end. */
  readonly encoding: TextEncodingName;
  /** The file started with a byte-order mark. */
  readonly byteOrderMark: boolean;
}

class StreamDecoding implements DecodedText {
  encoding: TextEncodingName = 'utf-8';
  byteOrderMark = false;
  private decoder: ChunkDecoder | undefined;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private markChecked = false;
  /** A non-ASCII byte has been seen: the pending bytes are the sample. */
  private sampling = false;

  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    private readonly sampleBytes: number,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for await (const chunk of this.source) {
      if (this.decoder) {
        yield this.decoder.decode(chunk, { stream: true });
        continue;
      }
      this.pending.push(chunk);
      this.pendingBytes += chunk.byteLength;
      if (!this.markChecked) {
        if (this.pendingBytes < 3) continue;
        yield* this.checkByteOrderMark();
      }
      if (!this.decoder) yield* this.sampleOrWait(false);
    }
    if (!this.markChecked) yield* this.checkByteOrderMark();
    if (!this.decoder) yield* this.sampleOrWait(true);
    if (this.decoder) yield this.decoder.decode();
  }

  private takePending(): Buffer {
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return bytes;
  }

  private keepPending(bytes: Buffer): void {
    this.pending = [bytes];
    this.pendingBytes = bytes.byteLength;
  }

  private *checkByteOrderMark(): Generator<string> {
    this.markChecked = true;
    const bytes = this.takePending();
    const mark = byteOrderMark(bytes);
    if (!mark) {
      this.keepPending(bytes);
      return;
    }
    this.byteOrderMark = true;
    this.use(mark.encoding);
    yield* this.decode(bytes.subarray(mark.bytes.length));
  }

  /** Pass ASCII through undecided; from the first non-ASCII byte, decide on a full sample (or at the end). */
  private *sampleOrWait(end: boolean): Generator<string> {
    if (!this.sampling) {
      const bytes = this.takePending();
      if (isAscii(bytes)) {
        if (bytes.byteLength > 0) yield bytes.toString('latin1');
        return;
      }
      this.sampling = true;
      this.keepPending(bytes);
    }
    if (!end && this.pendingBytes < this.sampleBytes) return;
    const sample = this.takePending();
    this.use(isUtf8(sample, end) ? 'utf-8' : 'windows-1252');
    yield* this.decode(sample);
  }

  private *decode(bytes: Uint8Array): Generator<string> {
    const text = this.decoder?.decode(bytes, { stream: true }) ?? '';
    if (text !== '') yield text;
  }

  private use(encoding: TextEncodingName): void {
    this.encoding = encoding;
    this.decoder = decoderFor(encoding);
  }
}

/**
 * Decode CSV bytes (a Node stream or any async iterable of chunks) to text, detecting the encoding
 * as described at the top of this file.
 */
export function decodeText(source: AsyncIterable<Uint8Array>, options: { sampleBytes?: number } = {}): DecodedText {
  return new StreamDecoding(source, options.sampleBytes ?? SAMPLE_BYTES);
}

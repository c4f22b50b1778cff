/**
 * An uploaded CSV file as records with their line numbers, streaming in constant memory:
 * bytes → text (decode.ts: byte-order mark, UTF-8 or Windows-1252) → delimiter found on the first
 * 64 KiB (sniff.ts) → csv-parse → records.
 *
 * What real files bring and how it is read: CRLF, LF or CR line endings; quoted cells with the
 * delimiter, doubled quotes and line breaks inside; stray quotes inside unquoted cells (kept as
 * text); blank lines and rows of only empty cells (skipped); trailing empty cells (dropped, so a
 * header "Name,Email,," has two columns). The first record is the header.
 *
 * Line numbers are those of the file, counted here rather than taken from csv-parse's `info.lines`,
 * which counts a CRLF inside a quoted cell as two lines: a record's line is the line it starts on,
 * after any multi-line cells above it and any skipped blank lines.
 */
import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { type DecodedText, decodeText, type TextEncodingName } from './decode.ts';
import { type Delimiter, sniffDelimiter } from './sniff.ts';

export interface CsvRecord {
  /** Line of the file the record starts on, from 1. */
  line: number;
  /** Cells as written (quotes removed), without trailing empty cells; never all empty. */
  cells: string[];
}

/** The file cannot be read as CSV from `line` on; `message` says why, for people. */
export class CsvFileError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvFileError';
  }
}

export interface CsvReading {
  /** The encoding the file is read as: final once `records` has been read to the end. */
  readonly encoding: TextEncodingName;
  readonly byteOrderMark: boolean;
  readonly delimiter: Delimiter;
  /** The records, header first; iterate once. Throws `CsvFileError` where the file stops being CSV. */
  readonly records: AsyncIterable<CsvRecord>;
}

/** Characters of text the delimiter is sniffed on. */
const SNIFF_CHARS = 64 * 1024;
/** A longer record is a quote that is never closed, not a customer: stop rather than buffer the file. */
export const MAX_RECORD_CHARS = 1024 * 1024;

const LINE_BREAK = /\r\n|\r|\n/g;

function lineBreaksIn(cells: string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    // Most cells have none: skip the regular expression for them.
    if (cell.includes('\n') || cell.includes('\r')) breaks += cell.match(LINE_BREAK)?.length ?? 0;
  }
  return breaks;
}

const isBlank = (cell: string | undefined) => cell === undefined || cell.trim() === '';

function withoutTrailingEmpty(cells: string[]): string[] {
  let length = cells.length;
  while (length > 0 && isBlank(cells[length - 1])) length--;
  return length === cells.length ? cells : cells.slice(0, length);
}

function readableError(error: unknown, line: number): unknown {
  if (!(error instanceof CsvError)) return error;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvFileError(
        `A quoted cell starting on line ${line} is never closed: a cell that starts with " must end with "`,
        line,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvFileError(
        `The row starting on line ${line} is longer than ${MAX_RECORD_CHARS} characters: probably a quote that is never closed`,
        line,
      );
    default:
      return new CsvFileError(`The file cannot be read as CSV from line ${line}: ${error.message}`, line);
  }
}

/**
 * Line numbers are counted as the parser makes records (in `on_record`), not as the reader takes
 * them: when the parser fails, records it made but nobody read yet are dropped, and the line of
 * the failure must still be right. The lines of records made but not yet read wait in a queue, as
 * long as the parser's own buffer.
 */
async function* parseRecords(text: AsyncIterable<string>, delimiter: Delimiter): AsyncGenerator<CsvRecord> {
  let linesMade = 0;
  let emptyLines = 0;
  // A queue read from its head (Array#shift moves every element left: a parser's buffer of records each time).
  let waitingLines: number[] = [];
  let nextWaiting = 0;
  const takeLine = () => {
    const line = waitingLines[nextWaiting++] ?? 0;
    if (nextWaiting === waitingLines.length) {
      waitingLines = [];
      nextWaiting = 0;
    }
    return line;
  };
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (cells, context) => {
      emptyLines = context.empty_lines;
      const line = 1 + linesMade + emptyLines;
      linesMade += 1 + lineBreaksIn(cells);
      const kept = withoutTrailingEmpty(cells);
      if (kept.length === 0) return null;
      waitingLines.push(line);
      return kept;
    },
  });
  // Errors of the source reach the parser, which the loop below then throws.
  pipeline(Readable.from(text), parser, () => {});
  try {
    for await (const cells of parser as AsyncIterable<string[]>) yield { line: takeLine(), cells };
  } catch (error) {
    const emptyLinesBefore = error instanceof CsvError ? Number(error.empty_lines ?? emptyLines) : emptyLines;
    throw readableError(error, 1 + linesMade + emptyLinesBefore);
  } finally {
    parser.destroy();
  }
}

/** The first `chars` characters of the text, and the whole text again (those first, then the rest). */
async function peek(text: AsyncIterable<string>, chars: number): Promise<{ head: string; all: AsyncIterable<string> }> {
  const iterator = text[Symbol.asyncIterator]();
  const parts: string[] = [];
  let length = 0;
  let ended = false;
  while (length < chars) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    parts.push(next.value);
    length += next.value.length;
  }
  const head = parts.join('');
  async function* all(): AsyncGenerator<string> {
    try {
      yield head;
      if (ended) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return { head, all: all() };
}

/**
 * Read a CSV file (a Node stream or any async iterable of byte chunks). Resolves once the start
 * of the file is read and the delimiter known; the records then stream as they are iterated.
 */
export async function readCsv(
  source: AsyncIterable<Uint8Array>,
  options: { delimiter?: Delimiter } = {},
): Promise<CsvReading> {
  const decoded: DecodedText = decodeText(source);
  const { head, all } = await peek(decoded, SNIFF_CHARS);
  const delimiter = options.delimiter ?? sniffDelimiter(head);
  return {
    get encoding() {
      return decoded.encoding;
    },
    get byteOrderMark() {
      return decoded.byteOrderMark;
    },
    delimiter,
    records: parseRecords(all, delimiter),
  };
}

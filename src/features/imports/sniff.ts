/**
 * Which character separates the cells of a CSV file: a comma, or a semicolon (what spreadsheets
 * write where the comma is the decimal mark), a tab (Excel's "Unicode text") or a pipe.
 *
 * Each candidate parses the first lines with csv-parse itself, so quotes are respected (a
 * delimiter inside a quoted cell does not count), and the one that splits the header into the
 * most cells while keeping the same count of cells on the following lines wins. A file of one
 * column has no delimiter to find: it reads as comma-separated.
 */
import { type Options, parse } from 'csv-parse/sync';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Lines of the sample that are looked at. */
const LINES_LOOKED_AT = 20;

interface Fit {
  delimiter: Delimiter;
  /** Cells of the header, without trailing empty ones. */
  headerCells: number;
  /** Share of the following records with as many cells as the header. */
  consistency: number;
}

function withoutTrailingEmpty(cells: string[]): number {
  let length = cells.length;
  while (length > 0 && cells[length - 1]?.trim() === '') length--;
  return length;
}

/** The records csv-parse finds with this delimiter, up to the first error (a cut-off sample may end inside quotes). */
function recordsWith(sample: string, delimiter: Delimiter): string[][] {
  const records: string[][] = [];
  const options: Options = {
    delimiter,
    to_line: LINES_LOOKED_AT,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    on_record: (record: string[]) => {
      records.push(record);
      return record;
    },
  };
  try {
    parse(sample, options);
  } catch {
    // the records before the error are still evidence
  }
  return records;
}

function fitOf(sample: string, delimiter: Delimiter): Fit {
  const [header = [], ...rows] = recordsWith(sample, delimiter);
  const headerCells = withoutTrailingEmpty(header);
  const matching = rows.filter((row) => row.length === header.length || withoutTrailingEmpty(row) === headerCells);
  return { delimiter, headerCells, consistency: rows.length === 0 ? 1 : matching.length / rows.length };
}

function better(a: Fit, b: Fit): Fit {
  if (b.headerCells < 2) return a;
  if (a.headerCells < 2) return b;
  if (b.consistency !== a.consistency) return b.consistency > a.consistency ? b : a;
  return b.headerCells > a.headerCells ? b : a;
}

/** The delimiter of a CSV file, from the start of its text (the first lines are enough). */
export function sniffDelimiter(sample: string): Delimiter {
  const fits = DELIMITERS.map((delimiter) => fitOf(sample, delimiter));
  const [first, ...others] = fits;
  if (!first) return ',';
  return others.reduce(better, first).delimiter;
}

import { AppError } from './errors.ts';

/** A position in a list ordered by (time, id), newest first: the last row a page showed. */
export interface KeysetPosition {
  /** The row's time at full (microsecond) precision, as PostgreSQL printed it. */
  at: string;
  id: string;
}

/** An opaque cursor for the page after `position`. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/** A cursor the API did not give out, or one for another list: a 422 on `cursor`. */
export function invalidCursor(): AppError {
  return AppError.invalid([
    {
      field: 'cursor',
      in: 'query',
      code: 'invalid',
      message: 'Is not a cursor this API gave out for this list; start again without it',
    },
  ]);
}

/** An opaque cursor that holds the values a list needs to go on after the last row a page showed. */
export function encodeValues(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The values in a cursor made by `encodeValues`; anything else is a 422 on `cursor`. */
export function decodeValues(cursor: string): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values)) return values;
  } catch {
    // reported below
  }
  throw invalidCursor();
}

/** The position in a cursor this API gave out; a forged or damaged one is a 422 on `cursor`. */
export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (
      typeof at === 'string' &&
      !Number.isNaN(Date.parse(at)) &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(id)
    ) {
      return { at, id };
    }
  } catch {
    // reported below
  }
  throw AppError.invalid([
    {
      field: 'cursor',
      in: 'query',
      code: 'invalid',
      message: 'Is not a cursor this API gave out; start again without it',
    },
  ]);
}

/** Cut one extra row off a page fetched with `limit + 1`: its presence says there is a next page. */
export function pageOf<Row extends { position: string; id: string }, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
): { items: Item[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    next: rows.length > limit && last ? encodeCursor({ at: last.position, id: last.id }) : null,
  };
}

/** The constraint a unique violation (SQLSTATE 23505) broke, or undefined for any other error. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' ? (e.constraint ?? '') : undefined;
}

/** The constraint a foreign-key violation (SQLSTATE 23503) broke, or undefined for any other error. */
export function foreignKeyViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23503' ? (e.constraint ?? '') : undefined;
}

/** An exception a PL/pgSQL function raised on purpose (SQLSTATE P0001): its message and detail. */
export function raisedBy(error: unknown): { message: string; detail: string | undefined } | undefined {
  const e = error as { code?: string; message?: string; detail?: string };
  return e?.code === 'P0001' && e.message ? { message: e.message, detail: e.detail } : undefined;
}

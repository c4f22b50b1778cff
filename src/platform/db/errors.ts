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

/**
 * Two transactions met (serialization failure 40001, deadlock 40P01): PostgreSQL undid one of them whole,
 * and it may simply be tried again.
 */
export function transactionsCollided(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '40001' || code === '40P01';
}

/** A lock waited for longer than lock_timeout allows (SQLSTATE 55P03). */
export function lockTimedOut(error: unknown): boolean {
  return (error as { code?: string })?.code === '55P03';
}

/** An exception a PL/pgSQL function raised on purpose (SQLSTATE P0001): its message and detail. */
export function raisedBy(error: unknown): { message: string; detail: string | undefined } | undefined {
  const e = error as { code?: string; message?: string; detail?: string };
  return e?.code === 'P0001' && e.message ? { message: e.message, detail: e.detail } : undefined;
}

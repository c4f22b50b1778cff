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

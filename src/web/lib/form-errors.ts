import type { FieldError, Problem } from '../../shared/problem.schema.ts';

export interface SplitErrors {
  /** Messages for fields the form shows, keyed by the same dotted path the server uses. */
  byField: Record<string, string>;
  /** Errors with no field on screen; they go in a summary alert so nothing is silently dropped. */
  unplaced: FieldError[];
}

/** Sort the server's field errors into the ones a form can show next to a field and the rest. */
export function splitFieldErrors(problem: Problem, isShown: (field: string) => boolean): SplitErrors {
  const byField: Record<string, string> = {};
  const unplaced: FieldError[] = [];
  for (const error of problem.errors ?? []) {
    if (!isShown(error.field)) {
      unplaced.push(error);
      continue;
    }
    const existing = byField[error.field];
    byField[error.field] = existing ? `${existing}. ${error.message}` : error.message;
  }
  return { byField, unplaced };
}

/** Bring the first invalid field into view, as a person would look for it. */
export function focusFirstError(form: HTMLFormElement | null): void {
  const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"], [data-error]');
  if (!invalid) {
    // Nothing to point at: the summary at the top of the form says what went wrong.
    form?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    return;
  }
  invalid.scrollIntoView({ block: 'center', behavior: 'smooth' });
  if (invalid instanceof HTMLInputElement || invalid instanceof HTMLTextAreaElement)
    invalid.focus({ preventScroll: true });
}

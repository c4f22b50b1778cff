import { Alert, List } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { FieldError, Problem } from '../../shared/problem.schema.ts';
import { splitFieldErrors } from '../lib/form-errors.ts';
import type { CustomerFormApi } from './CustomerForm.tsx';
import { FIELD_LABELS } from './customer-form-values.ts';

export interface SaveFailure {
  problem: Problem;
  /** Field errors the form has no place for. */
  unplaced: FieldError[];
  /** How many fields show an error of their own. */
  placed: number;
}

/** Put the server's field errors next to their fields; return what is left for the summary. */
export function showSaveErrors(form: CustomerFormApi, problem: Problem): SaveFailure {
  const same = form.values.postalSameAsPhysical;
  const seen = new Set<string>();
  // With "same as physical", the postal fields are hidden: their errors are the physical fields' errors.
  const errors = (problem.errors ?? [])
    .map((error) =>
      same && error.field.startsWith('postalAddress.')
        ? { ...error, field: error.field.replace('postalAddress.', 'physicalAddress.') }
        : error,
    )
    .filter((error) => {
      const key = `${error.field}\n${error.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const isShown = (field: string) => field in FIELD_LABELS && !(field === 'salesTaxNumber' && !form.values.taxExempt);
  const { byField, unplaced } = splitFieldErrors({ ...problem, errors }, isShown);
  form.setErrors(byField);
  return { problem, unplaced, placed: Object.keys(byField).length };
}

export function SaveFailureAlert({ failure }: { failure: SaveFailure }) {
  const { problem, unplaced, placed } = failure;
  if (unplaced.length === 0 && placed > 0) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nothing was saved">
        {placed === 1 ? 'One field needs your attention' : `${placed} fields need your attention`}: see the messages
        below.
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nothing was saved">
      {unplaced.length > 0 ? (
        <List size="sm" spacing={2}>
          {unplaced.map((error) => (
            <List.Item key={`${error.field}:${error.message}`}>
              <strong>{FIELD_LABELS[error.field] ?? error.field}</strong>: {error.message}
            </List.Item>
          ))}
        </List>
      ) : (
        (problem.detail ?? problem.title)
      )}
      {problem.requestId && problem.status >= 500 ? <div>Reference: {problem.requestId}</div> : null}
    </Alert>
  );
}

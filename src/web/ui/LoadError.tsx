import { Alert, Button } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { isApiError } from '../api/http.ts';

/** A page or panel that could not load, with a way to try again. */
export function LoadError({ error, onRetry, what }: { error: unknown; onRetry: () => unknown; what: string }) {
  const detail = isApiError(error) ? (error.problem.detail ?? error.problem.title) : 'Something went wrong.';
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle />} title={`Could not load ${what}`}>
      {detail}
      <div>
        <Button
          mt="sm"
          size="xs"
          variant="white"
          color="red"
          leftSection={<IconRefresh size={14} />}
          onClick={() => onRetry()}
        >
          Try again
        </Button>
      </div>
    </Alert>
  );
}

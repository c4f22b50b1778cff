import { Text, Tooltip } from '@mantine/core';
import { formatDateTime, formatRelative } from '../lib/format.ts';

/** When something last happened ("3 days ago", the full time on hover), or "Never": for last-seen columns. */
export function RelativeTimeOrNever({ iso }: { iso: string | null | undefined }) {
  return iso ? (
    <Tooltip label={formatDateTime(iso)} withArrow>
      <Text size="sm" component="time" dateTime={iso}>
        {formatRelative(iso)}
      </Text>
    </Tooltip>
  ) : (
    <Text size="sm" c="dimmed">
      Never
    </Text>
  );
}

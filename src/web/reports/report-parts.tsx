import { Center, EmptyState, Skeleton, Stack, Text } from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** Shared by the reports: what to show when there is nothing to show. */
export function ReportEmpty({ filtered, what }: { filtered: boolean; what: string }) {
  return (
    <Center py={56}>
      <EmptyState
        icon={<IconChartBar size={28} stroke={1.5} />}
        withIndicatorBackground
        title={filtered ? `No ${what} match these filters` : `No ${what} yet`}
        description={
          filtered
            ? 'Try a longer date range, or another customer or store.'
            : 'Sales recorded at the register or through the API appear here at once.'
        }
      />
    </Center>
  );
}

export function ReportSkeleton() {
  return (
    <Stack p="md" gap="sm">
      {Array.from({ length: 6 }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={index} h={28} />
      ))}
    </Stack>
  );
}

export function ReportCount({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed" px="md" py="xs" aria-live="polite">
      {children}
    </Text>
  );
}

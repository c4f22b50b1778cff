import { Paper, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { CustomerStats as Stats } from '../../features/customers/customer.schema.ts';
import { formatDate, formatDateTime, formatRelative } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';

/** What the customer is worth and how often they come: the figures kept in step with every sale. */
export function CustomerStats({ stats }: { stats: Stats }) {
  const money = useMoney();
  const count = new Intl.NumberFormat();
  return (
    <Paper component="section" aria-label="Statistics" p="md" mb="lg">
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="md" verticalSpacing="md">
        <Stat label="Total spent" value={money.format(stats.totalSpent)} strong />
        <Stat label="Orders" value={count.format(stats.orderCount)} />
        <Stat label="Average order" value={stats.orderCount ? money.format(stats.averageOrder) : '—'} />
        <Stat label="Visits" value={count.format(stats.visitCount)} hint="Sales in a store (not online)" />
        <Stat label="Returns" value={count.format(stats.returnCount)} />
        <Stat label="First order" value={<When iso={stats.firstOrderAt} />} small />
        <Stat label="Last order" value={<When iso={stats.lastOrderAt} relative />} small />
      </SimpleGrid>
    </Paper>
  );
}

function Stat({
  label,
  value,
  hint,
  strong = false,
  small = false,
}: {
  label: string;
  value: ReactNode;
  hint?: string;
  strong?: boolean;
  /** Dates: a size smaller, so "23 Nov 2026" fits beside the figures. */
  small?: boolean;
}) {
  return (
    <Stack gap={2} role="group" aria-label={label} style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4} title={hint} truncate>
        {label}
      </Text>
      <Text
        size={strong ? 'xl' : small ? 'md' : 'lg'}
        fw={strong ? 700 : 600}
        className="tabular"
        lh={small ? 1.75 : undefined}
      >
        {value}
      </Text>
    </Stack>
  );
}

function When({ iso, relative = false }: { iso: string | null; relative?: boolean }) {
  if (!iso) return <>—</>;
  return (
    <Tooltip label={formatDateTime(iso)} withArrow>
      <time dateTime={iso}>{relative ? capitalise(formatRelative(iso)) : formatDate(iso)}</time>
    </Tooltip>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

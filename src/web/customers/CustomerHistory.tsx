import { Badge, Button, Group, Skeleton, Stack, Text, Timeline, Tooltip } from '@mantine/core';
import { IconEdit, IconNote, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo } from 'react';
import type { AuditEvent } from '../../features/audit/audit.schema.ts';
import { useCustomerHistory } from '../api/customers.ts';
import { useStores } from '../api/stores.ts';
import { AuditChanges } from '../audit/AuditChanges.tsx';
import { changeLines, describeAction, describeActor, type FormatContext } from '../audit/audit-format.ts';
import { formatDateTime, formatRelative } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';

const ICONS: Record<string, typeof IconEdit> = {
  'customer.created': IconPlus,
  'customer.updated': IconEdit,
  'customer.note_added': IconNote,
  'customer.deleted': IconTrash,
};

/** On the customer's own page, "Jane updated the customer" reads better than the audit log's "Updated customer". */
const VERBS: Record<string, string> = {
  'customer.created': 'created the customer',
  'customer.updated': 'updated the customer',
  'customer.note_added': 'added a note',
  'customer.deleted': 'deleted the customer',
};

/** Everything done to this customer, newest first: who, when, and what changed field by field. */
export function CustomerHistory({ customerId }: { customerId: string }) {
  const history = useCustomerHistory(customerId);
  const stores = useStores();
  const money = useMoney();
  const context = useMemo<FormatContext>(
    () => ({ storeName: (id) => stores.data?.find((store) => store.id === id)?.name, money: money.format }),
    [stores.data, money.format],
  );
  const events = useMemo(() => history.data?.pages.flatMap((page) => page.items) ?? [], [history.data]);

  return (
    <Section title="History" description="Who changed what, and when. Newest first.">
      {history.isPending ? (
        <Stack gap="sm">
          <Skeleton h={16} w="50%" />
          <Skeleton h={32} />
        </Stack>
      ) : history.isError ? (
        <LoadError error={history.error} onRetry={() => history.refetch()} what="the history" />
      ) : events.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing recorded yet.
        </Text>
      ) : (
        <>
          <Timeline bulletSize={24} lineWidth={2} role="list" aria-label="History">
            {events.map((event) => (
              <HistoryItem key={event.id} event={event} context={context} />
            ))}
          </Timeline>
          {history.hasNextPage ? (
            <Group justify="center" mt="md">
              <Button
                variant="default"
                size="xs"
                onClick={() => history.fetchNextPage()}
                loading={history.isFetchingNextPage}
              >
                Show more
              </Button>
            </Group>
          ) : null}
        </>
      )}
    </Section>
  );
}

function HistoryItem({ event, context }: { event: AuditEvent; context: FormatContext }) {
  const Icon = ICONS[event.action] ?? IconEdit;
  const actor = describeActor(event.actor);
  return (
    <Timeline.Item
      bullet={<Icon size={13} />}
      role="listitem"
      title={
        <Group gap={6} wrap="wrap">
          <Text fw={600} size="sm">
            {actor.name}
          </Text>
          {actor.via === 'token' ? (
            <Badge size="xs" variant="light" color="grape" radius="sm">
              via API token
            </Badge>
          ) : null}
          <Text size="sm">{VERBS[event.action] ?? describeAction(event)}</Text>
          <Text size="xs" c="dimmed">
            ·
          </Text>
          <Tooltip label={formatRelative(event.occurredAt)} withArrow>
            <Text size="xs" c="dimmed" component="time" dateTime={event.occurredAt}>
              {formatDateTime(event.occurredAt)}
            </Text>
          </Tooltip>
        </Group>
      }
    >
      <div style={{ marginTop: 4 }}>
        <AuditChanges lines={changeLines(event, context)} />
      </div>
    </Timeline.Item>
  );
}

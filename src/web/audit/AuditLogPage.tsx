import {
  Anchor,
  Badge,
  Button,
  Center,
  EmptyState,
  Group,
  Loader,
  Paper,
  Select,
  Skeleton,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconFilterOff, IconHistory } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { memo, useMemo } from 'react';
import { Link } from 'react-router';
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITIES,
  type AuditAction,
  type AuditEntity,
  type AuditEvent,
} from '../../features/audit/audit.schema.ts';
import { type AuditFilters, useAuditEvents } from '../api/audit.ts';
import { useCustomer } from '../api/customers.ts';
import { isNotFound } from '../api/http.ts';
import { useStaff } from '../api/staff.ts';
import { useStores } from '../api/stores.ts';
import { useTokens } from '../api/tokens.ts';
import { useSession } from '../auth/session.tsx';
import { displayName, formatDateTime, formatRelative } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { DateRangeInput } from '../ui/DateRangeInput.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { oneOf, useUrlFilters } from '../ui/useUrlFilters.ts';
import { Dash } from '../ui/Value.tsx';
import { AuditChanges } from './AuditChanges.tsx';
import {
  ACTION_LABELS,
  changeLines,
  describeAction,
  describeActor,
  ENTITY_LABELS,
  type FormatContext,
} from './audit-format.ts';

const ACTION_GROUPS: { group: string; prefixes: string[] }[] = [
  { group: 'Customers', prefixes: ['customer.'] },
  { group: 'Customer groups', prefixes: ['customer_group.'] },
  { group: 'Staff and sign-in', prefixes: ['staff.', 'user.'] },
  { group: 'API tokens', prefixes: ['token.'] },
  { group: 'Business and settings', prefixes: ['settings.', 'merchant.'] },
  { group: 'Sales', prefixes: ['sale.'] },
  { group: 'Reports', prefixes: ['report.'] },
];

const ACTION_OPTIONS = ACTION_GROUPS.map(({ group, prefixes }) => ({
  group,
  items: AUDIT_ACTIONS.filter((action) => prefixes.some((prefix) => action.startsWith(prefix))).map((action) => ({
    value: action,
    label: ACTION_LABELS[action],
  })),
}));

const ENTITY_OPTIONS = AUDIT_ENTITIES.map((entity) => ({ value: entity, label: ENTITY_LABELS[entity] }));

/** The filters as the address holds them: readable (`?person=…&from=2026-04-01`), so a view can be shared. */
function useFilterParams() {
  const { params, day, set, clearAll } = useUrlFilters();
  const view = {
    person: params.get('person'),
    action: oneOf(AUDIT_ACTIONS, params.get('action')) ?? null,
    type: oneOf(AUDIT_ENTITIES, params.get('type')) ?? null,
    from: day('from'),
    to: day('to'),
  };
  return { view, set, any: Object.values(view).some(Boolean), clear: clearAll };
}

export function AuditLogPage() {
  usePageTitle('Audit log');
  const { can } = useSession();
  const { view, set, any, clear } = useFilterParams();
  const staff = useStaff(can('staff:manage'));
  const tokens = useTokens(can('tokens:manage'));
  const stores = useStores();

  const filters = useMemo<AuditFilters>(
    () => ({
      actorId: view.person ?? undefined,
      action: (view.action ?? undefined) as AuditAction | undefined,
      entityType: (view.type ?? undefined) as AuditEntity | undefined,
      // Whole days in the browser's time zone: "to" is the end of the last day chosen.
      from: view.from ? dayjs(view.from).startOf('day').toISOString() : undefined,
      to: view.to ? dayjs(view.to).add(1, 'day').startOf('day').toISOString() : undefined,
    }),
    [view.person, view.action, view.type, view.from, view.to],
  );
  const log = useAuditEvents(filters);
  const events = useMemo(() => log.data?.pages.flatMap((page) => page.items) ?? [], [log.data]);

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const member of staff.data ?? []) map.set(member.id, member.name);
    for (const token of tokens.data ?? []) map.set(token.id, token.name);
    return map;
  }, [staff.data, tokens.data]);
  const money = useMoney();
  const context = useMemo<FormatContext>(
    () => ({ storeName: (id) => stores.data?.find((store) => store.id === id)?.name, money: money.format }),
    [stores.data, money.format],
  );

  const personOptions = useMemo(() => {
    const groups = [];
    if (staff.data?.length)
      groups.push({ group: 'Staff', items: staff.data.map((member) => ({ value: member.id, label: member.name })) });
    if (tokens.data?.length)
      groups.push({ group: 'API tokens', items: tokens.data.map((token) => ({ value: token.id, label: token.name })) });
    // A person in the address who is not listed (no longer on the staff list) still shows as chosen: once the lists
    // are in, not while they load (a link to a colleague's events said "Someone no longer listed" for a moment).
    if (view.person && !names.has(view.person) && !staff.isLoading && !tokens.isLoading)
      groups.push({ group: 'Other', items: [{ value: view.person, label: 'Someone no longer listed' }] });
    return groups;
  }, [staff.data, tokens.data, staff.isLoading, tokens.isLoading, view.person, names]);

  const settled = log.isSuccess && !log.isPlaceholderData;

  return (
    <>
      <PageHeader title="Audit log" description="Who did what, and when: every change, sign-in and export." />

      <Paper p={0} style={{ overflow: 'hidden' }}>
        <Group
          p="sm"
          gap="sm"
          align="flex-end"
          wrap="wrap"
          style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
          role="search"
          aria-label="Filter the audit log"
        >
          <Select
            label="Person"
            placeholder="Anyone"
            data={personOptions}
            value={view.person}
            onChange={(value) => set({ person: value })}
            clearable
            searchable
            nothingFoundMessage="Nobody by that name"
            w={190}
          />
          <Select
            label="Action"
            placeholder="Any action"
            data={ACTION_OPTIONS}
            value={view.action}
            onChange={(value) => set({ action: value })}
            clearable
            searchable
            w={220}
            comboboxProps={{ width: 280 }}
          />
          <Select
            label="Record type"
            placeholder="Any record"
            data={ENTITY_OPTIONS}
            value={view.type}
            onChange={(value) => set({ type: value })}
            clearable
            w={150}
          />
          <DateRangeInput w={272} from={view.from} to={view.to} onChange={(from, to) => set({ from, to })} />
          {any ? (
            <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={clear}>
              Clear filters
            </Button>
          ) : null}
          <Group gap={6} ml="auto" mb={8}>
            {log.isFetching && !log.isFetchingNextPage ? <Loader size={14} /> : null}
            <Text size="sm" c="dimmed" aria-live="polite">
              {settled ? (log.hasNextPage ? `Newest ${events.length} events` : countText(events.length, any)) : null}
            </Text>
          </Group>
        </Group>

        {log.isError ? (
          <div style={{ padding: 'var(--mantine-spacing-md)' }}>
            <LoadError error={log.error} onRetry={() => log.refetch()} what="the audit log" />
          </div>
        ) : log.isPending ? (
          <Group p="md" gap="sm" style={{ flexDirection: 'column', alignItems: 'stretch' }}>
            {Array.from({ length: 6 }, (_, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders with nothing else to tell them apart
              <Skeleton key={index} h={36} />
            ))}
          </Group>
        ) : settled && events.length === 0 ? (
          <Center py={56}>
            <EmptyState
              icon={<IconHistory size={28} stroke={1.5} />}
              withIndicatorBackground
              title={any ? 'Nothing matches these filters' : 'Nothing recorded yet'}
              description={
                any
                  ? 'Try a longer date range, or another person or action.'
                  : 'Changes to customers, staff, settings and tokens will appear here.'
              }
            >
              {any ? (
                <EmptyState.Actions>
                  <Button variant="default" onClick={clear}>
                    Clear filters
                  </Button>
                </EmptyState.Actions>
              ) : null}
            </EmptyState>
          </Center>
        ) : (
          <Table.ScrollContainer minWidth={960}>
            <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Audit events" layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={150}>When</Table.Th>
                  <Table.Th w={170}>Who</Table.Th>
                  <Table.Th w={190}>What</Table.Th>
                  <Table.Th>Changes</Table.Th>
                  <Table.Th w={120}>IP address</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((event) => (
                  <EventRow key={event.id} event={event} names={names} context={context} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}

        {log.hasNextPage && settled ? (
          <Group justify="center" p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            <Button variant="default" onClick={() => log.fetchNextPage()} loading={log.isFetchingNextPage}>
              Load more
            </Button>
          </Group>
        ) : null}
      </Paper>
    </>
  );
}

function countText(count: number, filtered: boolean): string {
  if (count === 0) return '';
  if (filtered) return count === 1 ? '1 event matches' : `${count} events match`;
  return count === 1 ? '1 event' : `${count} events`;
}

const EventRow = memo(function EventRow({
  event,
  names,
  context,
}: {
  event: AuditEvent;
  names: Map<string, string>;
  context: FormatContext;
}) {
  const actor = describeActor(event.actor);
  return (
    <Table.Tr style={{ verticalAlign: 'top' }}>
      <Table.Td>
        <Tooltip label={formatRelative(event.occurredAt)} withArrow>
          <Text size="sm" component="time" dateTime={event.occurredAt}>
            {formatDateTime(event.occurredAt)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
          {actor.name}
        </Text>
        {actor.via === 'token' ? (
          <Badge size="xs" variant="light" color="grape" radius="sm" tt="none">
            via API token
          </Badge>
        ) : actor.via === 'system' ? (
          <Badge size="xs" variant="light" color="gray" radius="sm" tt="none">
            Automatic
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{describeAction(event)}</Text>
        <RecordName event={event} names={names} />
      </Table.Td>
      <Table.Td>
        <AuditChanges lines={changeLines(event, context)} />
      </Table.Td>
      <Table.Td>
        <Text size="xs" ff="monospace" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {event.ip ?? <Dash />}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
});

/** Which record: the customer by name (a link), the staff member or token by name. */
function RecordName({ event, names }: { event: AuditEvent; names: Map<string, string> }) {
  const id = event.entityId;
  if (!id) return null;
  switch (event.entityType) {
    case 'customer':
      return <CustomerName id={id} />;
    case 'user':
      // Signing in or out, or a password of one's own: the record is the person in the "Who" column.
      if (id === event.actor.id) return null;
      return <Secondary>{names.get(id) ?? 'A staff member'}</Secondary>;
    case 'token':
      return <Secondary>{names.get(id) ? `“${names.get(id)}”` : 'An API token'}</Secondary>;
    case 'customer_group': {
      // The group's name when the event was written (it may have been renamed or deleted since).
      const name = event.changes?.group ?? event.changes?.name;
      const renamed = name !== null && typeof name === 'object' ? (name as { to?: unknown }).to : undefined;
      const shown = typeof name === 'string' ? name : typeof renamed === 'string' ? renamed : null;
      return <Secondary>{shown ? `“${shown}”` : 'A customer group'}</Secondary>;
    }
    case 'sale':
      return (
        <Anchor component={Link} to={`/reports?sale=${id}`} size="sm">
          Open the receipt
        </Anchor>
      );
    case 'settings':
      return (
        <Anchor component={Link} to="/settings" size="sm">
          Settings
        </Anchor>
      );
    default:
      return null;
  }
}

function Secondary({ children }: { children: string }) {
  return (
    <Text size="sm" c="dimmed" truncate>
      {children}
    </Text>
  );
}

function CustomerName({ id }: { id: string }) {
  const customer = useCustomer(id);
  if (customer.isError && isNotFound(customer.error)) return <Secondary>A deleted customer</Secondary>;
  return (
    <Anchor component={Link} to={`/customers/${id}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
      {customer.data ? displayName(customer.data) : 'Customer'}
    </Anchor>
  );
}

import { Badge, Button, Center, EmptyState, Group, Paper, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import { IconFileExport } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import type { ExportFields, ExportLogEntry } from '../../features/exports/export.schema.ts';
import { EXPORT_FILE_DAYS } from '../../shared/export-files.ts';
import { describeActor } from '../audit/audit-format.ts';
import { formatDateTime, formatRelative } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { ExportFileCell } from './ExportJobStatus.tsx';
import { useExportFields, useExportLog } from './export-api.ts';
import { listFiltersOf } from './export-view.ts';
import { useFilterWords } from './useFilterWords.ts';

const counts = new Intl.NumberFormat();

/** Every customer export: who took which customers out, with which fields, when, and how many. */
export function ExportLogPage() {
  usePageTitle('Export log');
  const log = useExportLog();
  const catalogue = useExportFields();
  const entries = useMemo(() => log.data?.pages.flatMap((page) => page.items) ?? [], [log.data]);
  const headers = useMemo(() => headersByKey(catalogue.data), [catalogue.data]);
  const money = useMoney();
  const describe = useFilterWords(money.currency);

  return (
    <>
      <PageHeader
        title="Export log"
        crumbs={[{ label: 'Customers', to: '/customers' }, { label: 'Export log' }]}
        description={`Every export of customers, newest first: who made it, which customers and fields, and how many rows it wrote. The files of large exports, prepared in the background, can be downloaded here for ${EXPORT_FILE_DAYS} days. To export, use Export on the customer list.`}
      />
      <Paper p={0} style={{ overflow: 'clip' }}>
        {log.isError ? (
          <div style={{ padding: 'var(--mantine-spacing-md)' }}>
            <LoadError error={log.error} onRetry={() => log.refetch()} what="the export log" />
          </div>
        ) : log.isPending ? (
          <Group p="md" gap="sm" style={{ flexDirection: 'column', alignItems: 'stretch' }}>
            {Array.from({ length: 5 }, (_, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders with nothing else to tell them apart
              <Skeleton key={index} h={36} />
            ))}
          </Group>
        ) : entries.length === 0 ? (
          <Center py={56}>
            <EmptyState
              icon={<IconFileExport size={28} stroke={1.5} />}
              withIndicatorBackground
              title="No exports yet"
              description="Exports made from the customer list will be listed here."
            >
              <EmptyState.Actions>
                <Button component={Link} to="/customers" variant="default">
                  Go to customers
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          </Center>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Exports" layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={160}>When</Table.Th>
                  <Table.Th w={170}>Who</Table.Th>
                  <Table.Th>Customers</Table.Th>
                  <Table.Th>Fields</Table.Th>
                  <Table.Th w={110} ta="right">
                    Rows
                  </Table.Th>
                  <Table.Th w={160}>File</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => (
                  <ExportRow
                    key={entry.id}
                    entry={entry}
                    filterWords={describe(listFiltersOf(entry.filter, money.currency))}
                    headers={headers}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {log.hasNextPage ? (
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

function headersByKey(catalogue: ExportFields | undefined): Map<string, string> {
  return new Map((catalogue?.groups ?? []).flatMap((group) => group.fields.map((field) => [field.key, field.header])));
}

/** How many fields of the catalogue, and which when there are few. */
function fieldsText(fields: string[], headers: Map<string, string>): { short: string; all: string } {
  const names = fields.map((key) => headers.get(key) ?? key);
  const all = names.join(', ');
  const total = headers.size;
  if (total > 0 && fields.length === total) return { short: `All ${total} fields`, all };
  if (names.length <= 5) return { short: all, all };
  return { short: `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`, all };
}

function ExportRow({
  entry,
  filterWords,
  headers,
}: {
  entry: ExportLogEntry;
  filterWords: string[];
  headers: Map<string, string>;
}) {
  const actor = describeActor(entry.actor);
  const which = [entry.q ? `Matching “${entry.q}”` : null, ...filterWords].filter((part): part is string =>
    Boolean(part),
  );
  const fields = fieldsText(entry.fields, headers);
  return (
    <Table.Tr style={{ verticalAlign: 'top' }}>
      <Table.Td>
        <Tooltip label={formatRelative(entry.startedAt)} withArrow>
          <Text size="sm" component="time" dateTime={entry.startedAt}>
            {formatDateTime(entry.startedAt)}
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
            Command line
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{which.length > 0 ? which.join(' · ') : 'All customers'}</Text>
      </Table.Td>
      <Table.Td>
        <Tooltip label={fields.all} multiline w={360} withArrow disabled={fields.short === fields.all}>
          <Text size="sm">{fields.short}</Text>
        </Tooltip>
      </Table.Td>
      <Table.Td ta="right">
        {entry.status === 'finished' && entry.rows !== null ? (
          <Text size="sm" fw={600}>
            {counts.format(entry.rows)}
          </Text>
        ) : entry.job?.status === 'running' ? (
          <Badge color="blue" variant="light" radius="sm" tt="none">
            Running
          </Badge>
        ) : entry.status === 'failed' ? (
          <Tooltip
            label={
              entry.job
                ? entry.job.status === 'cancelled'
                  ? 'Stopped by hand before the end'
                  : (entry.job.error ?? 'An error stopped it')
                : 'The download was cancelled or broke before the end'
            }
            withArrow
          >
            <Badge color="orange" variant="light" radius="sm" tt="none">
              Stopped
            </Badge>
          </Tooltip>
        ) : (
          <Tooltip label="Still running, or the server stopped before it finished" withArrow>
            <Badge color="gray" variant="light" radius="sm" tt="none">
              Not finished
            </Badge>
          </Tooltip>
        )}
      </Table.Td>
      <Table.Td>
        <ExportFileCell job={entry.job} />
      </Table.Td>
    </Table.Tr>
  );
}

import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconClockPlay, IconDownload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { ExportFields } from '../../features/exports/export.schema.ts';
import { EXPORT_FILE_DAYS } from '../../shared/export-files.ts';
import { useCustomerCount } from '../api/customers.ts';
import { messageOf } from '../api/http.ts';
import { apiFilters, type CustomerFilterValues, rangeErrors } from '../customers/customer-list-view.ts';
import { DateRangeInput } from '../ui/DateRangeInput.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { ExportJobProgress } from './ExportJobStatus.tsx';
import { exportKeys, exportUrl, useExportFields, useStartExport } from './export-api.ts';
import {
  DATE_KINDS,
  type DateKind,
  dateKind,
  defaultFields,
  exportsInBackground,
  inFormOrder,
  initialDateKind,
  withDateRange,
  withGroup,
} from './export-view.ts';
import { useFilterWords } from './useFilterWords.ts';

const counts = new Intl.NumberFormat();

interface ExportModalProps {
  opened: boolean;
  onClose(): void;
  /** The list's search and filters when the form opened: the export starts from what the list shows. */
  q: string;
  filters: CustomerFilterValues;
  currency: string;
  timeZone?: string | undefined;
}

/**
 * Export the customers the list shows: which fields, which dates, and the file downloads; more than 10,000
 * customers are prepared in the background, with a progress bar, and the file downloads once it is ready.
 */
export function ExportModal({ opened, onClose, ...view }: ExportModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Export customers" size={800}>
      {opened ? <ExportForm {...view} onClose={onClose} /> : null}
    </Modal>
  );
}

function ExportForm({ q, filters: listFilters, currency, timeZone, onClose }: Omit<ExportModalProps, 'opened'>) {
  const catalogue = useExportFields();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState(listFilters);
  const [kind, setKind] = useState<DateKind>(() => initialDateKind(listFilters));
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  // The default choice, once the catalogue has come.
  useEffect(() => {
    if (catalogue.data && chosen === null) setChosen(defaultFields(catalogue.data));
  }, [catalogue.data, chosen]);

  const dates = dateKind(kind);
  const wrongRange = rangeErrors(filters)[dates.to];
  const query = useMemo(() => apiFilters(filters, currency), [filters, currency]);
  const ready = Object.keys(rangeErrors(filters)).length === 0;
  const count = useCustomerCount(q, query, ready);
  const fields = inFormOrder(chosen ?? new Set(), catalogue.data);
  const describe = useFilterWords(currency);
  const words = describe(filters);
  const matches = count.data && !count.isPlaceholderData ? count.data : null;
  const none = matches !== null && matches.count === 0;
  const canDownload = ready && fields.length > 0 && !none && matches !== null;
  const background = matches !== null && exportsInBackground(matches);
  const start = useStartExport();
  const [jobId, setJobId] = useState<string | null>(null);

  function downloaded() {
    notifications.show({
      color: 'teal',
      title: 'Your export is downloading',
      message: 'The file is saved by your browser. Every export is listed in the export log.',
    });
    void queryClient.invalidateQueries({ queryKey: exportKeys.log });
    onClose();
  }

  // Once a background export has started, its progress says how many: the count line gives way to it.
  const customersSection = (
    <Section title="Customers">
      {jobId ? null : (
        <Text fw={600} aria-live="polite" data-testid="export-count">
          {!ready ? 'Check the dates' : matches === null ? 'Counting…' : countText(matches)}
        </Text>
      )}
      {q || words.length > 0 ? (
        <Group gap={6} role="list" aria-label="Search and filters of the export">
          {q ? <FilterBadge>{`Matching “${q}”`}</FilterBadge> : null}
          {words.map((word) => (
            <FilterBadge key={word}>{word}</FilterBadge>
          ))}
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          Every customer: no search or filters are in use on the list.
        </Text>
      )}
    </Section>
  );

  if (jobId) return <ExportJobProgress id={jobId} summary={customersSection} onClose={onClose} />;

  return (
    <Stack gap="lg">
      {customersSection}

      <Section title="Date range" hint="Narrows the customers above to a period. Leave it empty for any time.">
        <Group align="flex-start" gap="md" wrap="wrap">
          <SegmentedControl
            aria-label="Which date"
            data={DATE_KINDS.map((candidate) => ({ value: candidate.value, label: candidate.label }))}
            value={kind}
            onChange={(value) => setKind(value as DateKind)}
            mt={24}
          />
          <DateRangeInput
            label={`${dates.label} between`}
            from={filters[dates.from]}
            to={filters[dates.to]}
            onChange={(from, to) => setFilters((current) => withDateRange(current, kind, from, to))}
            timeZone={timeZone}
            w={300}
            error={wrongRange}
            presets={[
              [29, 'Last 30 days'],
              [89, 'Last 90 days'],
              [364, 'Last 12 months'],
            ]}
          />
        </Group>
      </Section>

      <Section
        title="Fields"
        hint="Each field is a column, with the header Patron’s import reads: the file imports back unchanged."
        actions={
          catalogue.data && chosen ? (
            <Group gap={4}>
              <Text size="sm" c="dimmed" mr={6} aria-live="polite">
                {fields.length} of {catalogue.data.groups.reduce((sum, group) => sum + group.fields.length, 0)} chosen
              </Text>
              <Button size="compact-sm" variant="subtle" onClick={() => setChosen(defaultFields(catalogue.data))}>
                Default
              </Button>
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={() =>
                  setChosen(new Set(catalogue.data.groups.flatMap((group) => group.fields.map((f) => f.key))))
                }
              >
                Select all
              </Button>
              <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setChosen(new Set())}>
                Select none
              </Button>
            </Group>
          ) : null
        }
      >
        {catalogue.isError ? (
          <LoadError error={catalogue.error} onRetry={() => catalogue.refetch()} what="the fields" />
        ) : catalogue.data && chosen ? (
          <FieldChooser catalogue={catalogue.data} chosen={chosen} onChange={setChosen} />
        ) : (
          <Skeleton h={220} radius="md" />
        )}
        {chosen && fields.length === 0 ? (
          <Text size="sm" c="red">
            Choose at least one field.
          </Text>
        ) : null}
      </Section>

      {start.isError ? (
        <Alert color="red" variant="light" role="alert" title="The export could not start">
          {messageOf(start.error)}
        </Alert>
      ) : null}

      {/* Kept in sight while the fields scroll: what happens next is always one click away. */}
      <Group
        justify="space-between"
        align="center"
        gap="sm"
        py="sm"
        style={{
          position: 'sticky',
          bottom: 'calc(var(--mantine-spacing-md) * -1)',
          marginBottom: 'calc(var(--mantine-spacing-md) * -1)',
          paddingBottom: 'var(--mantine-spacing-md)',
          background: 'var(--mantine-color-body)',
          borderTop: '1px solid var(--mantine-color-gray-3)',
          zIndex: 2,
        }}
      >
        <Text size="xs" c="dimmed" maw={380}>
          {background
            ? `More than 10,000 customers: Patron prepares the file in the background, with a progress bar, and keeps it for you to download for ${EXPORT_FILE_DAYS} days. Every export is recorded in the `
            : 'A CSV file (UTF-8) for Excel, Numbers or Google Sheets. Every export is recorded in the '}
          <Anchor component={Link} to="/exports" size="xs" onClick={onClose}>
            export log
          </Anchor>
          .
        </Text>
        <Group gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          {canDownload && matches && background ? (
            <Button
              leftSection={<IconClockPlay size={16} />}
              loading={start.isPending}
              onClick={() => start.mutate({ q, filters: query, fields }, { onSuccess: (job) => setJobId(job.id) })}
            >
              {`Export ${customersWord(matches)}`}
            </Button>
          ) : canDownload && matches ? (
            // A plain link: the browser downloads the file as it streams, however large.
            <Button
              component="a"
              href={exportUrl(q, query, fields)}
              download
              leftSection={<IconDownload size={16} />}
              onClick={downloaded}
            >
              {`Download ${customersWord(matches)}`}
            </Button>
          ) : (
            <Button disabled leftSection={<IconDownload size={16} />}>
              Download CSV
            </Button>
          )}
        </Group>
      </Group>
    </Stack>
  );
}

function countText(count: { count: number; exact: boolean }): string {
  if (count.count === 0) return 'No customers match: there is nothing to export';
  if (!count.exact) return `More than ${counts.format(count.count)} customers will be exported`;
  return count.count === 1 ? '1 customer will be exported' : `${counts.format(count.count)} customers will be exported`;
}

function customersWord(count: { count: number; exact: boolean }): string {
  if (!count.exact) return `${counts.format(count.count)}+ customers`;
  return count.count === 1 ? '1 customer' : `${counts.format(count.count)} customers`;
}

function FilterBadge({ children }: { children: string }) {
  return (
    <Badge role="listitem" variant="light" color="indigo" radius="sm" size="lg" tt="none" fw={500}>
      {children}
    </Badge>
  );
}

function Section({
  title,
  hint,
  actions,
  children,
}: {
  title: string;
  hint?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Group justify="space-between" align="flex-end" gap="xs">
        <div>
          <Title order={3} fz="md">
            {title}
          </Title>
          {hint ? (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          ) : null}
        </div>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}

/** "Physical city" in the group "Physical address" reads "City". */
function shortLabel(header: string, groupLabel: string): string {
  const [first] = groupLabel.split(' ');
  if ((first === 'Physical' || first === 'Postal') && header.startsWith(`${first} `)) {
    const rest = header.slice(first.length + 1);
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  return header;
}

function FieldChooser({
  catalogue,
  chosen,
  onChange,
}: {
  catalogue: ExportFields;
  chosen: ReadonlySet<string>;
  onChange(next: Set<string>): void;
}) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="sm" verticalSpacing="sm">
      {catalogue.groups.map((group) => {
        const keys = group.fields.map((field) => field.key);
        const ticked = keys.filter((key) => chosen.has(key)).length;
        return (
          <Paper key={group.id} withBorder p="sm" radius="md" role="group" aria-label={group.label}>
            <Checkbox
              label={group.label}
              checked={ticked === keys.length}
              indeterminate={ticked > 0 && ticked < keys.length}
              onChange={(event) => onChange(withGroup(chosen, keys, event.currentTarget.checked))}
              fw={600}
              mb={8}
              aria-label={`All of ${group.label}`}
            />
            <Stack gap={6} pl={28}>
              {group.fields.map((field) => (
                <Tooltip key={field.key} label={`${field.header}: ${field.meaning}`} openDelay={600} multiline w={280}>
                  <Checkbox
                    size="xs"
                    label={shortLabel(field.header, group.label)}
                    aria-label={field.header}
                    checked={chosen.has(field.key)}
                    onChange={(event) => onChange(withGroup(chosen, [field.key], event.currentTarget.checked))}
                  />
                </Tooltip>
              ))}
            </Stack>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}

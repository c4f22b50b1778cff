import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconAlertCircle, IconCheck, IconDownload, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { IMPORT_FILE_DAYS } from '../../shared/export-files.ts';
import { messageOf } from '../api/http.ts';
import {
  IMPORT_TEMPLATE_URL,
  type ImportChange,
  type ImportJob,
  type ImportMapping,
  importErrorsUrl,
  importFileUrl,
  useCancelImport,
  useCommitImport,
  useImportChanges,
  useImportColumns,
  useImportJob,
  useImportProblems,
  useImports,
  useRecheckImport,
  useUploadImport,
} from '../api/imports.ts';
import { useCan } from '../auth/session.tsx';
import { FIELD_LABELS } from '../customers/customer-form-values.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';

const DATE_ORDERS = [
  { value: 'day-first', label: 'Day first (31/12/2025)' },
  { value: 'month-first', label: 'Month first (12/31/2025)' },
];

const numbers = new Intl.NumberFormat();

/** "1 customer was", "3 customers were". */
function customersText(count: number): string {
  return count === 1 ? '1 customer was' : `${numbers.format(count)} customers were`;
}

/** What a person chose for headers before, by header text: offered again for the next file. */
const REMEMBERED = 'patron.import.mapping';
function remembered(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(REMEMBERED) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}
function remember(headers: string[], mapping: ImportMapping) {
  const saved = remembered();
  for (const [index, key] of Object.entries(mapping)) {
    const header = headers[Number(index)];
    if (header) saved[header.trim().toLowerCase()] = key;
  }
  localStorage.setItem(REMEMBERED, JSON.stringify(saved));
}

/** Import customers from a CSV: upload, see what the file holds and what will happen, then commit. */
export function ImportPage() {
  usePageTitle('Import customers', 'Customers');
  const { id } = useParams();
  return (
    <>
      <PageHeader
        title="Import customers"
        crumbs={[{ label: 'Customers', to: '/customers' }, { label: 'Import' }]}
        description="Bring customers in from a spreadsheet or the system you are leaving. Nothing is written until you have seen what will happen."
      />
      {id ? <ImportJobView id={id} /> : <UploadStep />}
    </>
  );
}

const KINDS = [
  { value: 'import', label: 'Add new customers' },
  { value: 'modify', label: 'Update customers' },
  { value: 'delete', label: 'Delete customers' },
];
const MATCH_BY = [
  { value: 'id', label: 'Record ID (as exported)' },
  { value: 'code', label: 'Customer code' },
  { value: 'email', label: 'Email' },
];

function UploadStep() {
  const navigate = useNavigate();
  const upload = useUploadImport();
  const canDelete = useCan('customers:delete');
  const [dateOrder, setDateOrder] = useState('day-first');
  const [kind, setKind] = useState<ImportJob['kind']>('import');
  const [matchBy, setMatchBy] = useState<'id' | 'code' | 'email'>('id');
  const [clearEmpty, setClearEmpty] = useState(false);
  const recent = useImports();
  return (
    <Stack gap="lg">
      <Paper p="lg">
        <Stack gap="md">
          <Group gap="lg" align="flex-end">
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                The file
              </Text>
              <SegmentedControl
                aria-label="What the file does"
                value={kind}
                onChange={(value) => setKind(value as ImportJob['kind'])}
                data={KINDS.map((k) => ({ ...k, disabled: k.value === 'delete' && !canDelete }))}
              />
            </Stack>
            {kind !== 'import' ? (
              <Select
                label="Rows name their customer by"
                data={MATCH_BY}
                value={matchBy}
                onChange={(value) => value && setMatchBy(value as 'id' | 'code' | 'email')}
                allowDeselect={false}
                w={240}
              />
            ) : null}
            {kind === 'modify' ? (
              <Checkbox
                label="Empty cells clear the field"
                description="Otherwise an empty cell leaves the field as it is"
                checked={clearEmpty}
                onChange={(event) => setClearEmpty(event.currentTarget.checked)}
              />
            ) : null}
          </Group>
          <Dropzone
            onDrop={(files) => {
              const file = files[0];
              if (!file) return;
              upload.mutate(
                { file, dateOrder, kind, matchBy, clearEmpty },
                { onSuccess: (job) => void navigate(`/customers/import/${job.id}`) },
              );
            }}
            accept={['text/csv', 'text/plain', 'application/vnd.ms-excel', '.csv', '.txt']}
            maxFiles={1}
            loading={upload.isPending}
            aria-label="Upload a CSV file"
          >
            <Group justify="center" gap="lg" mih={140} style={{ pointerEvents: 'none' }}>
              <Dropzone.Accept>
                <IconUpload size={44} stroke={1.4} />
              </Dropzone.Accept>
              <Dropzone.Idle>
                <IconFileSpreadsheet size={44} stroke={1.4} />
              </Dropzone.Idle>
              <Stack gap={4}>
                <Text size="lg" fw={600}>
                  Drop a CSV file here, or click to choose one
                </Text>
                <Text size="sm" c="dimmed">
                  {kind === 'import'
                    ? 'Files exported from Shopify, Square, Lightspeed, WooCommerce, Loyverse or Patron are recognised by their columns. Any other columns you map by hand.'
                    : kind === 'modify'
                      ? 'Export your customers, change cells in a spreadsheet, and upload the file: only the cells that differ are written.'
                      : 'A file with a column of record ids, customer codes or emails: you will see who is deleted before anything happens.'}
                </Text>
              </Stack>
            </Group>
          </Dropzone>
          {upload.isError ? (
            <Alert color="red" variant="light" icon={<IconAlertCircle />} title="The file was not uploaded">
              {messageOf(upload.error)}
            </Alert>
          ) : null}
          <Group justify="space-between" align="flex-end">
            <Select
              label="Dates in the file are written"
              data={DATE_ORDERS}
              value={dateOrder}
              onChange={(value) => value && setDateOrder(value)}
              allowDeselect={false}
              w={280}
            />
            <Group gap="sm">
              <Button
                component="a"
                href={IMPORT_TEMPLATE_URL}
                variant="default"
                leftSection={<IconDownload size={16} />}
              >
                Download the template
              </Button>
              <Button component={Link} to="/customers/import/columns" variant="subtle">
                What each column means
              </Button>
            </Group>
          </Group>
        </Stack>
      </Paper>
      {recent.data && recent.data.length > 0 ? (
        <Paper p="lg">
          <Title order={2} fz="md" mb="sm">
            Recent imports
          </Title>
          <Table aria-label="Recent imports">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recent.data.map((job) => (
                <Table.Tr key={job.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/import/${job.id}`}>
                      {job.fileName ?? 'Upload'}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{job.createdBy}</Table.Td>
                  <Table.Td>{formatDateTime(job.createdAt)}</Table.Td>
                  <Table.Td>
                    <StatusBadge job={job} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
    </Stack>
  );
}

const STATUS: Record<ImportJob['status'], [string, string]> = {
  validating: ['Checking', 'blue'],
  validated: ['Checked: ready to commit', 'cyan'],
  committing: ['Importing', 'blue'],
  done: ['Imported', 'teal'],
  failed: ['Failed', 'red'],
  cancelled: ['Cancelled', 'gray'],
};

function StatusBadge({ job }: { job: ImportJob }) {
  const [label, color] = STATUS[job.status];
  return (
    <Badge variant="light" color={color} tt="none" radius="sm">
      {job.status === 'done' && job.result
        ? `Imported ${numbers.format(job.result.created)}`
        : job.status === 'cancelled' && job.result
          ? `Stopped · ${numbers.format(job.result.created)} imported`
          : label}
    </Badge>
  );
}

function ImportJobView({ id }: { id: string }) {
  const job = useImportJob(id);
  if (job.isPending) return <Text c="dimmed">Loading…</Text>;
  if (job.isError) return <Alert color="red">{messageOf(job.error)}</Alert>;
  const data = job.data;
  return (
    <Stack gap="lg">
      <Paper p="lg">
        <Group justify="space-between" mb="sm">
          <Stack gap={0}>
            <Group gap="xs">
              <Text fw={650}>{data.fileName ?? 'Upload'}</Text>
              {data.filesDeletedAt ? null : (
                <Anchor href={importFileUrl(data.id)} size="sm" aria-label="Download the file as uploaded">
                  <IconDownload size={14} /> Original file
                </Anchor>
              )}
            </Group>
            {data.filesDeletedAt ? (
              <Text size="sm" c="dimmed">
                The file and its rows were deleted on {formatDate(data.filesDeletedAt)}, {IMPORT_FILE_DAYS} days after
                the import: they held every customer of the file.
              </Text>
            ) : data.filesKeptUntil ? (
              <Text size="sm" c="dimmed">
                The file and its rows are kept until {formatDate(data.filesKeptUntil)}.
              </Text>
            ) : null}
            {data.file ? (
              <Text size="sm" c="dimmed">
                {data.file.layout === 'unknown' ? 'Columns of your own' : data.file.layoutName} ·{' '}
                {data.file.encoding.toUpperCase()} · {data.file.delimiter === '\t' ? 'tab' : `"${data.file.delimiter}"`}{' '}
                separated
              </Text>
            ) : null}
          </Stack>
          <StatusBadge job={data} />
        </Group>
        <JobProgress job={data} />
        {data.error ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle />}
            title="Nothing was imported"
            mt="md"
            role="alert"
          >
            {data.error}
          </Alert>
        ) : null}
        {data.status === 'done' && data.result ? (
          <Alert color="teal" variant="light" icon={<IconCheck />} title="Done" mt="md">
            {data.kind === 'modify'
              ? `${customersText(data.result.updated)} updated`
              : data.kind === 'delete'
                ? `${customersText(data.result.deleted)} deleted`
                : `${customersText(data.result.created)} created`}
            {data.result.groups > 0 ? `, and ${data.result.groups} new groups` : ''}.{' '}
            <Anchor component={Link} to="/customers?sort=-createdAt">
              See them in the customer list
            </Anchor>
          </Alert>
        ) : null}
        {data.status === 'cancelled' && data.result ? (
          <Alert color="yellow" variant="light" icon={<IconAlertCircle />} title="Stopped" mt="md">
            Stopped on your request after {customersText(data.result.created)} created
            {data.result.groups > 0 ? ` (and ${data.result.groups} new groups)` : ''}: they stay in the directory. The
            rest of the file was not imported.{' '}
            <Anchor component={Link} to="/customers?sort=-createdAt">
              See them in the customer list
            </Anchor>
          </Alert>
        ) : null}
      </Paper>
      {data.file &&
      ['validated', 'failed', 'cancelled'].includes(data.status) &&
      !data.result &&
      !data.filesDeletedAt ? (
        <ColumnMapping job={data} />
      ) : null}
      {data.counts ? <DryRun job={data} /> : null}
    </Stack>
  );
}

/** Seconds as a person reads them: "45 s", "3 min", "1 h 5 min". */
function duration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 90) return `${s} s`;
  const minutes = Math.round(s / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function JobProgress({ job }: { job: ImportJob }) {
  const cancel = useCancelImport(job.id);
  if (job.status !== 'validating' && job.status !== 'committing') return null;
  const { rowsDone, rowsTotal, rowsPerSecond, secondsLeft } = job.progress;
  const percent = rowsTotal ? Math.min(100, (rowsDone / rowsTotal) * 100) : 0;
  // The valid rows only are written batch by batch (counted, and stoppable); all-or-nothing in one go.
  const inBatches = job.status === 'committing' && job.kind === 'import' && job.options.mode === 'valid';
  const oneTransaction = job.status === 'committing' && !inBatches;
  return (
    <Stack gap={6}>
      <Progress
        value={oneTransaction ? 100 : percent}
        animated
        striped={oneTransaction}
        aria-label={job.status === 'validating' ? 'Checking the file' : 'Writing the customers'}
      />
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {job.status === 'validating'
            ? `Checked ${numbers.format(rowsDone)}${rowsTotal ? ` of about ${numbers.format(rowsTotal)}` : ''} rows`
            : inBatches
              ? `Created ${numbers.format(rowsDone)}${rowsTotal ? ` of ${numbers.format(rowsTotal)}` : ''} customers`
              : 'Writing the customers in one transaction: all of them, or none'}
          {rowsPerSecond ? ` · ${numbers.format(rowsPerSecond)} rows/s` : ''}
          {secondsLeft !== null ? ` · about ${duration(secondsLeft)} left` : ''}
        </Text>
        {job.status === 'validating' || inBatches ? (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={() => cancel.mutate()}
            loading={cancel.isPending}
            title={inBatches ? 'Stops after the customers being written; those created so far stay' : undefined}
          >
            Stop
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}

/** Each column of the file and the field it fills; a person can change any of them and check again. */
function ColumnMapping({ job }: { job: ImportJob }) {
  const columns = useImportColumns();
  const recheck = useRecheckImport(job.id);
  const file = job.file;
  const [mapping, setMapping] = useState<ImportMapping>(() => {
    // Headers a person mapped before (for another file) are offered the same way.
    const saved = remembered();
    const initial: ImportMapping = { ...(job.options.mapping ?? {}) };
    for (const column of file?.columns ?? []) {
      const key = saved[column.header.trim().toLowerCase()];
      if (column.status === 'unknown' && key && initial[String(column.index)] === undefined) {
        initial[String(column.index)] = key;
      }
    }
    return initial;
  });
  const [dateOrder, setDateOrder] = useState(job.options.dateOrder);
  const [showColumns, setShowColumns] = useState(false);
  const options = useMemo(
    () => [
      { value: 'ignore', label: "Don't import" },
      { value: 'fullName', label: 'Full name (split into first and last)' },
      ...(columns.data ?? []).filter((c) => c.importable).map((c) => ({ value: c.key, label: c.header })),
    ],
    [columns.data],
  );
  if (!file) return null;
  const changed =
    dateOrder !== job.options.dateOrder || JSON.stringify(mapping) !== JSON.stringify(job.options.mapping ?? {});
  const unknown = file.columns.filter((c) => c.status === 'unknown' && mapping[String(c.index)] === undefined);
  // Every column recognised: the list is there to check, not to fill in, and the result below matters more.
  const listed = showColumns || unknown.length > 0 || changed;
  return (
    <Paper p="lg">
      <Group justify="space-between" mb="sm" align="flex-start">
        <Stack gap={2}>
          <Title order={2} fz="md">
            Columns
          </Title>
          <Text size="sm" c="dimmed">
            {unknown.length > 0
              ? `${unknown.length} column${unknown.length === 1 ? ' is' : 's are'} not recognised: choose what ${unknown.length === 1 ? 'it fills' : 'they fill'}, or leave them out.`
              : 'Every column is accounted for. Change any of them and check again.'}
          </Text>
        </Stack>
        <Group gap="sm" align="flex-end">
          <Select
            label="Dates are written"
            data={DATE_ORDERS}
            value={dateOrder}
            onChange={(value) => value && setDateOrder(value)}
            allowDeselect={false}
            size="xs"
            w={220}
          />
          <Button
            size="xs"
            disabled={!changed}
            loading={recheck.isPending}
            onClick={() => {
              remember(file.headers, mapping);
              recheck.mutate({ dateOrder, mapping });
            }}
          >
            Check again
          </Button>
        </Group>
      </Group>
      {listed ? null : (
        <Button variant="subtle" size="compact-sm" onClick={() => setShowColumns(true)}>
          Show the {file.columns.length} columns and what each fills
        </Button>
      )}
      <Table aria-label="Columns of the file" verticalSpacing={4} hidden={!listed}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Column in the file</Table.Th>
            <Table.Th>Fills</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {file.columns.map((column) => {
            const chosen =
              mapping[String(column.index)] ??
              (column.status === 'mapped' ? column.key : column.status === 'ignored' ? 'ignore' : null);
            return (
              <Table.Tr key={column.index}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {column.header}
                  </Text>
                  {column.status === 'ignored' && mapping[String(column.index)] === undefined ? (
                    <Text size="xs" c="dimmed">
                      {column.reason}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td w={320}>
                  <Select
                    aria-label={`Field for ${column.header}`}
                    size="xs"
                    data={options}
                    value={chosen}
                    placeholder="Not recognised: choose"
                    error={chosen === null ? true : undefined}
                    searchable
                    onChange={(value) => value && setMapping((m) => ({ ...m, [String(column.index)]: value }))}
                    comboboxProps={{ withinPortal: true }}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** What the import will do, row by row, and the way to commit it. */
function DryRun({ job }: { job: ImportJob }) {
  const counts = job.counts;
  const commit = useCommitImport(job.id);
  // Each check starts afresh (startedAt): its rows are read again once it has ended.
  const stamp = `${job.status}:${job.startedAt}:${JSON.stringify(counts)}`;
  // Once the file and its rows are gone (IMPORT_FILE_DAYS after the import) there is nothing to list.
  const kept = !job.filesDeletedAt;
  const changes = useImportChanges(job.id, kept && job.kind !== 'import', stamp);
  const actionable =
    job.kind === 'modify'
      ? (counts?.update ?? 0)
      : job.kind === 'delete'
        ? (counts?.delete ?? 0)
        : (counts?.create ?? 0);
  const noun = job.kind === 'delete' ? 'Delete' : job.kind === 'modify' ? 'Update' : 'Import';
  const problems = useImportProblems(job.id, kept && (counts?.reject ?? 0) + (counts?.skip ?? 0) > 0, stamp);
  if (!counts) return null;
  const ready = job.status === 'validated';
  return (
    <Paper p="lg">
      <Title order={2} fz="md" mb="sm">
        {job.status === 'done' ? 'What the import did' : 'What the import will do'}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
        {job.kind === 'modify' ? (
          <Figure label="Customers to update" value={counts.update} tone="teal" />
        ) : job.kind === 'delete' ? (
          <Figure label="Customers to delete" value={counts.delete} tone="red" />
        ) : (
          <Figure label="New customers" value={counts.create} tone="teal" />
        )}
        <Figure
          label={job.kind === 'import' ? 'Skipped: already customers' : 'Skipped: nothing to change'}
          value={counts.skip}
        />
        <Figure label="Rejected: to fix" value={counts.reject} tone={counts.reject > 0 ? 'red' : undefined} />
      </SimpleGrid>
      {counts.newGroups.length > 0 ? (
        <Text size="sm" mb="sm">
          New groups: {counts.newGroups.join(', ')}
        </Text>
      ) : null}
      {changes.data && changes.data.items.length > 0 ? <ChangeList items={changes.data.items} kind={job.kind} /> : null}
      {problems.data && problems.data.items.length > 0 ? (
        <>
          <Table aria-label="Rows not imported" verticalSpacing={4} mb="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>Line</Table.Th>
                <Table.Th w={100}>Outcome</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {problems.data.items.map((row) => (
                <Table.Tr key={row.line}>
                  <Table.Td className="tabular">{row.line}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={row.action === 'reject' ? 'red' : 'gray'} tt="none" radius="sm">
                      {row.action === 'reject' ? 'Rejected' : 'Skipped'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {row.problems.map((p) => (
                      <Text size="sm" key={`${p.column}:${p.reason}`}>
                        {p.column ? <strong>{p.column}: </strong> : null}
                        {p.reason}
                      </Text>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Button
            component="a"
            href={importErrorsUrl(job.id)}
            variant="default"
            size="xs"
            leftSection={<IconDownload size={14} />}
            mb="md"
          >
            Download the rows to fix (CSV)
          </Button>
        </>
      ) : null}
      {ready ? (
        <Stack gap="xs">
          {commit.isError ? (
            <Alert color="red" variant="light" icon={<IconAlertCircle />} role="alert">
              {messageOf(commit.error)}
            </Alert>
          ) : null}
          <Group gap="sm">
            <Button
              color={job.kind === 'delete' ? 'red' : undefined}
              disabled={counts.reject > 0 || actionable === 0}
              onClick={() => commit.mutate('all')}
              loading={commit.isPending && commit.variables === 'all'}
            >
              {actionable === 1 ? `${noun} 1 customer` : `${noun} all ${numbers.format(actionable)} customers`}
            </Button>
            {counts.reject > 0 && actionable > 0 ? (
              <Button
                variant="light"
                color={job.kind === 'delete' ? 'red' : undefined}
                onClick={() => commit.mutate('valid')}
                loading={commit.isPending && commit.variables === 'valid'}
              >
                {noun} the {numbers.format(actionable)} valid rows only
              </Button>
            ) : null}
          </Group>
          {counts.reject > 0 ? (
            <Text size="sm" c="dimmed">
              All or nothing needs every row to be valid: fix the rejected rows and upload the file again, or import the
              valid rows now and the fixed ones later.
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </Paper>
  );
}

function Figure({ label, value, tone }: { label: string; value: number; tone?: 'red' | 'teal' | undefined }) {
  return (
    <Stack gap={0} role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text fz={24} fw={700} className="tabular" c={value > 0 ? tone : undefined}>
        {numbers.format(value)}
      </Text>
    </Stack>
  );
}

/** Each customer a modify or delete touches, and for a modify what changes: from → to. */
function ChangeList({ items, kind }: { items: ImportChange[]; kind: ImportJob['kind'] }) {
  const show = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));
  return (
    <Table aria-label={kind === 'delete' ? 'Customers to delete' : 'Changes'} verticalSpacing={4} mb="md">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={70}>Line</Table.Th>
          <Table.Th w={220}>Customer</Table.Th>
          {kind === 'modify' ? <Table.Th>Changes</Table.Th> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((item) => (
          <Table.Tr key={item.line}>
            <Table.Td className="tabular">{item.line}</Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/customers/${item.customer.id}`} size="sm">
                {item.customer.name}
              </Anchor>
            </Table.Td>
            {kind === 'modify' ? (
              <Table.Td>
                {Object.entries(item.changes).map(([field, change]) => (
                  <Text size="sm" key={field}>
                    <strong>{FIELD_LABELS[field] ?? field}:</strong> {show(change.from)} → {show(change.to)}
                  </Text>
                ))}
              </Table.Td>
            ) : null}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

import { Alert, Button, Group, Paper, Progress, Skeleton, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconDownload } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { EXPORT_FILE_DAYS } from '../../shared/export-files.ts';
import { formatDate } from '../lib/format.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { type ExportJob, useCancelExport, useExportJob } from './export-api.ts';
import { formatBytes, progressPercent, progressWords, timeLeft } from './export-view.ts';

const numbers = new Intl.NumberFormat();

const HEADINGS: Record<ExportJob['status'], string> = {
  running: 'Preparing your file…',
  done: 'Your file is ready',
  failed: 'The export failed',
  cancelled: 'The export was stopped',
};

function customers(count: number): string {
  return count === 1 ? '1 customer' : `${numbers.format(count)} customers`;
}

/** The download of a finished export: a plain link, so the browser saves the file however large. */
function DownloadButton({ file, size }: { file: NonNullable<ExportJob['file']>; size?: 'compact-sm' }) {
  return (
    <Button
      component="a"
      href={file.url}
      download={file.name}
      size={size}
      variant={size ? 'light' : 'filled'}
      leftSection={<IconDownload size={size ? 14 : 16} />}
    >
      {size ? 'Download' : 'Download CSV'}
    </Button>
  );
}

/**
 * A background export in the export form: how far it is (rows, rate, time left) with a way to stop it, then
 * its file to download. `summary` says which customers and fields it is of.
 */
export function ExportJobProgress({ id, summary, onClose }: { id: string; summary: ReactNode; onClose(): void }) {
  const job = useExportJob(id);
  const cancel = useCancelExport(id);
  if (job.isError) return <LoadError error={job.error} onRetry={() => job.refetch()} what="the export" />;
  if (!job.data) return <Skeleton h={160} radius="md" />;
  const { status, progress, file, error } = job.data;
  return (
    <Stack gap="lg">
      {summary}
      <Paper withBorder p="lg" radius="md" aria-label="Background export" role="region">
        <Group gap="xs" mb="sm">
          {status === 'done' ? <IconCheck size={20} color="var(--mantine-color-teal-6)" /> : null}
          <Text fw={650} aria-live="polite">
            {job.data.cancelRequested && status === 'running' ? 'Stopping…' : HEADINGS[status]}
          </Text>
        </Group>
        {status === 'running' ? (
          <Stack gap={6}>
            <Progress
              value={progress.rowsTotal === null ? 100 : progressPercent(progress)}
              animated
              striped={progress.rowsTotal === null}
              size="lg"
              aria-label="Export progress"
            />
            <Text size="sm" c="dimmed" data-testid="export-progress">
              {progressWords(progress)}
            </Text>
          </Stack>
        ) : null}
        {status === 'done' && file ? (
          <Text size="sm">
            {file.name} · {customers(progress.rowsDone)} · {formatBytes(file.bytes)} · kept until{' '}
            {formatDate(file.expiresAt)}
          </Text>
        ) : null}
        {status === 'done' && !file ? (
          <Text size="sm" c="dimmed">
            The file was deleted {EXPORT_FILE_DAYS} days after the export. Export again to get a new one.
          </Text>
        ) : null}
        {status === 'cancelled' ? (
          <Text size="sm" c="dimmed">
            Nothing was kept. Start the export again whenever you like.
          </Text>
        ) : null}
        {status === 'failed' ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} role="alert">
            {error ?? 'Something went wrong'}
          </Alert>
        ) : null}
      </Paper>
      <Group justify="space-between" align="center" gap="sm">
        <Text size="xs" c="dimmed" maw={420}>
          {status === 'running'
            ? `You can close this window: the export carries on, and the file waits in the export log for ${EXPORT_FILE_DAYS} days.`
            : status === 'done'
              ? 'The file is also in the export log, for anyone who may export customers.'
              : ''}
        </Text>
        <Group gap="sm">
          {status === 'running' ? (
            <Button
              variant="default"
              color="red"
              onClick={() => cancel.mutate()}
              loading={cancel.isPending}
              disabled={job.data.cancelRequested}
            >
              Stop export
            </Button>
          ) : null}
          <Button variant={status === 'done' && file ? 'default' : 'filled'} onClick={onClose}>
            Close
          </Button>
          {status === 'done' && file ? <DownloadButton file={file} /> : null}
        </Group>
      </Group>
    </Stack>
  );
}

/** A background export in the export log: its progress, its file to download, or why there is none. */
export function ExportFileCell({ job }: { job: ExportJob | null }) {
  if (!job) {
    return (
      <Text size="sm" c="dimmed">
        Downloaded straight away
      </Text>
    );
  }
  if (job.status === 'running') {
    const percent = progressPercent(job.progress);
    return (
      <Stack gap={4}>
        <Progress value={percent} animated size="sm" aria-label="Export progress" />
        <Text size="xs" c="dimmed">
          {`${percent}%`}
          {job.progress.secondsLeft !== null ? ` · ${timeLeft(job.progress.secondsLeft)}` : ''}
        </Text>
      </Stack>
    );
  }
  if (job.file) {
    return (
      <Stack gap={4} align="flex-start">
        <DownloadButton file={job.file} size="compact-sm" />
        <Text size="xs" c="dimmed">
          {formatBytes(job.file.bytes)} · until {formatDate(job.file.expiresAt)}
        </Text>
      </Stack>
    );
  }
  return (
    <Text size="sm" c="dimmed">
      {job.status === 'done' ? `Deleted after ${EXPORT_FILE_DAYS} days` : 'No file'}
    </Text>
  );
}

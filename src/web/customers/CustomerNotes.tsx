import { Button, Group, Skeleton, Stack, Text, Textarea, Timeline, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconNote } from '@tabler/icons-react';
import { LIMITS } from '../../features/customers/customer.schema.ts';
import { useAddNote, useCustomerNotes } from '../api/customers.ts';
import { isApiError } from '../api/http.ts';
import { formatDateTime, formatRelative } from '../lib/format.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';

/** The team's notes about a customer, newest first, with a box to add one. */
export function CustomerNotes({ customerId, canWrite }: { customerId: string; canWrite: boolean }) {
  const notes = useCustomerNotes(customerId);
  const addNote = useAddNote(customerId);
  const form = useForm({ mode: 'controlled', initialValues: { body: '' } });

  const submit = form.onSubmit(({ body }) => {
    addNote.mutate(body, {
      onSuccess: () => form.reset(),
      onError: (error) => {
        const problem = isApiError(error) ? error.problem : undefined;
        const fieldError = problem?.errors?.find((item) => item.field === 'body');
        form.setFieldError('body', fieldError?.message ?? problem?.detail ?? 'The note could not be saved.');
      },
    });
  });

  return (
    <Section title="Notes" description="Internal notes, seen only by your team.">
      {canWrite ? (
        <form onSubmit={submit} noValidate>
          <Textarea
            label="New note"
            placeholder="What should the team know? e.g. “Prefers a call before delivery”"
            autosize
            minRows={2}
            maxRows={8}
            maxLength={LIMITS.note}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit();
            }}
            {...form.getInputProps('body')}
          />
          <Group justify="flex-end" mt="xs">
            <Button type="submit" loading={addNote.isPending} disabled={!form.values.body.trim()} variant="light">
              Add note
            </Button>
          </Group>
        </form>
      ) : null}

      <div style={canWrite ? { marginTop: 'var(--mantine-spacing-lg)' } : undefined}>
        {notes.isPending ? (
          <Stack gap="sm">
            <Skeleton h={16} w="40%" />
            <Skeleton h={40} />
          </Stack>
        ) : notes.isError ? (
          <LoadError error={notes.error} onRetry={() => notes.refetch()} what="notes" />
        ) : notes.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            No notes yet.
          </Text>
        ) : (
          <Timeline bulletSize={24} lineWidth={2} role="list" aria-label="Notes timeline">
            {notes.data.map((note) => (
              <Timeline.Item
                key={note.id}
                bullet={<IconNote size={13} />}
                title={
                  <Group gap={6} wrap="wrap">
                    <Text fw={600} size="sm">
                      {note.author.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      ·
                    </Text>
                    <Tooltip label={formatRelative(note.createdAt)} withArrow>
                      <Text size="xs" c="dimmed" component="time" dateTime={note.createdAt}>
                        {formatDateTime(note.createdAt)}
                      </Text>
                    </Tooltip>
                  </Group>
                }
                role="listitem"
              >
                <Text size="sm" mt={4} className="pre-wrap">
                  {note.body}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </div>
    </Section>
  );
}

import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { type CustomerGroup, GROUP_NAME_MAX } from '../../features/groups/group.schema.ts';
import { useCreateGroup, useRenameGroup } from '../api/groups.ts';
import { problemOf } from '../api/http.ts';
import { splitFieldErrors } from '../lib/form-errors.ts';

interface GroupNameModalProps {
  /** Open to create a group (`'new'`) or to rename this one; closed with null. */
  target: 'new' | CustomerGroup | null;
  onClose(): void;
}

/** Name a new group, or rename one. */
export function GroupNameModal({ target, onClose }: GroupNameModalProps) {
  const title = target === 'new' ? 'New customer group' : target ? `Rename “${target.name}”` : '';
  return (
    <Modal opened={target !== null} onClose={onClose} title={title}>
      {target ? <NameForm key={target === 'new' ? 'new' : target.id} target={target} onClose={onClose} /> : null}
    </Modal>
  );
}

function NameForm({ target, onClose }: { target: 'new' | CustomerGroup; onClose(): void }) {
  const create = useCreateGroup();
  const rename = useRenameGroup();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: target === 'new' ? '' : target.name },
    validate: { name: (value) => (value.trim() ? null : 'Give the group a name') },
  });

  const submit = form.onSubmit(({ name }) => {
    const trimmed = name.trim();
    setFailure(null);
    const onError = (error: unknown) => {
      const problem = problemOf(error);
      const { byField, unplaced } = splitFieldErrors(problem, (field) => field === 'name');
      form.setErrors(byField);
      if (Object.keys(byField).length === 0 || unplaced.length > 0) setFailure(problem.detail ?? problem.title);
    };
    if (target === 'new') {
      create.mutate(trimmed, {
        onSuccess: (group) => {
          notifications.show({
            color: 'teal',
            title: 'Group created',
            message: `“${group.name}” is ready. Tick customers in the list and choose “Move to group…” to add them.`,
          });
          onClose();
        },
        onError,
      });
      return;
    }
    if (trimmed === target.name) {
      onClose();
      return;
    }
    rename.mutate(
      { id: target.id, name: trimmed },
      {
        onSuccess: (group) => {
          notifications.show({
            color: 'teal',
            title: 'Group renamed',
            message: `“${target.name}” is now “${group.name}”.`,
          });
          onClose();
        },
        onError,
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />}>
            {failure}
          </Alert>
        ) : null}
        <TextInput
          label="Group name"
          placeholder="Wholesale, VIP, Staff…"
          maxLength={GROUP_NAME_MAX}
          data-autofocus
          withAsterisk
          {...form.getInputProps('name')}
        />
        {target !== 'new' && target.isDefault ? (
          <Text size="sm" c="dimmed">
            This is the default group: new customers keep joining it under its new name.
          </Text>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || rename.isPending}>
            {target === 'new' ? 'Create group' : 'Rename'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

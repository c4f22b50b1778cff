import { Alert, Anchor, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { MoveResult } from '../../features/groups/group.schema.ts';
import { type MoveSelection, useCustomerGroups, useMoveCustomers } from '../api/groups.ts';
import { messageOf } from '../api/http.ts';
import { customersText } from '../groups/GroupsPage.tsx';

/** Who is about to move, as the list describes them. */
export interface MoveRequest {
  selection: MoveSelection;
  /** How many: exact for ticked customers; for "all matching", what the list counted. */
  count: number;
  /** False when the list only knows there are more than `count`. */
  exact: boolean;
  /** "2 selected customers", "all 57 customers matching “ann”". */
  description: string;
}

interface MoveToGroupModalProps {
  request: MoveRequest | null;
  onClose(): void;
  /** The move went through (the list reloads by itself). */
  onMoved(): void;
}

/** Moves above this many show a notification that stays while the server works: it can take a while. */
const LONG_MOVE = 2000;

/** Choose a group and move the chosen customers into it; a notification says how it went. */
export function MoveToGroupModal({ request, onClose, onMoved }: MoveToGroupModalProps) {
  return (
    <Modal opened={request !== null} onClose={onClose} title="Move customers to a group" size={520}>
      {request ? <MoveForm request={request} onClose={onClose} onMoved={onMoved} /> : null}
    </Modal>
  );
}

function resultText(result: MoveResult): { title: string; message: string } {
  const name = `“${result.group.name}”`;
  const notes: string[] = [];
  if (result.alreadyInGroup > 0) {
    notes.push(
      result.alreadyInGroup === 1
        ? '1 was in it already.'
        : `${result.alreadyInGroup.toLocaleString()} were in it already.`,
    );
  }
  if (result.notFound.length > 0) {
    notes.push(
      result.notFound.length === 1
        ? '1 had been deleted in the meantime.'
        : `${result.notFound.length} had been deleted in the meantime.`,
    );
  }
  notes.push(`${name} now has ${customersText(result.group.size)}.`);
  return {
    title: result.moved === 0 ? `No one needed moving to ${name}` : `Moved ${customersText(result.moved)} to ${name}`,
    message: notes.join(' '),
  };
}

function MoveForm({ request, onClose, onMoved }: { request: MoveRequest } & Omit<MoveToGroupModalProps, 'request'>) {
  const groups = useCustomerGroups();
  const move = useMoveCustomers();
  const [groupId, setGroupId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const group = groups.data?.find((candidate) => candidate.id === groupId);
  const options = (groups.data ?? []).map((candidate) => ({ value: candidate.id, label: candidate.name }));
  const many = !request.exact || request.count > LONG_MOVE;
  const howMany = request.exact ? customersText(request.count) : `more than ${customersText(request.count)}`;

  function submit() {
    if (!group) {
      setError('Choose the group to move them to.');
      return;
    }
    setError(null);
    const id = `move-${Date.now()}`;
    if (many) {
      // A large move runs on: the person can go on working, and hears when it is done.
      notifications.show({
        id,
        loading: true,
        title: `Moving ${howMany} to “${group.name}”…`,
        message: 'This can take a minute for many customers. You can keep working.',
        autoClose: false,
        withCloseButton: false,
      });
      onClose();
    }
    // The promise, not mutate's callbacks: those are dropped once this form has closed, and a large move closes it.
    void move.mutateAsync({ groupId: group.id, selection: request.selection }).then(
      (result) => {
        const text = resultText(result);
        if (many)
          notifications.update({ id, color: 'teal', loading: false, autoClose: 6000, withCloseButton: true, ...text });
        else notifications.show({ color: 'teal', ...text });
        onMoved();
        if (!many) onClose();
      },
      (failure: unknown) => {
        if (!many) {
          setError(messageOf(failure));
          return;
        }
        notifications.update({
          id,
          color: 'red',
          loading: false,
          autoClose: false,
          withCloseButton: true,
          title: 'No one was moved',
          message: messageOf(failure),
        });
      },
    );
  }

  return (
    <Stack>
      <Text size="sm">
        Move {request.description} to another group. Each customer is in one group only: they leave the group they are
        in now.
      </Text>
      {error ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle />}>
          {error}
        </Alert>
      ) : null}
      <Select
        label="Move to"
        placeholder={groups.isPending ? 'Loading groups…' : 'Choose a group'}
        data={options}
        value={groupId}
        onChange={(value) => {
          setGroupId(value);
          setError(null);
        }}
        searchable={options.length > 8}
        nothingFoundMessage="No group by that name"
        leftSection={<IconUsersGroup size={16} stroke={1.6} />}
        data-autofocus
        comboboxProps={{ withinPortal: true }}
      />
      <Text size="xs" c="dimmed">
        Not there yet?{' '}
        <Anchor component={Link} to="/groups" size="xs">
          Create the group on the Groups page
        </Anchor>
        , then come back.
      </Text>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={submit} loading={move.isPending && !many} disabled={!groupId}>
          {group ? `Move ${howMany} to “${group.name}”` : `Move ${howMany}`}
        </Button>
      </Group>
    </Stack>
  );
}

import {
  ActionIcon,
  Avatar,
  Badge,
  Button,
  Group,
  Menu,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import {
  IconCrown,
  IconDots,
  IconKey,
  IconPencil,
  IconUserCheck,
  IconUserOff,
  IconUserPlus,
} from '@tabler/icons-react';
import { useState } from 'react';
import type { StaffMember } from '../../features/staff/staff.schema.ts';
import type { Store } from '../../features/stores/store.schema.ts';
import { ROLE_LABELS } from '../../shared/permissions.ts';
import { messageOf } from '../api/http.ts';
import { useResetStaffPassword, useStaff, useUpdateStaff } from '../api/staff.ts';
import { useStores } from '../api/stores.ts';
import { useSession } from '../auth/session.tsx';
import { personInitials } from '../lib/format.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { RelativeTimeOrNever } from '../ui/RelativeTimeOrNever.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { useShownUntilClosed } from '../ui/useShownUntilClosed.ts';
import { EditStaffModal } from './EditStaffModal.tsx';
import { InviteStaffModal } from './InviteStaffModal.tsx';
import { ROLE_COLORS } from './roles.ts';
import { storeNames } from './StoresField.tsx';
import { type IssuedPassword, TemporaryPasswordModal } from './TemporaryPasswordModal.tsx';

/** What the signed-in person may do to a row, and why not when they may not. */
function allowedOn(member: StaffMember, myId: string) {
  const isMe = member.id === myId;
  const isOwner = member.role === 'owner';
  return {
    isMe,
    isOwner,
    // Only the owner edits the owner's account; anyone edits their own name and stores.
    edit: !isOwner || isMe,
    roleLocked: isOwner
      ? 'The owner’s role cannot be changed.'
      : isMe
        ? 'You cannot change your own role: ask the owner or another admin.'
        : null,
    access: !isOwner && !isMe,
  };
}

export function StaffPage() {
  usePageTitle('Staff');
  const { session } = useSession();
  const staff = useStaff();
  const stores = useStores();
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<StaffMember | null>(null);
  const issued = useShownUntilClosed<IssuedPassword>();
  const issue = issued.show;

  return (
    <>
      <PageHeader
        title="Staff"
        description={`Who can sign in to ${session.merchant.name}, and what each person may do.`}
        actions={
          <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviting(true)}>
            Invite staff
          </Button>
        }
      />

      {staff.isPending ? (
        <Stack>
          <Skeleton h={48} />
          <Skeleton h={48} />
          <Skeleton h={48} />
        </Stack>
      ) : staff.isError ? (
        <LoadError error={staff.error} onRetry={() => staff.refetch()} what="staff" />
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Staff">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Person</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Stores</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last signed in</Table.Th>
                  <Table.Th w={56}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {staff.data.map((member) => (
                  <StaffRow
                    key={member.id}
                    member={member}
                    myId={session.actor.id}
                    stores={stores.data}
                    onEdit={() => setEditing(member)}
                    onIssued={issue}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      <InviteStaffModal
        opened={inviting}
        onClose={() => setInviting(false)}
        onInvited={(credentials) => {
          setInviting(false);
          issue({ ...credentials, reason: 'invited' });
        }}
      />
      <EditStaffModal
        member={editing}
        roleLocked={editing ? allowedOn(editing, session.actor.id).roleLocked : null}
        onClose={() => setEditing(null)}
      />
      <TemporaryPasswordModal
        issued={issued.value}
        opened={issued.opened}
        onClose={issued.close}
        onClosed={issued.clear}
      />
    </>
  );
}

interface StaffRowProps {
  member: StaffMember;
  myId: string;
  stores: Store[] | undefined;
  onEdit(): void;
  onIssued(issued: IssuedPassword): void;
}

function StaffRow({ member, myId, stores, onEdit, onIssued }: StaffRowProps) {
  const update = useUpdateStaff();
  const reset = useResetStaffPassword();
  const allowed = allowedOn(member, myId);
  const firstName = member.name.split(' ')[0] ?? member.name;

  function confirmAccess() {
    const disabling = !member.disabled;
    modals.openConfirmModal({
      title: disabling ? `Disable ${member.name}’s account?` : `Enable ${member.name}’s account?`,
      children: (
        <Text size="sm">
          {disabling
            ? `${firstName} is signed out at once and can no longer sign in. What they did stays in the audit log. You can enable the account again at any time.`
            : `${firstName} can sign in again with their password.`}
        </Text>
      ),
      labels: { confirm: disabling ? 'Disable account' : 'Enable account', cancel: 'Cancel' },
      confirmProps: disabling ? { color: 'red' } : {},
      onConfirm: () =>
        update.mutate(
          { id: member.id, disabled: disabling, version: member.version },
          {
            onSuccess: (saved) =>
              notifications.show({
                color: 'teal',
                title: disabling ? 'Account disabled' : 'Account enabled',
                message: disabling ? `${saved.name} can no longer sign in.` : `${saved.name} can sign in again.`,
              }),
            onError: (error) =>
              notifications.show({ color: 'red', title: 'Nothing was changed', message: messageOf(error) }),
          },
        ),
    });
  }

  function confirmReset() {
    modals.openConfirmModal({
      title: `Reset ${member.name}’s password?`,
      children: (
        <Text size="sm">
          {firstName} is signed out everywhere and their password stops working. You get a temporary password to give
          them; they choose their own when they next sign in.
        </Text>
      ),
      labels: { confirm: 'Reset password', cancel: 'Cancel' },
      confirmProps: { color: 'orange' },
      onConfirm: () =>
        reset.mutate(member.id, {
          onSuccess: (credentials) => onIssued({ ...credentials, reason: 'reset' }),
          onError: (error) =>
            notifications.show({ color: 'red', title: 'The password was not reset', message: messageOf(error) }),
        }),
    });
  }

  const hasActions = allowed.edit || allowed.access;
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <Avatar size={34} radius="xl" color="initials" name={member.name}>
            {personInitials(member.name)}
          </Avatar>
          <div style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Text size="sm" fw={600} truncate>
                {member.name}
              </Text>
              {allowed.isMe ? (
                <Badge size="xs" variant="outline" color="gray" radius="sm">
                  You
                </Badge>
              ) : null}
            </Group>
            <Text size="xs" c="dimmed" truncate>
              {member.email}
            </Text>
          </div>
        </Group>
      </Table.Td>
      <Table.Td>
        <Badge
          variant={member.role === 'owner' ? 'filled' : 'light'}
          color={ROLE_COLORS[member.role]}
          radius="sm"
          tt="none"
          leftSection={member.role === 'owner' ? <IconCrown size={12} /> : undefined}
        >
          {ROLE_LABELS[member.role]}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={member.storeIds.length === 0 ? 'dimmed' : undefined}>
          {storeNames(member.storeIds, stores)}
        </Text>
      </Table.Td>
      <Table.Td>
        <StaffStatus member={member} />
      </Table.Td>
      <Table.Td>
        <RelativeTimeOrNever iso={member.lastSignInAt} />
      </Table.Td>
      <Table.Td>
        {hasActions ? (
          <Menu position="bottom-end" width={230} shadow="md">
            <Menu.Target>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={`Actions for ${member.name}`}
                loading={update.isPending || reset.isPending}
              >
                <IconDots size={18} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              {allowed.edit ? (
                <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit}>
                  {allowed.roleLocked ? 'Edit name and stores' : 'Change role, name or stores'}
                </Menu.Item>
              ) : null}
              {allowed.access ? (
                <>
                  <Menu.Item leftSection={<IconKey size={16} />} onClick={confirmReset}>
                    Reset password
                  </Menu.Item>
                  <Menu.Divider />
                  {member.disabled ? (
                    <Menu.Item leftSection={<IconUserCheck size={16} />} onClick={confirmAccess}>
                      Enable account
                    </Menu.Item>
                  ) : (
                    <Menu.Item color="red" leftSection={<IconUserOff size={16} />} onClick={confirmAccess}>
                      Disable account
                    </Menu.Item>
                  )}
                </>
              ) : null}
            </Menu.Dropdown>
          </Menu>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

function StaffStatus({ member }: { member: StaffMember }) {
  if (member.disabled) {
    return (
      <Badge color="red" variant="light" radius="sm" tt="none">
        Disabled
      </Badge>
    );
  }
  if (member.mustChangePassword) {
    return (
      <Tooltip label="Has a temporary password, and chooses their own at the next sign-in" withArrow multiline w={240}>
        <Badge color="yellow" variant="light" radius="sm" tt="none">
          Must set a password
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge color="teal" variant="dot" radius="sm" tt="none">
      Active
    </Badge>
  );
}

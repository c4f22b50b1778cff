import {
  ActionIcon,
  Anchor,
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
import { IconDots, IconInfoCircle, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { CustomerGroup } from '../../features/groups/group.schema.ts';
import { useCustomerGroups, useDeleteGroup } from '../api/groups.ts';
import { messageOf } from '../api/http.ts';
import { useCan } from '../auth/session.tsx';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { Dash } from '../ui/Value.tsx';
import { discountText, GroupModal } from './GroupModal.tsx';

const counts = new Intl.NumberFormat();

/** "1 customer", "1,234 customers". */
export function customersText(count: number): string {
  return count === 1 ? '1 customer' : `${counts.format(count)} customers`;
}

/** The customers list, showing only this group's customers. */
export function groupListLink(group: Pick<CustomerGroup, 'id'>): string {
  return `/customers?${new URLSearchParams({ groupId: group.id })}`;
}

/**
 * The merchant's customer groups with their discount, size and total spent; managers create, edit (name and
 * discount) and delete them.
 */
export function GroupsPage() {
  usePageTitle('Customer groups', 'Customers');
  const groups = useCustomerGroups({ fresh: true });
  const canManage = useCan('groups:manage');
  const [editing, setEditing] = useState<'new' | CustomerGroup | null>(null);
  const fallback = groups.data?.find((group) => group.isDefault);

  return (
    <>
      <PageHeader
        title="Customer groups"
        crumbs={[{ label: 'Customers', to: '/customers' }, { label: 'Groups' }]}
        description="Every customer is in exactly one group; new customers join the default group. A group’s discount is taken off its customers’ sales at the till. Open a group to see its customers."
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              New group
            </Button>
          ) : null
        }
      />

      {groups.isPending ? (
        <Stack>
          <Skeleton h={48} />
          <Skeleton h={48} />
        </Stack>
      ) : groups.isError ? (
        <LoadError error={groups.error} onRetry={() => groups.refetch()} what="the customer groups" />
      ) : (
        <>
          <Paper p={0} style={{ overflow: 'hidden' }}>
            <Table.ScrollContainer minWidth={660}>
              <Table
                verticalSpacing="sm"
                horizontalSpacing="md"
                highlightOnHover
                aria-label="Customer groups"
                aria-busy={groups.isFetching}
              >
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Group</Table.Th>
                    <Table.Th w={120} ta="right">
                      Discount
                    </Table.Th>
                    <Table.Th w={160} ta="right">
                      Customers
                    </Table.Th>
                    <Table.Th w={180} ta="right">
                      Total spent
                    </Table.Th>
                    {canManage ? (
                      <Table.Th w={56}>
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.Th>
                    ) : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {groups.data.map((group) => (
                    <GroupRow
                      key={group.id}
                      group={group}
                      fallbackName={fallback?.name ?? 'the default group'}
                      canManage={canManage}
                      onEdit={() => setEditing(group)}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          {groups.data.length === 1 && canManage ? (
            <Text size="sm" c="dimmed" mt="md">
              Make groups such as Wholesale or VIP with “New group”, then put customers in them from the customers list:
              tick them and choose “Move to group…”.
            </Text>
          ) : null}
        </>
      )}

      <GroupModal target={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function GroupRow({
  group,
  fallbackName,
  canManage,
  onEdit,
}: {
  group: CustomerGroup;
  fallbackName: string;
  canManage: boolean;
  onEdit(): void;
}) {
  const money = useMoney().format;
  const remove = useDeleteGroup();

  function confirmDelete() {
    modals.openConfirmModal({
      title: `Delete “${group.name}”?`,
      children: (
        <Stack gap="xs">
          <Text size="sm">
            {group.size === 0
              ? 'It has no customers.'
              : `Its ${customersText(group.size)} will move to “${fallbackName}”. Nothing else about them changes.`}
          </Text>
          <Text size="sm" c="dimmed">
            The group’s name is freed, and the deletion is recorded in the audit log. It cannot be undone.
          </Text>
        </Stack>
      ),
      labels: { confirm: 'Delete group', cancel: 'Cancel' },
      confirmProps: { color: 'red', loading: remove.isPending },
      onConfirm: () =>
        remove.mutate(group.id, {
          onSuccess: (result) =>
            notifications.show({
              color: 'teal',
              title: `“${group.name}” was deleted`,
              message:
                result.customersMoved === 0
                  ? 'It had no customers.'
                  : `${customersText(result.customersMoved)} moved to “${result.movedTo.name}”.`,
            }),
          onError: (error) =>
            notifications.show({ color: 'red', title: 'The group was not deleted', message: messageOf(error) }),
        }),
    });
  }

  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Anchor
            component={Link}
            to={groupListLink(group)}
            fw={600}
            size="sm"
            title={`See the customers in ${group.name}`}
          >
            {group.name}
          </Anchor>
          {group.isDefault ? (
            <Tooltip label="New customers join this group. It cannot be deleted." withArrow>
              <Badge
                size="sm"
                variant="light"
                color="gray"
                radius="sm"
                tt="none"
                rightSection={<IconInfoCircle size={12} />}
                tabIndex={0}
              >
                Default
              </Badge>
            </Tooltip>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td ta="right" className="tabular">
        {group.discountPercent > 0 ? (
          <Badge variant="light" color="teal" radius="sm" size="md" tt="none" title="Taken off their sales at the till">
            {discountText(group.discountPercent)} off
          </Badge>
        ) : (
          <Dash />
        )}
      </Table.Td>
      <Table.Td ta="right" className="tabular">
        <Anchor component={Link} to={groupListLink(group)} size="sm" c="inherit">
          {customersText(group.size)}
        </Anchor>
      </Table.Td>
      <Table.Td ta="right" className="tabular" c={group.size === 0 ? 'dimmed' : undefined}>
        {money(group.totalSpent)}
      </Table.Td>
      {canManage ? (
        <Table.Td>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${group.name}`}>
                <IconDots size={18} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit}>
                Edit name and discount…
              </Menu.Item>
              {group.isDefault ? (
                <Menu.Item leftSection={<IconTrash size={16} />} disabled title="The default group cannot be deleted">
                  Delete (the default group stays)
                </Menu.Item>
              ) : (
                <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={confirmDelete}>
                  Delete…
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { StaffInvite, StaffMember, StaffUpdate } from '../../features/staff/staff.schema.ts';
import { problemOf } from '../api/http.ts';
import { useUpdateStaff } from '../api/staff.ts';
import { splitFieldErrors } from '../lib/form-errors.ts';
import { RoleField } from './RoleField.tsx';
import { StaffStoresField } from './StaffStoresField.tsx';

interface EditStaffModalProps {
  member: StaffMember | null;
  /** Why the role cannot be changed here, when it cannot (the owner's, or one's own). */
  roleLocked: string | null;
  onClose(): void;
}

export function EditStaffModal({ member, roleLocked, onClose }: EditStaffModalProps) {
  return (
    <Modal opened={member !== null} onClose={onClose} title={member ? `Edit ${member.name}` : ''} size="lg">
      {member ? <EditForm key={member.id} member={member} roleLocked={roleLocked} onClose={onClose} /> : null}
    </Modal>
  );
}

const FIELDS = new Set(['name', 'role', 'storeIds']);

interface EditValues {
  name: string;
  role: StaffInvite['role'];
  storeIds: string[];
}

function EditForm({ member, roleLocked, onClose }: { member: StaffMember } & Omit<EditStaffModalProps, 'member'>) {
  const update = useUpdateStaff();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<EditValues>({
    mode: 'controlled',
    initialValues: {
      name: member.name,
      // The owner is not one of the roles that can be given; the field shows locked anyway.
      role: member.role === 'owner' ? 'admin' : member.role,
      storeIds: member.storeIds,
    },
    validate: { name: (value) => (value.trim() ? null : 'Enter their name') },
  });

  const submit = form.onSubmit((values) => {
    const change: StaffUpdate = { version: member.version };
    if (values.name.trim() !== member.name) change.name = values.name.trim();
    if (!roleLocked && values.role !== member.role) change.role = values.role;
    if (values.storeIds.join() !== member.storeIds.join()) change.storeIds = values.storeIds;
    if (Object.keys(change).length === 1) {
      onClose();
      return;
    }
    setFailure(null);
    update.mutate(
      { id: member.id, ...change },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'teal', title: 'Staff member saved', message: `${saved.name} is up to date.` });
          onClose();
        },
        onError: (error) => {
          const problem = problemOf(error);
          if (problem.status === 412) {
            setFailure('Someone else changed this account while you were editing. Close this and try again.');
            return;
          }
          const { byField, unplaced } = splitFieldErrors(problem, (field) => FIELDS.has(field));
          form.setErrors(byField);
          if (Object.keys(byField).length === 0 || unplaced.length > 0) setFailure(problem.detail ?? problem.title);
        },
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nothing was saved" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Group grow align="flex-start" gap="md">
          <TextInput label="Name" withAsterisk maxLength={200} {...form.getInputProps('name')} />
          <TextInput label="Email" value={member.email} readOnly disabled description="Cannot be changed" />
        </Group>
        {member.role === 'owner' ? null : (
          <RoleField
            value={form.values.role}
            onChange={(role) => form.setFieldValue('role', role)}
            error={form.errors.role as string | undefined}
            disabled={roleLocked !== null}
            {...(roleLocked ? { description: roleLocked } : {})}
          />
        )}
        <StaffStoresField
          value={form.values.storeIds}
          onChange={(storeIds) => form.setFieldValue('storeIds', storeIds)}
          error={form.errors.storeIds as string | undefined}
        />
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

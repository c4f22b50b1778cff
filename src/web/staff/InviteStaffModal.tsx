import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import type { StaffInvite } from '../../features/staff/staff.schema.ts';
import { problemOf } from '../api/http.ts';
import { type TemporaryPassword, useInviteStaff } from '../api/staff.ts';
import { splitFieldErrors } from '../lib/form-errors.ts';
import { RoleField } from './RoleField.tsx';
import { StaffStoresField } from './StaffStoresField.tsx';

interface InviteStaffModalProps {
  opened: boolean;
  onClose(): void;
  onInvited(credentials: TemporaryPassword): void;
}

export function InviteStaffModal({ opened, onClose, onInvited }: InviteStaffModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Invite a staff member" size="lg">
      {/* A fresh form each time the modal opens. */}
      {opened ? <InviteForm onClose={onClose} onInvited={onInvited} /> : null}
    </Modal>
  );
}

const FIELDS = new Set(['name', 'email', 'role', 'storeIds']);

function InviteForm({ onClose, onInvited }: Omit<InviteStaffModalProps, 'opened'>) {
  const invite = useInviteStaff();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<StaffInvite & { storeIds: string[] }>({
    mode: 'controlled',
    initialValues: { name: '', email: '', role: 'cashier', storeIds: [] },
    validate: {
      name: (value) => (value.trim() ? null : 'Enter their name'),
      email: (value) => (value.trim() ? null : 'Enter the email they will sign in with'),
    },
  });

  const submit = form.onSubmit((values) => {
    setFailure(null);
    invite.mutate(
      { ...values, name: values.name.trim(), email: values.email.trim() },
      {
        onSuccess: onInvited,
        onError: (error) => {
          const problem = problemOf(error);
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
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nobody was invited" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Group grow align="flex-start" gap="md">
          <TextInput label="Name" withAsterisk maxLength={200} data-autofocus {...form.getInputProps('name')} />
          <TextInput
            label="Email"
            description="They sign in with it"
            type="email"
            withAsterisk
            autoComplete="off"
            {...form.getInputProps('email')}
          />
        </Group>
        <RoleField
          value={form.values.role}
          onChange={(role) => form.setFieldValue('role', role)}
          error={form.errors.role as string | undefined}
        />
        <StaffStoresField
          value={form.values.storeIds}
          onChange={(storeIds) => form.setFieldValue('storeIds', storeIds)}
          error={form.errors.storeIds as string | undefined}
        />
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={invite.isPending} leftSection={<IconSend size={16} />}>
            Invite
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

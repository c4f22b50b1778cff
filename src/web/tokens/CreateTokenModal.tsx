import { Alert, Button, Checkbox, Group, Input, Modal, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconCalendar, IconKey } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { ApiToken } from '../../features/tokens/token.schema.ts';
import { PERMISSION_LABELS, type Permission } from '../../shared/permissions.ts';
import { problemOf } from '../api/http.ts';
import { useCreateToken } from '../api/tokens.ts';
import { useSession } from '../auth/session.tsx';
import { PICKER_DAY_FORMAT } from '../lib/dates.ts';
import { splitFieldErrors } from '../lib/form-errors.ts';
import { groupPermissions } from './permission-groups.ts';

export interface CreatedToken {
  token: ApiToken;
  secret: string;
}

interface CreateTokenModalProps {
  opened: boolean;
  onClose(): void;
  onCreated(created: CreatedToken): void;
}

export function CreateTokenModal({ opened, onClose, onCreated }: CreateTokenModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Create an API token" size="xl">
      {opened ? <CreateTokenForm onClose={onClose} onCreated={onCreated} /> : null}
    </Modal>
  );
}

interface TokenValues {
  name: string;
  scopes: Permission[];
  /** The day it stops working, `YYYY-MM-DD`; null for never. */
  expiresOn: string | null;
}

const FIELDS = new Set(['name', 'scopes', 'expiresAt']);
const READ_CUSTOMERS: Permission[] = ['customers:read'];

function CreateTokenForm({ onClose, onCreated }: Omit<CreateTokenModalProps, 'opened'>) {
  const { session } = useSession();
  const create = useCreateToken();
  const [failure, setFailure] = useState<string | null>(null);
  // A token can have at most the permissions of the person who makes it.
  const mine = session.permissions;
  const groups = groupPermissions(mine);
  const form = useForm<TokenValues>({
    mode: 'controlled',
    initialValues: { name: '', scopes: [], expiresOn: null },
    validate: {
      name: (value) => (value.trim() ? null : 'Name it after what will use it, such as “Online shop”'),
      scopes: (value) => (value.length > 0 ? null : 'Choose at least one permission'),
    },
  });

  const submit = form.onSubmit(({ name, scopes, expiresOn }) => {
    setFailure(null);
    create.mutate(
      {
        name: name.trim(),
        scopes,
        // It stops working as that day begins, in the browser's time zone.
        ...(expiresOn ? { expiresAt: dayjs(expiresOn).startOf('day').toISOString() } : {}),
      },
      {
        onSuccess: onCreated,
        onError: (error) => {
          const problem = problemOf(error);
          const { byField, unplaced } = splitFieldErrors(problem, (field) => FIELDS.has(field));
          const { expiresAt, ...rest } = byField;
          form.setErrors({ ...rest, ...(expiresAt ? { expiresOn: expiresAt } : {}) });
          if (Object.keys(byField).length === 0 || unplaced.length > 0) setFailure(problem.detail ?? problem.title);
        },
      },
    );
  });

  const scopes = form.values.scopes;
  const setScopes = (next: Permission[]) => form.setFieldValue('scopes', next);
  const sameAs = (preset: readonly Permission[]) =>
    preset.length === scopes.length && preset.every((permission) => scopes.includes(permission));

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="No token was created" role="alert">
            {failure}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          <TextInput
            label="Name"
            description="What will use it, so you know which token to revoke"
            placeholder="e.g. Online shop"
            withAsterisk
            maxLength={100}
            data-autofocus
            {...form.getInputProps('name')}
          />
          <DatePickerInput
            label="Expires"
            description="Leave empty for a token that does not expire"
            placeholder="Never"
            clearable
            minDate={dayjs().add(1, 'day').format('YYYY-MM-DD')}
            valueFormat={PICKER_DAY_FORMAT}
            leftSection={<IconCalendar size={16} stroke={1.6} />}
            presets={[
              { value: dayjs().add(30, 'day').format('YYYY-MM-DD'), label: 'In 30 days' },
              { value: dayjs().add(90, 'day').format('YYYY-MM-DD'), label: 'In 90 days' },
              { value: dayjs().add(1, 'year').format('YYYY-MM-DD'), label: 'In a year' },
            ]}
            {...form.getInputProps('expiresOn')}
          />
        </SimpleGrid>

        <Input.Wrapper
          label="Permissions"
          description="What the token may do. Give it only what the integration needs."
          withAsterisk
          error={form.errors.scopes}
        >
          <Group gap="xs" mt={8} mb="sm">
            <Text size="xs" c="dimmed">
              Quick choice:
            </Text>
            {mine.includes('customers:read') ? (
              <Button
                size="compact-xs"
                variant={sameAs(READ_CUSTOMERS) ? 'filled' : 'light'}
                onClick={() => setScopes(READ_CUSTOMERS)}
              >
                Read customers only
              </Button>
            ) : null}
            <Button size="compact-xs" variant={sameAs(mine) ? 'filled' : 'light'} onClick={() => setScopes([...mine])}>
              Everything I can do
            </Button>
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setScopes([])}>
              Clear
            </Button>
          </Group>
          <Checkbox.Group value={scopes} onChange={(next) => setScopes(next as Permission[])} aria-label="Permissions">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" verticalSpacing="sm">
              {groups.map((group) => (
                <Paper key={group.label} p="sm" withBorder component="fieldset" style={{ margin: 0, minWidth: 0 }}>
                  <Text component="legend" size="xs" fw={700} tt="uppercase" c="dimmed" lts={0.4} px={4}>
                    {group.label}
                  </Text>
                  <Stack gap={6}>
                    {group.permissions.map((permission) => (
                      <Checkbox key={permission} value={permission} label={PERMISSION_LABELS[permission]} size="sm" />
                    ))}
                  </Stack>
                </Paper>
              ))}
            </SimpleGrid>
          </Checkbox.Group>
        </Input.Wrapper>

        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} leftSection={<IconKey size={16} />}>
            Create token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

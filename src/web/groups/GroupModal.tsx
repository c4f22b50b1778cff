import { Alert, Button, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { type CustomerGroup, type CustomerGroupUpdate, GROUP_NAME_MAX } from '../../features/groups/group.schema.ts';
import { useCreateGroup, useUpdateGroup } from '../api/groups.ts';
import { problemOf } from '../api/http.ts';
import { splitFieldErrors } from '../lib/form-errors.ts';

interface GroupModalProps {
  /** Open to create a group (`'new'`) or to edit this one; closed with null. */
  target: 'new' | CustomerGroup | null;
  onClose(): void;
}

interface GroupFormValues {
  name: string;
  /** Empty is no discount. */
  discountPercent: number | string;
}

const FIELDS = new Set(['name', 'discountPercent']);

const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** "10%", "12.5%"; "No discount" for 0. */
export function discountText(discountPercent: number): string {
  return discountPercent > 0 ? `${percent.format(discountPercent)}%` : 'No discount';
}

/** Create a group, or change one's name and discount. */
export function GroupModal({ target, onClose }: GroupModalProps) {
  const title = target === 'new' ? 'New customer group' : target ? `Edit “${target.name}”` : '';
  return (
    <Modal opened={target !== null} onClose={onClose} title={title}>
      {target ? <GroupForm key={target === 'new' ? 'new' : target.id} target={target} onClose={onClose} /> : null}
    </Modal>
  );
}

function GroupForm({ target, onClose }: { target: 'new' | CustomerGroup; onClose(): void }) {
  const create = useCreateGroup();
  const update = useUpdateGroup();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<GroupFormValues>({
    mode: 'controlled',
    initialValues:
      target === 'new'
        ? { name: '', discountPercent: '' }
        : { name: target.name, discountPercent: target.discountPercent > 0 ? target.discountPercent : '' },
    validate: {
      name: (value) => (value.trim() ? null : 'Give the group a name'),
      discountPercent: (value) => {
        if (value === '') return null;
        const n = Number(value);
        if (!(n >= 0)) return 'Must not be negative';
        if (n > 100) return 'Must be at most 100%';
        return Math.abs(n * 100 - Math.round(n * 100)) < 1e-9 ? null : 'At most two decimals';
      },
    },
  });

  const submit = form.onSubmit((values) => {
    const name = values.name.trim();
    const discountPercent = values.discountPercent === '' ? 0 : Number(values.discountPercent);
    setFailure(null);
    const onError = (error: unknown) => {
      const problem = problemOf(error);
      const { byField, unplaced } = splitFieldErrors(problem, (field) => FIELDS.has(field));
      form.setErrors(byField);
      if (Object.keys(byField).length === 0 || unplaced.length > 0) setFailure(problem.detail ?? problem.title);
    };
    if (target === 'new') {
      create.mutate(
        { name, discountPercent },
        {
          onSuccess: (group) => {
            notifications.show({
              color: 'teal',
              title: 'Group created',
              message: `“${group.name}” is ready${
                group.discountPercent > 0 ? `, with ${discountText(group.discountPercent)} off at the till` : ''
              }. Tick customers in the list and choose “Move to group…” to add them.`,
            });
            onClose();
          },
          onError,
        },
      );
      return;
    }
    // Only what changed: a rename never rewrites the discount someone else just set, nor the other way round.
    const changes: CustomerGroupUpdate = {
      ...(name === target.name ? {} : { name }),
      ...(discountPercent === target.discountPercent ? {} : { discountPercent }),
    };
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    update.mutate(
      { id: target.id, ...changes },
      {
        onSuccess: (group) => {
          notifications.show({
            color: 'teal',
            title: 'Group saved',
            message: [
              changes.name === undefined ? null : `“${target.name}” is now “${group.name}”.`,
              changes.discountPercent === undefined
                ? null
                : group.discountPercent > 0
                  ? `Its customers get ${discountText(group.discountPercent)} off at the till from now on.`
                  : 'Its customers get no discount at the till from now on.',
            ]
              .filter(Boolean)
              .join(' '),
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
        <NumberInput
          label="Discount"
          description="Taken off every line of the group’s customers’ sales at the till; the receipt names it. Empty: none."
          placeholder="None"
          min={0}
          max={100}
          // Out of range is said at the field, never quietly changed to the nearest allowed value.
          clampBehavior="none"
          decimalScale={2}
          allowNegative={false}
          hideControls
          rightSection={
            <Text size="sm" c="dimmed" pr="sm">
              %
            </Text>
          }
          {...form.getInputProps('discountPercent')}
        />
        {target !== 'new' && target.isDefault && Number(form.values.discountPercent) > 0 ? (
          <Text size="sm" c="orange.9">
            Every customer not in another group is in this one: they would all get this discount.
          </Text>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {target === 'new' ? 'Create group' : 'Save group'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

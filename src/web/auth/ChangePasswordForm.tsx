import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { PASSWORD_MIN } from '../../features/auth/auth.schema.ts';
import { useChangePassword } from '../api/auth.ts';
import { problemOf } from '../api/http.ts';
import { splitFieldErrors } from '../lib/form-errors.ts';

interface ChangePasswordFormProps {
  /** The current password when the page already knows it (the temporary one just typed at sign-in). */
  knownCurrentPassword?: string | null;
  submitLabel: string;
  onChanged(): void;
  onCancel?: () => void;
}

const FIELDS = new Set(['currentPassword', 'newPassword']);

/** Current password, the new one twice. */
export function ChangePasswordForm({
  knownCurrentPassword,
  submitLabel,
  onChanged,
  onCancel,
}: ChangePasswordFormProps) {
  const change = useChangePassword();
  const [failure, setFailure] = useState<string | null>(null);
  // Asked for after all when the remembered one turns out not to be it.
  const [askCurrent, setAskCurrent] = useState(!knownCurrentPassword);
  const form = useForm({
    mode: 'controlled',
    initialValues: { currentPassword: knownCurrentPassword ?? '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: (value) => (value ? null : 'Enter your current password'),
      newPassword: (value) => (value.length >= PASSWORD_MIN ? null : `Must be at least ${PASSWORD_MIN} characters`),
      confirmPassword: (value, values) => (value === values.newPassword ? null : 'The two passwords are not the same'),
    },
  });

  const submit = form.onSubmit(({ currentPassword, newPassword }) => {
    setFailure(null);
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: onChanged,
        onError: (error) => {
          const problem = problemOf(error);
          const { byField, unplaced } = splitFieldErrors(problem, (field) => FIELDS.has(field));
          if (byField.currentPassword) setAskCurrent(true);
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
          <Alert color="red" variant="light" icon={<IconAlertCircle />} role="alert">
            {failure}
          </Alert>
        ) : null}
        {askCurrent ? (
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            withAsterisk
            {...form.getInputProps('currentPassword')}
          />
        ) : null}
        <PasswordInput
          label="New password"
          description={`At least ${PASSWORD_MIN} characters. A few unrelated words make a good one.`}
          autoComplete="new-password"
          withAsterisk
          autoFocus={!askCurrent}
          {...form.getInputProps('newPassword')}
        />
        <PasswordInput
          label="Confirm new password"
          autoComplete="new-password"
          withAsterisk
          {...form.getInputProps('confirmPassword')}
        />
        <Group justify="flex-end" gap="sm" mt={4}>
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={change.isPending} fullWidth={!onCancel}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

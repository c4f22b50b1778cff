import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { APPROVABLE } from '../../features/auth/auth.schema.ts';
import { api, problemOf } from '../api/http.ts';

export interface Approval {
  approval: string;
  approvedBy: { id: string; name: string };
  expiresAt: string;
}

interface ApprovalModalProps {
  opened: boolean;
  permission: (typeof APPROVABLE)[number];
  /** The record the action is on (the sale): the approval is for it alone. */
  recordId: string;
  /** What the approval is for, to finish "A manager approves …": "cancelling this sale". */
  what: string;
  /** For a sale past a credit limit: the customer and the amount on their account the manager approves. */
  onAccount?: { customerId: string; amount: number } | undefined;
  onApproved(approval: Approval): void;
  onClose(): void;
}

/**
 * A manager approves one action at the cashier's screen with their own email and password, without signing the
 * cashier out: the approval is good for that one action, for two minutes.
 */
export function ApprovalModal({ opened, onClose, ...form }: ApprovalModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="A manager approves">
      {opened ? <ApprovalForm onClose={onClose} {...form} /> : null}
    </Modal>
  );
}

function ApprovalForm({
  permission,
  recordId,
  what,
  onAccount,
  onApproved,
  onClose,
}: Omit<ApprovalModalProps, 'opened'>) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const missing = {
      ...(email.trim() ? {} : { email: 'The manager’s email' }),
      ...(password ? {} : { password: 'The manager’s password' }),
    };
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      const approval = await api<Approval>(
        'POST',
        '/auth/approvals',
        { email: email.trim(), password, permission, recordId, ...(onAccount ? { onAccount } : {}) },
        { expectUnauthenticated: true },
      );
      onApproved(approval);
    } catch (error) {
      const problem = problemOf(error);
      const byField = Object.fromEntries((problem.errors ?? []).map((item) => [item.field, item.message]));
      if (byField.email || byField.password) setErrors(byField);
      else setFailure(problem.detail ?? problem.title);
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          Your role does not allow {what} alone. A manager types their own email and password here to approve it, once;
          you stay signed in.
        </Text>
        <TextInput
          label="Manager’s email"
          type="email"
          autoComplete="off"
          data-autofocus
          value={email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
            setErrors({});
          }}
          error={errors.email}
        />
        <PasswordInput
          label="Manager’s password"
          autoComplete="off"
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
            setErrors((shown) => ({ ...(shown.email ? { email: shown.email } : {}) }));
          }}
          error={errors.password}
        />
        {failure ? (
          <Alert color="red" variant="light">
            {failure}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button type="submit" loading={busy} leftSection={<IconShieldCheck size={16} />}>
            Approve
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

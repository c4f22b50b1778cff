import { Alert, Anchor, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconMailForward, IconSettings } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { problemOf } from '../api/http.ts';
import { useCan } from '../auth/session.tsx';

interface EmailDocumentModalProps {
  /** What is sent, e.g. "invoice INV-00042" or "statement"; null: closed. */
  what: string | null;
  /** The customer's address, if they have one. */
  defaultTo: string | null;
  customerName: string;
  send(to: string): Promise<{ to: string }>;
  onClose(): void;
}

/** Email an invoice or a statement: to the customer's address, or another one. */
export function EmailDocumentModal({ what, defaultTo, customerName, send, onClose }: EmailDocumentModalProps) {
  return (
    <Modal opened={what !== null} onClose={onClose} title={what ? `Email ${what}` : ''}>
      {what ? (
        <EmailForm
          key={what}
          what={what}
          defaultTo={defaultTo}
          customerName={customerName}
          send={send}
          onClose={onClose}
        />
      ) : null}
    </Modal>
  );
}

function EmailForm({ what, defaultTo, customerName, send, onClose }: EmailDocumentModalProps & { what: string }) {
  const [to, setTo] = useState(defaultTo ?? '');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ detail: string; setup: boolean } | null>(null);
  const [sending, setSending] = useState(false);
  const canManageSettings = useCan('settings:manage');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    if (!to.trim()) {
      setError('Enter the address to send it to');
      return;
    }
    setSending(true);
    try {
      const sent = await send(to.trim());
      notifications.show({ color: 'teal', title: 'Sent', message: `The ${what} was sent to ${sent.to}.` });
      onClose();
    } catch (err) {
      const problem = problemOf(err);
      const forField = problem.errors?.find((item) => item.field === 'to');
      if (forField) setError(forField.message);
      else
        setFailure({
          detail: problem.detail ?? problem.title,
          setup: problem.code === 'conflict' || problem.code === 'email_failed',
        });
    } finally {
      setSending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title={`The ${what} was not sent`} role="alert">
            <Text size="sm">{failure.detail}</Text>
            {failure.setup && canManageSettings ? (
              <Anchor component={Link} to="/settings/email" size="sm" mt={6} display="inline-flex">
                <Group gap={4} component="span">
                  <IconSettings size={14} /> Open Settings → Email
                </Group>
              </Anchor>
            ) : null}
          </Alert>
        ) : null}
        <TextInput
          label="Send to"
          type="email"
          placeholder="name@example.com"
          description={
            defaultTo && to.trim() === defaultTo
              ? `${customerName}’s email address`
              : !defaultTo
                ? `${customerName} has no email address on file: enter one.`
                : undefined
          }
          value={to}
          onChange={(event) => {
            setTo(event.currentTarget.value);
            setError(null);
          }}
          error={error}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={sending} leftSection={<IconMailForward size={16} />}>
            Send
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

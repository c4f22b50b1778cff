import { Alert, Button, Group, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useMoney } from '../lib/money.ts';
import type { CreditLimitRefusal } from './sale-problem.ts';

interface CreditLimitAlertProps {
  refusal: CreditLimitRefusal;
  /**
   * May let a sale past a credit limit (`invoices:manage`): overrides with a reason. Anyone else gives the reason,
   * then a manager approves it here, with their own password.
   */
  canOverride: boolean;
  busy: boolean;
  /** The manager is giving the reason (the payment form's own button steps aside meanwhile). */
  overriding: boolean;
  onOverriding(overriding: boolean): void;
  /** Send the sale again, past the limit, with the reason (once a manager approves it, for someone who may not). */
  onOverride(reason: string): void;
}

/**
 * The customer's credit limit refused the on-account payment: the figures in words, then what can be done — a
 * manager overrides with a reason (recorded with the invoice), anyone else asks a manager or puts less on account.
 */
export function CreditLimitAlert({
  refusal,
  canOverride,
  busy,
  overriding,
  onOverriding,
  onOverride,
}: CreditLimitAlertProps) {
  const money = useMoney();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { amount, creditLimit, balance, available } = refusal;
  const otherwise =
    available > 0
      ? `Or put at most ${money.format(available)} on account and take the rest another way.`
      : 'Or take payment another way.';

  function override() {
    const trimmed = reason.trim();
    if (!trimmed) {
      setError('Say why this sale may go past the limit: it is recorded with the invoice');
      return;
    }
    onOverride(trimmed);
  }

  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle />}
      title="Over the customer’s credit limit: the sale was not recorded"
      role="alert"
    >
      <Stack gap="sm">
        <Text size="sm">
          Putting {money.format(amount)} on account would bring what the customer owes to{' '}
          <strong>{money.format(balance + amount)}</strong>, over their credit limit of{' '}
          <strong>{money.format(creditLimit)}</strong>.
        </Text>
        <SimpleGrid cols={3} spacing="xs" role="list" aria-label="The customer’s account">
          <Figure label="Credit limit" value={money.format(creditLimit)} />
          <Figure label="Owes now" value={money.format(balance)} />
          <Figure label="Available" value={money.format(available)} strong />
        </SimpleGrid>
        {overriding ? (
          <Stack gap="xs">
            <Textarea
              label="Why may this sale go past the limit?"
              description={
                canOverride
                  ? 'Recorded with the invoice and in the audit log, with your name.'
                  : 'A manager approves it next, with their own password: recorded with the invoice and in the audit log, with their name.'
              }
              placeholder="Regular trade customer, settles at the end of the month"
              autosize
              minRows={2}
              maxLength={500}
              value={reason}
              onChange={(event) => {
                setReason(event.currentTarget.value);
                setError(null);
              }}
              error={error}
              withAsterisk
              data-autofocus
              disabled={busy}
            />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" size="sm" onClick={() => onOverriding(false)} disabled={busy}>
                Cancel
              </Button>
              <Button
                color="orange"
                size="sm"
                leftSection={<IconShieldCheck size={16} />}
                onClick={override}
                loading={busy}
              >
                {canOverride ? 'Override and complete sale' : 'Ask a manager to approve…'}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Group justify="space-between" gap="xs" wrap="nowrap" align="center">
            {canOverride ? (
              <Text size="sm" c="dimmed">
                {otherwise}
              </Text>
            ) : (
              <Text size="sm">
                <strong>Ask a manager</strong> to let it through: only a manager can override a credit limit.{' '}
                {otherwise}
              </Text>
            )}
            <Button
              color="orange"
              variant="outline"
              size="sm"
              leftSection={<IconShieldCheck size={16} />}
              onClick={() => onOverriding(true)}
              style={{ flexShrink: 0 }}
            >
              {canOverride ? 'Override the limit…' : 'Manager approval…'}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

function Figure({ label, value, strong = false }: { label: string; value: string; strong?: boolean }) {
  return (
    <Stack gap={0} role="listitem" aria-label={`${label}: ${value}`}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="md" fw={strong ? 750 : 600} className="tabular">
        {value}
      </Text>
    </Stack>
  );
}

import { Alert, Badge, Button, Group, Modal, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCreditCardOff, IconId, IconPlus } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { LoyaltyCard } from '../../features/balances/balance.schema.ts';
import { useAddLoyaltyCard, useDeactivateLoyaltyCard, useLoyaltyCards } from '../api/balances.ts';
import { messageOf, problemOf } from '../api/http.ts';
import { formatDate } from '../lib/format.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';

interface LoyaltyCardsProps {
  customerId: string;
  /** The customer code: a card of its own at the till, whatever cards are linked. */
  code: string;
  canWrite: boolean;
}

/** The cards that find this customer when scanned at the till or typed in a search; a lost one is deactivated. */
export function LoyaltyCards({ customerId, code, canWrite }: LoyaltyCardsProps) {
  const cards = useLoyaltyCards(customerId);
  const deactivate = useDeactivateLoyaltyCard(customerId);
  const [linking, setLinking] = useState(false);

  function confirmDeactivate(card: LoyaltyCard) {
    modals.openConfirmModal({
      title: `Deactivate card ${card.number}?`,
      children: (
        <Text size="sm">
          Scanning it will no longer find this customer, and the number cannot be linked again. Their points and store
          credit stay with them. Do this when a card is lost or replaced.
        </Text>
      ),
      labels: { confirm: 'Deactivate card', cancel: 'Keep card' },
      confirmProps: { color: 'red', leftSection: <IconCreditCardOff size={16} /> },
      onConfirm: () =>
        deactivate.mutate(card.id, {
          onSuccess: () =>
            notifications.show({
              color: 'teal',
              title: 'Card deactivated',
              message: `Card ${card.number} no longer finds this customer.`,
            }),
          onError: (error) =>
            notifications.show({ color: 'red', title: 'The card is still active', message: messageOf(error) }),
        }),
    });
  }

  const items = cards.data ?? [];
  // Active cards first, each group newest first (as the API lists them).
  const ordered = [...items.filter((card) => card.active), ...items.filter((card) => !card.active)];

  return (
    <Section
      title="Loyalty cards"
      description={
        <>
          Scanned or typed at the till, a card finds this customer. So does their code{' '}
          <Text span inherit ff="monospace">
            {code}
          </Text>
          .
        </>
      }
    >
      {cards.isPending ? (
        <Skeleton h={40} />
      ) : cards.isError ? (
        <LoadError error={cards.error} onRetry={() => cards.refetch()} what="the loyalty cards" />
      ) : ordered.length === 0 ? (
        <Text size="sm" c="dimmed">
          No cards linked.
        </Text>
      ) : (
        <Stack gap={0} role="list" aria-label="Loyalty cards">
          {ordered.map((card) => (
            <Group
              key={card.id}
              role="listitem"
              aria-label={`Card ${card.number}`}
              justify="space-between"
              wrap="nowrap"
              gap="sm"
              py={8}
              style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
            >
              <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                <IconId size={20} stroke={1.5} color={card.active ? undefined : 'var(--mantine-color-gray-5)'} />
                <div style={{ minWidth: 0 }}>
                  <Text
                    size="sm"
                    ff="monospace"
                    fw={500}
                    c={card.active ? undefined : 'dimmed'}
                    td={card.active ? undefined : 'line-through'}
                    style={{ overflowWrap: 'anywhere' }}
                  >
                    {card.number}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {card.active || !card.deactivatedAt
                      ? `Linked ${formatDate(card.createdAt)}`
                      : `Deactivated ${formatDate(card.deactivatedAt)}`}
                  </Text>
                </div>
              </Group>
              {card.active ? (
                canWrite ? (
                  <Button
                    variant="subtle"
                    color="red"
                    size="compact-xs"
                    onClick={() => confirmDeactivate(card)}
                    aria-label={`Deactivate card ${card.number}`}
                  >
                    Deactivate
                  </Button>
                ) : (
                  <Badge variant="light" color="teal" radius="sm" style={{ flexShrink: 0 }}>
                    Active
                  </Badge>
                )
              ) : (
                <Badge variant="light" color="gray" radius="sm" style={{ flexShrink: 0 }}>
                  Inactive
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {canWrite ? (
        <Button mt="sm" variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => setLinking(true)}>
          Link a card
        </Button>
      ) : null}
      <Modal opened={linking} onClose={() => setLinking(false)} title="Link a loyalty card" size={420}>
        {linking ? <LinkCardForm customerId={customerId} onClose={() => setLinking(false)} /> : null}
      </Modal>
    </Section>
  );
}

function LinkCardForm({ customerId, onClose }: { customerId: string; onClose(): void }) {
  const add = useAddLoyaltyCard(customerId);
  const [number, setNumber] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const typed = number.trim();
    if (!typed) {
      setError('Scan the card or type its number');
      return;
    }
    add.mutate(typed, {
      onSuccess: (card) => {
        notifications.show({
          color: 'teal',
          title: 'Card linked',
          message: `Card ${card.number} now finds this customer at the till.`,
        });
        onClose();
      },
      onError: (failed) => {
        const problem = problemOf(failed);
        const onNumber = problem.errors?.find((item) => item.field === 'number');
        if (onNumber) {
          setError(
            onNumber.code === 'taken'
              ? 'This card is already linked to a customer (or was, before it was deactivated)'
              : onNumber.message,
          );
        } else setFailure(problem.detail ?? problem.title);
      },
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="The card was not linked" role="alert">
            {failure}
          </Alert>
        ) : null}
        <TextInput
          label="Card number"
          description="Scan the card, or type the number printed on it."
          withAsterisk
          value={number}
          onChange={(event) => {
            setNumber(event.currentTarget.value);
            setError(null);
          }}
          error={error}
          maxLength={64}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending} leftSection={<IconPlus size={16} />}>
            Link card
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowRight, IconGift, IconMinus, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Balances } from '../../features/balances/balance.schema.ts';
import { balanceKeys, useAdjustBalance } from '../api/balances.ts';
import { problemOf } from '../api/http.ts';
import { currencySymbol, minorDigits, toMinor, useMoney } from '../lib/money.ts';
import { formatPoints } from './balance-format.ts';

/** `issue`: give store credit (a goodwill gesture, a return without its receipt); `adjust`: correct a balance. */
export type AdjustMode = 'adjust' | 'issue';
type Adjustable = 'loyalty' | 'store_credit';
type Direction = 'add' | 'remove';
type Errors = Partial<Record<'amount' | 'note', string>>;

interface AdjustBalanceModalProps {
  customerId: string;
  balances: Balances;
  mode: AdjustMode | null;
  onClose(): void;
  /** The change was made: the balance it changed. */
  onDone(balance: Adjustable): void;
}

export function AdjustBalanceModal({ customerId, balances, mode, onClose, onDone }: AdjustBalanceModalProps) {
  return (
    <Modal
      opened={mode !== null}
      onClose={onClose}
      title={mode === 'issue' ? 'Issue store credit' : 'Adjust a balance'}
      size={480}
    >
      {mode ? (
        <AdjustForm
          key={mode}
          customerId={customerId}
          balances={balances}
          mode={mode}
          onClose={onClose}
          onDone={onDone}
        />
      ) : null}
    </Modal>
  );
}

function AdjustForm({ customerId, balances, mode, onClose, onDone }: AdjustBalanceModalProps & { mode: AdjustMode }) {
  const money = useMoney();
  const { currency } = money;
  const queryClient = useQueryClient();
  const adjust = useAdjustBalance(customerId);
  const issuing = mode === 'issue';
  const [balance, setBalance] = useState<Adjustable>(issuing ? 'store_credit' : 'loyalty');
  const [direction, setDirection] = useState<Direction>('add');
  const [typed, setTyped] = useState<number | string>('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);

  const points = balance === 'loyalty';
  const current = points ? balances.loyaltyPoints : balances.storeCredit;
  const format = points ? formatPoints : money.format;
  const size = typed === '' ? 0 : points ? Math.round(Number(typed)) : toMinor(Number(typed), currency);
  const change = direction === 'remove' ? -size : size;
  const after = current + change;

  function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const found: Errors = {};
    if (!(size > 0)) found.amount = points ? 'Enter how many points' : 'Enter an amount';
    else if (after < 0) found.amount = `Is more than the customer has: ${format(current)}`;
    if (!note.trim()) found.note = 'Say why: the customer may ask, and it is in the audit log';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    adjust.mutate(
      { balance, amount: change, reason: issuing ? 'issued' : 'adjusted', note: note.trim() },
      {
        onSuccess: () => {
          notifications.show({
            color: 'teal',
            title: issuing ? 'Store credit issued' : 'Balance adjusted',
            message: issuing
              ? `${money.format(size)} of store credit is ready to spend.`
              : `${change > 0 ? 'Added' : 'Took away'} ${format(size)}. The balance is now ${format(after)}.`,
          });
          onDone(balance);
        },
        onError: (error) => {
          const problem = problemOf(error);
          const placed: Errors = {};
          const unplaced: string[] = [];
          for (const item of problem.errors ?? []) {
            if (item.field === 'amount' && item.code === 'insufficient_balance') {
              // The balance moved since the page loaded (a sale spent it): say what it is now.
              placed.amount = 'Is more than the customer has now: see the balance above';
              void queryClient.invalidateQueries({ queryKey: balanceKeys.totals(customerId) });
            } else if (item.field === 'amount' || item.field === 'note') placed[item.field] = item.message;
            else unplaced.push(item.message);
          }
          setErrors(placed);
          if (unplaced.length > 0 || Object.keys(placed).length === 0)
            setFailure(unplaced.join(' ') || (problem.detail ?? problem.title));
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Nothing was changed" role="alert">
            {failure}
          </Alert>
        ) : null}
        {issuing ? (
          <Text size="sm" c="dimmed">
            Credit the customer can spend on any sale, like a gift card held on their record. To give credit for
            returned items, refund the sale and choose store credit there.
          </Text>
        ) : (
          <>
            <SegmentedControl
              fullWidth
              aria-label="Balance"
              value={balance}
              onChange={(value) => {
                setBalance(value as Adjustable);
                setTyped('');
                setErrors({});
              }}
              data={[
                { value: 'loyalty', label: 'Loyalty points' },
                { value: 'store_credit', label: 'Store credit' },
              ]}
            />
            <SegmentedControl
              fullWidth
              aria-label="Add or take away"
              value={direction}
              onChange={(value) => {
                setDirection(value as Direction);
                setErrors((current) => ({ ...current, amount: undefined }));
              }}
              data={[
                {
                  value: 'add',
                  label: (
                    <Group gap={6} justify="center" wrap="nowrap">
                      <IconPlus size={14} />
                      <span>Add</span>
                    </Group>
                  ),
                },
                {
                  value: 'remove',
                  label: (
                    <Group gap={6} justify="center" wrap="nowrap">
                      <IconMinus size={14} />
                      <span>Take away</span>
                    </Group>
                  ),
                },
              ]}
            />
          </>
        )}
        <NumberInput
          label={points ? 'Points' : 'Amount'}
          withAsterisk
          value={typed}
          onChange={(value) => {
            setTyped(value);
            setErrors((current) => ({ ...current, amount: undefined }));
          }}
          allowNegative={false}
          decimalScale={points ? 0 : minorDigits(currency)}
          fixedDecimalScale={!points}
          thousandSeparator=","
          hideControls
          leftSection={points ? undefined : <Text c="dimmed">{currencySymbol(currency)}</Text>}
          rightSection={
            points ? (
              <Text size="sm" c="dimmed" pr="md">
                points
              </Text>
            ) : undefined
          }
          rightSectionWidth={points ? 64 : undefined}
          error={errors.amount}
          data-autofocus
          styles={{ input: { fontVariantNumeric: 'tabular-nums' } }}
        />
        <Paper p="sm" bg="gray.0" withBorder={false} aria-live="polite">
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed">
              {points ? 'Points' : 'Store credit'}
            </Text>
            <Group gap={8} wrap="nowrap" className="tabular">
              <Text size="sm">{format(current)} now</Text>
              <IconArrowRight size={14} />
              <Text size="sm" fw={650} c={after < 0 ? 'red.8' : undefined}>
                {format(after)} after
              </Text>
            </Group>
          </Group>
        </Paper>
        <Textarea
          label={issuing ? 'Why is it given?' : 'Reason'}
          description="Shown in the balance history and the audit log."
          placeholder={issuing ? 'e.g. Apology for the late delivery' : 'e.g. Points missed on receipt MS-0412'}
          withAsterisk
          autosize
          minRows={2}
          maxLength={500}
          value={note}
          onChange={(event) => {
            setNote(event.currentTarget.value);
            setErrors((current) => ({ ...current, note: undefined }));
          }}
          error={errors.note}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={adjust.isPending}
            leftSection={
              issuing ? <IconGift size={16} /> : direction === 'add' ? <IconPlus size={16} /> : <IconMinus size={16} />
            }
            color={direction === 'remove' ? 'red' : undefined}
          >
            {issuing
              ? `Issue ${size > 0 ? money.format(size) : 'credit'}`
              : `${direction === 'add' ? 'Add' : 'Take away'} ${size > 0 ? format(size) : points ? 'points' : 'credit'}`}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

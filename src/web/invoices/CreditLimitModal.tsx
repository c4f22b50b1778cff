import { Alert, Button, Checkbox, Group, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { problemOf } from '../api/http.ts';
import { type CustomerAccount, useSetCreditLimit } from '../api/invoices.ts';
import { currencySymbol, minorDigits, toMajor, toMinor, useMoney } from '../lib/money.ts';

interface CreditLimitModalProps {
  customer: { id: string; name: string };
  account: CustomerAccount;
  opened: boolean;
  onClose(): void;
}

/** A manager sets how much a customer may owe on account, or puts them back on the business's default. */
export function CreditLimitModal({ customer, account, opened, onClose }: CreditLimitModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Credit limit of ${customer.name}`}>
      {opened ? <LimitForm customer={customer} account={account} onClose={onClose} /> : null}
    </Modal>
  );
}

function LimitForm({ customer, account, onClose }: Omit<CreditLimitModalProps, 'opened'>) {
  const money = useMoney();
  const [useDefault, setUseDefault] = useState(account.creditLimit === null);
  const [typed, setTyped] = useState<number | string>(
    account.creditLimit === null ? '' : toMajor(account.creditLimit, money.currency),
  );
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const save = useSetCreditLimit(customer.id);
  const defaultText = account.defaultCreditLimit === null ? 'no limit' : `${money.format(account.defaultCreditLimit)}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    if (!useDefault && typed === '') {
      setError('Enter a limit, or use the default');
      return;
    }
    const limit = useDefault ? null : toMinor(Number(typed), money.currency);
    save.mutate(limit, {
      onSuccess: (saved) => {
        notifications.show({
          color: 'teal',
          title: 'Credit limit saved',
          message:
            saved.effectiveCreditLimit === null
              ? `${customer.name} has no credit limit.`
              : `${customer.name} may owe up to ${money.format(saved.effectiveCreditLimit)}.`,
        });
        onClose();
      },
      onError: (err) => {
        const problem = problemOf(err);
        const forField = problem.errors?.find((item) => item.field === 'creditLimit');
        if (forField) setError(forField.message);
        else setFailure(problem.detail ?? problem.title);
      },
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {failure ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Not saved" role="alert">
            {failure}
          </Alert>
        ) : null}
        <Text size="sm">
          A sale on account that would take {customer.name} past the limit is refused at the till, unless a manager
          overrides it. They owe {money.format(account.balance)} now.
        </Text>
        <Checkbox
          label={`Use the business default (${defaultText})`}
          checked={useDefault}
          onChange={(event) => setUseDefault(event.currentTarget.checked)}
        />
        <NumberInput
          label="Their own limit"
          leftSection={<Text size="sm">{currencySymbol(money.currency)}</Text>}
          decimalScale={minorDigits(money.currency)}
          fixedDecimalScale
          min={0}
          thousandSeparator
          disabled={useDefault}
          value={typed}
          onChange={(value) => {
            setTyped(value);
            setError(null);
          }}
          error={error}
          data-autofocus
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save limit
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Group, Loader, Text } from '@mantine/core';
import { IconGift, IconStar } from '@tabler/icons-react';
import { useCustomerBalances } from '../api/balances.ts';
import { useSettings } from '../api/settings.ts';
import { formatPoints } from '../customers/balance-format.ts';
import { useMoney } from '../lib/money.ts';

interface CustomerBalanceLineProps {
  customerId: string;
  loyaltyOptIn: boolean;
  /** Words before the figures: "Now has" after a sale. */
  lead?: string;
}

/**
 * What the customer can pay with at the till, in a line: their points (and what they are worth) and store
 * credit; the account only when something is owed.
 */
export function CustomerBalanceLine({ customerId, loyaltyOptIn, lead }: CustomerBalanceLineProps) {
  const balances = useCustomerBalances(customerId);
  const settings = useSettings();
  const money = useMoney();
  if (balances.isPending) return <Loader size={12} aria-label="Loading the balances" />;
  if (balances.isError) {
    return (
      <Text size="xs" c="red.8">
        Balances could not be loaded
      </Text>
    );
  }
  const { loyaltyPoints, loyaltyValue, storeCredit, account } = balances.data;
  const earns = Boolean(settings.data?.loyaltyEnabled) && loyaltyOptIn;
  const showPoints = loyaltyPoints !== 0 || earns;
  const notInProgram = Boolean(settings.data?.loyaltyEnabled) && !loyaltyOptIn;
  // Nothing to spend, nothing owed, no programme to mention: no line (not "Now has" and nothing after it).
  if (!showPoints && storeCredit === 0 && account <= 0 && !notInProgram) return null;
  return (
    <Group gap={12} wrap="wrap" role="group" aria-label="Balances" className="tabular">
      {lead ? <Text size="xs">{lead}</Text> : null}
      {showPoints ? (
        <Group gap={4} wrap="nowrap">
          <IconStar size={13} stroke={1.8} color="var(--mantine-color-yellow-7)" />
          <Text size="xs" fw={600}>
            {formatPoints(loyaltyPoints)}
          </Text>
          {loyaltyValue > 0 ? (
            <Text size="xs" c="dimmed">
              ({money.format(loyaltyValue)})
            </Text>
          ) : null}
        </Group>
      ) : null}
      {storeCredit !== 0 ? (
        <Group gap={4} wrap="nowrap">
          <IconGift size={13} stroke={1.8} color="var(--mantine-color-teal-7)" />
          <Text size="xs" fw={600}>
            {money.format(storeCredit)}
          </Text>
          <Text size="xs" c="dimmed">
            store credit
          </Text>
        </Group>
      ) : null}
      {account > 0 ? (
        <Text size="xs" c="orange.8" fw={600}>
          {money.format(account)} owed on account
        </Text>
      ) : null}
      {notInProgram ? (
        <Text size="xs" c="dimmed">
          Not in the loyalty program
        </Text>
      ) : null}
    </Group>
  );
}

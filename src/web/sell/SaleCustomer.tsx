import { Anchor, Avatar, Badge, CloseButton, Group, Paper, Text, Tooltip } from '@mantine/core';
import { IconDiscount } from '@tabler/icons-react';
import type { Ref } from 'react';
import { Link } from 'react-router';
import type { Customer } from '../../features/customers/customer.schema.ts';
import { CustomerSearch, customerHints } from '../customers/CustomerSearch.tsx';
import { displayName, formatRelative, initials, plural } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { CustomerBalanceLine } from './CustomerBalanceLine.tsx';
import { type GroupDiscount, groupDiscountLabel } from './cart.ts';

interface SaleCustomerProps {
  customer: Customer | null;
  onAttach(customer: Customer): void;
  onDetach(): void;
  /** The discount the customer's group gives at the till, if any. */
  groupDiscount?: GroupDiscount | null;
  /** Left out for those who may not create customers. */
  onAddNew?: ((typed: string) => void) | undefined;
  inputRef?: Ref<HTMLInputElement>;
}

/** Who the sale is for: found as the cashier types (or scans their card), or added on the spot. */
export function SaleCustomer({
  customer,
  onAttach,
  onDetach,
  onAddNew,
  inputRef,
  groupDiscount = null,
}: SaleCustomerProps) {
  const money = useMoney();
  if (!customer) {
    return (
      <CustomerSearch
        label="Customer"
        placeholder="Add a customer: name, email, phone or card"
        onPick={onAttach}
        onAddNew={onAddNew}
        inputRef={inputRef}
      />
    );
  }
  const name = displayName(customer);
  const { stats } = customer;
  return (
    <Paper p="sm" bg="indigo.0" withBorder={false} aria-label="Customer of this sale" component="section">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Avatar size={38} radius="xl" color="initials" name={name}>
          {initials(customer)}
        </Avatar>
        <div style={{ flex: 1, minWidth: 0 }}>
          <Anchor
            component={Link}
            to={`/customers/${customer.id}`}
            target="_blank"
            fw={650}
            size="sm"
            c="inherit"
            className="truncate"
            display="block"
          >
            {name}
          </Anchor>
          <Text size="xs" c="dimmed" truncate>
            {[...customerHints(customer), customer.code].filter((hint) => hint !== name).join(' · ')}
          </Text>
          <Text size="xs" mt={2} className="tabular">
            {stats.orderCount === 0
              ? 'First purchase'
              : `${plural(stats.orderCount, 'order')} · ${money.format(stats.totalSpent)} spent${
                  stats.lastOrderAt ? ` · last order ${formatRelative(stats.lastOrderAt)}` : ''
                }`}
          </Text>
          <div style={{ marginTop: 4 }}>
            <CustomerBalanceLine customerId={customer.id} loyaltyOptIn={customer.loyaltyOptIn} />
          </div>
          {groupDiscount ? (
            <Badge
              mt={6}
              variant="light"
              color="teal"
              radius="sm"
              tt="none"
              leftSection={<IconDiscount size={12} />}
              title={`In the ${groupDiscount.name} group`}
            >
              {groupDiscountLabel(groupDiscount)}
            </Badge>
          ) : null}
        </div>
        <Tooltip label="Remove the customer from this sale" withArrow>
          <CloseButton aria-label="Remove customer from sale" onClick={onDetach} />
        </Tooltip>
      </Group>
    </Paper>
  );
}

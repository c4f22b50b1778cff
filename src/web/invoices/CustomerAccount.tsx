import { Anchor, Button, Group, Menu, SegmentedControl, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconCash, IconChevronDown, IconFileInvoice, IconMailForward, IconPrinter } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import type { Customer } from '../../features/customers/customer.schema.ts';
import {
  type Invoice,
  type InvoiceFilter,
  statementDocumentUrl,
  useCustomerAccount,
  useEmailInvoice,
  useEmailStatement,
  useInvoices,
} from '../api/invoices.ts';
import { useSettings } from '../api/settings.ts';
import { useCan } from '../auth/session.tsx';
import { today } from '../lib/dates.ts';
import { displayName } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';
import { CreditLimitModal } from './CreditLimitModal.tsx';
import { EmailDocumentModal } from './EmailDocumentModal.tsx';
import { InvoiceTable, MoreInvoices } from './InvoiceTable.tsx';
import { SettleInvoicesModal } from './SettleInvoicesModal.tsx';
import { VoidInvoiceModal } from './VoidInvoiceModal.tsx';

interface CustomerAccountProps {
  customer: Customer;
  onOpenSale?: ((saleId: string) => void) | undefined;
}

/**
 * What the customer owes on account and the invoices behind it: take a payment, void, print or email an
 * invoice, print or email a statement, and (for managers) set their credit limit. Shown when invoicing is on,
 * or when the customer still has invoices from when it was.
 */
export function CustomerAccount({ customer, onOpenSale }: CustomerAccountProps) {
  const account = useCustomerAccount(customer.id);
  const [filter, setFilter] = useState<InvoiceFilter>('unpaid');
  const invoices = useInvoices(customer.id, filter);
  const settings = useSettings();
  const money = useMoney();
  const can = { settle: useCan('sales:write'), manage: useCan('invoices:manage') };
  const [settling, setSettling] = useState<{ invoice: Invoice | null } | null>(null);
  const [voiding, setVoiding] = useState<Invoice | null>(null);
  const [emailing, setEmailing] = useState<{ what: string; send(to: string): Promise<{ to: string }> } | null>(null);
  const [limitOpen, setLimitOpen] = useState(false);
  const emailStatement = useEmailStatement(customer.id);
  const emailInvoice = useEmailInvoice();
  const name = displayName(customer);
  const items = invoices.data?.pages.flatMap((page) => page.items) ?? [];
  const day = today(settings.data?.timeZone);

  if (
    account.isSuccess &&
    !account.data.invoicingEnabled &&
    account.data.balance === 0 &&
    filter === 'unpaid' &&
    items.length === 0
  ) {
    // Invoicing is off and nothing is owed: nothing to show.
    return null;
  }

  const owes = account.data?.balance ?? 0;
  return (
    <Section
      title="Account"
      description="Sales on account and their invoices. The account balance is what is still open."
      actions={
        <Group gap="xs" wrap="nowrap">
          {can.settle ? (
            <Button
              size="xs"
              leftSection={<IconCash size={14} />}
              disabled={owes === 0}
              onClick={() => setSettling({ invoice: null })}
            >
              Take a payment
            </Button>
          ) : null}
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button
                size="xs"
                variant="default"
                rightSection={<IconChevronDown size={14} />}
                leftSection={<IconFileInvoice size={14} />}
              >
                Statement
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item
                leftSection={<IconPrinter size={14} />}
                component="a"
                href={statementDocumentUrl(customer.id, null)}
                target="_blank"
                rel="noopener"
              >
                View and print
              </Menu.Item>
              {can.settle ? (
                <Menu.Item
                  leftSection={<IconMailForward size={14} />}
                  onClick={() =>
                    setEmailing({
                      what: 'statement',
                      send: (to) => emailStatement.mutateAsync({ to }),
                    })
                  }
                >
                  Email statement
                </Menu.Item>
              ) : null}
            </Menu.Dropdown>
          </Menu>
        </Group>
      }
    >
      {account.isPending ? (
        <Skeleton h={64} />
      ) : account.isError ? (
        <LoadError error={account.error} onRetry={() => account.refetch()} what="the account" />
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" mb="md">
          <Figure
            label="Owes"
            value={money.format(account.data.balance)}
            detail={`${account.data.openInvoices} open`}
          />
          <Figure
            label="Overdue"
            value={money.format(account.data.overdue)}
            tone={account.data.overdue > 0 ? 'red' : undefined}
            detail={account.data.overdue > 0 ? 'Past the due date' : 'Nothing overdue'}
          />
          <Figure
            label="Credit limit"
            value={
              account.data.effectiveCreditLimit === null ? 'No limit' : money.format(account.data.effectiveCreditLimit)
            }
            detail={
              <Group gap={6} wrap="nowrap">
                <span>{account.data.creditLimit === null ? 'Business default' : 'Their own limit'}</span>
                {can.manage ? (
                  <Anchor component="button" type="button" size="xs" onClick={() => setLimitOpen(true)}>
                    Change
                  </Anchor>
                ) : null}
              </Group>
            }
          />
          <Figure
            label="Available"
            value={account.data.available === null ? '—' : money.format(account.data.available)}
            detail="Can still go on account"
          />
        </SimpleGrid>
      )}
      <Group justify="space-between" mb="xs">
        <Text size="sm" fw={650}>
          Invoices
        </Text>
        <SegmentedControl
          size="xs"
          aria-label="Show invoices"
          value={filter}
          onChange={(value) => setFilter(value as InvoiceFilter)}
          data={[
            { value: 'unpaid', label: 'Unpaid' },
            { value: 'all', label: 'All' },
          ]}
        />
      </Group>
      {invoices.isPending ? (
        <Stack gap={6}>
          <Skeleton h={36} />
          <Skeleton h={36} />
        </Stack>
      ) : invoices.isError ? (
        <LoadError error={invoices.error} onRetry={() => invoices.refetch()} what="the invoices" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed" py="sm">
          {filter === 'unpaid' ? 'No unpaid invoices.' : 'No invoices yet: sales on account open one.'}
        </Text>
      ) : (
        <>
          <InvoiceTable
            invoices={items}
            money={money}
            today={day}
            onSettle={can.settle ? (invoice) => setSettling({ invoice }) : undefined}
            onVoid={can.manage ? setVoiding : undefined}
            onEmail={
              can.settle
                ? (invoice) =>
                    setEmailing({
                      what: `invoice ${invoice.reference}`,
                      send: (to) => emailInvoice.mutateAsync({ id: invoice.id, to }),
                    })
                : undefined
            }
            onOpenSale={onOpenSale}
          />
          <MoreInvoices
            hasMore={invoices.hasNextPage}
            loading={invoices.isFetchingNextPage}
            onMore={() => invoices.fetchNextPage()}
          />
        </>
      )}
      <SettleInvoicesModal
        customer={settling ? { id: customer.id, name } : null}
        invoice={settling?.invoice}
        onClose={() => setSettling(null)}
      />
      <VoidInvoiceModal invoice={voiding} onClose={() => setVoiding(null)} />
      <EmailDocumentModal
        what={emailing?.what ?? null}
        defaultTo={customer.email}
        customerName={name}
        send={(to) => emailing?.send(to) ?? Promise.reject(new Error('Nothing to send'))}
        onClose={() => setEmailing(null)}
      />
      {account.isSuccess ? (
        <CreditLimitModal
          customer={{ id: customer.id, name }}
          account={account.data}
          opened={limitOpen}
          onClose={() => setLimitOpen(false)}
        />
      ) : null}
    </Section>
  );
}

function Figure({
  label,
  value,
  detail,
  tone,
}: {
  label: string;
  value: string;
  detail: ReactNode;
  tone?: 'red' | undefined;
}) {
  return (
    <Stack gap={0} role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text fz={20} fw={700} className="tabular" c={tone}>
        {value}
      </Text>
      <Text size="xs" c="dimmed" component="div">
        {detail}
      </Text>
    </Stack>
  );
}

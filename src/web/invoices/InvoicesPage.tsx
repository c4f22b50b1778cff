import { Paper, SegmentedControl, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCustomer } from '../api/customers.ts';
import { type Invoice, type InvoiceFilter, useEmailInvoice, useInvoices, useInvoiceTotals } from '../api/invoices.ts';
import { useSettings } from '../api/settings.ts';
import { useCan } from '../auth/session.tsx';
import { today } from '../lib/dates.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { EmailDocumentModal } from './EmailDocumentModal.tsx';
import { InvoiceTable, MoreInvoices } from './InvoiceTable.tsx';
import { SettleInvoicesModal } from './SettleInvoicesModal.tsx';
import { VoidInvoiceModal } from './VoidInvoiceModal.tsx';

const FILTERS: { value: InvoiceFilter; label: string; empty: string }[] = [
  { value: 'unpaid', label: 'Unpaid', empty: 'Nothing is owed on account.' },
  { value: 'overdue', label: 'Overdue', empty: 'No invoice is past its due date.' },
  { value: 'paid', label: 'Paid', empty: 'No paid invoices yet.' },
  { value: 'void', label: 'Void', empty: 'No voided invoices.' },
  { value: 'all', label: 'All', empty: 'No invoices yet: a sale on account opens one.' },
];

function isFilter(value: string | null): value is InvoiceFilter {
  return FILTERS.some((filter) => filter.value === value);
}

/** Every invoice of the business, unpaid first: who owes what, what is overdue; take payments and chase them. */
export function InvoicesPage() {
  usePageTitle('Invoices');
  const [params, setParams] = useSearchParams();
  const status = isFilter(params.get('status')) ? (params.get('status') as InvoiceFilter) : 'unpaid';
  const invoices = useInvoices(null, status);
  const totals = useInvoiceTotals();
  const settings = useSettings();
  const money = useMoney();
  const can = { settle: useCan('sales:write'), manage: useCan('invoices:manage') };
  const [settling, setSettling] = useState<Invoice | null>(null);
  const [voiding, setVoiding] = useState<Invoice | null>(null);
  const [emailing, setEmailing] = useState<Invoice | null>(null);
  const emailCustomer = useCustomer(emailing?.customer.id ?? '', { enabled: emailing !== null });
  const emailInvoice = useEmailInvoice();
  const items = invoices.data?.pages.flatMap((page) => page.items) ?? [];
  const filter = FILTERS.find((f) => f.value === status) ?? FILTERS[0];

  return (
    <>
      <PageHeader
        title="Invoices"
        description="Sales on account open an invoice, due after your payment terms. Take payments here or on the customer's page."
      />
      {totals.isSuccess ? (
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md" mb="md">
          <Total
            label="Owed on account"
            value={money.format(totals.data.openAmount)}
            detail={`${totals.data.openCount} open ${totals.data.openCount === 1 ? 'invoice' : 'invoices'}`}
          />
          <Total
            label="Overdue"
            value={money.format(totals.data.overdueAmount)}
            detail={`${totals.data.overdueCount} past the due date`}
            tone={totals.data.overdueAmount > 0 ? 'red' : undefined}
          />
          <Total label="Customers who owe" value={String(totals.data.customers)} detail="With an open invoice" />
        </SimpleGrid>
      ) : null}
      <Paper p="lg">
        <SegmentedControl
          mb="md"
          value={status}
          onChange={(value) => setParams(value === 'unpaid' ? {} : { status: value }, { replace: true })}
          data={FILTERS.map(({ value, label }) => ({ value, label }))}
          aria-label="Show invoices"
        />
        {invoices.isPending ? (
          <Stack gap={6}>
            <Skeleton h={40} />
            <Skeleton h={40} />
            <Skeleton h={40} />
          </Stack>
        ) : invoices.isError ? (
          <LoadError error={invoices.error} onRetry={() => invoices.refetch()} what="the invoices" />
        ) : items.length === 0 ? (
          <Text c="dimmed" py="lg" ta="center">
            {filter?.empty}
          </Text>
        ) : (
          <>
            <InvoiceTable
              invoices={items}
              money={money}
              today={today(settings.data?.timeZone)}
              showCustomer
              onSettle={can.settle ? setSettling : undefined}
              onVoid={can.manage ? setVoiding : undefined}
              onEmail={can.settle ? setEmailing : undefined}
            />
            <MoreInvoices
              hasMore={invoices.hasNextPage}
              loading={invoices.isFetchingNextPage}
              onMore={() => invoices.fetchNextPage()}
            />
          </>
        )}
      </Paper>
      <SettleInvoicesModal customer={settling?.customer ?? null} invoice={settling} onClose={() => setSettling(null)} />
      <VoidInvoiceModal invoice={voiding} onClose={() => setVoiding(null)} />
      <EmailDocumentModal
        what={emailing && !emailCustomer.isPending ? `invoice ${emailing.reference}` : null}
        defaultTo={emailCustomer.data?.email ?? null}
        customerName={emailing?.customer.name ?? ''}
        send={(to) =>
          emailing ? emailInvoice.mutateAsync({ id: emailing.id, to }) : Promise.reject(new Error('Nothing to send'))
        }
        onClose={() => setEmailing(null)}
      />
    </>
  );
}

function Total({
  label,
  value,
  detail,
  tone,
}: {
  label: string;
  value: string;
  detail: string;
  tone?: 'red' | undefined;
}) {
  return (
    <Paper p="md" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text fz={22} fw={700} className="tabular" c={tone}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {detail}
      </Text>
    </Paper>
  );
}

import { Button, CloseButton, Group, Input, Loader, Paper, Select, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconFilterOff, IconPackage, IconReceipt, IconSearch, IconUsers } from '@tabler/icons-react';
import { type ReactNode, useEffect, useState } from 'react';
import { PRODUCT_SORTS } from '../../features/reports/report.schema.ts';
import { useCustomer } from '../api/customers.ts';
import { isNotFound } from '../api/http.ts';
import { type ReportFilter, type ReportName, reportCsvUrl, reportParams } from '../api/reports.ts';
import { useSettings } from '../api/settings.ts';
import { useStores } from '../api/stores.ts';
import { useCan } from '../auth/session.tsx';
import { CustomerSearch } from '../customers/CustomerSearch.tsx';
import { dayRange } from '../lib/dates.ts';
import { displayName } from '../lib/format.ts';
import { SaleDrawer, useOpenSale } from '../sales/SaleDrawer.tsx';
import { DateRangeInput } from '../ui/DateRangeInput.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { oneOf, useUrlFilters } from '../ui/useUrlFilters.ts';
import { ProductsReport } from './ProductsReport.tsx';
import { ReceiptsReport } from './ReceiptsReport.tsx';
import { SalesByCustomerReport } from './SalesByCustomerReport.tsx';

const TABS = ['receipts', 'products', 'customers'] as const;
type Tab = (typeof TABS)[number];
const REPORT_OF: Record<Tab, ReportName> = {
  receipts: 'receipts',
  products: 'products',
  customers: 'sales-by-customer',
};
const TITLES: Record<Tab, string> = { receipts: 'Receipts', products: 'Products', customers: 'Sales by customer' };

/**
 * The report and its filters as the address holds them (`?tab=products&customer=…&from=2026-04-01`): a view
 * can be bookmarked or sent to someone, and Back returns to it.
 */
function useReportParams() {
  const { params, day, set } = useUrlFilters();
  const view = {
    tab: oneOf(TABS, params.get('tab')) ?? 'receipts',
    customer: params.get('customer'),
    store: params.get('store'),
    from: day('from'),
    to: day('to'),
    q: params.get('q') ?? '',
    sort: oneOf(PRODUCT_SORTS, params.get('sort')) ?? 'value',
    direction: params.get('direction') === 'asc' ? ('asc' as const) : ('desc' as const),
  };
  const filtered = Boolean(view.customer || view.store || view.from || view.to || view.q);
  const clear = () => set({ customer: null, store: null, from: null, to: null, q: null });
  return { view, set, filtered, clear };
}

export function ReportsPage() {
  const { view, set, filtered, clear } = useReportParams();
  usePageTitle(TITLES[view.tab], 'Reports');
  const settings = useSettings();
  const stores = useStores();
  const canOpenSales = useCan('sales:read');
  const { saleId, open, close } = useOpenSale();
  const timeZone = settings.data?.timeZone ?? 'UTC';
  const [search, setSearch] = useState(view.q);
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);

  // The name search lives in the address once the typing stops.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of the typed search is written back
  useEffect(() => {
    if (debouncedSearch !== view.q) set({ q: debouncedSearch || null });
  }, [debouncedSearch]);

  const filter: ReportFilter = {
    ...(view.tab === 'customers' ? {} : { customerId: view.customer ?? undefined }),
    storeId: view.store ?? undefined,
    ...dayRange(view.from, view.to, timeZone),
  };
  const csvParams = reportParams({
    ...filter,
    ...(view.tab === 'products' ? { sort: view.sort, direction: view.direction } : {}),
    ...(view.tab === 'customers' ? { q: view.q } : {}),
  });
  const csvHref = reportCsvUrl(REPORT_OF[view.tab], csvParams);
  const storeOptions = (stores.data ?? []).map((store) => ({ value: store.id, label: store.name }));

  let report: ReactNode;
  switch (view.tab) {
    case 'receipts':
      report = (
        <ReceiptsReport
          filter={filter}
          filtered={filtered}
          onOpen={canOpenSales ? open : undefined}
          showStore={storeOptions.length > 1}
        />
      );
      break;
    case 'products':
      report = (
        <ProductsReport
          filter={filter}
          filtered={filtered}
          sort={view.sort}
          direction={view.direction}
          onSort={({ sort, direction }) => set({ sort, direction })}
        />
      );
      break;
    case 'customers':
      report = <SalesByCustomerReport filter={{ ...filter, q: view.q || undefined }} filtered={filtered} />;
      break;
    default: {
      const unreachable: never = view.tab;
      report = unreachable;
    }
  }

  return (
    <>
      <PageHeader
        title="Reports"
        description={`What sold, to whom and when. Days run on the business’s clock (${timeZone}).`}
      />
      <Tabs
        value={view.tab}
        onChange={(value) => set({ tab: value === 'receipts' ? null : value })}
        keepMounted={false}
        mb="md"
      >
        <Tabs.List>
          <Tabs.Tab value="receipts" leftSection={<IconReceipt size={16} />}>
            Receipts
          </Tabs.Tab>
          <Tabs.Tab value="products" leftSection={<IconPackage size={16} />}>
            Products
          </Tabs.Tab>
          <Tabs.Tab value="customers" leftSection={<IconUsers size={16} />}>
            Sales by customer
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>

      <Paper p={0} style={{ overflow: 'hidden' }}>
        <Group
          p="sm"
          gap="sm"
          align="flex-end"
          wrap="wrap"
          style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
          role="search"
          aria-label="Filter the report"
        >
          {view.tab === 'customers' ? (
            <TextInput
              label="Customer"
              placeholder="Find by name"
              value={search}
              onChange={(event) => setSearch(event.currentTarget.value)}
              leftSection={<IconSearch size={16} stroke={1.6} />}
              rightSection={search ? <CloseButton size="sm" aria-label="Clear" onClick={() => setSearch('')} /> : null}
              w={240}
            />
          ) : (
            <CustomerFilter id={view.customer} onChange={(customer) => set({ customer })} />
          )}
          {storeOptions.length > 1 ? (
            <Select
              label="Store"
              placeholder="All stores"
              data={storeOptions}
              value={view.store}
              onChange={(store) => set({ store })}
              clearable
              w={190}
            />
          ) : null}
          <DateRangeInput
            w={272}
            from={view.from}
            to={view.to}
            onChange={(from, to) => set({ from, to })}
            timeZone={timeZone}
          />
          {filtered ? (
            <Button
              variant="subtle"
              color="gray"
              leftSection={<IconFilterOff size={16} />}
              onClick={() => {
                setSearch('');
                clear();
              }}
            >
              Clear filters
            </Button>
          ) : null}
          <Button
            component="a"
            href={csvHref}
            download
            variant="default"
            leftSection={<IconDownload size={16} />}
            ml="auto"
          >
            Download CSV
          </Button>
        </Group>
        {report}
      </Paper>

      {canOpenSales ? <SaleDrawer saleId={saleId} onClose={close} onOpenSale={open} /> : null}
    </>
  );
}

/** The customer a report is narrowed to: found by search, shown by name once chosen. */
function CustomerFilter({ id, onChange }: { id: string | null; onChange(id: string | null): void }) {
  const customer = useCustomer(id ?? '', { enabled: id !== null });
  if (!id) {
    return (
      <div style={{ width: 280 }}>
        <CustomerSearch label="Customer" placeholder="Any customer" onPick={(picked) => onChange(picked.id)} />
      </div>
    );
  }
  const name = customer.data
    ? displayName(customer.data)
    : customer.isError && isNotFound(customer.error)
      ? 'Deleted customer'
      : null;
  return (
    <Input.Wrapper label="Customer" w={280}>
      <Group
        gap={6}
        wrap="nowrap"
        px="sm"
        h={36}
        style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 'var(--mantine-radius-md)' }}
        bg="indigo.0"
        role="group"
        aria-label="Chosen customer"
      >
        <IconUsers size={16} stroke={1.6} />
        <Text size="sm" fw={600} truncate style={{ flex: 1 }}>
          {name ?? <Loader size={12} />}
        </Text>
        <CloseButton size="sm" aria-label="Any customer" onClick={() => onChange(null)} />
      </Group>
    </Input.Wrapper>
  );
}

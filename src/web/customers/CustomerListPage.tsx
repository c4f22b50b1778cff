import {
  Anchor,
  Avatar,
  Button,
  Center,
  CloseButton,
  EmptyState,
  Group,
  Kbd,
  Loader,
  Paper,
  Skeleton,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconPlus, IconSearch, IconUserSearch, IconUsers } from '@tabler/icons-react';
import { memo, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Customer } from '../../features/customers/customer.schema.ts';
import { PAGE_SIZE, useCustomerList } from '../api/customers.ts';
import { useCan } from '../auth/session.tsx';
import { displayName, formatDate, formatDateTime, initials } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { Dash } from '../ui/Value.tsx';

export function CustomerListPage() {
  usePageTitle('Customers');
  const [searchParams, setSearchParams] = useSearchParams();
  const [search, setSearch] = useState(() => searchParams.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const searchRef = useRef<HTMLInputElement>(null);
  const list = useCustomerList(debounced);
  const canCreate = useCan('customers:write');
  useHotkeys([['/', () => searchRef.current?.focus()]]);

  function changeSearch(value: string) {
    setSearch(value);
    // The search lives in the address too, so Back from a customer returns to the same results.
    setSearchParams(value.trim() ? { q: value.trim() } : {}, { replace: true });
  }

  function clearSearch() {
    changeSearch('');
    searchRef.current?.focus();
  }

  const customers = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const settled = list.isSuccess && !list.isPlaceholderData;
  const searching = debounced !== '';

  return (
    <>
      <PageHeader
        title="Customers"
        actions={
          canCreate ? (
            <Button component={Link} to="/customers/new" leftSection={<IconPlus size={16} />}>
              New customer
            </Button>
          ) : null
        }
      />

      <Paper p={0} style={{ overflow: 'hidden' }}>
        <Group
          p="sm"
          gap="sm"
          justify="space-between"
          wrap="wrap"
          style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
        >
          <TextInput
            ref={searchRef}
            aria-label="Search customers"
            placeholder="Search by name, company, email, phone or code"
            value={search}
            onChange={(event) => changeSearch(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && search) clearSearch();
            }}
            leftSection={<IconSearch size={16} stroke={1.6} />}
            rightSectionWidth={search ? 36 : 40}
            rightSection={
              search ? (
                list.isFetching && !list.isFetchingNextPage ? (
                  <Loader size={14} />
                ) : (
                  <CloseButton size="sm" aria-label="Clear search" onClick={clearSearch} />
                )
              ) : (
                <Kbd size="xs" visibleFrom="sm" title="Press / to search">
                  /
                </Kbd>
              )
            }
            style={{ flex: '1 1 320px', maxWidth: 520 }}
            type="search"
            autoComplete="off"
          />
          {settled && customers.length > 0 ? (
            <Text size="sm" c="dimmed" aria-live="polite">
              {countText(customers.length, list.hasNextPage, debounced)}
            </Text>
          ) : null}
        </Group>

        {list.isError ? (
          <div style={{ padding: 'var(--mantine-spacing-md)' }}>
            <LoadError error={list.error} onRetry={() => list.refetch()} what="customers" />
          </div>
        ) : list.isPending ? (
          <ListSkeleton />
        ) : settled && customers.length === 0 ? (
          searching ? (
            <Center py={56}>
              <EmptyState
                icon={<IconUserSearch size={28} stroke={1.5} />}
                withIndicatorBackground
                title={`No customers match “${debounced}”`}
                description="Check the spelling, or search by part of an email, a phone number or a customer code."
              >
                <EmptyState.Actions>
                  <Button variant="default" onClick={clearSearch}>
                    Clear search
                  </Button>
                </EmptyState.Actions>
              </EmptyState>
            </Center>
          ) : (
            <Center py={56}>
              <EmptyState
                icon={<IconUsers size={28} stroke={1.5} />}
                withIndicatorBackground
                title="No customers yet"
                description="Customers added here, at the register or online will appear in this list."
              >
                {canCreate ? (
                  <EmptyState.Actions>
                    <Button component={Link} to="/customers/new" leftSection={<IconPlus size={16} />}>
                      New customer
                    </Button>
                  </EmptyState.Actions>
                ) : null}
              </EmptyState>
            </Center>
          )
        ) : (
          <CustomerTable customers={customers} />
        )}

        {list.hasNextPage && settled ? (
          <Group justify="center" p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
              Load {PAGE_SIZE} more
            </Button>
          </Group>
        ) : null}
      </Paper>
    </>
  );
}

function countText(shown: number, more: boolean, q: string): string {
  const noun = shown === 1 ? 'customer' : 'customers';
  if (q) return more ? `Showing the first ${shown} matches` : `${shown} ${noun} match`;
  return more ? `Showing the newest ${shown} customers` : `All ${shown} ${noun}`;
}

// Memoised: typing in the search box re-renders the page, and the rows only change when results arrive.
const CustomerTable = memo(function CustomerTable({ customers }: { customers: Customer[] }) {
  const navigate = useNavigate();
  const money = useMoney();
  const count = new Intl.NumberFormat();
  return (
    <Table.ScrollContainer minWidth={920} type="native">
      <Table highlightOnHover verticalSpacing={8} horizontalSpacing="md" layout="fixed" fz="sm">
        <Table.Thead bg="gray.0">
          <Table.Tr>
            <Table.Th w="23%">Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th w={156}>Phone</Table.Th>
            <Table.Th w={96}>Code</Table.Th>
            <Table.Th w={76} className="num">
              Orders
            </Table.Th>
            <Table.Th w={118} className="num">
              Total spent
            </Table.Th>
            <Table.Th w={120} style={{ whiteSpace: 'nowrap' }}>
              Last order
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {customers.map((customer) => {
            const href = `/customers/${customer.id}`;
            const phone = customer.phone ?? customer.mobile;
            const name = displayName(customer);
            const company = customer.companyName && customer.companyName !== name ? customer.companyName : null;
            return (
              <Table.Tr
                key={customer.id}
                className="clickable-row"
                onClick={(event) => {
                  // The name is a real link (new tab, keyboard); the rest of the row is a convenience for the mouse.
                  if (!(event.target as HTMLElement).closest('a')) void navigate(href);
                }}
              >
                <Table.Td>
                  <Group gap="sm" wrap="nowrap">
                    <Avatar size={30} radius="xl" color="initials" name={name}>
                      {initials(customer)}
                    </Avatar>
                    <div style={{ minWidth: 0 }}>
                      <Anchor
                        component={Link}
                        to={href}
                        size="sm"
                        fw={600}
                        c="inherit"
                        className="truncate"
                        display="block"
                        title={name}
                      >
                        {name}
                      </Anchor>
                      {company ? (
                        <Text size="xs" c="dimmed" className="truncate" title={company}>
                          {company}
                        </Text>
                      ) : null}
                    </div>
                  </Group>
                </Table.Td>
                <Table.Td className="truncate" title={customer.email ?? undefined}>
                  {customer.email ?? <Dash />}
                </Table.Td>
                <Table.Td className="truncate" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {phone ?? <Dash />}
                </Table.Td>
                <Table.Td className="truncate" ff="monospace" fz="xs" title={customer.code}>
                  {customer.code}
                </Table.Td>
                <Table.Td className="num" c={customer.stats.orderCount ? undefined : 'dimmed'}>
                  {count.format(customer.stats.orderCount)}
                </Table.Td>
                <Table.Td className="num" fw={customer.stats.orderCount ? 500 : undefined}>
                  {customer.stats.orderCount || customer.stats.totalSpent ? (
                    money.format(customer.stats.totalSpent)
                  ) : (
                    <Dash />
                  )}
                </Table.Td>
                <Table.Td
                  className="truncate"
                  c="dimmed"
                  title={customer.stats.lastOrderAt ? formatDateTime(customer.stats.lastOrderAt) : undefined}
                >
                  {customer.stats.lastOrderAt ? formatDate(customer.stats.lastOrderAt) : <Dash />}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
});

function ListSkeleton() {
  return (
    <div style={{ padding: 'var(--mantine-spacing-md)' }} role="status" aria-busy="true" aria-label="Loading customers">
      {Array.from({ length: 8 }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={index} height={20} mb={16} radius="sm" />
      ))}
    </div>
  );
}

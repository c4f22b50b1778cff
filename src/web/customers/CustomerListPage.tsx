import {
  Alert,
  Badge,
  Button,
  Center,
  CloseButton,
  EmptyState,
  Group,
  Kbd,
  Loader,
  Paper,
  Select,
  Skeleton,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure, useHotkeys } from '@mantine/hooks';
import {
  IconAdjustmentsHorizontal,
  IconAlertTriangle,
  IconArrowsSort,
  IconFileExport,
  IconFilterOff,
  IconPlus,
  IconSearch,
  IconUserSearch,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  type CustomerSort,
  type CustomerSortKey,
  SEARCH_RANKS_AT_MOST,
} from '../../features/customers/customer.schema.ts';
import { MOVE_IDS_MAX } from '../../features/groups/group.schema.ts';
import { useCustomerCount, useCustomerList } from '../api/customers.ts';
import { isApiError } from '../api/http.ts';
import { useSettings } from '../api/settings.ts';
import { useCan } from '../auth/session.tsx';
import { ExportModal } from '../exports/ExportModal.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { ActiveFilters } from './ActiveFilters.tsx';
import { CustomerFilters } from './CustomerFilters.tsx';
import { CustomerTable, type RowSelection } from './CustomerTable.tsx';
import {
  activeFilterCount,
  apiFilters,
  type CustomerFilterValues,
  customerCountText,
  FILTER_NAMES,
  type FilterName,
  filterOfApiField,
  filterParamChanges,
  filtersFromParams,
  moveAllOffer,
  nextSortFor,
  rangeErrors,
  SORT_OPTIONS,
  sortFromParams,
} from './customer-list-view.ts';
import { type MoveRequest, MoveToGroupModal } from './MoveToGroupModal.tsx';

const BEST_MATCH = 'best';
const counts = new Intl.NumberFormat();

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The customers list: search, filters and sort, all in the address (a view can be shared, bookmarked, and
 * found again with Back), with the count of matching customers and a list that loads more as it scrolls.
 */
export function CustomerListPage() {
  usePageTitle('Customers');
  const [params, setParams] = useSearchParams();
  const urlSearch = params.get('q') ?? '';
  const [search, setSearch] = useState(urlSearch);
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const searchRef = useRef<HTMLInputElement>(null);
  const canCreate = useCan('customers:write');
  const canMove = useCan('groups:manage');
  const canExport = useCan('customers:export');
  const [filtersOpen, filtersPanel] = useDisclosure(false);
  const [exportOpen, exportModal] = useDisclosure(false);
  useHotkeys([['/', () => searchRef.current?.focus()]]);

  // The address changed without the search box (a link to the plain list, the Back button): follow it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of address, not each keystroke, resets the box
  useEffect(() => {
    if (urlSearch !== search.trim()) setSearch(urlSearch);
  }, [urlSearch]);

  const paramsKey = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the same address gives the same filters
  const filters = useMemo(() => filtersFromParams(params), [paramsKey]);
  const sort = sortFromParams(params);
  const settings = useSettings();
  const currency = settings.data?.currency;
  // A range upside down (an address edited by hand) is explained here rather than sent to be refused.
  const wrongRanges = useMemo(() => rangeErrors(filters), [filters]);
  const rangesMakeSense = Object.keys(wrongRanges).length === 0;
  // An amount in the address means nothing until the currency says how many cents it has.
  const ready = rangesMakeSense && (currency !== undefined || (filters.spentMin === null && filters.spentMax === null));
  const queryFilters = useMemo(() => apiFilters(filters, currency ?? 'USD'), [filters, currency]);
  const list = useCustomerList({ q: debounced, sort: sort ?? undefined, filters: queryFilters }, ready);
  const total = useCustomerCount(debounced, queryFilters, ready);

  const filterCount = activeFilterCount(filters);
  const filtered = filterCount > 0;
  const searching = debounced !== '';
  /** The order the list is in: by name unless told otherwise, or the search's own best-match order. */
  const shownSort: CustomerSort | null = sort ?? (searching ? null : 'name');

  const update = useCallback(
    (changes: Record<string, string | null>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  function changeSearch(value: string) {
    setSearch(value);
    update({ q: value.trim() || null });
  }

  function clearSearch() {
    changeSearch('');
    searchRef.current?.focus();
  }

  const applyFilters = (values: CustomerFilterValues) => update(filterParamChanges(values));
  const removeFilters = (names: FilterName[]) => update(Object.fromEntries(names.map((name) => [name, null])));
  const clearFilters = () => removeFilters([...FILTER_NAMES]);
  const changeSort = useCallback(
    (value: string | null) => update({ sort: value === BEST_MATCH ? null : value }),
    [update],
  );
  const sortByColumn = useCallback(
    (key: CustomerSortKey) => changeSort(nextSortFor(key, shownSort)),
    [changeSort, shownSort],
  );

  const customers = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const settled = list.isSuccess && !list.isPlaceholderData;
  const listTop = useScrollToTopOnChange(JSON.stringify([debounced, sort, queryFilters]));
  const sentinel = useLoadMoreWhenNear(list);

  const { selection, selectedIds, clearSelection } = useRowSelection(
    customers,
    JSON.stringify([debounced, queryFilters]),
  );
  const [moving, setMoving] = useState<MoveRequest | null>(null);
  const tooMany = selectedIds.length > MOVE_IDS_MAX;
  const count = total.data && !total.isPlaceholderData ? total.data : null;
  const canMoveAll = canMove && (searching || filtered) && count !== null && count.count > 0 && ready;

  function moveSelected() {
    setMoving({
      selection: { customerIds: selectedIds },
      count: selectedIds.length,
      exact: true,
      description: selectedIds.length === 1 ? 'the ticked customer' : `the ${selectedIds.length} ticked customers`,
    });
  }

  const moveAll = count ? moveAllOffer(count, debounced, filterCount) : null;

  function moveAllMatching() {
    if (!count || !moveAll) return;
    setMoving({
      selection: { matching: { ...queryFilters, ...(debounced ? { q: debounced } : {}) } },
      count: count.count,
      exact: moveAll.exact,
      description: moveAll.description,
    });
  }

  const sortOptions = useMemo(
    () => (searching ? [{ value: BEST_MATCH, label: 'Best match' }, ...SORT_OPTIONS] : SORT_OPTIONS),
    [searching],
  );

  return (
    <>
      <PageHeader
        title="Customers"
        actions={
          <Group gap="sm">
            {canExport ? (
              <Button
                variant="default"
                leftSection={<IconFileExport size={16} />}
                onClick={exportModal.open}
                disabled={!ready}
                aria-haspopup="dialog"
              >
                Export
              </Button>
            ) : null}
            {canCreate ? (
              <Button component={Link} to="/customers/new" leftSection={<IconPlus size={16} />}>
                New customer
              </Button>
            ) : null}
          </Group>
        }
      />

      {/* Clipped to its rounded corners without becoming a scrolling box, which would unstick the table header. */}
      <Paper p={0} style={{ overflow: 'clip' }} ref={listTop}>
        <Group p="sm" gap="sm" wrap="wrap" role="search" aria-label="Find customers">
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
            style={{ flex: '1 1 300px' }}
            type="search"
            autoComplete="off"
          />
          <Button
            variant={filtered ? 'light' : 'default'}
            leftSection={<IconAdjustmentsHorizontal size={16} stroke={1.7} />}
            rightSection={
              filtered ? (
                <Badge size="sm" circle aria-label={`${filterCount} in use`}>
                  {filterCount}
                </Badge>
              ) : null
            }
            onClick={filtersPanel.open}
            aria-haspopup="dialog"
          >
            Filters
          </Button>
          <Select
            aria-label="Sort by"
            data={sortOptions}
            value={shownSort ?? BEST_MATCH}
            onChange={changeSort}
            allowDeselect={false}
            leftSection={<IconArrowsSort size={16} stroke={1.6} />}
            w={256}
            comboboxProps={{ keepMounted: false }}
          />
        </Group>

        <Group
          px="sm"
          pb="sm"
          gap="xs"
          wrap="wrap"
          mih={34}
          style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
        >
          {/* Nothing to count with filters that cannot be used; a count that failed leaves the list to say why. */}
          {rangesMakeSense && !total.isError ? (
            <CustomerCount
              count={total.data}
              stale={total.isPlaceholderData}
              rankedOnly={searching && !sort && !filtered}
              byRecentOrder={searching && !sort && list.data?.pages[0]?.order === '-lastOrderAt'}
            />
          ) : null}
          <ActiveFilters
            filters={filters}
            currency={currency ?? 'USD'}
            onRemove={removeFilters}
            onClearAll={clearFilters}
          />
          {canMove && (selectedIds.length > 0 || canMoveAll) ? (
            <Group gap="xs" ml="auto" wrap="wrap" role="group" aria-label="Move to a group">
              {selectedIds.length > 0 ? (
                <>
                  <Text size="sm" c={tooMany ? 'red' : undefined} aria-live="polite">
                    {tooMany
                      ? `${counts.format(selectedIds.length)} ticked: at most ${counts.format(MOVE_IDS_MAX)} at a time`
                      : `${counts.format(selectedIds.length)} ticked`}
                  </Text>
                  <Button
                    size="xs"
                    leftSection={<IconUsersGroup size={14} />}
                    onClick={moveSelected}
                    disabled={tooMany}
                  >
                    Move to group…
                  </Button>
                  <Button size="xs" variant="subtle" color="gray" onClick={clearSelection}>
                    Untick all
                  </Button>
                </>
              ) : null}
              {canMoveAll && moveAll ? (
                <Button size="xs" variant="light" leftSection={<IconUsersGroup size={14} />} onClick={moveAllMatching}>
                  {moveAll.button}
                </Button>
              ) : null}
            </Group>
          ) : null}
        </Group>

        {!rangesMakeSense || isApiError(list.error, 422) ? (
          <div style={{ padding: 'var(--mantine-spacing-md)' }}>
            <FilterProblem
              problems={rangesMakeSense ? serverProblems(list.error) : rangeProblems(wrongRanges)}
              onClear={clearFilters}
            />
          </div>
        ) : list.isError ? (
          <div style={{ padding: 'var(--mantine-spacing-md)' }}>
            <LoadError error={list.error} onRetry={() => list.refetch()} what="customers" />
          </div>
        ) : list.isPending ? (
          <ListSkeleton />
        ) : settled && customers.length === 0 ? (
          searching || filtered ? (
            <NoMatch q={debounced} filtered={filtered} onClearSearch={clearSearch} onClearFilters={clearFilters} />
          ) : (
            <NoCustomersYet canCreate={canCreate} />
          )
        ) : (
          <CustomerTable
            customers={customers}
            sort={shownSort}
            onSort={sortByColumn}
            grouped={shownSort === 'name' || shownSort === '-name'}
            stale={list.isPlaceholderData}
            selection={canMove ? selection : undefined}
          />
        )}

        {list.hasNextPage && settled ? (
          <Group ref={sentinel} justify="center" p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
              Load more
            </Button>
          </Group>
        ) : null}
      </Paper>

      <CustomerFilters
        opened={filtersOpen}
        onClose={filtersPanel.close}
        applied={filters}
        onApply={applyFilters}
        q={debounced}
        currency={currency ?? 'USD'}
        timeZone={settings.data?.timeZone}
        countText={customerCountText}
      />

      <MoveToGroupModal request={moving} onClose={() => setMoving(null)} onMoved={clearSelection} />

      {canExport ? (
        <ExportModal
          opened={exportOpen}
          onClose={exportModal.close}
          q={debounced}
          filters={filters}
          currency={currency ?? 'USD'}
          timeZone={settings.data?.timeZone}
        />
      ) : null}
    </>
  );
}

/**
 * The customers ticked in the list. A new search or filter starts with none ticked: ticks on customers no longer
 * shown would act on people the person cannot see. A new sort keeps them (the same customers, in another order).
 */
function useRowSelection(customers: { id: string }[], view: string) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const previous = useRef(view);
  useEffect(() => {
    if (previous.current === view) return;
    previous.current = view;
    setSelected(new Set());
  }, [view]);
  const clearSelection = useCallback(() => setSelected(new Set()), []);
  const onToggle = useCallback(
    (id: string) =>
      setSelected((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const onToggleAll = useCallback(
    () =>
      setSelected((current) =>
        customers.length > 0 && customers.every((customer) => current.has(customer.id))
          ? new Set()
          : new Set(customers.map((customer) => customer.id)),
      ),
    [customers],
  );
  const selection = useMemo<RowSelection>(
    () => ({ selected, onToggle, onToggleAll }),
    [selected, onToggle, onToggleAll],
  );
  return { selection, selectedIds: [...selected], clearSelection };
}

/**
 * The count above the list: kept on screen while a new one loads (dimmed), never blinking to nothing. A search in
 * best-match order lists its best 2,000 (a ranking's reach): past that, it says how to list everyone it matches. One
 * with filters that matches too many to rank is listed by most recent order: it says so.
 */
function CustomerCount({
  count,
  stale,
  rankedOnly,
  byRecentOrder,
}: {
  count: { count: number; exact: boolean } | undefined;
  stale: boolean;
  /** In the search's best-match order, without filters. */
  rankedOnly: boolean;
  /** A search with filters that matches too many to rank: the server lists them by most recent order. */
  byRecentOrder: boolean;
}) {
  if (!count) return <Skeleton h={14} w={110} radius="sm" aria-label="Counting customers" />;
  const bestMatches = rankedOnly && count.count > SEARCH_RANKS_AT_MOST;
  return (
    <Text
      size="sm"
      fw={600}
      mr="xs"
      aria-live="polite"
      aria-busy={stale}
      style={{ opacity: stale ? 0.55 : 1, transition: 'opacity 120ms ease' }}
    >
      {capitalise(customerCountText(count))}
      {bestMatches ? (
        <Text span size="sm" fw={400} c="dimmed">
          {' '}
          · the best {counts.format(SEARCH_RANKS_AT_MOST)} are listed: type more, or sort by a column to list them all
        </Text>
      ) : null}
      {byRecentOrder ? (
        <Text span size="sm" fw={400} c="dimmed">
          {' '}
          · too many to rank: most recent order first; type more to see the best matches first
        </Text>
      ) : null}
    </Text>
  );
}

/**
 * The next page loads when the end of the list comes within a couple of screens: scrolling never waits at the
 * bottom. The "Load more" button it watches stays for keyboards and for screens tall enough to hold it all.
 */
function useLoadMoreWhenNear(list: {
  data: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isPlaceholderData: boolean;
  fetchNextPage(): Promise<unknown>;
}) {
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const { data, hasNextPage, isFetchingNextPage, isPlaceholderData, fetchNextPage } = list;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page may leave the end still in sight: look again
  useEffect(() => {
    if (!element || !hasNextPage || isFetchingNextPage || isPlaceholderData) return;
    // Observing anew reports at once whether the end is already near, as well as when it comes near.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void fetchNextPage();
      },
      { rootMargin: '1600px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, data, hasNextPage, isFetchingNextPage, isPlaceholderData, fetchNextPage]);
  return setElement;
}

/**
 * A new search, filter or sort starts the list from its top: a person far down an old list is brought back up
 * to see the first of the new one. The first view (arriving, or Back) keeps the scroll the browser restored.
 */
function useScrollToTopOnChange(view: string) {
  const element = useRef<HTMLDivElement | null>(null);
  const previous = useRef(view);
  useEffect(() => {
    if (previous.current === view) return;
    previous.current = view;
    const top = element.current?.getBoundingClientRect().top;
    if (top !== undefined && top < 0) window.scrollBy({ top: top - 72 });
  }, [view]);
  return element;
}

function NoMatch({
  q,
  filtered,
  onClearSearch,
  onClearFilters,
}: {
  q: string;
  filtered: boolean;
  onClearSearch(): void;
  onClearFilters(): void;
}) {
  const title = q
    ? filtered
      ? `No customers match “${q}” with these filters`
      : `No customers match “${q}”`
    : 'No customers match these filters';
  const description = filtered
    ? 'Remove a filter or widen a range to see more customers.'
    : 'Check the spelling, or search by the start of an email, part of a phone number or a customer code.';
  return (
    <Center py={56}>
      <EmptyState
        icon={<IconUserSearch size={28} stroke={1.5} />}
        withIndicatorBackground
        title={title}
        description={description}
      >
        <EmptyState.Actions>
          {q ? (
            <Button variant="default" onClick={onClearSearch}>
              Clear search
            </Button>
          ) : null}
          {filtered ? (
            <Button variant="default" leftSection={<IconFilterOff size={16} />} onClick={onClearFilters}>
              Clear filters
            </Button>
          ) : null}
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}

function NoCustomersYet({ canCreate }: { canCreate: boolean }) {
  return (
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
  );
}

const FILTER_LABELS: Record<FilterName, string> = {
  groupId: 'Customer group',
  storeId: 'Created in',
  createdFrom: 'Created, from',
  createdTo: 'Created, until',
  firstOrderFrom: 'First order, from',
  firstOrderTo: 'First order, until',
  lastOrderFrom: 'Last order, from',
  lastOrderTo: 'Last order, until',
  spentMin: 'Total spent, at least',
  spentMax: 'Total spent, at most',
  ordersMin: 'Number of orders, at least',
  ordersMax: 'Number of orders, at most',
  emailMarketing: 'Email marketing',
  hasEmail: 'Email address',
  hasPhone: 'Phone number',
  hasBalance: 'Balances',
};

function rangeProblems(errors: Partial<Record<FilterName, string>>): string[] {
  return Object.entries(errors).map(([name, message]) => `${FILTER_LABELS[name as FilterName]}: ${message}`);
}

function serverProblems(error: unknown): string[] {
  if (!isApiError(error)) return [];
  const fields = error.problem.errors ?? [];
  if (fields.length === 0) return [error.problem.detail ?? error.problem.title];
  return fields.map((fieldError) => {
    const name = filterOfApiField(fieldError.field);
    return `${name ? FILTER_LABELS[name] : fieldError.field}: ${fieldError.message}`;
  });
}

/** Filters that cannot be used (an address edited by hand or from an older version): say why, offer a way out. */
function FilterProblem({ problems, onClear }: { problems: string[]; onClear(): void }) {
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title="These filters cannot be used together">
      {problems.map((problem) => (
        <div key={problem}>{problem}</div>
      ))}
      <Button
        mt="sm"
        size="xs"
        variant="white"
        color="orange"
        leftSection={<IconFilterOff size={14} />}
        onClick={onClear}
      >
        Clear filters
      </Button>
    </Alert>
  );
}

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

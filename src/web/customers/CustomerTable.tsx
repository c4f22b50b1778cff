import { Table, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import { memo, type ReactNode, useEffect, useMemo, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Customer, CustomerSort, CustomerSortKey } from '../../features/customers/customer.schema.ts';
import { displayName, formatDate, formatDateTime, initials } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import classes from './CustomerTable.module.css';
import { sortParts } from './customer-list-view.ts';
import { useWindowedRows } from './useWindowedRows.ts';

// Every row is this tall, whether or not a company sits under the name, so the list knows where each row is
// without measuring it (see useWindowedRows). The stylesheet gives the rows these heights.
const ROW_HEIGHT = 56;
const GROUP_HEIGHT = 32;
const COLUMNS = 6;

/** Ticking customers, for acting on several at once (moving them to a group). */
export interface RowSelection {
  selected: ReadonlySet<string>;
  onToggle(id: string): void;
  /** Tick every customer loaded, or untick them all when they all are. */
  onToggleAll(): void;
}

type Entry = { kind: 'group'; key: string } | { kind: 'customer'; customer: Customer };

interface CustomerTableProps {
  customers: Customer[];
  /** The sort the list is in; null while searching without one (best match first). */
  sort: CustomerSort | null;
  onSort(key: CustomerSortKey): void;
  /** Headed by the letter of the surname, as people look names up in a book. */
  grouped: boolean;
  /** Results for an earlier search or filter, shown while the new ones load. */
  stale: boolean;
  /** Left out: no tick boxes (for people who could not act on them). */
  selection?: RowSelection | undefined;
}

const counts = new Intl.NumberFormat();

/** The customers, a screenful rendered at a time however many are loaded; sortable by the column headers. */
export const CustomerTable = memo(function CustomerTable({
  customers,
  sort,
  onSort,
  grouped,
  stale,
  selection,
}: CustomerTableProps) {
  const navigate = useNavigate();
  const body = useRef<HTMLTableSectionElement>(null);
  const entries = useMemo<Entry[]>(() => {
    if (!grouped) return customers.map((customer) => ({ kind: 'customer', customer }));
    const list: Entry[] = [];
    let group: string | undefined;
    for (const customer of customers) {
      if (customer.groupKey !== group) {
        group = customer.groupKey;
        list.push({ kind: 'group', key: group });
      }
      list.push({ kind: 'customer', customer });
    }
    return list;
  }, [customers, grouped]);
  const heights = useMemo(
    () => entries.map((entry) => (entry.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT)),
    [entries],
  );
  const shown = useWindowedRows(heights, body);
  const money = useMoney().format;
  const header = { sort, onSort };
  const columns = selection ? COLUMNS + 1 : COLUMNS;
  const ticked = selection ? customers.filter((customer) => selection.selected.has(customer.id)).length : 0;

  return (
    <div className={classes.scroller}>
      <Table
        verticalSpacing={6}
        horizontalSpacing="md"
        layout="fixed"
        fz="sm"
        miw={880}
        stickyHeader
        stickyHeaderOffset="var(--app-shell-header-offset, 0px)"
        styles={{ th: { backgroundColor: 'var(--mantine-color-gray-0)' } }}
        aria-label="Customers"
        // Screen readers hear how long the list is and where each row sits in it, not just the rows in the page.
        aria-rowcount={entries.length + 1}
        aria-busy={stale}
        style={{ opacity: stale ? 0.55 : 1, transition: 'opacity 120ms ease' }}
      >
        <Table.Thead>
          <Table.Tr>
            {selection ? (
              <Table.Th w={44} p={0}>
                <SelectAll
                  state={ticked === 0 ? 'none' : ticked === customers.length ? 'all' : 'some'}
                  count={customers.length}
                  onToggle={selection.onToggleAll}
                />
              </Table.Th>
            ) : null}
            <SortableHeader column="name" w="24%" {...header}>
              Name
            </SortableHeader>
            <Table.Th>Email</Table.Th>
            <Table.Th w={172}>Phone</Table.Th>
            <SortableHeader column="totalSpent" w={132} numeric {...header}>
              Total spent
            </SortableHeader>
            <SortableHeader column="orders" w={100} numeric {...header}>
              Orders
            </SortableHeader>
            <SortableHeader column="lastOrderAt" w={132} {...header}>
              Last order
            </SortableHeader>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody
          ref={body}
          onClick={(event) => {
            // The name is a real link (new tab, keyboard); the rest of the row is a convenience for the mouse.
            const target = event.target as HTMLElement;
            if (target.closest('a, label, input')) return;
            const href = target.closest('tr')?.dataset.href;
            if (href) void navigate(href);
          }}
        >
          {shown.before > 0 ? <Spacer height={shown.before} columns={columns} /> : null}
          {entries
            .slice(shown.start, shown.end)
            .map((entry, index) =>
              entry.kind === 'group' ? (
                <GroupRow
                  key={`group-${entry.key}`}
                  letter={entry.key}
                  rowIndex={shown.start + index + 2}
                  columns={columns}
                />
              ) : (
                <CustomerRow
                  key={entry.customer.id}
                  customer={entry.customer}
                  money={money}
                  rowIndex={shown.start + index + 2}
                  selected={selection ? selection.selected.has(entry.customer.id) : undefined}
                  onToggle={selection?.onToggle}
                />
              ),
            )}
          {shown.after > 0 ? <Spacer height={shown.after} columns={columns} /> : null}
        </Table.Tbody>
      </Table>
    </div>
  );
});

function Spacer({ height, columns }: { height: number; columns: number }) {
  return (
    <tr style={{ height }}>
      <td colSpan={columns} style={{ padding: 0, border: 0 }} />
    </tr>
  );
}

/** The header's tick box: ticks every customer loaded; shows a dash when only some are ticked. */
function SelectAll({ state, count, onToggle }: { state: 'none' | 'some' | 'all'; count: number; onToggle(): void }) {
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = state === 'some';
  }, [state]);
  return (
    <label className={classes.tick} title={state === 'all' ? 'Untick all' : `Tick the ${counts.format(count)} shown`}>
      <input
        ref={box}
        type="checkbox"
        checked={state === 'all'}
        onChange={onToggle}
        aria-label={state === 'all' ? 'Untick all customers' : 'Tick all customers shown'}
      />
    </label>
  );
}

function SortableHeader({
  column,
  sort,
  onSort,
  numeric = false,
  w,
  children,
}: {
  column: CustomerSortKey;
  sort: CustomerSort | null;
  onSort(key: CustomerSortKey): void;
  numeric?: boolean;
  w: number | string;
  children: ReactNode;
}) {
  const current = sort ? sortParts(sort) : null;
  const active = current?.key === column;
  const direction = active ? (current.descending ? 'descending' : 'ascending') : 'none';
  const Icon = active ? (current.descending ? IconArrowDown : IconArrowUp) : IconSelector;
  return (
    <Table.Th w={w} aria-sort={direction} style={{ padding: 0 }}>
      <UnstyledButton
        onClick={() => onSort(column)}
        w="100%"
        px="md"
        py={8}
        fz="sm"
        fw={700}
        c={active ? 'var(--mantine-color-text)' : undefined}
        title={`Sort by ${String(children).toLowerCase()}`}
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 4,
          justifyContent: numeric ? 'flex-end' : 'flex-start',
          whiteSpace: 'nowrap',
        }}
      >
        {children}
        <Icon
          size={14}
          stroke={2}
          aria-hidden
          style={{ flexShrink: 0, opacity: active ? 1 : 0.45 }}
          color={active ? 'var(--mantine-primary-color-filled)' : undefined}
        />
      </UnstyledButton>
    </Table.Th>
  );
}

const GroupRow = memo(function GroupRow({
  letter,
  rowIndex,
  columns,
}: {
  letter: string;
  rowIndex: number;
  columns: number;
}) {
  return (
    <tr className={classes.letter} aria-rowindex={rowIndex}>
      <th
        colSpan={columns}
        scope="rowgroup"
        aria-label={letter === '#' ? 'Other names' : `Surnames starting with ${letter}`}
      >
        {letter}
      </th>
    </tr>
  );
});

// The colours Mantine gives initials avatars, picked the same way, so a customer keeps the colour they have
// on their own page.
const AVATAR_COLOURS = ['blue', 'cyan', 'grape', 'green', 'indigo', 'lime', 'orange', 'pink', 'red', 'teal', 'violet'];

function avatarColour(name: string): string {
  let hash = 0;
  for (let index = 0; index < name.length; index++) hash = ((hash << 5) - hash + name.charCodeAt(index)) | 0;
  return AVATAR_COLOURS[Math.abs(hash) % AVATAR_COLOURS.length] ?? 'gray';
}

function None() {
  return (
    <span className={classes.none} role="img" aria-label="none">
      —
    </span>
  );
}

// Memoised, and in plain elements: loading the next page or typing in the search box leaves the rows already
// shown as they are, and scrolling mounts a few new ones each frame at little cost (see the stylesheet).
const CustomerRow = memo(function CustomerRow({
  customer,
  money,
  rowIndex,
  selected,
  onToggle,
}: {
  customer: Customer;
  money: (minor: number) => string;
  rowIndex: number;
  /** Undefined: the list has no tick boxes. */
  selected?: boolean | undefined;
  onToggle?: ((id: string) => void) | undefined;
}) {
  const href = `/customers/${customer.id}`;
  const phone = customer.phone ?? customer.mobile;
  const name = displayName(customer);
  const company = customer.companyName && customer.companyName !== name ? customer.companyName : null;
  const colour = avatarColour(name);
  const { stats } = customer;
  return (
    <tr
      className={`${classes.row} clickable-row`}
      data-href={href}
      aria-rowindex={rowIndex}
      data-selected={selected || undefined}
    >
      {selected !== undefined ? (
        <td className={classes.select}>
          <label className={classes.tick}>
            <input
              type="checkbox"
              checked={selected}
              onChange={() => onToggle?.(customer.id)}
              aria-label={`Tick ${name}`}
            />
          </label>
        </td>
      ) : null}
      <td>
        <div className={classes.person}>
          <span
            className={classes.avatar}
            aria-hidden="true"
            style={{
              backgroundColor: `var(--mantine-color-${colour}-light)`,
              color: `var(--mantine-color-${colour}-light-color)`,
            }}
          >
            {initials(customer)}
          </span>
          <div className={classes.names}>
            <Link to={href} className={classes.name} title={name}>
              {name}
            </Link>
            {company ? (
              <div className={classes.company} title={company}>
                {company}
              </div>
            ) : null}
          </div>
        </div>
      </td>
      <td title={customer.email ?? undefined}>{customer.email ?? <None />}</td>
      <td className="tabular">{phone ?? <None />}</td>
      <td className={`num ${stats.orderCount ? classes.strong : ''}`}>
        {stats.orderCount || stats.totalSpent ? money(stats.totalSpent) : <None />}
      </td>
      <td className={`num ${stats.orderCount ? '' : classes.dimmed}`}>{counts.format(stats.orderCount)}</td>
      <td title={stats.lastOrderAt ? formatDateTime(stats.lastOrderAt) : undefined}>
        {stats.lastOrderAt ? formatDate(stats.lastOrderAt) : <None />}
      </td>
    </tr>
  );
});

import {
  Alert,
  Button,
  Drawer,
  Fieldset,
  Group,
  Loader,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { useCustomerCount } from '../api/customers.ts';
import { useCustomerGroups } from '../api/groups.ts';
import { messageOf } from '../api/http.ts';
import { useStores } from '../api/stores.ts';
import { currencySymbol, minorDigits } from '../lib/money.ts';
import { DateRangeInput } from '../ui/DateRangeInput.tsx';
import {
  apiFilters,
  type CustomerFilterValues,
  type FilterName,
  NO_FILTERS,
  rangeErrors,
  type YesNo,
} from './customer-list-view.ts';

interface CustomerFiltersProps {
  opened: boolean;
  onClose(): void;
  /** The filters the list has now: the panel starts from them each time it opens. */
  applied: CustomerFilterValues;
  onApply(filters: CustomerFilterValues): void;
  /** The search in the box, counted with the filters for the "Show N customers" button. */
  q: string;
  currency: string;
  timeZone: string | undefined;
  /** Formats a count as the list says it: "1,234 customers", "More than 10,000 customers". */
  countText(count: { count: number; exact: boolean }): string;
}

/**
 * Every filter of the customers list in one panel. Changes wait for "Show N customers", which counts what
 * they would find as they are made: no list reloading under the panel at each keystroke, and no surprise
 * when it closes.
 */
export function CustomerFilters({ opened, onClose, ...props }: CustomerFiltersProps) {
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={440}
      title={
        <Title order={2} fz="lg">
          Filter customers
        </Title>
      }
      styles={{ body: { paddingBottom: 0 } }}
    >
      {/* Only while open: each opening starts again from the filters the list has. */}
      {opened ? <FilterForm {...props} onClose={onClose} /> : null}
    </Drawer>
  );
}

const AMOUNT = /^\d{1,12}(\.\d{1,3})?$/;

function FilterForm({
  applied,
  onApply,
  onClose,
  q,
  currency,
  timeZone,
  countText,
}: Omit<CustomerFiltersProps, 'opened'>) {
  const [draft, setDraft] = useState<CustomerFilterValues>(applied);
  const groups = useCustomerGroups();
  const stores = useStores();
  const set = (changes: Partial<CustomerFilterValues>) => setDraft((current) => ({ ...current, ...changes }));

  const errors = useMemo(() => {
    const found: Partial<Record<FilterName, string>> = {};
    for (const name of ['spentMin', 'spentMax'] as const) {
      const value = draft[name];
      if (value !== null && !AMOUNT.test(value)) found[name] = 'Must be an amount, such as 100 or 12.50';
    }
    return { ...rangeErrors(draft), ...found };
  }, [draft]);
  const valid = Object.keys(errors).length === 0;

  // Counted a moment after the typing stops, not at each digit.
  const [settled] = useDebouncedValue(draft, 300);
  const preview = useCustomerCount(q, apiFilters(settled, currency), valid);
  const upToDate = settled === draft && !preview.isPlaceholderData && !preview.isFetching;

  const groupOptions = useMemo(
    () => (groups.data ?? []).map((group) => ({ value: group.id, label: group.name })),
    [groups.data],
  );
  const storeOptions = useMemo(
    () => (stores.data ?? []).map((store) => ({ value: store.id, label: store.name })),
    [stores.data],
  );

  const digits = minorDigits(currency);
  const symbol = currencySymbol(currency);
  const amount = (name: 'spentMin' | 'spentMax', label: string, placeholder: string) => (
    <NumberInput
      label={label}
      placeholder={placeholder}
      value={draft[name] ?? ''}
      onChange={(value) => set({ [name]: value === '' ? null : String(value) })}
      error={errors[name]}
      min={0}
      decimalScale={digits}
      allowNegative={false}
      hideControls
      leftSection={
        <Text size="sm" c="dimmed">
          {symbol}
        </Text>
      }
      inputMode="decimal"
    />
  );
  const orders = (name: 'ordersMin' | 'ordersMax', label: string, placeholder: string) => (
    <NumberInput
      label={label}
      placeholder={placeholder}
      value={draft[name] ?? ''}
      onChange={(value) => set({ [name]: value === '' ? null : String(value) })}
      error={errors[name]}
      min={0}
      allowDecimal={false}
      allowNegative={false}
      hideControls
      inputMode="numeric"
    />
  );

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid) return;
        onApply(draft);
        onClose();
      }}
    >
      <Stack gap="lg" pb="md">
        <FilterSection title="Customer">
          <Select
            label="Customer group"
            placeholder="Any group"
            data={groupOptions}
            value={draft.groupId}
            onChange={(value) => set({ groupId: value })}
            clearable
            searchable={groupOptions.length > 8}
            nothingFoundMessage="No group by that name"
          />
          <Select
            label="Created in"
            placeholder="Any store or channel"
            data={storeOptions}
            value={draft.storeId}
            onChange={(value) => set({ storeId: value })}
            clearable
          />
          <DateRangeInput
            presets={DAY_PRESETS}
            label="Created"
            from={draft.createdFrom}
            to={draft.createdTo}
            error={errors.createdTo}
            onChange={(createdFrom, createdTo) => set({ createdFrom, createdTo })}
            timeZone={timeZone}
          />
        </FilterSection>

        <FilterSection title="Purchases">
          <FieldPair label="Total spent">
            {amount('spentMin', 'At least', 'No minimum')}
            {amount('spentMax', 'At most', 'No maximum')}
          </FieldPair>
          <FieldPair label="Number of orders">
            {orders('ordersMin', 'At least', 'No minimum')}
            {orders('ordersMax', 'At most', 'No maximum')}
          </FieldPair>
          <DateRangeInput
            presets={DAY_PRESETS}
            label="First order"
            from={draft.firstOrderFrom}
            to={draft.firstOrderTo}
            error={errors.firstOrderTo}
            onChange={(firstOrderFrom, firstOrderTo) => set({ firstOrderFrom, firstOrderTo })}
            timeZone={timeZone}
          />
          <DateRangeInput
            presets={DAY_PRESETS}
            label="Last order"
            from={draft.lastOrderFrom}
            to={draft.lastOrderTo}
            error={errors.lastOrderTo}
            onChange={(lastOrderFrom, lastOrderTo) => set({ lastOrderFrom, lastOrderTo })}
            timeZone={timeZone}
          />
        </FilterSection>

        <FilterSection title="Contact">
          <YesNoChoice
            label="Email marketing"
            value={draft.emailMarketing}
            onChange={(emailMarketing) => set({ emailMarketing })}
            yes="Subscribed"
            no="Not subscribed"
          />
          <YesNoChoice
            label="Email address"
            value={draft.hasEmail}
            onChange={(hasEmail) => set({ hasEmail })}
            yes="Has one"
            no="Has none"
          />
          <YesNoChoice
            label="Phone number"
            value={draft.hasPhone}
            onChange={(hasPhone) => set({ hasPhone })}
            yes="Has one"
            no="Has none"
          />
        </FilterSection>

        <FilterSection title="Balances">
          <YesNoChoice
            label="Points, store credit or account"
            value={draft.hasBalance}
            onChange={(hasBalance) => set({ hasBalance })}
            yes="Has a balance"
            no="Has none"
          />
        </FilterSection>

        {preview.isError ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle />} title="These filters could not be counted">
            {messageOf(preview.error)}
          </Alert>
        ) : null}
      </Stack>

      <Group
        justify="space-between"
        py="md"
        className="form-actions"
        style={{ marginInline: 'calc(var(--mantine-spacing-md) * -1)', paddingInline: 'var(--mantine-spacing-md)' }}
      >
        <Button variant="subtle" color="gray" onClick={() => setDraft(NO_FILTERS)}>
          Clear all
        </Button>
        <Button
          type="submit"
          disabled={!valid}
          rightSection={valid && !upToDate ? <Loader size={14} color="white" /> : null}
          aria-live="polite"
        >
          {valid && preview.data ? showText(countText(preview.data)) : 'Show customers'}
        </Button>
      </Group>
    </form>
  );
}

/** "Show 12 customers", "Show 0 customers" (a plain number reads better on a button than "no"). */
function showText(count: string): string {
  return count === 'no customers' ? 'Show 0 customers' : `Show ${count}`;
}

function FilterSection({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <Stack gap="sm" role="group" aria-labelledby={id}>
      <Text id={id} size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.06em' }}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/** Two fields under one label, such as the lowest and highest amount: "Total spent: at least, at most". */
function FieldPair({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Fieldset
      variant="unstyled"
      legend={label}
      // As the label of a field: the browser's fieldset margins and the legend's own size go.
      styles={{
        root: { margin: 0, minWidth: 0 },
        legend: {
          fontSize: 'var(--mantine-font-size-sm)',
          fontWeight: 'var(--mantine-font-weight-medium)',
          marginBottom: 4,
        },
      }}
    >
      <SimpleGrid cols={2} spacing="sm">
        {children}
      </SimpleGrid>
    </Fieldset>
  );
}

function YesNoChoice({
  label,
  value,
  onChange,
  yes,
  no,
}: {
  label: string;
  value: YesNo | null;
  onChange(value: YesNo | null): void;
  yes: string;
  no: string;
}) {
  const id = useId();
  return (
    <div>
      <Text id={id} size="sm" fw="var(--mantine-font-weight-medium)" mb={4}>
        {label}
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        fullWidth
        value={value ?? 'any'}
        onChange={(choice) => onChange(choice === 'true' || choice === 'false' ? choice : null)}
        data={[
          { value: 'any', label: 'Any' },
          { value: 'true', label: yes },
          { value: 'false', label: no },
        ]}
      />
    </div>
  );
}

/** Shortcuts of the filters' date ranges: back from today, in the business's calendar. */
const DAY_PRESETS = [
  [6, 'Last 7 days'],
  [29, 'Last 30 days'],
  [89, 'Last 90 days'],
  [364, 'Last 12 months'],
] as const;

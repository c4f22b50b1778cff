import { Avatar, Combobox, Group, Loader, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconUserPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, type Ref, useEffect, useMemo, useRef, useState } from 'react';
import type { Customer } from '../../features/customers/customer.schema.ts';
import { hasActiveCard } from '../api/balances.ts';
import { customerKeys, searchCustomers, useCustomerSearch } from '../api/customers.ts';
import { messageOf } from '../api/http.ts';
import { displayName, initials } from '../lib/format.ts';

const ADD_NEW = '\u0000add-new';

interface CustomerSearchProps {
  label: ReactNode;
  placeholder?: string;
  description?: ReactNode;
  onPick(customer: Customer): void;
  /** Offer "Add “…” as new customer" under the results, with what was typed. */
  onAddNew?(typed: string): void;
  /** Customers not to offer (the one a sale already belongs to). */
  exclude?: string[];
  autoFocus?: boolean;
  size?: 'sm' | 'md';
  inputRef?: Ref<HTMLInputElement>;
  error?: ReactNode;
}

/** What tells namesakes apart: how to reach them, their card, where they live. */
export function customerHints(customer: Customer): string[] {
  return [
    customer.email,
    customer.phone ?? customer.mobile,
    customer.physicalAddress.city,
    customer.companyName && customer.companyName !== displayName(customer) ? customer.companyName : null,
  ].filter((hint): hint is string => Boolean(hint));
}

const digits = (text: string) => text.replace(/\D/g, '');

/**
 * The customer a scanned card, a typed code, email or phone number names: no guessing between namesakes, only a
 * match on something a customer has one of.
 */
export function exactMatch(typed: string, customers: Customer[]): Customer | undefined {
  const text = typed.trim().toLowerCase();
  const typedDigits = digits(text);
  return (
    customers.find((customer) => customer.code.toLowerCase() === text) ??
    customers.find((customer) => customer.email?.toLowerCase() === text) ??
    (typedDigits.length >= 7 && /^[\d\s()+.-]+$/.test(text)
      ? customers.find((customer) =>
          [customer.phoneE164, customer.mobileE164, customer.phone, customer.mobile].some(
            (phone) => phone && (digits(phone) === typedDigits || digits(phone).endsWith(typedDigits)),
          ),
        )
      : undefined)
  );
}

/**
 * The customer whose loyalty card was scanned or typed: the search lists a card's holder first, but a card
 * number is not on the customer record, so ask whether that first customer holds it.
 */
async function cardHolder(typed: string, found: Customer[]): Promise<Customer | undefined> {
  const first = found[0];
  if (!first || /\s/.test(typed)) return undefined;
  return (await hasActiveCard(first.id, typed)) ? first : undefined;
}

/**
 * Find a customer as one types: name, company, email, phone digits or code. Each result shows what tells it
 * from a namesake. Enter on a scanned card or an exact code, email or phone number picks that customer at once;
 * otherwise Enter picks the highlighted result (the first, until the arrows move it).
 */
export function CustomerSearch({
  label,
  placeholder = 'Name, email, phone or card number',
  description,
  onPick,
  onAddNew,
  exclude = [],
  autoFocus,
  size = 'sm',
  inputRef,
  error,
}: CustomerSearchProps) {
  const queryClient = useQueryClient();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [text, setText] = useState('');
  const latest = useRef(text);
  latest.current = text;
  const [problem, setProblem] = useState<string | null>(null);
  const typed = text.trim();
  const [debounced] = useDebouncedValue(typed, 200);
  const search = useCustomerSearch(debounced);
  const fresh = typed !== '' && debounced === typed && search.isSuccess && !search.isPlaceholderData;

  const results = useMemo(() => {
    if (!typed || !search.data) return [];
    const found = search.data.filter((customer) => !exclude.includes(customer.id));
    // The customer whose card or email was typed comes first, whatever the order of the search.
    const exact = exactMatch(typed, found);
    return exact ? [exact, ...found.filter((customer) => customer !== exact)] : found;
  }, [search.data, typed, exclude]);

  const resultIds = results.map((customer) => customer.id).join(' ');

  // Fresh results: highlight the first, so Enter takes it (or, with none, the offer to add a new customer).
  // Only when they arrive: the store is a new object each render, and the arrows must keep their choice.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the results change, not the store
  useEffect(() => {
    if (fresh && combobox.dropdownOpened) combobox.selectFirstOption();
  }, [fresh, resultIds]);

  function pick(customer: Customer) {
    setText('');
    setProblem(null);
    combobox.closeDropdown();
    onPick(customer);
  }

  function addNew() {
    const value = typed;
    setText('');
    combobox.closeDropdown();
    onAddNew?.(value);
  }

  /** Enter before the results caught up with the typing (a barcode scanner types fast): look it up now. */
  async function resolveNow() {
    const looked = typed;
    if (!looked) return;
    try {
      const found = (
        await queryClient.fetchQuery({ queryKey: customerKeys.search(looked), queryFn: () => searchCustomers(looked) })
      ).filter((customer) => !exclude.includes(customer.id));
      // The cashier typed on while this was looked up: what is in the box now is theirs to finish.
      if (latest.current.trim() !== looked) return;
      const exact = exactMatch(looked, found) ?? (await cardHolder(looked, found));
      if (latest.current.trim() !== looked) return;
      if (exact) pick(exact);
      else if (found.length === 0 && onAddNew) addNew();
      else {
        combobox.openDropdown();
        requestAnimationFrame(() => combobox.selectFirstOption());
      }
    } catch (failure) {
      setProblem(messageOf(failure));
    }
  }

  const loading = typed !== '' && (debounced !== typed || search.isFetching);

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(value) => {
        if (value === ADD_NEW) return addNew();
        const customer = results.find((candidate) => candidate.id === value);
        if (customer) pick(customer);
      }}
      size={size}
    >
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          label={label}
          description={description}
          placeholder={placeholder}
          size={size}
          value={text}
          autoFocus={autoFocus}
          autoComplete="off"
          spellCheck={false}
          error={problem ?? error}
          leftSection={<IconSearch size={16} stroke={1.6} />}
          rightSection={loading ? <Loader size={14} /> : null}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setProblem(null);
            combobox.resetSelectedOption();
            if (event.currentTarget.value.trim()) combobox.openDropdown();
            else combobox.closeDropdown();
          }}
          onFocus={() => {
            if (typed) combobox.openDropdown();
          }}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            // A highlighted result (the first of fresh results, or one chosen with the arrows): the list takes it.
            if (combobox.dropdownOpened && combobox.getSelectedOptionIndex() !== -1) return;
            event.preventDefault();
            combobox.resetSelectedOption();
            void resolveNow();
          }}
        />
      </Combobox.Target>

      <Combobox.Dropdown hidden={!typed}>
        <Combobox.Options mah={360} style={{ overflowY: 'auto' }}>
          {results.map((customer) => (
            <Combobox.Option key={customer.id} value={customer.id}>
              <CustomerOption customer={customer} />
            </Combobox.Option>
          ))}
          {fresh && results.length === 0 && !onAddNew ? <Combobox.Empty>No customer matches</Combobox.Empty> : null}
          {!fresh && results.length === 0 ? <Combobox.Empty>Searching…</Combobox.Empty> : null}
          {onAddNew && typed && (fresh || results.length > 0) ? (
            <Combobox.Option value={ADD_NEW}>
              <Group gap="sm" wrap="nowrap">
                <IconUserPlus size={18} stroke={1.6} />
                <Text size="sm" fw={500}>
                  Add “{typed}” as new customer
                </Text>
              </Group>
            </Combobox.Option>
          ) : null}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

function CustomerOption({ customer }: { customer: Customer }) {
  const name = displayName(customer);
  const hints = customerHints(customer).filter((hint) => hint !== name);
  return (
    <Group gap="sm" wrap="nowrap">
      <Avatar size={30} radius="xl" color="initials" name={name}>
        {initials(customer)}
      </Avatar>
      <div style={{ minWidth: 0, flex: 1 }}>
        <Text size="sm" fw={600} truncate>
          {name}
        </Text>
        {hints.length > 0 ? (
          <Text size="xs" c="dimmed" truncate>
            {hints.join(' · ')}
          </Text>
        ) : null}
      </div>
      <Text size="xs" ff="monospace" c="dimmed" style={{ flexShrink: 0 }}>
        {customer.code}
      </Text>
    </Group>
  );
}

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BalanceAdjustment, BalanceEntry, Balances, LoyaltyCard } from '../../features/balances/balance.schema.ts';
import { customerKeys } from './customers.ts';
import { api } from './http.ts';

export type BalanceKind = BalanceEntry['balance'];

/** Ledger entries per page. */
export const LEDGER_PAGE_SIZE = 10;

/**
 * Under the customers key on purpose: a sale, refund or cancellation invalidates `customerKeys.all` (see
 * `afterSaleChange` in sales.ts), and every balance it may have moved is then loaded again.
 */
export const balanceKeys = {
  all: [...customerKeys.all, 'balances'] as const,
  totals: (customerId: string) => [...balanceKeys.all, customerId, 'totals'] as const,
  ledger: (customerId: string, balance: BalanceKind) => [...balanceKeys.all, customerId, 'ledger', balance] as const,
  cards: (customerId: string) => [...balanceKeys.all, customerId, 'cards'] as const,
};

const base = (customerId: string) => `/customers/${encodeURIComponent(customerId)}`;

/** Loyalty points (and what they are worth), store credit and account of a customer. */
export function useCustomerBalances(customerId: string | undefined) {
  return useQuery({
    queryKey: balanceKeys.totals(customerId ?? ''),
    queryFn: () => api<Balances>('GET', `${base(customerId ?? '')}/balances`),
    enabled: Boolean(customerId),
  });
}

/** One balance's ledger, newest first, a page at a time. */
export function useBalanceLedger(customerId: string, balance: BalanceKind, enabled = true) {
  return useInfiniteQuery({
    queryKey: balanceKeys.ledger(customerId, balance),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ balance, limit: String(LEDGER_PAGE_SIZE) });
      if (pageParam) params.set('cursor', pageParam);
      return api<{ items: BalanceEntry[]; next: string | null }>(
        'GET',
        `${base(customerId)}/balance-entries?${params}`,
      );
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
    enabled,
  });
}

/** A manager's adjustment, or store credit issued by hand: answers with the balances after it. */
export function useAdjustBalance(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (adjustment: BalanceAdjustment) =>
      api<Balances>('POST', `${base(customerId)}/balance-adjustments`, adjustment),
    onSuccess: (balances, adjustment) => {
      queryClient.setQueryData(balanceKeys.totals(customerId), balances);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: balanceKeys.ledger(customerId, adjustment.balance) }),
        queryClient.invalidateQueries({ queryKey: customerKeys.history(customerId) }),
        // The list's "has a balance" filter may now see them differently.
        queryClient.invalidateQueries({ queryKey: customerKeys.lists() }),
      ]);
    },
  });
}

export function useLoyaltyCards(customerId: string) {
  return useQuery({
    queryKey: balanceKeys.cards(customerId),
    queryFn: () => api<{ items: LoyaltyCard[] }>('GET', `${base(customerId)}/loyalty-cards`),
    select: (data) => data.items,
  });
}

export function useAddLoyaltyCard(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (number: string) => api<LoyaltyCard>('POST', `${base(customerId)}/loyalty-cards`, { number }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: balanceKeys.cards(customerId) }),
        queryClient.invalidateQueries({ queryKey: customerKeys.history(customerId) }),
      ]),
  });
}

export function useDeactivateLoyaltyCard(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (cardId: string) =>
      api<LoyaltyCard>('POST', `${base(customerId)}/loyalty-cards/${encodeURIComponent(cardId)}/deactivate`),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: balanceKeys.cards(customerId) }),
        queryClient.invalidateQueries({ queryKey: customerKeys.history(customerId) }),
      ]),
  });
}

/** Whether the customer has this card (active) — for a typed card number that is not their customer code. */
export async function hasActiveCard(customerId: string, number: string): Promise<boolean> {
  const { items } = await api<{ items: LoyaltyCard[] }>('GET', `${base(customerId)}/loyalty-cards`);
  const typed = number.trim().toLowerCase();
  return items.some((card) => card.active && card.number.toLowerCase() === typed);
}

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CustomerAccount,
  Invoice,
  InvoiceDetail,
  InvoicePaymentCreate,
  InvoicePaymentResult,
  InvoiceStatus,
  InvoiceTotals,
  Statement,
} from '../../features/invoices/invoice.schema.ts';
import { customerKeys } from './customers.ts';
import { api } from './http.ts';

export type { CustomerAccount, Invoice, InvoiceDetail, InvoicePaymentCreate, InvoiceStatus, Statement };
export type InvoiceFilter = InvoiceStatus | 'unpaid' | 'all';

/**
 * Invoices and accounts sit under the customers key: a sale, refund or cancellation invalidates
 * `customerKeys.all`, and every invoice it may have opened, credited or voided is loaded again.
 */
export const invoiceKeys = {
  all: [...customerKeys.all, 'invoices'] as const,
  list: (customerId: string | null, status: InvoiceFilter) =>
    [...invoiceKeys.all, 'list', customerId ?? 'everyone', status] as const,
  totals: () => [...invoiceKeys.all, 'totals'] as const,
  detail: (id: string) => [...invoiceKeys.all, 'detail', id] as const,
  account: (customerId: string) => [...invoiceKeys.all, 'account', customerId] as const,
  statement: (customerId: string, asOf: string | null) =>
    [...invoiceKeys.all, 'statement', customerId, asOf ?? 'today'] as const,
};

const PAGE_SIZE = 25;

/** Invoices newest first: one customer's or everyone's, a page at a time. */
export function useInvoices(customerId: string | null, status: InvoiceFilter) {
  return useInfiniteQuery({
    queryKey: invoiceKeys.list(customerId, status),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (customerId) params.set('customerId', customerId);
      if (status !== 'all') params.set('status', status);
      if (pageParam) params.set('cursor', pageParam);
      return api<{ items: Invoice[]; next: string | null }>('GET', `/invoices?${params}`);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
    // Switching the status filter keeps the table on screen until the new list is in.
    placeholderData: keepPreviousData,
  });
}

/** What the business is owed on account, and how much is overdue. */
export function useInvoiceTotals() {
  return useQuery({
    queryKey: invoiceKeys.totals(),
    queryFn: () => api<InvoiceTotals>('GET', '/invoices/totals'),
  });
}

export function useInvoice(id: string | null) {
  return useQuery({
    queryKey: invoiceKeys.detail(id ?? ''),
    queryFn: () => api<InvoiceDetail>('GET', `/invoices/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
  });
}

export function useCustomerAccount(customerId: string | undefined) {
  return useQuery({
    queryKey: invoiceKeys.account(customerId ?? ''),
    queryFn: () => api<CustomerAccount>('GET', `/customers/${encodeURIComponent(customerId ?? '')}/account`),
    enabled: Boolean(customerId),
  });
}

export function useStatement(customerId: string, asOf: string | null, enabled = true) {
  return useQuery({
    queryKey: invoiceKeys.statement(customerId, asOf),
    queryFn: () =>
      api<Statement>(
        'GET',
        `/customers/${encodeURIComponent(customerId)}/statement${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`,
      ),
    enabled,
  });
}

/** After anything that moves an account: invoices, accounts, ledgers and the list's balance filter. */
function invalidateAccounts(queryClient: ReturnType<typeof useQueryClient>) {
  return queryClient.invalidateQueries({ queryKey: customerKeys.all });
}

export function useSettleInvoices() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (payment: InvoicePaymentCreate) => api<InvoicePaymentResult>('POST', '/invoice-payments', payment),
    onSuccess: () => invalidateAccounts(queryClient),
  });
}

export function useVoidInvoice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api<InvoiceDetail>('POST', `/invoices/${encodeURIComponent(id)}/void`, { reason }),
    onSuccess: () => invalidateAccounts(queryClient),
  });
}

export function useSetCreditLimit(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (creditLimit: number | null) =>
      api<CustomerAccount>('PUT', `/customers/${encodeURIComponent(customerId)}/credit-limit`, { creditLimit }),
    onSuccess: (account) => {
      queryClient.setQueryData(invoiceKeys.account(customerId), account);
      return queryClient.invalidateQueries({ queryKey: customerKeys.history(customerId) });
    },
  });
}

export function useEmailInvoice() {
  return useMutation({
    mutationFn: ({ id, to }: { id: string; to?: string | undefined }) =>
      api<{ to: string }>('POST', `/invoices/${encodeURIComponent(id)}/email`, to ? { to } : {}),
  });
}

export function useEmailStatement(customerId: string) {
  return useMutation({
    mutationFn: ({ to, asOf }: { to?: string | undefined; asOf?: string | null }) =>
      api<{ to: string }>(
        'POST',
        `/customers/${encodeURIComponent(customerId)}/statement/email${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`,
        to ? { to } : {},
      ),
  });
}

/** Where the printable pages are: opened in a new tab, like receipts. */
export const invoiceDocumentUrl = (id: string) => `/api/v1/invoices/${encodeURIComponent(id)}/document`;
export const statementDocumentUrl = (customerId: string, asOf: string | null) =>
  `/api/v1/customers/${encodeURIComponent(customerId)}/statement/document${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`;

import { type QueryClient, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { APPROVAL_HEADER } from '../../features/auth/auth.schema.ts';
import type { Sale, SaleCreate, SaleRefund } from '../../features/sales/sale.schema.ts';
import { customerKeys } from './customers.ts';
import { api } from './http.ts';
import { reportKeys } from './reports.ts';

export const SALES_PAGE_SIZE = 10;

export const saleKeys = {
  all: ['sales'] as const,
  detail: (id: string) => [...saleKeys.all, 'detail', id] as const,
  forCustomer: (customerId: string) => [...saleKeys.all, 'customer', customerId] as const,
};

const path = (id: string) => `/sales/${encodeURIComponent(id)}`;

/** A customer's receipts (sales and refunds), newest first, a page at a time. */
export function useCustomerSales(customerId: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: saleKeys.forCustomer(customerId),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(SALES_PAGE_SIZE) });
      if (pageParam) params.set('cursor', pageParam);
      return api<{ items: Sale[]; next: string | null }>(
        'GET',
        `/customers/${encodeURIComponent(customerId)}/sales?${params}`,
      );
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
    enabled,
  });
}

export function useSale(id: string | null) {
  return useQuery({
    queryKey: saleKeys.detail(id ?? ''),
    queryFn: () => api<Sale>('GET', path(id ?? '')),
    enabled: id !== null,
  });
}

/** Where a receipt opens as a page laid out for printing (with a Print button of its own). */
export function receiptUrl(id: string): string {
  return `/api/v1${path(id)}/receipt`;
}

/**
 * A sale changed: everything that shows it or counts it is out of date — the customer's receipts and
 * statistics (of both customers when it moved), the customer list's totals, and the reports.
 */
function afterSaleChange(queryClient: QueryClient, sale: Sale): Promise<unknown> {
  queryClient.setQueryData(saleKeys.detail(sale.id), sale);
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: saleKeys.all }),
    queryClient.invalidateQueries({ queryKey: customerKeys.all }),
    queryClient.invalidateQueries({ queryKey: reportKeys.all }),
  ]);
}

export interface RecordSale {
  sale: SaleCreate;
  /** The same key for every try of the same sale: the server records it once however often it arrives. */
  idempotencyKey: string;
  /** A manager's approval for this sale (its key), to go past the customer's credit limit. */
  approval?: string | undefined;
}

export function useRecordSale() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ sale, idempotencyKey, approval }: RecordSale) =>
      api<Sale>('POST', '/sales', sale, {
        headers: { 'idempotency-key': idempotencyKey, ...(approval ? { [APPROVAL_HEADER]: approval } : {}) },
      }),
    onSuccess: (sale) => afterSaleChange(queryClient, sale),
  });
}

/** A manager's approval (POST /auth/approvals) rides along as a header, for someone who may not do it alone. */
const approvalHeaders = (approval?: string) => (approval ? { headers: { [APPROVAL_HEADER]: approval } } : {});

export function useCancelSale(id: string, approval?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api<Sale>('POST', `${path(id)}/cancel`, { reason }, approvalHeaders(approval)),
    onSuccess: (sale) => afterSaleChange(queryClient, sale),
  });
}

/** Return items: answers with the refund, a sale of its own. */
export function useRefundSale(id: string, approval?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (refund: SaleRefund) => api<Sale>('POST', `${path(id)}/refund`, refund, approvalHeaders(approval)),
    onSuccess: (refund) => afterSaleChange(queryClient, refund),
  });
}

export function useChangeSaleCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: { customerId: string | null; reason: string }) =>
      api<Sale>('POST', `${path(id)}/customer`, change),
    onSuccess: (sale) => afterSaleChange(queryClient, sale),
  });
}

export function useSaleNote(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (note: string | null) => api<Sale>('PATCH', path(id), { note }),
    onSuccess: (sale) => afterSaleChange(queryClient, sale),
  });
}

/** Email the receipt: to the customer's own address when `to` is left out. Answers with where it went. */
export function useEmailReceipt(id: string) {
  return useMutation({
    mutationFn: (to: string | undefined) => api<{ to: string }>('POST', `${path(id)}/email`, to ? { to } : {}),
  });
}

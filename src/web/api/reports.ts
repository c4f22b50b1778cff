import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { CustomerSalesRow, PRODUCT_SORTS, ProductRow, ReceiptRow } from '../../features/reports/report.schema.ts';
import { api } from './http.ts';

export type ProductSort = (typeof PRODUCT_SORTS)[number];
export type SortDirection = 'asc' | 'desc';
export type ReportName = 'receipts' | 'products' | 'sales-by-customer';

/** What every report can be narrowed to; times are instants, `to` exclusive. */
export interface ReportFilter {
  customerId?: string | undefined;
  storeId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export const RECEIPTS_PAGE_SIZE = 50;
export const SALES_BY_CUSTOMER_LIMIT = 200;

export const reportKeys = {
  all: ['reports'] as const,
  report: (name: ReportName | 'customer-products', params: Record<string, string>) =>
    [...reportKeys.all, name, params] as const,
};

/** The query string of a report: only what is set, so the same filter always reads the same. */
export function reportParams(values: Record<string, string | number | undefined | null>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') params[key] = String(value);
  }
  return params;
}

/**
 * Where the whole report downloads as a CSV file, with the same filter as on screen. A plain link does it: the
 * session cookie goes with a GET, and the server names the file.
 */
export function reportCsvUrl(name: ReportName, params: Record<string, string>): string {
  return `/api/v1/reports/${name}?${new URLSearchParams({ ...params, format: 'csv' })}`;
}

export function useReceiptsReport(filter: ReportFilter) {
  const params = reportParams({ ...filter });
  return useInfiniteQuery({
    queryKey: reportKeys.report('receipts', params),
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ ...params, limit: String(RECEIPTS_PAGE_SIZE) });
      if (pageParam) query.set('cursor', pageParam);
      return api<{ items: ReceiptRow[]; next: string | null }>('GET', `/reports/receipts?${query}`);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: (previous) => previous,
  });
}

export function useProductsReport(filter: ReportFilter & { sort: ProductSort; direction: SortDirection }) {
  const params = reportParams({ ...filter });
  return useQuery({
    queryKey: reportKeys.report('products', params),
    queryFn: () => api<{ items: ProductRow[] }>('GET', `/reports/products?${new URLSearchParams(params)}`),
    select: (data) => data.items,
    placeholderData: (previous) => previous,
  });
}

export function useSalesByCustomerReport(filter: Omit<ReportFilter, 'customerId'> & { q?: string | undefined }) {
  const params = reportParams({ ...filter });
  return useQuery({
    queryKey: reportKeys.report('sales-by-customer', params),
    queryFn: () =>
      api<{ items: CustomerSalesRow[] }>(
        'GET',
        `/reports/sales-by-customer?${new URLSearchParams({ ...params, limit: String(SALES_BY_CUSTOMER_LIMIT) })}`,
      ),
    select: (data) => data.items,
    placeholderData: (previous) => previous,
  });
}

/** What one customer bought: quantity, value, cost and margin of each product. */
export function useCustomerProducts(
  customerId: string,
  filter: { from?: string | undefined; to?: string | undefined; sort: ProductSort; direction: SortDirection },
) {
  const params = reportParams({ ...filter });
  return useQuery({
    queryKey: reportKeys.report('customer-products', { customerId, ...params }),
    queryFn: () =>
      api<{ items: ProductRow[] }>(
        'GET',
        `/customers/${encodeURIComponent(customerId)}/products?${new URLSearchParams(params)}`,
      ),
    select: (data) => data.items,
    placeholderData: (previous) => previous,
  });
}

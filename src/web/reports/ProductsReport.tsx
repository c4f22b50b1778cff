import type { ReportFilter } from '../api/reports.ts';
import { useProductsReport } from '../api/reports.ts';
import { plural } from '../lib/format.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { ProductSalesTable, type ProductSortState } from './ProductSalesTable.tsx';
import { ReportCount, ReportEmpty, ReportSkeleton } from './report-parts.tsx';

interface ProductsReportProps extends ProductSortState {
  filter: ReportFilter;
  filtered: boolean;
  onSort(next: ProductSortState): void;
}

/** Quantity, value, cost and margin of each product sold, less returns. */
export function ProductsReport({ filter, filtered, sort, direction, onSort }: ProductsReportProps) {
  const report = useProductsReport({ ...filter, sort, direction });
  if (report.isError) {
    return (
      <div style={{ padding: 'var(--mantine-spacing-md)' }}>
        <LoadError error={report.error} onRetry={() => report.refetch()} what="the products report" />
      </div>
    );
  }
  if (report.isPending) return <ReportSkeleton />;
  if (report.data.length === 0 && !report.isPlaceholderData) return <ReportEmpty filtered={filtered} what="sales" />;
  return (
    <div style={{ opacity: report.isPlaceholderData ? 0.6 : 1 }}>
      <ReportCount>{plural(report.data.length, 'product')}</ReportCount>
      <ProductSalesTable rows={report.data} sort={sort} direction={direction} onSort={onSort} label="Products sold" />
    </div>
  );
}

import { Center, Loader, Skeleton, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useCustomerProducts } from '../api/reports.ts';
import { useSettings } from '../api/settings.ts';
import { dayRange } from '../lib/dates.ts';
import { ProductSalesTable, type ProductSortState } from '../reports/ProductSalesTable.tsx';
import { DateRangeInput } from '../ui/DateRangeInput.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { Section } from '../ui/Section.tsx';

/** What the customer bought, product by product, less what they brought back; any time range, any order. */
export function CustomerProducts({ customerId }: { customerId: string }) {
  const settings = useSettings();
  const timeZone = settings.data?.timeZone ?? 'UTC';
  const [range, setRange] = useState<{ from: string | null; to: string | null }>({ from: null, to: null });
  const [order, setOrder] = useState<ProductSortState>({ sort: 'value', direction: 'desc' });
  const products = useCustomerProducts(customerId, { ...dayRange(range.from, range.to, timeZone), ...order });
  const filtered = Boolean(range.from || range.to);

  return (
    <Section
      title="Products"
      description="What they bought, less returns."
      actions={
        // No dates to pick from for a customer who never bought anything.
        filtered || (products.data && products.data.length > 0) ? (
          <DateRangeInput
            from={range.from}
            to={range.to}
            onChange={(from, to) => setRange({ from, to })}
            timeZone={timeZone}
            label="Bought"
            w={262}
          />
        ) : null
      }
    >
      {products.isPending ? (
        <Stack gap="sm">
          <Skeleton h={18} />
          <Skeleton h={18} />
        </Stack>
      ) : products.isError ? (
        <LoadError error={products.error} onRetry={() => products.refetch()} what="the products" />
      ) : products.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {filtered ? 'Nothing bought in these dates.' : 'Nothing bought yet.'}
        </Text>
      ) : (
        <div style={{ position: 'relative' }}>
          <ProductSalesTable
            rows={products.data}
            sort={order.sort}
            direction={order.direction}
            onSort={setOrder}
            label="Products bought"
          />
          {products.isPlaceholderData ? (
            <Center pos="absolute" inset={0} bg="rgba(255,255,255,0.5)">
              <Loader size="sm" />
            </Center>
          ) : null}
        </div>
      )}
    </Section>
  );
}

import { useQuery } from '@tanstack/react-query';
import type { Product } from '../../features/products/product.schema.ts';
import { api } from './http.ts';

export const productKeys = {
  all: ['products'] as const,
  search: (q: string) => [...productKeys.all, 'search', q] as const,
};

const LIMIT = 24;

export function fetchProducts(q: string): Promise<Product[]> {
  const params = new URLSearchParams({ active: 'true', limit: String(LIMIT) });
  if (q) params.set('q', q);
  return api<{ items: Product[] }>('GET', `/products?${params}`).then((page) => page.items);
}

/** Active products by exact SKU or the start of a word of the name, A to Z; the first of them with no search. */
export function useProductSearch(q: string) {
  return useQuery({
    queryKey: productKeys.search(q),
    queryFn: () => fetchProducts(q),
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
}

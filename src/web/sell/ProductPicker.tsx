import {
  Badge,
  Center,
  EmptyState,
  Kbd,
  Loader,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBarcode, IconPackage, IconSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type Ref, useRef, useState } from 'react';
import type { Product } from '../../features/products/product.schema.ts';
import { messageOf } from '../api/http.ts';
import { fetchProducts, productKeys, useProductSearch } from '../api/products.ts';
import { formatQuantity } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';

interface ProductPickerProps {
  onAdd(product: Product): void;
  /** How many of each product the cart holds, by product id. */
  inCart: Map<string, number>;
  inputRef?: Ref<HTMLInputElement>;
}

/**
 * Products as large buttons, narrowed as one types. Enter (or a barcode scanner, which types and presses Enter)
 * adds the product with that exact SKU, or the only one that matches.
 */
export function ProductPicker({ onAdd, inCart, inputRef }: ProductPickerProps) {
  const money = useMoney();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  // What the box holds now, for answers that arrive after more was typed.
  const latest = useRef(text);
  latest.current = text;
  const [notice, setNotice] = useState<string | null>(null);
  const typed = text.trim();
  const [debounced] = useDebouncedValue(typed, 150);
  const products = useProductSearch(debounced);
  const settled = products.isSuccess && !products.isPlaceholderData && debounced === typed;

  function add(product: Product) {
    onAdd(product);
    setText('');
    setNotice(null);
  }

  /**
   * Enter: look the text up now, not when the typing settles. A scanner may send the next code before this
   * answer arrives: only what was looked up is cleared, never what came after it.
   */
  async function addTyped() {
    const looked = typed;
    if (!looked) return;
    const stillTyped = () => latest.current.trim() === looked;
    try {
      const found = await queryClient.fetchQuery({
        queryKey: productKeys.search(looked),
        queryFn: () => fetchProducts(looked),
        staleTime: 60_000,
      });
      const exact = found.find((product) => product.sku.toLowerCase() === looked.toLowerCase());
      const product = exact ?? (found.length === 1 ? found[0] : undefined);
      if (product) {
        onAdd(product);
        if (stillTyped()) {
          latest.current = '';
          setText('');
        }
        return;
      }
      if (stillTyped()) {
        setNotice(
          found.length === 0
            ? `No product has the SKU or name “${looked}”`
            : `${found.length} products match: choose one below`,
        );
      }
    } catch (error) {
      setNotice(messageOf(error));
    }
  }

  return (
    <Stack gap="md">
      <TextInput
        ref={inputRef}
        label="Products"
        placeholder="Search by name or SKU, or scan a barcode"
        size="md"
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          setNotice(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            void addTyped();
          }
          if (event.key === 'Escape' && text) setText('');
        }}
        error={notice}
        leftSection={<IconSearch size={18} stroke={1.6} />}
        rightSectionWidth={44}
        rightSection={
          products.isFetching && typed ? (
            <Loader size={16} />
          ) : (
            <Kbd size="xs" visibleFrom="sm" title="Press / to search products">
              /
            </Kbd>
          )
        }
        autoComplete="off"
        spellCheck={false}
        autoFocus
        type="search"
      />

      {products.isError ? (
        <LoadError error={products.error} onRetry={() => products.refetch()} what="products" />
      ) : products.isPending ? (
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
          {Array.from({ length: 6 }, (_, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <Skeleton key={index} h={92} />
          ))}
        </SimpleGrid>
      ) : products.data.length === 0 && settled ? (
        <Center py="xl">
          <EmptyState
            icon={typed ? <IconBarcode size={28} stroke={1.5} /> : <IconPackage size={28} stroke={1.5} />}
            withIndicatorBackground
            title={typed ? `No product matches “${typed}”` : 'No products yet'}
            description={
              typed
                ? 'Search by the start of a word of the name, or the whole SKU.'
                : 'Products come from your point of sale or the API. Once there, they can be sold here.'
            }
          />
        </Center>
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
          {products.data.map((product) => {
            const count = inCart.get(product.id);
            return (
              <UnstyledButton
                key={product.id}
                className="product-tile"
                onClick={() => add(product)}
                aria-label={`Add ${product.name}`}
                pos="relative"
              >
                <Text size="sm" fw={600} lh={1.3} className="clamp-2" pr={count ? 28 : 0}>
                  {product.name}
                </Text>
                <div>
                  <Text size="xs" c="dimmed" ff="monospace" className="truncate">
                    {product.sku}
                  </Text>
                  <Text size="sm" fw={700} className="tabular">
                    {money.format(product.price)}
                  </Text>
                </div>
                {count ? (
                  <Badge
                    size="sm"
                    circle={count < 10}
                    pos="absolute"
                    top={8}
                    right={8}
                    aria-label={`${count} in the sale`}
                  >
                    {formatQuantity(count)}
                  </Badge>
                ) : null}
              </UnstyledButton>
            );
          })}
        </SimpleGrid>
      )}
    </Stack>
  );
}

import { ActionIcon, Button, Center, Group, NumberInput, Stack, Text } from '@mantine/core';
import { IconMinus, IconPlus, IconShoppingCart, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { lineTotal } from '../../features/sales/sale.rules.ts';
import { useMoney } from '../lib/money.ts';
import { type CartLine, type GroupDiscount, groupDiscountLabel, lineDiscount } from './cart.ts';

interface CartLinesProps {
  lines: CartLine[];
  /** The group discount the sale gives: each line shows what it takes off. */
  discount?: GroupDiscount | null;
  onQuantity(productId: string, quantity: number): void;
  onRemove(productId: string): void;
}

/** The lines of the sale, the last added on top: how many (with − and +), what each line comes to. */
export function CartLines({ lines, discount = null, onQuantity, onRemove }: CartLinesProps) {
  const money = useMoney();
  if (lines.length === 0) {
    return (
      <Center py={40}>
        <Stack align="center" gap={6}>
          <IconShoppingCart size={28} stroke={1.4} color="var(--mantine-color-gray-5)" />
          <Text size="sm" c="dimmed" ta="center">
            Nothing in the sale yet.
            <br />
            Tap a product or scan its barcode.
          </Text>
        </Stack>
      </Center>
    );
  }
  return (
    <Stack gap={0} role="list" aria-label="Sale lines">
      {lines.map((line) => {
        const off = lineDiscount(line, discount?.percent ?? 0);
        const { gross, total } = lineTotal({ ...line, discount: off, tax: 0 });
        return (
          <Stack
            key={line.productId}
            role="listitem"
            aria-label={line.name}
            gap={6}
            py={10}
            style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
          >
            <Group gap="sm" wrap="nowrap" align="flex-start" justify="space-between">
              <Text size="sm" fw={600} lh={1.35} style={{ overflowWrap: 'anywhere' }}>
                {line.name}
              </Text>
              <Stack gap={0} align="flex-end">
                <Text size="sm" fw={650} className="num">
                  {money.format(total)}
                </Text>
                {off > 0 && discount ? (
                  <Text size="xs" c="teal.8" className="num" title={groupDiscountLabel(discount)}>
                    <Text span inherit c="dimmed" td="line-through" aria-label="Before the discount">
                      {money.format(gross)}
                    </Text>{' '}
                    −{money.format(off)}
                  </Text>
                ) : null}
              </Stack>
            </Group>
            <Group gap="sm" wrap="nowrap" justify="space-between">
              <Group gap={2} wrap="nowrap">
                <ActionIcon
                  variant="default"
                  size={30}
                  onClick={() => onQuantity(line.productId, line.quantity - 1)}
                  disabled={line.quantity <= 1}
                  aria-label={`One fewer ${line.name}`}
                >
                  <IconMinus size={14} />
                </ActionIcon>
                <QuantityInput line={line} onQuantity={onQuantity} />
                <ActionIcon
                  variant="default"
                  size={30}
                  onClick={() => onQuantity(line.productId, line.quantity + 1)}
                  aria-label={`One more ${line.name}`}
                >
                  <IconPlus size={14} />
                </ActionIcon>
                <Text size="xs" c="dimmed" className="tabular" ml={8}>
                  × {money.format(line.unitPrice)}
                </Text>
              </Group>
              <Button
                variant="subtle"
                color="gray"
                size="compact-xs"
                leftSection={<IconX size={12} />}
                onClick={() => onRemove(line.productId)}
                aria-label={`Remove ${line.name}`}
              >
                Remove
              </Button>
            </Group>
          </Stack>
        );
      })}
    </Stack>
  );
}

/**
 * A line's quantity as typed. Only a quantity above zero changes the sale; anything else (0, an emptied field)
 * is put back to what the sale charges when the cashier leaves the field, so the field never shows one
 * quantity while the total charges another. Removing a line is the Remove button's.
 */
function QuantityInput({
  line,
  onQuantity,
}: {
  line: CartLine;
  onQuantity(productId: string, quantity: number): void;
}) {
  const [typed, setTyped] = useState<string | number>(line.quantity);
  useEffect(() => setTyped(line.quantity), [line.quantity]);
  return (
    <NumberInput
      aria-label={`Quantity of ${line.name}`}
      value={typed}
      onChange={(value) => {
        setTyped(value);
        if (typeof value === 'number' && value > 0) onQuantity(line.productId, value);
      }}
      onBlur={() => setTyped(line.quantity)}
      min={0}
      decimalScale={3}
      allowNegative={false}
      hideControls
      selectAllOnFocus
      w={52}
      size="xs"
      styles={{ input: { textAlign: 'center', fontVariantNumeric: 'tabular-nums', height: 30 } }}
    />
  );
}

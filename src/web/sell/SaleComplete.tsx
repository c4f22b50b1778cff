import { Anchor, Button, Container, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconMail, IconPlus, IconPrinter } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { receiptUrl } from '../api/sales.ts';
import { useCan } from '../auth/session.tsx';
import { formatStoreDateTime } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { EmailReceiptModal } from '../sales/EmailReceiptModal.tsx';
import { ReceiptLines } from '../sales/ReceiptLines.tsx';
import { paymentMethodsText } from '../sales/sale-format.ts';
import { CustomerBalanceLine } from './CustomerBalanceLine.tsx';

interface SaleCompleteProps {
  sale: Sale;
  /** Cash handed back. */
  change: number;
  /** Whether the sale's customer is in the loyalty program (the sale names the customer, not that). */
  loyaltyOptIn?: boolean;
  onNewSale(): void;
}

/** Done: the change to hand back first (it is what the cashier needs now), then the receipt and what to do with it. */
export function SaleComplete({ sale, change, loyaltyOptIn = false, onNewSale }: SaleCompleteProps) {
  const money = useMoney();
  const [emailing, setEmailing] = useState(false);
  const canEmail = useCan('sales:write');
  const paidBy = paymentMethodsText(sale.payments.map((payment) => payment.method));

  return (
    <Container size={560} px={0}>
      <Stack gap="lg">
        <Paper p="xl" component="section" aria-label="Sale complete">
          <Stack align="center" gap="xs" ta="center">
            <ThemeIcon size={56} radius="xl" color="teal" variant="light">
              <IconCheck size={32} />
            </ThemeIcon>
            <Title order={1} fz={26}>
              Sale complete
            </Title>
            {change > 0 ? (
              <>
                <Text size="sm" c="dimmed" mt="xs">
                  Change due
                </Text>
                <Text fz={40} fw={750} lh={1.1} className="tabular" aria-label="Change due">
                  {money.format(change)}
                </Text>
              </>
            ) : null}
            <Text c="dimmed" size="sm">
              {money.format(sale.total)}
              {paidBy ? ` paid by ${paidBy.toLowerCase()}` : ''} ·{' '}
              <Text span ff="monospace" inherit>
                {sale.receiptRef}
              </Text>
            </Text>
            {sale.customer ? (
              <Text size="sm">
                For{' '}
                <Anchor component={Link} to={`/customers/${sale.customer.id}`} fw={600} inherit>
                  {sale.customer.name}
                </Anchor>
              </Text>
            ) : null}
            {sale.customer ? (
              <CustomerBalanceLine customerId={sale.customer.id} loyaltyOptIn={loyaltyOptIn} lead="Now has" />
            ) : null}
            <Group gap="sm" mt="md" justify="center">
              <Button
                component="a"
                href={receiptUrl(sale.id)}
                target="_blank"
                rel="noopener"
                variant="default"
                leftSection={<IconPrinter size={16} />}
              >
                Print receipt
              </Button>
              {canEmail ? (
                <Button variant="default" leftSection={<IconMail size={16} />} onClick={() => setEmailing(true)}>
                  Email receipt
                </Button>
              ) : null}
              <Button leftSection={<IconPlus size={16} />} onClick={onNewSale} autoFocus>
                New sale
              </Button>
            </Group>
          </Stack>
        </Paper>

        <Paper p="lg" component="section" aria-label="Receipt">
          <Group justify="space-between" mb="sm">
            <Text fw={650}>Receipt</Text>
            <Text size="sm" c="dimmed">
              {sale.store.name} · {formatStoreDateTime(sale.soldAt, sale.store.timeZone)}
            </Text>
          </Group>
          <ReceiptLines sale={sale} change={change} />
        </Paper>
      </Stack>
      <EmailReceiptModal sale={sale} opened={emailing} onClose={() => setEmailing(false)} />
    </Container>
  );
}

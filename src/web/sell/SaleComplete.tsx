import { Anchor, Badge, Button, Container, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconDiscount, IconFileInvoice, IconMail, IconPlus, IconPrinter } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { invoiceDocumentUrl, useInvoice } from '../api/invoices.ts';
import { receiptUrl } from '../api/sales.ts';
import { useCan } from '../auth/session.tsx';
import { formatDate, formatStoreDateTime } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { EmailReceiptModal } from '../sales/EmailReceiptModal.tsx';
import { ReceiptLines } from '../sales/ReceiptLines.tsx';
import { paymentMethodsText } from '../sales/sale-format.ts';
import { CustomerBalanceLine } from './CustomerBalanceLine.tsx';
import { groupDiscountLabel } from './cart.ts';

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
  const onAccount = onAccountAmount(sale);
  // What was paid now, by which means; what went on account is the invoice's, said below.
  const paidBy = paymentMethodsText(
    sale.payments.filter((payment) => payment.method !== 'on_account').map((payment) => payment.method),
  );
  const paidText =
    onAccount === 0
      ? `${money.format(sale.total)}${paidBy ? ` paid by ${paidBy.toLowerCase()}` : ''}`
      : onAccount < sale.total
        ? `${money.format(sale.total)}: ${money.format(sale.total - onAccount)} paid by ${paidBy.toLowerCase()}, ${money.format(onAccount)} on account`
        : `${money.format(sale.total)} on account`;

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
              {paidText} ·{' '}
              <Text span ff="monospace" inherit style={{ whiteSpace: 'nowrap' }}>
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
            {sale.groupDiscount ? (
              <Badge
                size="lg"
                variant="light"
                color="teal"
                radius="sm"
                tt="none"
                leftSection={<IconDiscount size={16} />}
                className="tabular"
              >
                {groupDiscountLabel(sale.groupDiscount)}: −{money.format(sale.discountTotal)}
              </Badge>
            ) : null}
            {sale.invoice ? <InvoiceLine sale={sale} invoice={sale.invoice} /> : null}
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
              {sale.invoice ? (
                <Button
                  component="a"
                  href={invoiceDocumentUrl(sale.invoice.id)}
                  target="_blank"
                  rel="noopener"
                  variant="default"
                  leftSection={<IconFileInvoice size={16} />}
                >
                  Print invoice
                </Button>
              ) : null}
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

/** What went on account, on which invoice, and when it is due: what the customer is told at the counter. */
function InvoiceLine({ sale, invoice }: { sale: Sale; invoice: { id: string; reference: string } }) {
  const money = useMoney();
  const detail = useInvoice(invoice.id);
  const onAccount = onAccountAmount(sale);
  return (
    <Paper p="sm" bg="orange.0" withBorder={false} role="group" aria-label="Invoice" w="100%">
      <Group gap="xs" justify="center" wrap="wrap">
        <IconFileInvoice size={18} stroke={1.7} color="var(--mantine-color-orange-8)" />
        <Text size="sm">
          {money.format(onAccount)} on account · invoice{' '}
          <Text span inherit fw={700} ff="monospace">
            {invoice.reference}
          </Text>
          {detail.data ? ` · due ${formatDate(`${detail.data.dueOn}T12:00:00`)}` : ''}
        </Text>
      </Group>
    </Paper>
  );
}

function onAccountAmount(sale: Pick<Sale, 'payments'>): number {
  return sale.payments.reduce((sum, payment) => (payment.method === 'on_account' ? sum + payment.amount : sum), 0);
}

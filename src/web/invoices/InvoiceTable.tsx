import { ActionIcon, Anchor, Button, Group, Menu, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconBan, IconCash, IconDots, IconMailForward, IconPrinter, IconReceipt } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Invoice } from '../api/invoices.ts';
import { invoiceDocumentUrl } from '../api/invoices.ts';
import type { Money } from '../lib/money.ts';
import { InvoiceStatusBadge } from './InvoiceStatusBadge.tsx';
import { dueText, formatDay } from './invoice-format.ts';

export interface InvoiceActions {
  onSettle?: ((invoice: Invoice) => void) | undefined;
  onVoid?: ((invoice: Invoice) => void) | undefined;
  onEmail?: ((invoice: Invoice) => void) | undefined;
  onOpenSale?: ((saleId: string) => void) | undefined;
}

interface InvoiceTableProps extends InvoiceActions {
  invoices: Invoice[];
  money: Money;
  /** Today in the business's time zone, to say when an open invoice is due. */
  today: string;
  /** The merchant-wide list names each invoice's customer. */
  showCustomer?: boolean;
}

/** Invoices with what is open on each and when it is due; each row's menu settles, voids, prints or emails it. */
export function InvoiceTable({
  invoices,
  money,
  today,
  showCustomer = false,
  onSettle,
  onVoid,
  onEmail,
  onOpenSale,
}: InvoiceTableProps) {
  return (
    <Table.ScrollContainer minWidth={showCustomer ? 760 : 520}>
      <Table verticalSpacing="xs" highlightOnHover aria-label="Invoices">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Invoice</Table.Th>
            {showCustomer ? <Table.Th>Customer</Table.Th> : null}
            <Table.Th>Due</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th ta="right">Open</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th w={44}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invoices.map((invoice) => {
            const open = invoice.openAmount > 0 && invoice.status !== 'void';
            return (
              <Table.Tr key={invoice.id} data-invoice={invoice.reference}>
                <Table.Td>
                  <Stack gap={0}>
                    <Text size="sm" fw={600} ff="monospace">
                      {invoice.reference}
                    </Text>
                    <Text size="xs" c="dimmed">
                      Issued {formatDay(invoice.issuedOn)}
                    </Text>
                  </Stack>
                </Table.Td>
                {showCustomer ? (
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${invoice.customer.id}`} size="sm">
                      {invoice.customer.name}
                    </Anchor>
                  </Table.Td>
                ) : null}
                <Table.Td>
                  <Text size="sm">{formatDay(invoice.dueOn)}</Text>
                  {open ? (
                    <Text size="xs" c={invoice.daysOverdue > 0 ? 'red' : 'dimmed'}>
                      {dueText(invoice, today)}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td ta="right" className="tabular">
                  <Text size="sm">{money.format(invoice.amount)}</Text>
                </Table.Td>
                <Table.Td ta="right" className="tabular">
                  <Text size="sm" fw={open ? 650 : 400} c={open ? undefined : 'dimmed'}>
                    {money.format(invoice.openAmount)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <InvoiceStatusBadge status={invoice.status} />
                </Table.Td>
                <Table.Td>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${invoice.reference}`}>
                        <IconDots size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      {open && onSettle ? (
                        <Menu.Item leftSection={<IconCash size={14} />} onClick={() => onSettle(invoice)}>
                          Take a payment
                        </Menu.Item>
                      ) : null}
                      <Menu.Item
                        leftSection={<IconPrinter size={14} />}
                        component="a"
                        href={invoiceDocumentUrl(invoice.id)}
                        target="_blank"
                        rel="noopener"
                      >
                        View and print
                      </Menu.Item>
                      {onEmail ? (
                        <Menu.Item leftSection={<IconMailForward size={14} />} onClick={() => onEmail(invoice)}>
                          Email invoice
                        </Menu.Item>
                      ) : null}
                      {onOpenSale ? (
                        <Menu.Item leftSection={<IconReceipt size={14} />} onClick={() => onOpenSale(invoice.saleId)}>
                          Open the receipt
                        </Menu.Item>
                      ) : null}
                      {open && onVoid ? (
                        <>
                          <Menu.Divider />
                          <Menu.Item color="red" leftSection={<IconBan size={14} />} onClick={() => onVoid(invoice)}>
                            Void invoice
                          </Menu.Item>
                        </>
                      ) : null}
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** "Show more" under a paged list. */
export function MoreInvoices({ hasMore, loading, onMore }: { hasMore: boolean; loading: boolean; onMore(): void }) {
  if (!hasMore) return null;
  return (
    <Group justify="center" mt="sm">
      <Button variant="subtle" size="xs" loading={loading} onClick={onMore}>
        Show more invoices
      </Button>
    </Group>
  );
}

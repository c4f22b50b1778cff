import {
  Alert,
  Anchor,
  Button,
  DataList,
  Divider,
  Drawer,
  Group,
  Menu,
  Skeleton,
  Stack,
  Text,
  Textarea,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowsExchange,
  IconChevronDown,
  IconMail,
  IconPencil,
  IconPrinter,
  IconReceiptOff,
  IconReceiptRefund,
  IconUserMinus,
  IconUserPlus,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Sale } from '../../features/sales/sale.schema.ts';
import { isNotFound, messageOf } from '../api/http.ts';
import { receiptUrl, useSale, useSaleNote } from '../api/sales.ts';
import { ApprovalModal } from '../auth/ApprovalModal.tsx';
import { useSession } from '../auth/session.tsx';
import { formatStoreDateTime } from '../lib/format.ts';
import { useMoney } from '../lib/money.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { Value } from '../ui/Value.tsx';
import { CancelSaleModal } from './CancelSaleModal.tsx';
import { ChangeCustomerModal, type CustomerChange } from './ChangeCustomerModal.tsx';
import { EmailReceiptModal } from './EmailReceiptModal.tsx';
import { ReceiptLines } from './ReceiptLines.tsx';
import { RefundModal } from './RefundModal.tsx';
import { SaleStatusBadge } from './SaleStatusBadge.tsx';
import { CHANNEL_LABELS, isDeletedCustomer, returnedByLine } from './sale-format.ts';

/**
 * The receipt open on a page, held in the address (`?sale=…`): a link to it opens it, and reloading keeps it
 * open.
 */
export function useOpenSale() {
  const [params, setParams] = useSearchParams();
  const saleId = params.get('sale');
  function change(id: string | null) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (id) next.set('sale', id);
        else next.delete('sale');
        return next;
      },
      { replace: true },
    );
  }
  return { saleId, open: (id: string) => change(id), close: () => change(null) };
}

interface SaleDrawerProps {
  saleId: string | null;
  onClose(): void;
  onOpenSale(id: string): void;
  /** Receipts already loaded that may hold this sale's refunds (a customer's, newest first). */
  related?: Sale[];
}

/** A receipt in full beside the page it was opened from, with what may be done about it. */
export function SaleDrawer({ saleId, onClose, onOpenSale, related = [] }: SaleDrawerProps) {
  const sale = useSale(saleId);
  const title = sale.data ? `${sale.data.kind === 'refund' ? 'Refund' : 'Receipt'} ${sale.data.receiptRef}` : 'Receipt';
  return (
    <Drawer
      opened={saleId !== null}
      onClose={onClose}
      position="right"
      size={600}
      title={title}
      styles={{ title: { fontSize: 'var(--mantine-font-size-lg)', fontWeight: 650, overflowWrap: 'anywhere' } }}
    >
      {saleId === null ? null : sale.isPending ? (
        <Stack gap="sm" aria-busy="true" aria-label="Loading the receipt">
          <Skeleton h={22} w="40%" />
          <Skeleton h={120} />
          <Skeleton h={160} />
        </Stack>
      ) : sale.isError ? (
        isNotFound(sale.error) ? (
          <Text c="dimmed">This receipt does not exist.</Text>
        ) : (
          <LoadError error={sale.error} onRetry={() => sale.refetch()} what="the receipt" />
        )
      ) : (
        <SaleDetails sale={sale.data} related={related} onOpenSale={onOpenSale} />
      )}
    </Drawer>
  );
}

function SaleDetails({ sale, related, onOpenSale }: { sale: Sale; related: Sale[]; onOpenSale(id: string): void }) {
  const money = useMoney();
  const { can } = useSession();
  const canWrite = can('sales:write');
  // Money going back out of the till (a refund, a cancelled sale) is a manager's: a cashier asks one to approve it.
  const canCancel = can('sales:cancel');
  const needsApproval = !canCancel && canWrite;
  const [dialog, setDialog] = useState<'email' | 'cancel' | 'refund' | null>(null);
  const [asking, setAsking] = useState<'cancel' | 'refund' | null>(null);
  const [approval, setApproval] = useState<string | undefined>(undefined);
  const closeDialog = () => {
    setDialog(null);
    setApproval(undefined);
  };
  const open = (which: 'cancel' | 'refund') => (needsApproval ? setAsking(which) : setDialog(which));
  const [customerChange, setCustomerChange] = useState<CustomerChange | null>(null);
  const refunds = related.filter((other) => other.refundOf === sale.id);
  const liveRefunds = refunds.filter((other) => other.status !== 'cancelled');
  const returned = returnedByLine(sale, related);
  const fullyReturned = sale.lines.every((line) => (returned.get(line.lineNo) ?? 0) >= line.quantity);
  const cancelled = sale.status === 'cancelled';
  const isRefund = sale.kind === 'refund';
  const canRefund =
    (canCancel || needsApproval) && !isRefund && !cancelled && sale.status !== 'refunded' && !fullyReturned;
  const when = (iso: string) => formatStoreDateTime(iso, sale.store.timeZone);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4}>
          <SaleStatusBadge sale={sale} partlyRefunded={liveRefunds.length > 0} />
          <Text
            size="xl"
            fw={700}
            className="tabular"
            td={cancelled ? 'line-through' : undefined}
            c={cancelled ? 'dimmed' : undefined}
          >
            {money.format(sale.total)}
          </Text>
        </Stack>
        <Group gap="xs">
          <Button
            component="a"
            href={receiptUrl(sale.id)}
            target="_blank"
            rel="noopener"
            variant="default"
            leftSection={<IconPrinter size={16} />}
          >
            Print
          </Button>
          {canWrite ? (
            <>
              <Button variant="default" leftSection={<IconMail size={16} />} onClick={() => setDialog('email')}>
                Email
              </Button>
              <Menu position="bottom-end" width={250}>
                <Menu.Target>
                  <Button variant="default" rightSection={<IconChevronDown size={14} />}>
                    More
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {canRefund ? (
                    <Menu.Item leftSection={<IconReceiptRefund size={16} />} onClick={() => open('refund')}>
                      Refund items
                      {needsApproval ? <ManagerHint /> : null}
                    </Menu.Item>
                  ) : null}
                  {isRefund ? null : (
                    <Menu.Item
                      leftSection={sale.customer ? <IconArrowsExchange size={16} /> : <IconUserPlus size={16} />}
                      onClick={() => setCustomerChange('move')}
                    >
                      {sale.customer ? 'Move to another customer' : 'Attach to a customer'}
                    </Menu.Item>
                  )}
                  {!isRefund && sale.customer ? (
                    <Menu.Item leftSection={<IconUserMinus size={16} />} onClick={() => setCustomerChange('detach')}>
                      Remove the customer
                    </Menu.Item>
                  ) : null}
                  {cancelled || !(canCancel || needsApproval) ? null : (
                    <>
                      <Menu.Divider />
                      <Menu.Item
                        color="red"
                        leftSection={<IconReceiptOff size={16} />}
                        onClick={() => open('cancel')}
                        disabled={liveRefunds.length > 0}
                      >
                        Cancel {isRefund ? 'refund' : 'sale'}
                        {liveRefunds.length > 0 ? (
                          <Text size="xs" c="dimmed">
                            Cancel its refunds first
                          </Text>
                        ) : needsApproval ? (
                          <ManagerHint />
                        ) : null}
                      </Menu.Item>
                    </>
                  )}
                </Menu.Dropdown>
              </Menu>
            </>
          ) : null}
        </Group>
      </Group>

      {cancelled ? (
        <Alert
          color="red"
          variant="light"
          icon={<IconReceiptOff />}
          title={`Cancelled ${isRefund ? 'refund' : 'sale'}`}
        >
          <Text size="sm">
            {sale.cancelledBy ? `${sale.cancelledBy} cancelled it` : 'Cancelled'}
            {sale.cancelledAt ? ` on ${when(sale.cancelledAt)}` : ''}. It no longer counts in statistics or reports.
          </Text>
          {sale.cancelReason ? (
            <Text size="sm" mt={4} className="pre-wrap">
              Reason: {sale.cancelReason}
            </Text>
          ) : null}
        </Alert>
      ) : null}

      <DataList labelWidth={120} size="sm" gap={6}>
        <Item label="Date">
          <time dateTime={sale.soldAt}>{when(sale.soldAt)}</time>
        </Item>
        <Item label="Store">
          {sale.store.name}
          {sale.register ? ` · ${sale.register}` : ''} · {CHANNEL_LABELS[sale.channel]}
        </Item>
        <Item label="Customer">
          {sale.customer && isDeletedCustomer(sale.customer) ? (
            <Text span inherit c="dimmed">
              Deleted customer
            </Text>
          ) : sale.customer ? (
            <Anchor component={Link} to={`/customers/${sale.customer.id}`} inherit>
              {sale.customer.name}
            </Anchor>
          ) : (
            <Text span inherit c="dimmed">
              No customer
            </Text>
          )}
        </Item>
        {isRefund && sale.refundOf ? (
          <Item label="Refund of">
            <OriginalLink saleId={sale.refundOf} onOpenSale={onOpenSale} />
          </Item>
        ) : null}
        <Item label="Recorded by">
          {sale.createdBy}
          {sale.createdAt.slice(0, 16) !== sale.soldAt.slice(0, 16) ? (
            <Text span inherit c="dimmed">
              {' '}
              on {when(sale.createdAt)}
            </Text>
          ) : null}
        </Item>
      </DataList>

      <Divider />
      <ReceiptLines sale={sale} />

      {refunds.length > 0 ? (
        <Stack gap={6}>
          <Text size="sm" fw={650}>
            Refunds
          </Text>
          {refunds.map((refund) => (
            <UnstyledButton
              key={refund.id}
              onClick={() => onOpenSale(refund.id)}
              aria-label={`Open refund ${refund.receiptRef}`}
              p={8}
              style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-md)' }}
            >
              <Group justify="space-between" wrap="nowrap" gap="sm">
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} ff="monospace" truncate>
                    {refund.receiptRef}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatStoreDateTime(refund.soldAt, refund.store.timeZone)}
                  </Text>
                </div>
                <Group gap="sm" wrap="nowrap">
                  <SaleStatusBadge sale={refund} />
                  <Text size="sm" fw={600} className="num">
                    {money.format(refund.total)}
                  </Text>
                </Group>
              </Group>
            </UnstyledButton>
          ))}
        </Stack>
      ) : null}

      <SaleNote sale={sale} canWrite={canWrite} />

      <EmailReceiptModal sale={sale} opened={dialog === 'email'} onClose={() => setDialog(null)} />
      <ApprovalModal
        opened={asking !== null}
        permission="sales:cancel"
        recordId={sale.id}
        what={asking === 'refund' ? 'refunding items' : `cancelling a ${isRefund ? 'refund' : 'sale'}`}
        onClose={() => setAsking(null)}
        onApproved={(given) => {
          notifications.show({
            color: 'teal',
            title: 'Approved',
            message: `${given.approvedBy.name} approved it: go ahead within two minutes.`,
          });
          setApproval(given.approval);
          setDialog(asking);
          setAsking(null);
        }}
      />
      <CancelSaleModal sale={sale} opened={dialog === 'cancel'} onClose={closeDialog} approval={approval} />
      <RefundModal
        sale={sale}
        related={related}
        opened={dialog === 'refund'}
        onClose={closeDialog}
        approval={approval}
        onRefunded={(refund) => {
          closeDialog();
          onOpenSale(refund.id);
        }}
      />
      <ChangeCustomerModal sale={sale} mode={customerChange} onClose={() => setCustomerChange(null)} />
    </Stack>
  );
}

/** Under a menu item a cashier may use only with a manager's approval. */
function ManagerHint() {
  return (
    <Text size="xs" c="dimmed">
      A manager approves
    </Text>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
      <DataList.ItemValue style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        <Value>{children}</Value>
      </DataList.ItemValue>
    </DataList.Item>
  );
}

function OriginalLink({ saleId, onOpenSale }: { saleId: string; onOpenSale(id: string): void }) {
  const original = useSale(saleId);
  return (
    <Anchor component="button" type="button" inherit onClick={() => onOpenSale(saleId)} ff="monospace">
      {original.data?.receiptRef ?? 'the sale'}
    </Anchor>
  );
}

/** The note on a receipt: what the till wrote, or the reason of a refund; the team may change it. */
function SaleNote({ sale, canWrite }: { sale: Sale; canWrite: boolean }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const save = useSaleNote(sale.id);

  function startEditing() {
    setDraft(sale.note ?? '');
    setEditing(true);
  }

  function submit() {
    save.mutate(draft.trim() || null, {
      onSuccess: () => {
        setEditing(false);
        notifications.show({ color: 'teal', title: 'Note saved', message: `The note of ${sale.receiptRef} changed.` });
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: 'The note was not saved', message: messageOf(error) }),
    });
  }

  if (editing) {
    return (
      <Stack gap="xs">
        <Textarea
          label="Note"
          autosize
          minRows={2}
          maxRows={8}
          maxLength={2000}
          value={draft}
          onChange={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit();
            if (event.key === 'Escape') {
              event.stopPropagation();
              setEditing(false);
            }
          }}
          data-autofocus
          autoFocus
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={() => setEditing(false)}>
            Cancel
          </Button>
          <Button size="xs" onClick={submit} loading={save.isPending}>
            Save note
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="sm">
        <Text size="sm" fw={650}>
          Note
        </Text>
        {canWrite ? (
          <Button variant="subtle" size="compact-sm" leftSection={<IconPencil size={14} />} onClick={startEditing}>
            {sale.note ? 'Edit note' : 'Add a note'}
          </Button>
        ) : null}
      </Group>
      {sale.note ? (
        <Text size="sm" className="pre-wrap">
          {sale.note}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          No note.
        </Text>
      )}
    </Stack>
  );
}

import {
  Anchor,
  Avatar,
  Badge,
  Button,
  CopyButton,
  DataList,
  Grid,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import {
  IconBarcode,
  IconCheck,
  IconCopy,
  IconMinus,
  IconPencil,
  IconTrash,
  IconUsersGroup,
} from '@tabler/icons-react';
import { type ReactNode, useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Address, Customer } from '../../features/customers/customer.schema.ts';
import { useCustomer, useDeleteCustomer } from '../api/customers.ts';
import { isApiError, isNotFound } from '../api/http.ts';
import { useCustomerSales } from '../api/sales.ts';
import { useSession } from '../auth/session.tsx';
import { CustomerAccount } from '../invoices/CustomerAccount.tsx';
import {
  addressLines,
  displayName,
  formatBirthday,
  formatDateTime,
  formatRelative,
  initials,
  SOURCE_LABELS,
} from '../lib/format.ts';
import { SaleDrawer, useOpenSale } from '../sales/SaleDrawer.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { Section } from '../ui/Section.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { Value } from '../ui/Value.tsx';
import { CustomerBalances } from './CustomerBalances.tsx';
import { CustomerHistory } from './CustomerHistory.tsx';
import { CustomerNotes } from './CustomerNotes.tsx';
import { CustomerNotFound } from './CustomerNotFound.tsx';
import { CustomerPrivacy } from './CustomerPrivacy.tsx';
import { CustomerProducts } from './CustomerProducts.tsx';
import { CustomerStats } from './CustomerStats.tsx';
import { CustomerTransactions } from './CustomerTransactions.tsx';
import { LoyaltyCards } from './LoyaltyCards.tsx';

export function CustomerPage() {
  const { id = '' } = useParams();
  const customer = useCustomer(id);
  usePageTitle(customer.data ? displayName(customer.data) : undefined, 'Customers');

  if (customer.isPending) return <CustomerPageSkeleton />;
  if (customer.isError) {
    if (isNotFound(customer.error)) return <CustomerNotFound />;
    return <LoadError error={customer.error} onRetry={() => customer.refetch()} what="this customer" />;
  }
  return <CustomerDetails customer={customer.data} />;
}

function CustomerDetails({ customer }: { customer: Customer }) {
  const navigate = useNavigate();
  const remove = useDeleteCustomer(customer.id);
  const { can } = useSession();
  const name = displayName(customer);
  const showCompany = customer.companyName && customer.companyName !== name;
  const canReadSales = can('sales:read');
  const sales = useCustomerSales(customer.id, canReadSales);
  const saleItems = useMemo(() => sales.data?.pages.flatMap((page) => page.items) ?? [], [sales.data]);
  const { saleId, open: openSale, close: closeSale } = useOpenSale();
  const receipts = useMemo(() => new Map(saleItems.map((sale) => [sale.id, sale.receiptRef])), [saleItems]);

  function confirmDelete() {
    modals.openConfirmModal({
      title: `Delete ${name}?`,
      children: (
        <Text size="sm">
          {name} will no longer appear in the customer list or at the register. Their past sales stay in your reports.
        </Text>
      ),
      labels: { confirm: 'Delete customer', cancel: 'Keep customer' },
      confirmProps: { color: 'red', leftSection: <IconTrash size={16} /> },
      onConfirm: () =>
        remove.mutate(undefined, {
          onSuccess: () => {
            notifications.show({ color: 'teal', title: 'Customer deleted', message: `${name} was deleted.` });
            void navigate('/customers');
          },
          onError: (error) => {
            notifications.show({
              color: 'red',
              title: 'Could not delete the customer',
              message: isApiError(error) ? (error.problem.detail ?? error.problem.title) : 'Something went wrong.',
            });
          },
        }),
    });
  }

  return (
    <>
      <PageHeader
        title={name}
        crumbs={[{ label: 'Customers', to: '/customers' }, { label: name }]}
        leading={
          <Avatar size={52} radius="xl" color="initials" name={name}>
            {initials(customer)}
          </Avatar>
        }
        actions={
          <>
            {can('customers:delete') ? (
              <Button
                variant="default"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={confirmDelete}
                loading={remove.isPending}
              >
                Delete
              </Button>
            ) : null}
            {can('customers:write') ? (
              <Button component={Link} to={`/customers/${customer.id}/edit`} leftSection={<IconPencil size={16} />}>
                Edit
              </Button>
            ) : null}
          </>
        }
      >
        <Group gap={8} mt={2}>
          {showCompany ? (
            <Text size="sm" c="dimmed">
              {customer.companyName}
            </Text>
          ) : null}
          <Badge
            variant="light"
            color="gray"
            radius="sm"
            leftSection={<IconBarcode size={12} />}
            tt="none"
            ff="monospace"
          >
            {customer.code}
          </Badge>
          <Badge variant="light" radius="sm" leftSection={<IconUsersGroup size={12} />} tt="none">
            {customer.group.name}
          </Badge>
        </Group>
      </PageHeader>

      <CustomerStats stats={customer.stats} />

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <CustomerBalances
              customer={customer}
              onOpenSale={canReadSales ? openSale : undefined}
              receipts={receipts}
            />

            {canReadSales ? <CustomerAccount customer={customer} onOpenSale={openSale} /> : null}

            {canReadSales ? (
              <CustomerTransactions
                sales={sales}
                items={saleItems}
                onOpen={openSale}
                sellTo={can('sales:write') ? `/sell?customer=${customer.id}` : undefined}
              />
            ) : null}

            {canReadSales ? <CustomerProducts customerId={customer.id} /> : null}

            <CustomerNotes customerId={customer.id} canWrite={can('customers:write')} />

            <CustomerHistory customerId={customer.id} />
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <Section title="Contact">
              <DataList labelWidth={96} withDivider>
                <Item label="Email">
                  {customer.email ? (
                    <Anchor inherit href={`mailto:${customer.email}`}>
                      <BreakableEmail email={customer.email} />
                    </Anchor>
                  ) : null}
                </Item>
                <Item label="Phone">
                  {customer.phone ? (
                    <Anchor inherit href={`tel:${customer.phoneE164 ?? customer.phone}`}>
                      {customer.phone}
                    </Anchor>
                  ) : null}
                </Item>
                <Item label="Mobile">
                  {customer.mobile ? (
                    <Anchor inherit href={`tel:${customer.mobileE164 ?? customer.mobile}`}>
                      {customer.mobile}
                    </Anchor>
                  ) : null}
                </Item>
                <Item label="Website">
                  {customer.website ? (
                    <Anchor inherit href={customer.website} target="_blank" rel="noopener noreferrer">
                      {customer.website.replace(/^https?:\/\//, '').replace(/\/$/, '')}
                    </Anchor>
                  ) : null}
                </Item>
                <Item label="Twitter">
                  {customer.twitter ? (
                    <Anchor
                      inherit
                      href={`https://x.com/${customer.twitter.replace(/^@/, '')}`}
                      target="_blank"
                      rel="noopener noreferrer"
                    >
                      {customer.twitter}
                    </Anchor>
                  ) : null}
                </Item>
                <Item label="Date of birth">{customer.dateOfBirth ? formatBirthday(customer.dateOfBirth) : null}</Item>
              </DataList>
            </Section>

            <Section title="Addresses">
              <SimpleGrid cols={{ base: 1, sm: 2, md: 1 }} spacing="lg">
                <AddressBlock title="Physical address" address={customer.physicalAddress} />
                <AddressBlock
                  title="Postal address"
                  address={customer.postalAddress}
                  same={sameAddress(customer.physicalAddress, customer.postalAddress)}
                />
              </SimpleGrid>
            </Section>

            <Section title="Profile note">
              {customer.note ? (
                <Text size="sm" className="pre-wrap">
                  {customer.note}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  No profile note.
                </Text>
              )}
            </Section>

            <Section title="Marketing & loyalty">
              <Stack gap={10}>
                <Flag on={customer.emailMarketing} yes="Subscribed to email marketing" no="No email marketing" />
                <Flag on={customer.smsMarketing} yes="Subscribed to SMS marketing" no="No SMS marketing" />
                <Flag on={customer.loyaltyOptIn} yes="In the loyalty program" no="Not in the loyalty program" />
              </Stack>
            </Section>

            <LoyaltyCards customerId={customer.id} code={customer.code} canWrite={can('customers:write')} />

            <Section title="Tax">
              {customer.taxExempt ? (
                <Stack gap={6}>
                  <Flag on yes="Tax exempt" no="" />
                  <Text size="sm" c="dimmed">
                    Sales tax number{' '}
                    <Text span ff="monospace" c="var(--mantine-color-text)">
                      {customer.salesTaxNumber}
                    </Text>
                  </Text>
                </Stack>
              ) : (
                <Flag on={false} yes="" no="Pays sales tax" />
              )}
            </Section>

            <Section title="Record">
              <DataList labelWidth={90} size="sm" gap="xs">
                <Item label="Created">
                  <When iso={customer.createdAt} />
                </Item>
                <Item label="Updated">
                  <When iso={customer.updatedAt} />
                </Item>
                <Item label="Source">{SOURCE_LABELS[customer.source]}</Item>
                <Item label="Version">{customer.version}</Item>
                <Item label="Record id">
                  <Group gap={4} wrap="nowrap">
                    <Text size="xs" ff="monospace" c="dimmed" truncate title={customer.id}>
                      {customer.id}
                    </Text>
                    <CopyButton value={customer.id}>
                      {({ copied, copy }) => (
                        <Tooltip label={copied ? 'Copied' : 'Copy record id'} withArrow>
                          <Button
                            variant="subtle"
                            size="compact-xs"
                            color="gray"
                            onClick={copy}
                            aria-label="Copy record id"
                          >
                            {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                          </Button>
                        </Tooltip>
                      )}
                    </CopyButton>
                  </Group>
                </Item>
              </DataList>
            </Section>

            {can('privacy:manage') ? <CustomerPrivacy customer={customer} name={name} /> : null}
          </Stack>
        </Grid.Col>
      </Grid>

      <SaleDrawer saleId={saleId} onClose={closeSale} onOpenSale={openSale} related={saleItems} />
    </>
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

/** An address too long for its column breaks after the @ rather than anywhere. */
function BreakableEmail({ email }: { email: string }) {
  const at = email.lastIndexOf('@');
  if (at === -1) return email;
  return (
    <>
      {email.slice(0, at + 1)}
      <wbr />
      {email.slice(at + 1)}
    </>
  );
}

function When({ iso }: { iso: string }) {
  return (
    <Tooltip label={formatRelative(iso)} withArrow>
      <time dateTime={iso}>{formatDateTime(iso)}</time>
    </Tooltip>
  );
}

function Flag({ on, yes, no }: { on: boolean; yes: string; no: string }) {
  return (
    <Group gap={10} wrap="nowrap">
      <ThemeIcon size={22} radius="xl" variant="light" color={on ? 'teal' : 'gray'}>
        {on ? <IconCheck size={14} /> : <IconMinus size={14} />}
      </ThemeIcon>
      <Text size="sm" c={on ? undefined : 'dimmed'}>
        {on ? yes : no}
      </Text>
    </Group>
  );
}

function sameAddress(a: Address, b: Address): boolean {
  return (Object.keys(a) as (keyof Address)[]).every((key) => a[key] === b[key]);
}

function AddressBlock({ title, address, same = false }: { title: string; address: Address; same?: boolean }) {
  const lines = addressLines(address);
  return (
    <Stack gap={4}>
      <Text size="xs" tt="uppercase" fw={600} c="dimmed" lts={0.4}>
        {title}
      </Text>
      {lines.length === 0 ? (
        <Text size="sm" c="dimmed">
          No address
        </Text>
      ) : same ? (
        <Text size="sm" c="dimmed">
          Same as physical address
        </Text>
      ) : (
        <Text size="sm" component="address" style={{ fontStyle: 'normal' }}>
          {lines.map((line) => (
            <span key={line} style={{ display: 'block' }}>
              {line}
            </span>
          ))}
        </Text>
      )}
    </Stack>
  );
}

function CustomerPageSkeleton() {
  return (
    <Stack>
      <Group>
        <Skeleton circle h={52} />
        <Skeleton h={28} w={260} />
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Skeleton h={260} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Skeleton h={260} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

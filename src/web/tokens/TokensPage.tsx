import {
  Anchor,
  Badge,
  Button,
  Center,
  Code,
  EmptyState,
  List,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiToken } from '../../features/tokens/token.schema.ts';
import { PERMISSION_LABELS, PERMISSIONS } from '../../shared/permissions.ts';
import { messageOf } from '../api/http.ts';
import { useRevokeToken, useTokens } from '../api/tokens.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { LoadError } from '../ui/LoadError.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { RelativeTimeOrNever } from '../ui/RelativeTimeOrNever.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { useShownUntilClosed } from '../ui/useShownUntilClosed.ts';
import { type CreatedToken, CreateTokenModal } from './CreateTokenModal.tsx';
import { TokenSecretModal } from './TokenSecretModal.tsx';

type TokenStatus = 'active' | 'revoked' | 'expired';

function statusOf(token: ApiToken, now = Date.now()): TokenStatus {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

export function TokensPage() {
  usePageTitle('API tokens');
  const tokens = useTokens();
  const [creating, setCreating] = useState(false);
  const created = useShownUntilClosed<CreatedToken>();
  const create = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      Create token
    </Button>
  );

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Let a register, an online shop or another system use Patron’s API. Each token may do only what you allow it."
        actions={tokens.data && tokens.data.length > 0 ? create : null}
      />

      {tokens.isPending ? (
        <Stack>
          <Skeleton h={48} />
          <Skeleton h={48} />
        </Stack>
      ) : tokens.isError ? (
        <LoadError error={tokens.error} onRetry={() => tokens.refetch()} what="API tokens" />
      ) : tokens.data.length === 0 ? (
        <Paper>
          <Center py={56}>
            <EmptyState
              icon={<IconKey size={28} stroke={1.5} />}
              withIndicatorBackground
              title="No API tokens yet"
              description="Create one for each system that connects to Patron, so you can revoke one without stopping the others."
            >
              <EmptyState.Actions>{create}</EmptyState.Actions>
            </EmptyState>
          </Center>
        </Paper>
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={900}>
            <Table
              verticalSpacing="sm"
              horizontalSpacing="md"
              aria-label="API tokens"
              // Dates, statuses and token prefixes read badly broken over two lines; names and permissions wrap.
              styles={{ th: { whiteSpace: 'nowrap' }, td: { whiteSpace: 'nowrap' } }}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Token</Table.Th>
                  <Table.Th>Permissions</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  {/* A badge gives way to anything that wraps: keep room for its word. */}
                  <Table.Th w={110}>Status</Table.Th>
                  <Table.Th w={100}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.map((token) => (
                  <TokenRow key={token.id} token={token} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      <Text size="xs" c="dimmed" mt="md">
        How to call the API: see the{' '}
        <Anchor href="/api/docs" target="_blank" rel="noopener" inherit>
          API documentation
        </Anchor>
        .
      </Text>

      <CreateTokenModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(next) => {
          setCreating(false);
          created.show(next);
        }}
      />
      <TokenSecretModal
        created={created.value}
        opened={created.opened}
        onClose={created.close}
        onClosed={created.clear}
      />
    </>
  );
}

function Permissions({ token }: { token: ApiToken }) {
  if (PERMISSIONS.every((permission) => token.scopes.includes(permission))) {
    return <Text size="sm">All permissions</Text>;
  }
  if (token.scopes.length <= 3) {
    return (
      <Stack gap={0}>
        {token.scopes.map((scope) => (
          <Text key={scope} size="sm">
            {PERMISSION_LABELS[scope]}
          </Text>
        ))}
      </Stack>
    );
  }
  return (
    <Tooltip
      withArrow
      multiline
      w={260}
      label={
        <List size="xs" spacing={2}>
          {token.scopes.map((scope) => (
            <List.Item key={scope}>{PERMISSION_LABELS[scope]}</List.Item>
          ))}
        </List>
      }
    >
      <Text size="sm" td="underline" style={{ textDecorationStyle: 'dotted', cursor: 'help' }} tabIndex={0}>
        {token.scopes.length} permissions
      </Text>
    </Tooltip>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const revoke = useRevokeToken();
  const status = statusOf(token);

  function confirmRevoke() {
    modals.openConfirmModal({
      title: `Revoke “${token.name}”?`,
      children: (
        <Text size="sm">
          Whatever uses this token stops working at once: its next request is refused. This cannot be undone; to connect
          again, create a new token.
        </Text>
      ),
      labels: { confirm: 'Revoke token', cancel: 'Keep token' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        revoke.mutate(token.id, {
          onSuccess: () =>
            notifications.show({
              color: 'teal',
              title: 'Token revoked',
              message: `“${token.name}” no longer works.`,
            }),
          onError: (error) =>
            notifications.show({ color: 'red', title: 'The token was not revoked', message: messageOf(error) }),
        }),
    });
  }

  const dim = status !== 'active' ? 'dimmed' : undefined;
  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: 'normal', minWidth: 140 }}>
        <Text size="sm" fw={600} c={dim}>
          {token.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Code c={dim}>{token.prefix}…</Code>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'normal' }}>
        <Permissions token={token} />
      </Table.Td>
      <Table.Td>
        <When iso={token.createdAt} />
      </Table.Td>
      <Table.Td>
        {token.expiresAt ? (
          <Text size="sm" c={status === 'expired' ? 'red' : undefined}>
            {formatDate(token.expiresAt)}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            Never
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <RelativeTimeOrNever iso={token.lastUsedAt} />
      </Table.Td>
      <Table.Td>
        {status === 'active' ? (
          <Badge color="teal" variant="dot" radius="sm" tt="none">
            Active
          </Badge>
        ) : status === 'expired' ? (
          <Badge color="orange" variant="light" radius="sm" tt="none">
            Expired
          </Badge>
        ) : (
          <Tooltip label={`Revoked ${formatDateTime(token.revokedAt ?? '')}`} withArrow>
            <Badge color="gray" variant="light" radius="sm" tt="none">
              Revoked
            </Badge>
          </Tooltip>
        )}
      </Table.Td>
      <Table.Td>
        {status === 'revoked' ? null : (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={confirmRevoke}
            loading={revoke.isPending}
            aria-label={`Revoke ${token.name}`}
          >
            Revoke
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function When({ iso }: { iso: string }) {
  return (
    <Tooltip label={formatDateTime(iso)} withArrow>
      <Text size="sm" component="time" dateTime={iso}>
        {formatDate(iso)}
      </Text>
    </Tooltip>
  );
}

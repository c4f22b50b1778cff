import { Alert, Anchor, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconEyeOff } from '@tabler/icons-react';
import { OneTimeSecret } from '../ui/OneTimeSecret.tsx';
import type { CreatedToken } from './CreateTokenModal.tsx';

/** The token's secret, this once, with how to use it. */
export function TokenSecretModal({
  created,
  opened,
  onClose,
  onClosed,
}: {
  created: CreatedToken | null;
  opened: boolean;
  onClose(): void;
  /** Once it has gone from the screen: time to forget the secret. */
  onClosed(): void;
}) {
  const secret = created?.secret ?? '';
  // A request this token may make, to try it at once.
  const path = created?.token.scopes.includes('customers:read') ? '/api/v1/customers?limit=5' : '/api/v1/auth/session';
  const curl = `curl -H "Authorization: Bearer ${secret}" ${window.location.origin}${path}`;
  return (
    <Modal
      opened={opened && created !== null}
      onClose={onClose}
      onExitTransitionEnd={onClosed}
      title={`Token “${created?.token.name ?? ''}” is ready`}
      size="xl"
      // Closing by accident would lose the secret for good.
      closeOnClickOutside={false}
    >
      {created ? (
        <Stack gap="md">
          <Text size="sm">Copy the token now and put it in the settings of the system that will use it.</Text>
          <OneTimeSecret label="API token" value={secret} />
          <Alert color="yellow" variant="light" icon={<IconEyeOff />} p="sm">
            This is the only time the token is shown: Patron keeps only a fingerprint of it. If it gets lost, create a
            new token and revoke this one.
          </Alert>
          <div>
            <Text size="sm" fw={600} mb={4}>
              How to use it
            </Text>
            <Text size="sm" mb={6}>
              Send it with every request, in the <Code>Authorization</Code> header:
            </Text>
            <Code block>Authorization: Bearer {secret}</Code>
            <Group justify="space-between" mt="sm" mb={4}>
              <Text size="sm">For example, with curl:</Text>
              <CopyButton value={curl} timeout={2500}>
                {({ copied, copy }) => (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                    onClick={copy}
                  >
                    {copied ? 'Copied' : 'Copy command'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {curl}
            </Code>
            <Text size="xs" c="dimmed" mt={6}>
              Every endpoint is described in the{' '}
              <Anchor href="/api/docs" target="_blank" rel="noopener" inherit>
                API documentation
              </Anchor>
              .
            </Text>
          </div>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

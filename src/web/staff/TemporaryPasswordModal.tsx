import { Alert, Button, CopyButton, DataList, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconEyeOff } from '@tabler/icons-react';
import type { TemporaryPassword } from '../api/staff.ts';
import { OneTimeSecret } from '../ui/OneTimeSecret.tsx';

export interface IssuedPassword extends TemporaryPassword {
  reason: 'invited' | 'reset';
}

/** A temporary password, shown this once, with what the person needs to sign in. */
export function TemporaryPasswordModal({
  issued,
  opened,
  onClose,
  onClosed,
}: {
  issued: IssuedPassword | null;
  opened: boolean;
  onClose(): void;
  /** Once it has gone from the screen: time to forget the password. */
  onClosed(): void;
}) {
  const member = issued?.member;
  const firstName = member?.name.split(' ')[0] ?? '';
  const signInAt = `${window.location.origin}/sign-in`;
  return (
    <Modal
      opened={opened && issued !== null}
      onClose={onClose}
      onExitTransitionEnd={onClosed}
      title={issued?.reason === 'reset' ? `New temporary password for ${member?.name}` : `${member?.name} is invited`}
      size="lg"
      // Closing by accident would lose the password for good.
      closeOnClickOutside={false}
    >
      {issued && member ? (
        <Stack gap="md">
          <Text size="sm">
            Give {firstName} this temporary password, in person or by a message only they can read. When they sign in,
            Patron asks them to choose their own password before anything else.
          </Text>
          <OneTimeSecret label="Temporary password" value={issued.temporaryPassword} />
          <Alert color="yellow" variant="light" icon={<IconEyeOff />} p="sm">
            This is the only time it is shown. If it gets lost, reset the password again from this page.
          </Alert>
          <DataList labelWidth={90} size="sm" gap={6}>
            <DataList.Item>
              <DataList.ItemLabel c="dimmed">Sign in at</DataList.ItemLabel>
              <DataList.ItemValue>{signInAt}</DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel c="dimmed">Email</DataList.ItemLabel>
              <DataList.ItemValue>{member.email}</DataList.ItemValue>
            </DataList.Item>
          </DataList>
          <Group justify="space-between" gap="sm" mt="xs">
            <CopyButton
              value={`Sign in to Patron at ${signInAt}\nEmail: ${member.email}\nTemporary password: ${issued.temporaryPassword}\nYou will choose your own password when you sign in.`}
              timeout={2500}
            >
              {({ copied, copy }) => (
                <Button
                  variant="subtle"
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                >
                  {copied ? 'Copied' : 'Copy sign-in instructions'}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useBlocker } from 'react-router';

interface LeaveGuardProps {
  /** Whether the page holds changes that leaving would lose; read when the person tries to leave. */
  dirty: () => boolean;
  /** What the changes are to, for the question: "your changes to Ada Lovelace". */
  what?: string;
}

/**
 * A page with unsaved changes asks before it is left: a link, the menu, Back, or a search in the header
 * would otherwise drop what was typed without a word. Closing or reloading the tab gets the browser's own
 * question. A page that saves and then moves on marks itself clean first (its form's `resetDirty`).
 */
export function LeaveGuard({ dirty, what }: LeaveGuardProps) {
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => currentLocation.pathname !== nextLocation.pathname && dirtyRef.current(),
  );

  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!dirtyRef.current()) return;
      event.preventDefault();
      // Older browsers show the prompt only when a value is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  const blocked = blocker.state === 'blocked';
  return (
    <Modal
      opened={blocked}
      onClose={() => blocker.reset?.()}
      title="Leave without saving?"
      centered
      closeButtonProps={{ 'aria-label': 'Stay on this page' }}
    >
      <Stack gap="lg">
        <Text size="sm">
          {what ? `Your changes to ${what} are not saved.` : 'Your changes on this page are not saved.'} If you leave
          now, they are lost.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
            Keep editing
          </Button>
          <Button color="red" onClick={() => blocker.proceed?.()}>
            Leave without saving
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

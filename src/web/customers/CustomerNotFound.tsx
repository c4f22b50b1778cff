import { Button, Center, EmptyState } from '@mantine/core';
import { IconArrowLeft, IconUserOff } from '@tabler/icons-react';
import { Link } from 'react-router';

export function CustomerNotFound() {
  return (
    <Center mih="60vh">
      <EmptyState
        icon={<IconUserOff size={28} stroke={1.5} />}
        withIndicatorBackground
        title="This customer does not exist or was deleted"
        description="The link may be old, or someone deleted the customer. Their past sales still count in reports."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/customers" leftSection={<IconArrowLeft size={16} />}>
            Back to customers
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}

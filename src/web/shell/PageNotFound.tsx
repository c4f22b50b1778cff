import { Button, Center, EmptyState } from '@mantine/core';
import { IconArrowLeft, IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { usePageTitle } from '../ui/usePageTitle.ts';

export function PageNotFound() {
  usePageTitle('Page not found');
  return (
    <Center mih="60vh">
      <EmptyState
        icon={<IconMapOff size={28} stroke={1.5} />}
        withIndicatorBackground
        title="Page not found"
        description="The address may be mistyped, or the page has moved."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/customers" leftSection={<IconArrowLeft size={16} />}>
            Go to customers
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}

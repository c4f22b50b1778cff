import { Button, Center, EmptyState } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

interface DeadEndProps {
  /** The icon in the round indicator above the title. */
  icon: ReactNode;
  title: string;
  description: string;
  /** The words on the way back to the customers list. */
  backLabel: string;
}

/** One look for every page that cannot show what was asked for (not found, no access), with a way back. */
export function DeadEnd({ icon, title, description, backLabel }: DeadEndProps) {
  return (
    <Center mih="60vh">
      <EmptyState icon={icon} withIndicatorBackground title={title} description={description}>
        <EmptyState.Actions>
          <Button component={Link} to="/customers" leftSection={<IconArrowLeft size={16} />}>
            {backLabel}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}

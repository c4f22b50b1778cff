import { IconMapOff } from '@tabler/icons-react';
import { DeadEnd } from '../ui/DeadEnd.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';

export function PageNotFound() {
  usePageTitle('Page not found');
  return (
    <DeadEnd
      icon={<IconMapOff size={28} stroke={1.5} />}
      title="Page not found"
      description="The address may be mistyped, or the page has moved."
      backLabel="Go to customers"
    />
  );
}

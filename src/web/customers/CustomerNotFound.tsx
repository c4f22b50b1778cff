import { IconUserOff } from '@tabler/icons-react';
import { DeadEnd } from '../ui/DeadEnd.tsx';

export function CustomerNotFound() {
  return (
    <DeadEnd
      icon={<IconUserOff size={28} stroke={1.5} />}
      title="This customer does not exist or was deleted"
      description="The link may be old, or someone deleted the customer. Their past sales still count in reports."
      backLabel="Back to customers"
    />
  );
}

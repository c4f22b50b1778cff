import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { PERMISSION_LABELS, type Permission } from '../../shared/permissions.ts';
import { DeadEnd } from '../ui/DeadEnd.tsx';
import { usePageTitle } from '../ui/usePageTitle.ts';
import { useCan } from './session.tsx';

/** A page only some may use: the others, arriving by an old link, learn why it is not there for them. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useCan(permission) ? children : <NoAccess permission={permission} />;
}

function NoAccess({ permission }: { permission: Permission }) {
  usePageTitle('No access');
  return (
    <DeadEnd
      icon={<IconLock size={28} stroke={1.5} />}
      title="You don’t have access to this page"
      description={`It needs the permission “${PERMISSION_LABELS[permission]}”. Ask the owner or an admin of your business if you need it.`}
      backLabel="Go to customers"
    />
  );
}

import { ASSIGNABLE_ROLES } from '../../features/staff/staff.schema.ts';
import { ROLE_LABELS, type Role } from '../../shared/permissions.ts';

/** What each role is for, in a line: the permission table (ROLE_PERMISSIONS) is what the server enforces. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Everything. The owner’s role and access cannot be changed, so the business is never locked out.',
  admin: 'Everything: customers, staff, settings, API tokens and the audit log.',
  manager:
    'All customer work, including delete, import and export, sales and reports. No staff, settings or API tokens.',
  cashier: 'Sells, and finds, adds and edits customers at the register. Cannot delete customers or see reports.',
};

export const ROLE_COLORS: Record<Role, string> = {
  owner: 'indigo',
  admin: 'violet',
  manager: 'blue',
  cashier: 'gray',
};

export const ROLE_OPTIONS = ASSIGNABLE_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

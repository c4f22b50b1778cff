import { PERMISSIONS, type Permission } from '../../shared/permissions.ts';

const AREA_LABELS: Record<string, string> = {
  customers: 'Customers',
  sales: 'Sales',
  products: 'Products',
  reports: 'Reports',
  balances: 'Balances',
  groups: 'Customer groups',
  settings: 'Settings',
  staff: 'Staff',
  tokens: 'API tokens',
  audit: 'Audit log',
};

export interface PermissionGroup {
  label: string;
  permissions: Permission[];
}

/** Permissions by what they are about ("customers:read" → Customers), in the order PERMISSIONS lists them. */
export function groupPermissions(permissions: readonly Permission[]): PermissionGroup[] {
  const groups = new Map<string, Permission[]>();
  for (const permission of PERMISSIONS) {
    if (!permissions.includes(permission)) continue;
    const area = permission.split(':')[0] ?? permission;
    groups.set(area, [...(groups.get(area) ?? []), permission]);
  }
  return [...groups].map(([area, items]) => ({ label: AREA_LABELS[area] ?? area, permissions: items }));
}

/**
 * What a person or an API token may do. Every API route names exactly one of these (or is public),
 * next to its schema; the web UI hides what the signed-in person may not do.
 */
export const PERMISSIONS = [
  'customers:read',
  'customers:write',
  'customers:delete',
  'customers:import',
  'customers:export',
  'sales:read',
  'sales:write',
  'sales:cancel',
  'products:manage',
  'reports:read',
  'balances:adjust',
  'invoices:manage',
  'groups:manage',
  'settings:manage',
  'staff:manage',
  'tokens:manage',
  'audit:read',
  'privacy:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['owner', 'admin', 'manager', 'cashier'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSION_LABELS: Record<Permission, string> = {
  'customers:read': 'View customers',
  'customers:write': 'Create and edit customers',
  'customers:delete': 'Delete customers',
  'customers:import': 'Import customers',
  'customers:export': 'Export customers',
  'sales:read': 'View sales',
  'sales:write': 'Record sales and attach customers to them',
  'sales:cancel': 'Cancel sales and refund items',
  'products:manage': 'Create and change products',
  'reports:read': 'View reports',
  'balances:adjust': 'Adjust loyalty points and store credit',
  'invoices:manage': 'Void invoices, set credit limits and let a sale past one',
  'groups:manage': 'Manage customer groups',
  'settings:manage': 'Manage settings',
  'staff:manage': 'Manage staff',
  'tokens:manage': 'Manage API tokens',
  'audit:read': 'View the audit log',
  'privacy:manage': "Answer privacy requests: export or erase a customer's personal data",
};

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  cashier: 'Cashier',
};

/** What only owners and admins may do: the business itself, its people and its integrations. */
const ADMINISTRATION: readonly Permission[] = [
  'settings:manage',
  'staff:manage',
  'tokens:manage',
  'audit:read',
  'privacy:manage',
];

/**
 * What each role may do, as a shop expects: a cashier finds, creates and edits customers and sells,
 * but money goes back out of the till (a cancelled sale, a refund) only by a manager's hand; a manager does all customer work but manages neither staff nor settings; an admin does everything
 * but transfer ownership (an owner-only act, not a permission).
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  manager: PERMISSIONS.filter((permission) => !ADMINISTRATION.includes(permission)),
  cashier: ['customers:read', 'customers:write', 'sales:read', 'sales:write'],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * Roles and the permissions each one holds. Every route declares one permission (or `public` /
 * `authenticated`); the guard in http/guard.ts checks it against this table and nowhere else.
 */
export const STAFF_ROLES = [
  'platform_operator',
  'chain_admin',
  'store_manager',
  'front_desk',
  'technician',
  'warehouse',
  'regulator',
  'insurer',
  'repair_shop',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = StaffRole | 'owner';

export const PERMISSIONS = [
  'orgs:read',
  'orgs:write',
  'users:read',
  'users:write',
  'audit:read',
  'outbox:read',
  'catalog:read',
  'catalog:write',
  'stores:read',
  'stores:write',
  'technicians:read',
  'technicians:write',
  'customers:read',
  'customers:pii',
  'bookings:read',
  'bookings:write',
  'workorders:read',
  'workorders:write',
  'workorders:work',
  'payments:read',
  'payments:write',
  'settlement:read',
  'inventory:read',
  'inventory:write',
  'telematics:read',
  'telematics:write',
  'maintenance:read',
  'dispatch:read',
  'dispatch:write',
  'replenishment:read',
  'replenishment:write',
  'analytics:read',
  'regulator:read',
  'repairinfo:read',
  /** Owner-only self-service routes (my vehicles, my bookings). */
  'owner:self',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
/** What a route may declare: a permission, or `public` (no sign-in) / `authenticated` (any signed-in user). */
export type RouteAccess = Permission | 'public' | 'authenticated';

const storeStaffRead: Permission[] = [
  'catalog:read',
  'stores:read',
  'technicians:read',
  'customers:read',
  'bookings:read',
  'workorders:read',
  'inventory:read',
  'telematics:read',
  'maintenance:read',
];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  platform_operator: new Set<Permission>(PERMISSIONS.filter((p) => p !== 'owner:self')),
  chain_admin: new Set<Permission>([
    ...storeStaffRead,
    'orgs:read',
    'orgs:write',
    'users:read',
    'users:write',
    'catalog:write',
    'stores:write',
    'technicians:write',
    'customers:pii',
    'bookings:write',
    'workorders:write',
    'payments:read',
    'payments:write',
    'settlement:read',
    'inventory:write',
    'dispatch:read',
    'dispatch:write',
    'replenishment:read',
    'replenishment:write',
    'analytics:read',
    'audit:read',
  ]),
  store_manager: new Set<Permission>([
    ...storeStaffRead,
    'orgs:read',
    'users:read',
    'users:write',
    'catalog:write',
    'stores:write',
    'technicians:write',
    'customers:pii',
    'bookings:write',
    'workorders:write',
    'workorders:work',
    'payments:read',
    'payments:write',
    'settlement:read',
    'inventory:write',
    'dispatch:read',
    'dispatch:write',
    'replenishment:read',
    'replenishment:write',
    'analytics:read',
  ]),
  front_desk: new Set<Permission>([
    ...storeStaffRead,
    'customers:pii',
    'bookings:write',
    'workorders:write',
    'payments:read',
    'payments:write',
    'dispatch:read',
  ]),
  technician: new Set<Permission>([
    'catalog:read',
    'stores:read',
    'technicians:read',
    'workorders:read',
    'workorders:work',
    'inventory:read',
    'telematics:read',
    'maintenance:read',
  ]),
  warehouse: new Set<Permission>([
    'catalog:read',
    'stores:read',
    'inventory:read',
    'inventory:write',
    'replenishment:read',
    'replenishment:write',
  ]),
  regulator: new Set<Permission>(['regulator:read', 'stores:read', 'catalog:read', 'orgs:read']),
  insurer: new Set<Permission>(['catalog:read']),
  repair_shop: new Set<Permission>(['catalog:read', 'repairinfo:read']),
  owner: new Set<Permission>(['owner:self', 'catalog:read']),
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Which roles a staff member of a given org kind may hold, and who may grant them. */
export const ROLES_BY_ORG_KIND: Record<'platform' | 'chain' | 'franchisee' | 'store', readonly StaffRole[]> =
  {
    platform: ['platform_operator', 'regulator', 'insurer', 'repair_shop'],
    chain: ['chain_admin', 'warehouse'],
    franchisee: ['chain_admin', 'warehouse'],
    store: ['store_manager', 'front_desk', 'technician', 'warehouse'],
  };

/**
 * Who is calling, and the one place that turns that into query scoping. A staff member sees the
 * subtree of their org (materialized path prefix); an owner sees only what belongs to them.
 */
import { sql, type SQL, type Column } from 'drizzle-orm';
import { AppError } from '../errors.js';
import type { Role, StaffRole } from './roles.js';

export interface StaffPrincipal {
  kind: 'staff';
  userId: string;
  sessionId: string;
  role: StaffRole;
  orgId: string;
  orgPath: string;
}
export interface OwnerPrincipal {
  kind: 'owner';
  userId: string;
  sessionId: string;
  role: 'owner';
}
export type Principal = StaffPrincipal | OwnerPrincipal;

export function roleOf(p: Principal): Role {
  return p.role;
}

/** Escapes LIKE metacharacters; org paths are built from ids so this is belt and braces. */
const likePrefix = (prefix: string): string => prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

/**
 * Tenant scoping, enforced here and used by every service: a condition on a table's `org_path`
 * column that keeps rows inside the caller's org subtree.
 */
export function orgScope(p: Principal, orgPathColumn: Column | SQL): SQL {
  switch (p.kind) {
    case 'staff':
      return sql`${orgPathColumn} like ${likePrefix(p.orgPath)}`;
    case 'owner':
      // Owners never see org-scoped rows directly; owner routes filter by owner id instead.
      return sql`false`;
  }
}

/** True when the org path lies inside the caller's subtree. */
export function inOrgScope(p: Principal, orgPath: string): boolean {
  return p.kind === 'staff' && orgPath.startsWith(p.orgPath);
}

/**
 * Loads are checked with this: a resource outside the caller's scope is reported exactly like a
 * missing one (404), so existence never leaks across tenants.
 */
export function assertInOrgScope(
  p: Principal,
  orgPath: string | null | undefined,
  what: string,
  id: string,
): void {
  if (!orgPath || !inOrgScope(p, orgPath)) {
    throw new AppError(`${what}.not_found`, 'not_found', `No ${what} with id ${id}`);
  }
}

export function requireStaff(p: Principal | undefined): StaffPrincipal {
  if (!p) throw new AppError('auth.unauthenticated', 'unauthenticated', 'Sign in first');
  if (p.kind !== 'staff') throw new AppError('auth.forbidden', 'forbidden', 'This needs a staff account');
  return p;
}

export function requireOwner(p: Principal | undefined): OwnerPrincipal {
  if (!p) throw new AppError('auth.unauthenticated', 'unauthenticated', 'Sign in first');
  if (p.kind !== 'owner') throw new AppError('auth.forbidden', 'forbidden', 'This needs a car-owner account');
  return p;
}

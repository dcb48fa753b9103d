/** Lookups other modules need: names and phones of users by id, owners by phone. */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { users } from './schema.js';

export interface UserBrief {
  id: string;
  kind: 'staff' | 'owner';
  name: string;
  phone: string | null;
  role: string;
  orgId: string | null;
  locale: string;
}

export async function getUsersByIds(ex: Executor, ids: readonly string[]): Promise<Map<string, UserBrief>> {
  if (ids.length === 0) return new Map();
  const rows = await ex
    .select({ id: users.id, kind: users.kind, name: users.name, phone: users.phone, role: users.role, orgId: users.orgId, locale: users.locale })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function getOwnerByPhone(ex: Executor, phone: string): Promise<UserBrief | undefined> {
  const [r] = await ex
    .select({ id: users.id, kind: users.kind, name: users.name, phone: users.phone, role: users.role, orgId: users.orgId, locale: users.locale })
    .from(users)
    .where(and(eq(users.kind, 'owner'), eq(users.phone, phone)));
  return r;
}

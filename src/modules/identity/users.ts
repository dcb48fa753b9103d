/** Lookups other modules need: names and phones of users by id, owners by phone. */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { newId } from '../../platform/domain/ids.js';
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
    .select({
      id: users.id,
      kind: users.kind,
      name: users.name,
      phone: users.phone,
      role: users.role,
      orgId: users.orgId,
      locale: users.locale,
    })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function getOwnerByPhone(ex: Executor, phone: string): Promise<UserBrief | undefined> {
  const [r] = await ex
    .select({
      id: users.id,
      kind: users.kind,
      name: users.name,
      phone: users.phone,
      role: users.role,
      orgId: users.orgId,
      locale: users.locale,
    })
    .from(users)
    .where(and(eq(users.kind, 'owner'), eq(users.phone, phone)));
  return r;
}

/** The owner account for a phone number, created when a store registers a walk-in customer. */
export async function ensureOwnerAccount(
  ex: Executor,
  phone: string,
  name: string,
  now: Date,
): Promise<UserBrief> {
  await ex
    .insert(users)
    .values({ id: newId('usr'), kind: 'owner', name, phone, role: 'owner', createdAt: now })
    .onConflictDoNothing();
  return (await getOwnerByPhone(ex, phone))!;
}

/** The organization tree: platform → chain / franchise HQ → franchisee → store. */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { assertInOrgScope, orgScope, requireStaff, type Principal } from '../../platform/auth/principal.js';
import type { Executor } from '../../platform/db/types.js';
import { toPage, type Page } from '../../platform/http/pagination.js';
import { orgs } from './schema.js';

export type OrgKind = 'platform' | 'chain' | 'franchisee' | 'store';
export type Org = typeof orgs.$inferSelect;

export const ORG_PREFIX: Record<OrgKind, string> = {
  platform: 'org',
  chain: 'ch',
  franchisee: 'fr',
  store: 'st',
};

/** Which kinds may sit under which. A lone workshop is a chain of one store. */
export const ALLOWED_PARENT: Record<OrgKind, readonly OrgKind[]> = {
  platform: [],
  chain: ['platform'],
  franchisee: ['chain'],
  store: ['chain', 'franchisee'],
};

export async function getOrgRaw(ex: Executor, id: string): Promise<Org | undefined> {
  const [o] = await ex.select().from(orgs).where(eq(orgs.id, id));
  return o;
}

export async function getPlatformOrg(ex: Executor): Promise<Org | undefined> {
  const [o] = await ex.select().from(orgs).where(eq(orgs.kind, 'platform')).limit(1);
  return o;
}

export async function getOrg(ex: Executor, p: Principal, id: string): Promise<Org> {
  const o = await getOrgRaw(ex, id);
  assertInOrgScope(p, o?.path, 'org', id);
  return o!;
}

export async function createOrg(
  ex: Executor,
  p: Principal,
  input: { kind: Exclude<OrgKind, 'platform'>; name: string; parentId: string },
  now: Date,
): Promise<Org> {
  requireStaff(p);
  const parent = await getOrg(ex, p, input.parentId);
  if (!ALLOWED_PARENT[input.kind].includes(parent.kind)) {
    throw new AppError(
      'org.bad_parent',
      'validation',
      `A ${input.kind} cannot be placed under a ${parent.kind}; allowed parents: ${ALLOWED_PARENT[input.kind].join(', ')}`,
    );
  }
  if (parent.status !== 'active')
    throw new AppError('org.parent_disabled', 'conflict', `Org ${parent.id} is disabled`);
  const id = newId(ORG_PREFIX[input.kind]);
  const [row] = await ex
    .insert(orgs)
    .values({
      id,
      kind: input.kind,
      name: input.name,
      parentId: parent.id,
      path: `${parent.path}${id}/`,
      createdAt: now,
    })
    .returning();
  return row!;
}

/** The platform org, created on first start (race-safe: the unique path index decides). */
export async function createPlatformOrgIfMissing(ex: Executor, now: Date, name = 'Pitlane'): Promise<Org> {
  const existing = await getPlatformOrg(ex);
  if (existing) return existing;
  return createPlatformOrg(ex, name, now);
}

/** Creates the root platform org (first start only). */
export async function createPlatformOrg(ex: Executor, name: string, now: Date): Promise<Org> {
  const id = newId('org');
  const [row] = await ex
    .insert(orgs)
    .values({ id, kind: 'platform', name, path: `/${id}/`, createdAt: now })
    .returning();
  return row!;
}

export async function listOrgs(
  ex: Executor,
  p: Principal,
  q: { kind?: OrgKind | undefined; parentId?: string | undefined; limit: number; after?: string | undefined },
): Promise<Page<Org>> {
  const rows = await ex
    .select()
    .from(orgs)
    .where(
      and(
        orgScope(p, orgs.path),
        q.kind ? eq(orgs.kind, q.kind) : undefined,
        q.parentId ? eq(orgs.parentId, q.parentId) : undefined,
        q.after ? gt(orgs.id, q.after) : undefined,
      ),
    )
    .orderBy(asc(orgs.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (o) => [o.id]);
}

export async function setOrgStatus(
  ex: Executor,
  p: Principal,
  id: string,
  status: 'active' | 'disabled',
): Promise<Org> {
  const o = await getOrg(ex, p, id);
  if (o.kind === 'platform')
    throw new AppError('org.platform_fixed', 'conflict', 'The platform org cannot be disabled');
  if (p.kind === 'staff' && o.id === p.orgId) {
    throw new AppError('org.own_org', 'conflict', 'You cannot change the status of your own org');
  }
  const [row] = await ex.update(orgs).set({ status }).where(eq(orgs.id, id)).returning();
  return row!;
}

/** Renames and other profile edits. */
export async function renameOrg(ex: Executor, p: Principal, id: string, name: string): Promise<Org> {
  await getOrg(ex, p, id);
  const [row] = await ex.update(orgs).set({ name }).where(eq(orgs.id, id)).returning();
  return row!;
}

export async function countOrgs(ex: Executor): Promise<number> {
  const [r] = await ex.select({ n: sql<number>`count(*)::int` }).from(orgs);
  return r?.n ?? 0;
}

/**
 * Staff accounts: managers invite staff into an org they control with a role that org kind allows
 * and that does not outrank their own; invitees set their password with the invite token. Users are
 * listed, disabled and re-roled within the caller's scope; either change ends their sessions.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { maskPhone } from '../../platform/domain/phone.js';
import { assertInOrgScope, orgScope, requireStaff, type Principal } from '../../platform/auth/principal.js';
import { ROLES_BY_ORG_KIND, type StaffRole } from '../../platform/auth/roles.js';
import { checkPasswordStrength, hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import { randomToken, sha256 } from '../../platform/auth/tokens.js';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/types.js';
import { toPage, type Page } from '../../platform/http/pagination.js';
import { audit } from '../../platform/audit.js';
import { getOrg } from './orgs.js';
import { openSession, revokeAllSessions, type ClientInfo, type TokenPair } from './sessions.js';
import { users } from './schema.js';
import { normalizedPhoneOrThrow } from './owner-sign-in.js';

export const INVITE_TTL_HOURS = 72;

/** Higher may grant lower or equal (except platform_operator, granted only by operators). */
const RANK: Record<StaffRole, number> = {
  platform_operator: 100,
  regulator: 90,
  insurer: 90,
  repair_shop: 90,
  chain_admin: 50,
  store_manager: 40,
  warehouse: 20,
  front_desk: 20,
  technician: 10,
};

export interface StaffView {
  id: string;
  name: string;
  login: string | null;
  phone: string | null;
  role: string;
  orgId: string | null;
  status: string;
  createdAt: string;
  lastLoginAt: string | null;
}

export function staffView(u: typeof users.$inferSelect, showPhone: boolean): StaffView {
  return {
    id: u.id,
    name: u.name,
    login: u.login,
    phone: u.phone ? (showPhone ? u.phone : maskPhone(u.phone)) : null,
    role: u.role,
    orgId: u.orgId,
    status: u.status,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  };
}

function assertMayGrant(p: Principal, role: StaffRole, orgKind: keyof typeof ROLES_BY_ORG_KIND): void {
  const me = requireStaff(p);
  if (!ROLES_BY_ORG_KIND[orgKind].includes(role)) {
    throw new AppError(
      'user.role_not_allowed',
      'validation',
      `Role ${role} does not exist at a ${orgKind}; allowed: ${ROLES_BY_ORG_KIND[orgKind].join(', ')}`,
    );
  }
  const mine = RANK[me.role];
  if (me.role !== 'platform_operator' && RANK[role] > mine) {
    throw new AppError('user.role_too_high', 'forbidden', `A ${me.role} cannot grant the role ${role}`);
  }
}

export async function inviteStaff(
  ctx: AppContext,
  ex: Executor,
  p: Principal,
  input: { orgId: string; role: StaffRole; name: string; login: string; phone?: string | undefined },
): Promise<{ user: StaffView; inviteToken: string; inviteExpiresAt: string }> {
  const org = await getOrg(ex, p, input.orgId);
  assertMayGrant(p, input.role, org.kind);
  const login = input.login.trim().toLowerCase();
  const [taken] = await ex.select({ id: users.id }).from(users).where(eq(users.login, login));
  if (taken) throw new AppError('user.login_taken', 'conflict', `The sign-in name ${login} is already taken`);
  const phone = input.phone ? normalizedPhoneOrThrow(input.phone) : null;
  const token = randomToken(24);
  const now = ctx.clock.now();
  const expires = new Date(now.getTime() + INVITE_TTL_HOURS * 3600_000);
  const [u] = await ex
    .insert(users)
    .values({
      id: newId('usr'),
      kind: 'staff',
      name: input.name,
      login,
      phone,
      orgId: org.id,
      orgPath: org.path,
      role: input.role,
      status: 'invited',
      inviteTokenHash: sha256(token),
      inviteExpiresAt: expires,
      createdAt: now,
    })
    .returning();
  await audit(ex, {
    actor: p,
    action: 'user.invite',
    resourceType: 'user',
    resourceId: u!.id,
    orgPath: org.path,
    at: now,
    details: { role: input.role },
  });
  return {
    user: staffView(u!, true),
    inviteToken: `${u!.id}.${token}`,
    inviteExpiresAt: expires.toISOString(),
  };
}

/** Creates an active staff account directly (setup, demo, tools). */
export async function createStaffUser(
  ex: Executor,
  input: {
    orgId: string;
    orgPath: string;
    role: StaffRole;
    name: string;
    login: string;
    password: string;
    phone?: string | null;
  },
  now: Date,
): Promise<typeof users.$inferSelect> {
  checkPasswordStrength(input.password);
  const [u] = await ex
    .insert(users)
    .values({
      id: newId('usr'),
      kind: 'staff',
      name: input.name,
      login: input.login.trim().toLowerCase(),
      phone: input.phone ?? null,
      orgId: input.orgId,
      orgPath: input.orgPath,
      role: input.role,
      status: 'active',
      passwordHash: await hashPassword(input.password),
      createdAt: now,
    })
    .returning();
  return u!;
}

export async function acceptInvite(
  ctx: AppContext,
  input: { inviteToken: string; password: string },
  client: ClientInfo,
): Promise<TokenPair> {
  checkPasswordStrength(input.password);
  const [userId, secret] = input.inviteToken.split('.');
  const invalid = new AppError(
    'user.bad_invite',
    'unauthenticated',
    'This invitation is not valid or has expired; ask for a new one',
  );
  if (!userId || !secret) throw invalid;
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [u] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (
      !u ||
      u.status !== 'invited' ||
      !u.inviteTokenHash ||
      u.inviteTokenHash !== sha256(secret) ||
      !u.inviteExpiresAt ||
      u.inviteExpiresAt <= now
    ) {
      throw invalid;
    }
    const [active] = await tx
      .update(users)
      .set({ status: 'active', passwordHash, inviteTokenHash: null, inviteExpiresAt: null })
      .where(eq(users.id, userId))
      .returning();
    return openSession(ctx, tx, active!, client);
  });
}

export async function listStaff(
  ex: Executor,
  p: Principal,
  q: {
    orgId?: string | undefined;
    role?: string | undefined;
    status?: string | undefined;
    limit: number;
    after?: string | undefined;
  },
  showPhone: boolean,
): Promise<Page<StaffView>> {
  const rows = await ex
    .select()
    .from(users)
    .where(
      and(
        eq(users.kind, 'staff'),
        orgScope(p, users.orgPath),
        q.orgId ? eq(users.orgId, q.orgId) : undefined,
        q.role ? eq(users.role, q.role) : undefined,
        q.status ? eq(users.status, q.status as 'active') : undefined,
        q.after ? gt(users.id, q.after) : undefined,
      ),
    )
    .orderBy(asc(users.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (u) => [u.id]);
  return { items: page.items.map((u) => staffView(u, showPhone)), nextCursor: page.nextCursor };
}

async function loadStaff(ex: Executor, p: Principal, id: string): Promise<typeof users.$inferSelect> {
  const [u] = await ex
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.kind, 'staff')));
  assertInOrgScope(p, u?.orgPath, 'user', id);
  return u!;
}

export async function updateStaff(
  ctx: AppContext,
  ex: Executor,
  p: Principal,
  id: string,
  patch: {
    role?: StaffRole | undefined;
    status?: 'active' | 'disabled' | undefined;
    name?: string | undefined;
  },
): Promise<StaffView> {
  const me = requireStaff(p);
  const u = await loadStaff(ex, p, id);
  if (u.id === me.userId && (patch.role || patch.status)) {
    throw new AppError(
      'user.self_change',
      'conflict',
      'You cannot change your own role or status; ask another manager',
    );
  }
  if (me.role !== 'platform_operator' && RANK[u.role as StaffRole] > RANK[me.role]) {
    throw new AppError('user.role_too_high', 'forbidden', `A ${me.role} cannot change a ${u.role}`);
  }
  if (patch.role) {
    const org = await getOrg(ex, p, u.orgId!);
    assertMayGrant(p, patch.role, org.kind);
  }
  if (patch.status === 'active' && u.status === 'invited') {
    throw new AppError('user.invite_pending', 'conflict', 'This person has not accepted the invitation yet');
  }
  const now = ctx.clock.now();
  const securityChange = (patch.role && patch.role !== u.role) || (patch.status && patch.status !== u.status);
  const [row] = await ex
    .update(users)
    .set({
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.role ? { role: patch.role } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      ...(securityChange ? { tokenVersion: sql`${users.tokenVersion} + 1` } : {}),
    })
    .where(eq(users.id, id))
    .returning();
  if (securityChange) await revokeAllSessions(ex, id, now);
  await audit(ex, {
    actor: p,
    action: 'user.update',
    resourceType: 'user',
    resourceId: id,
    orgPath: u.orgPath ?? undefined,
    at: now,
    details: patch,
  });
  return staffView(row!, true);
}

export async function changePassword(
  ctx: AppContext,
  p: Principal,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const [u] = await ctx.db.select().from(users).where(eq(users.id, p.userId));
  if (!u || !(await verifyPassword(u.passwordHash, input.currentPassword))) {
    throw new AppError('auth.bad_credentials', 'unauthenticated', 'The current password is wrong');
  }
  checkPasswordStrength(input.newPassword);
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash: hash, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.id, p.userId));
    await revokeAllSessions(tx, p.userId, ctx.clock.now());
  });
}

export async function getMe(ex: Executor, p: Principal): Promise<typeof users.$inferSelect> {
  const [u] = await ex.select().from(users).where(eq(users.id, p.userId));
  if (!u) throw new AppError('user.not_found', 'not_found', 'Your account no longer exists');
  return u;
}

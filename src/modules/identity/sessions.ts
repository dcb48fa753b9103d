/**
 * Sessions: staff sign in with login + password, owners with phone + one-time code; both get a
 * short-lived JWT access token and a rotating refresh token. Logout revokes the session, which the
 * guard checks on every request; disabling a user or changing their role bumps their token version.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/types.js';
import type { Principal } from '../../platform/auth/principal.js';
import { randomToken, sha256 } from '../../platform/auth/tokens.js';
import { verifyPassword } from '../../platform/auth/passwords.js';
import { assertNotBlocked, backoffKeys, recordFailure, resetOnSuccess } from '../../platform/auth/backoff.js';
import { STAFF_ROLES, type StaffRole } from '../../platform/auth/roles.js';
import { sessions, users } from './schema.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; kind: 'staff' | 'owner'; name: string; role: string; orgId: string | null };
}

export interface ClientInfo {
  ip: string;
  userAgent?: string | undefined;
}

type User = typeof users.$inferSelect;

export async function openSession(
  ctx: AppContext,
  ex: Executor,
  user: User,
  client: ClientInfo,
): Promise<TokenPair> {
  const now = ctx.clock.now();
  const sid = newId('ses');
  const secret = randomToken(32);
  await ex.insert(sessions).values({
    id: sid,
    userId: user.id,
    refreshHash: sha256(secret),
    createdAt: now,
    expiresAt: new Date(now.getTime() + ctx.config.refreshTokenTtl * 1000),
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 300) ?? null,
  });
  await ex.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
  return pair(ctx, user, sid, secret);
}

async function pair(ctx: AppContext, user: User, sid: string, secret: string): Promise<TokenPair> {
  return {
    accessToken: await ctx.tokens.signAccess({ sub: user.id, sid, ver: user.tokenVersion }, ctx.clock.now()),
    refreshToken: `${sid}.${secret}`,
    tokenType: 'Bearer',
    expiresIn: ctx.config.accessTokenTtl,
    user: { id: user.id, kind: user.kind, name: user.name, role: user.role, orgId: user.orgId },
  };
}

const badCredentials = (): AppError =>
  new AppError('auth.bad_credentials', 'unauthenticated', 'The sign-in name or password is wrong');

export async function signInStaff(
  ctx: AppContext,
  input: { login: string; password: string },
  client: ClientInfo,
): Promise<TokenPair> {
  const login = input.login.trim().toLowerCase();
  const keys = backoffKeys(login, client.ip);
  const now = ctx.clock.now();
  await assertNotBlocked(ctx.db, keys, now);
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.login, login), eq(users.kind, 'staff')));
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok || user.status !== 'active') {
    await recordFailure(ctx.db, keys, now);
    if (user && ok && user.status === 'disabled') {
      throw new AppError('auth.account_disabled', 'forbidden', 'This account is disabled; ask your manager');
    }
    throw badCredentials();
  }
  return ctx.db.transaction(async (tx) => {
    await resetOnSuccess(tx, keys);
    return openSession(ctx, tx, user, client);
  });
}

export async function refreshSession(
  ctx: AppContext,
  refreshToken: string,
  client: ClientInfo,
): Promise<TokenPair> {
  const [sid, secret] = refreshToken.split('.');
  const invalid = new AppError(
    'auth.invalid_refresh',
    'unauthenticated',
    'The refresh token is not valid; sign in again',
  );
  if (!sid || !secret) throw invalid;
  const now = ctx.clock.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ s: sessions, u: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sid))
      .for('update', { of: sessions });
    if (!row || row.s.revokedAt || row.s.expiresAt <= now || row.u.status !== 'active') return null;
    if (row.s.refreshHash !== sha256(secret)) {
      // An old refresh token came back: it may have been stolen. End the session (committed).
      await tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, sid));
      ctx.log.warn({ session: sid, ip: client.ip }, 'refresh token reuse detected; session revoked');
      return null;
    }
    const next = randomToken(32);
    await tx
      .update(sessions)
      .set({ refreshHash: sha256(next) })
      .where(eq(sessions.id, sid));
    return pair(ctx, row.u, sid, next);
  });
  if (!outcome) throw invalid;
  return outcome;
}

export async function revokeSession(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.clock.now() })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function revokeAllSessions(ex: Executor, userId: string, now: Date): Promise<void> {
  await ex
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

/** Verifies an access token and loads the caller; used by the HTTP guard for every request. */
export async function resolvePrincipal(ctx: AppContext, token: string): Promise<Principal> {
  const now = ctx.clock.now();
  const claims = await ctx.tokens.verifyAccess(token, now);
  const [row] = await ctx.db
    .select({
      revokedAt: sessions.revokedAt,
      expiresAt: sessions.expiresAt,
      userId: users.id,
      kind: users.kind,
      role: users.role,
      status: users.status,
      tokenVersion: users.tokenVersion,
      orgId: users.orgId,
      orgPath: users.orgPath,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, claims.sid));
  if (!row || row.userId !== claims.sub || row.revokedAt || row.expiresAt <= now) {
    throw new AppError('auth.session_ended', 'unauthenticated', 'This session has ended; sign in again');
  }
  if (row.status !== 'active' || row.tokenVersion !== claims.ver) {
    throw new AppError('auth.session_ended', 'unauthenticated', 'Your account changed; sign in again');
  }
  if (row.kind === 'owner')
    return { kind: 'owner', userId: row.userId, sessionId: claims.sid, role: 'owner' };
  if (!row.orgId || !row.orgPath || !(STAFF_ROLES as readonly string[]).includes(row.role)) {
    throw new AppError('auth.session_ended', 'unauthenticated', 'This account has no org; ask an operator');
  }
  return {
    kind: 'staff',
    userId: row.userId,
    sessionId: claims.sid,
    role: row.role as StaffRole,
    orgId: row.orgId,
    orgPath: row.orgPath,
  };
}

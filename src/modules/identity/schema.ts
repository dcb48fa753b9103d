/**
 * Organizations (platform → chain/franchise HQ → franchisee → store), user accounts (staff and car
 * owners), sessions and one-time codes.
 */
import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const orgs = pgTable(
  'orgs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<'platform' | 'chain' | 'franchisee' | 'store'>().notNull(),
    name: text('name').notNull(),
    parentId: text('parent_id'),
    /** Materialized path `/org_a/org_b/`: scoping a query to an org subtree is one prefix match. */
    path: text('path').notNull(),
    status: text('status').$type<'active' | 'disabled'>().notNull().default('active'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('orgs_path_uq').on(t.path), index('orgs_parent_idx').on(t.parentId)],
);

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<'staff' | 'owner'>().notNull(),
    name: text('name').notNull(),
    /** Staff sign-in name (lower-case). */
    login: text('login'),
    phone: text('phone'),
    email: text('email'),
    passwordHash: text('password_hash'),
    /** Staff: the org they work for and their role there. Owners: null (platform-level identity). */
    orgId: text('org_id'),
    orgPath: text('org_path'),
    role: text('role').notNull(),
    status: text('status').$type<'active' | 'invited' | 'disabled'>().notNull().default('active'),
    /** Bumped on disable / re-role / password change: older access tokens stop working. */
    tokenVersion: integer('token_version').notNull().default(0),
    inviteTokenHash: text('invite_token_hash'),
    inviteExpiresAt: ts('invite_expires_at'),
    locale: text('locale').notNull().default('zh-CN'),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastLoginAt: ts('last_login_at'),
  },
  (t) => [
    uniqueIndex('users_login_uq').on(t.login),
    uniqueIndex('users_owner_phone_uq').on(t.kind, t.phone),
    index('users_org_path_idx').on(t.orgPath),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    refreshHash: text('refresh_hash').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const otpCodes = pgTable(
  'otp_codes',
  {
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    codeHash: text('code_hash').notNull(),
    purpose: text('purpose').notNull().default('sign_in'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    consumedAt: ts('consumed_at'),
  },
  (t) => [index('otp_codes_phone_idx').on(t.phone, t.createdAt)],
);

/** HTTP surface of identity: setup, sign-in (staff and owners), sessions, orgs, staff. */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { PERMISSIONS, STAFF_ROLES, roleHas } from '../../platform/auth/roles.js';
import { principalOf } from '../../platform/http/guard.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { decodeCursor, pageOf, pageQuery } from '../../platform/http/pagination.js';
import { id, idParams, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import { completeSetup } from './bootstrap.js';
import { createOrg, getOrg, listOrgs, renameOrg, setOrgStatus, type Org } from './orgs.js';
import { refreshSession, revokeSession, signInStaff, type ClientInfo } from './sessions.js';
import { requestOwnerCode, signInOwner } from './owner-sign-in.js';
import { acceptInvite, changePassword, getMe, inviteStaff, listStaff, updateStaff } from './staff.js';
import { maskPhone } from '../../platform/domain/phone.js';

const tokenPair = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    user: z.object({
      id: z.string(),
      kind: z.enum(['staff', 'owner']),
      name: z.string(),
      role: z.string(),
      orgId: z.string().nullable(),
    }),
  })
  .meta({ id: 'TokenPair' });

const orgKinds = ['platform', 'chain', 'franchisee', 'store'] as const;
const orgView = z
  .object({
    id: z.string(),
    kind: z.enum(orgKinds),
    name: z.string(),
    parentId: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
  })
  .meta({ id: 'Org' });
const toOrgView = (o: Org): z.infer<typeof orgView> => ({
  id: o.id,
  kind: o.kind,
  name: o.name,
  parentId: o.parentId,
  status: o.status,
  createdAt: o.createdAt.toISOString(),
});

const staffView = z
  .object({
    id: z.string(),
    name: z.string(),
    login: z.string().nullable(),
    phone: z.string().nullable(),
    role: z.string(),
    orgId: z.string().nullable(),
    status: z.string(),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'Staff' });

const login = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'may contain letters, digits and . _ @ -');
const password = z.string().min(1).max(200);
const phone = z.string().trim().min(5).max(32);

export const client = (req: FastifyRequest): ClientInfo => ({
  ip: req.ip,
  userAgent: req.headers['user-agent'],
});

const tag = (t: string) => ({ tags: [t] });

export const identityRoutes: ModuleRoutes = (app, ctx) => {
  app.post('/setup', {
    config: { access: 'public' },
    schema: {
      ...tag('identity'),
      summary: 'Create the first platform operator with the one-time setup token printed at first start',
      body: z.object({ setupToken: text(200), login, name: text(100), password }),
      response: { 201: tokenPair },
    },
    handler: async (req, reply) => {
      const out = await completeSetup(ctx, req.body, client(req));
      return reply.status(201).send(out);
    },
  });

  app.post('/auth/staff/sign-in', {
    config: { access: 'public' },
    schema: {
      ...tag('identity'),
      summary: 'Staff sign-in with login and password',
      body: z.object({ login: z.string().trim().min(1).max(64), password }),
      response: { 200: tokenPair },
    },
    handler: (req) => signInStaff(ctx, req.body, client(req)),
  });

  app.post('/auth/owner/code', {
    config: { access: 'public' },
    schema: {
      ...tag('identity'),
      summary: 'Send a one-time sign-in code to a car owner’s mobile number',
      body: z.object({ phone }),
      response: { 200: z.object({ sentTo: z.string(), expiresIn: z.number() }) },
    },
    handler: (req) => requestOwnerCode(ctx, req.body.phone),
  });

  app.post('/auth/owner/sign-in', {
    config: { access: 'public' },
    schema: {
      ...tag('identity'),
      summary: 'Car owner sign-in with phone and the one-time code',
      body: z.object({
        phone,
        code: z
          .string()
          .trim()
          .regex(/^\d{6}$/, 'must be the 6-digit code'),
      }),
      response: { 200: tokenPair },
    },
    handler: (req) => signInOwner(ctx, req.body, client(req)),
  });

  app.post('/auth/refresh', {
    config: { access: 'public' },
    schema: {
      ...tag('identity'),
      summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
      body: z.object({ refreshToken: z.string().min(10).max(300) }),
      response: { 200: tokenPair },
    },
    handler: (req) => refreshSession(ctx, req.body.refreshToken, client(req)),
  });

  app.post('/auth/logout', {
    config: { access: 'authenticated' },
    schema: { ...tag('identity'), summary: 'End this session', response: { 204: z.null() } },
    handler: async (req, reply) => {
      await revokeSession(ctx, principalOf(req).sessionId);
      return reply.status(204).send(null);
    },
  });

  app.post('/auth/accept-invite', {
    config: { access: 'public' },
    schema: {
      ...tag('identity'),
      summary: 'Accept a staff invitation and set a password',
      body: z.object({ inviteToken: z.string().min(10).max(200), password }),
      response: { 200: tokenPair },
    },
    handler: (req) => acceptInvite(ctx, req.body, client(req)),
  });

  app.post('/auth/password', {
    config: { access: 'authenticated' },
    schema: {
      ...tag('identity'),
      summary: 'Change your password (ends all your sessions)',
      body: z.object({ currentPassword: password, newPassword: password }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      if (p.kind !== 'staff')
        throw new AppError('auth.no_password', 'forbidden', 'Car owners sign in with a code, not a password');
      await changePassword(ctx, p, req.body);
      return reply.status(204).send(null);
    },
  });

  app.get('/me', {
    config: { access: 'authenticated' },
    schema: {
      ...tag('identity'),
      summary: 'Who am I',
      response: {
        200: z.object({
          id: z.string(),
          kind: z.enum(['staff', 'owner']),
          name: z.string(),
          role: z.string(),
          orgId: z.string().nullable(),
          phone: z.string().nullable(),
          locale: z.string(),
          permissions: z.array(z.string()),
        }),
      },
    },
    handler: async (req) => {
      const p = principalOf(req);
      const u = await getMe(ctx.db, p);
      return {
        id: u.id,
        kind: u.kind,
        name: u.name,
        role: u.role,
        orgId: u.orgId,
        phone: u.phone ? maskPhone(u.phone) : null,
        locale: u.locale,
        permissions: PERMISSIONS.filter((perm) => roleHas(p.role, perm)),
      };
    },
  });

  app.get('/orgs', {
    config: { access: 'orgs:read' },
    schema: {
      ...tag('identity'),
      summary: 'Orgs in your scope',
      querystring: pageQuery.extend({ kind: z.enum(orgKinds).optional(), parentId: id().optional() }),
      response: { 200: pageOf(orgView) },
    },
    handler: async (req) => {
      const q = req.query;
      const after = decodeCursor(q.cursor, 1)?.[0] as string | undefined;
      const page = await listOrgs(ctx.db, principalOf(req), {
        kind: q.kind,
        parentId: q.parentId,
        limit: q.limit,
        after,
      });
      return { items: page.items.map(toOrgView), nextCursor: page.nextCursor };
    },
  });

  app.post('/orgs', {
    config: { access: 'orgs:write' },
    schema: {
      ...tag('identity'),
      summary: 'Create a chain, franchisee or store org',
      body: z.object({ kind: z.enum(['chain', 'franchisee', 'store']), name: text(100), parentId: id() }),
      response: { 201: orgView },
    },
    handler: async (req, reply) => {
      return idempotent(ctx.db, req, reply, 201, async (tx) =>
        toOrgView(await createOrg(tx, principalOf(req), req.body, ctx.clock.now())),
      );
    },
  });

  app.get('/orgs/:id', {
    config: { access: 'orgs:read' },
    schema: { ...tag('identity'), summary: 'One org', params: idParams(), response: { 200: orgView } },
    handler: async (req) => toOrgView(await getOrg(ctx.db, principalOf(req), req.params.id)),
  });

  app.patch('/orgs/:id', {
    config: { access: 'orgs:write' },
    schema: {
      ...tag('identity'),
      summary: 'Rename, disable or re-enable an org',
      params: idParams(),
      body: z
        .object({ name: text(100).optional(), status: z.enum(['active', 'disabled']).optional() })
        .refine((b) => b.name !== undefined || b.status !== undefined, 'give name or status'),
      response: { 200: orgView },
    },
    handler: async (req) =>
      ctx.db.transaction(async (tx) => {
        const p = principalOf(req);
        let o = await getOrg(tx, p, req.params.id);
        if (req.body.name) o = await renameOrg(tx, p, o.id, req.body.name);
        if (req.body.status) o = await setOrgStatus(tx, p, o.id, req.body.status);
        return toOrgView(o);
      }),
  });

  app.get('/users', {
    config: { access: 'users:read' },
    schema: {
      ...tag('identity'),
      summary: 'Staff in your scope (phone numbers masked unless your role needs them)',
      querystring: pageQuery.extend({
        orgId: id().optional(),
        role: z.enum(STAFF_ROLES).optional(),
        status: z.enum(['active', 'invited', 'disabled']).optional(),
      }),
      response: { 200: pageOf(staffView) },
    },
    handler: async (req) => {
      const p = principalOf(req);
      const q = req.query;
      const after = decodeCursor(q.cursor, 1)?.[0] as string | undefined;
      return listStaff(ctx.db, p, { ...q, after }, roleHas(p.role, 'customers:pii'));
    },
  });

  app.post('/users/invitations', {
    config: { access: 'users:write' },
    schema: {
      ...tag('identity'),
      summary: 'Invite a staff member into an org; share the returned invite token with them',
      body: z.object({
        orgId: id(),
        role: z.enum(STAFF_ROLES),
        name: text(100),
        login,
        phone: phone.optional(),
      }),
      response: { 201: z.object({ user: staffView, inviteToken: z.string(), inviteExpiresAt: z.string() }) },
    },
    handler: async (req, reply) => {
      return idempotent(ctx.db, req, reply, 201, (tx) => inviteStaff(ctx, tx, principalOf(req), req.body));
    },
  });

  app.patch('/users/:id', {
    config: { access: 'users:write' },
    schema: {
      ...tag('identity'),
      summary: 'Rename, re-role, disable or re-enable a staff member',
      params: idParams('usr'),
      body: z
        .object({
          name: text(100).optional(),
          role: z.enum(STAFF_ROLES).optional(),
          status: z.enum(['active', 'disabled']).optional(),
        })
        .refine(
          (b) => b.name !== undefined || b.role !== undefined || b.status !== undefined,
          'give name, role or status',
        ),
      response: { 200: staffView },
    },
    handler: (req) =>
      ctx.db.transaction((tx) => updateStaff(ctx, tx, principalOf(req), req.params.id, req.body)),
  });
};

/** Operational routes: health, metrics, the development outbox, notification failures, audit trail. */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { auditLog, notifications } from '../schema.js';
import { orgScope } from '../auth/principal.js';
import { principalOf } from './guard.js';
import { decodeCursor, pageOf, pageQuery, toPage } from './pagination.js';
import type { ModuleRoutes } from './schemas.js';

const notificationView = z.object({
  id: z.string(),
  channel: z.string(),
  template: z.string(),
  recipientUserId: z.string().nullable(),
  recipientAddress: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  status: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const platformRoutes: ModuleRoutes = (app, ctx) => {
  app.get('/outbox', {
    config: { access: 'outbox:read' },
    schema: {
      tags: ['platform'],
      summary:
        'Notification outbox for operators: failed deliveries (status=failed), and in development mode every message including sign-in codes',
      querystring: pageQuery.extend({
        status: z.enum(['pending', 'sent', 'failed']).optional(),
        to: z.string().max(64).optional(),
      }),
      response: { 200: pageOf(notificationView) },
    },
    handler: async (req) => {
      const q = req.query;
      const devView = ctx.config.devOutbox;
      if (!devView && q.status !== 'failed') {
        throw new AppError(
          'outbox.dev_only',
          'forbidden',
          'Outside development mode only failed deliveries are listed: add status=failed',
        );
      }
      const before = decodeCursor(q.cursor, 1)?.[0] as string | undefined;
      const rows = await ctx.db
        .select()
        .from(notifications)
        .where(
          and(
            q.status ? eq(notifications.status, q.status) : undefined,
            q.to ? eq(notifications.recipientAddress, q.to) : undefined,
            before ? lt(notifications.id, before) : undefined,
          ),
        )
        .orderBy(desc(notifications.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (n) => [n.id]);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((n) => ({
          id: n.id,
          channel: n.channel,
          template: n.template,
          recipientUserId: n.recipientUserId,
          recipientAddress: n.recipientAddress,
          payload: devView ? (n.payload as Record<string, unknown>) : { redacted: true },
          status: n.status,
          attempts: n.attempts,
          lastError: n.lastError,
          createdAt: n.createdAt.toISOString(),
          sentAt: n.sentAt?.toISOString() ?? null,
        })),
      };
    },
  });

  app.get('/audit', {
    config: { access: 'audit:read' },
    schema: {
      tags: ['platform'],
      summary: 'Audit trail of access to sensitive data and privileged actions, in your scope',
      querystring: pageQuery.extend({
        resourceType: z.string().max(40).optional(),
        resourceId: z.string().max(40).optional(),
      }),
      response: {
        200: pageOf(
          z.object({
            id: z.number(),
            at: z.string(),
            actorId: z.string().nullable(),
            actorRole: z.string().nullable(),
            action: z.string(),
            resourceType: z.string(),
            resourceId: z.string().nullable(),
            purpose: z.string().nullable(),
            details: z.unknown(),
          }),
        ),
      },
    },
    handler: async (req) => {
      const p = principalOf(req);
      const q = req.query;
      const before = decodeCursor(q.cursor, 1)?.[0] as number | undefined;
      const rows = await ctx.db
        .select()
        .from(auditLog)
        .where(
          and(
            orgScope(p, sql`coalesce(${auditLog.orgPath}, '')`),
            q.resourceType ? eq(auditLog.resourceType, q.resourceType) : undefined,
            q.resourceId ? eq(auditLog.resourceId, q.resourceId) : undefined,
            before !== undefined ? lt(auditLog.id, Number(before)) : undefined,
          ),
        )
        .orderBy(desc(auditLog.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (r) => [r.id]);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorId: r.actorId,
          actorRole: r.actorRole,
          action: r.action,
          resourceType: r.resourceType,
          resourceId: r.resourceId,
          purpose: r.purpose,
          details: r.details,
        })),
      };
    },
  });
};

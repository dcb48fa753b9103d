/** Maintenance routes: the owner's alerts and proposals, the operator's alert map, a store's upcoming demand. */
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { requireOwner, requireStaff } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { principalOf } from '../../platform/http/guard.js';
import { id, type ModuleRoutes } from '../../platform/http/schemas.js';
import { bookings } from '../booking/schema.js';
import { getStoreRaw, getStoreScoped } from '../stores/index.js';
import {
  acceptProposal,
  componentName,
  ownerAlertAction,
  ownerAlerts,
  ownerServiceRecords,
  recordOwnerService,
  type Alert,
  type Proposal,
} from './alerts.js';
import { SERVICE_COMPONENTS } from './detect/types.js';
import { maintenanceAlerts } from './schema.js';
import { ACTIVE_ALERT_STATUSES } from './schema.js';

const proposalView = z
  .object({
    id: z.string(),
    storeId: z.string(),
    storeName: z.string(),
    bookingId: z.string(),
    items: z.array(z.string()),
    startAt: z.string(),
    expiresAt: z.string(),
    totalFen: z.number(),
    status: z.string(),
    reasons: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() }).passthrough()),
  })
  .meta({ id: 'MaintenanceProposal' });

const alertView = z
  .object({
    id: z.string(),
    vehicleId: z.string(),
    component: z.string(),
    componentZh: z.string(),
    componentEn: z.string(),
    severity: z.enum(['watch', 'soon', 'urgent']),
    status: z.string(),
    confidence: z.number(),
    dueDay: z.string().nullable(),
    dueInKm: z.number().nullable(),
    evidence: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
    openedAt: z.string(),
    snoozedUntil: z.string().nullable(),
    proposal: proposalView.nullable(),
  })
  .meta({ id: 'MaintenanceAlert' });

const toProposal = (p: Proposal & { storeName?: string }): z.infer<typeof proposalView> => ({
  id: p.id,
  storeId: p.storeId,
  storeName: p.storeName ?? '',
  bookingId: p.bookingId,
  items: p.items,
  startAt: p.startAt.toISOString(),
  expiresAt: p.expiresAt.toISOString(),
  totalFen: p.totalFen,
  status: p.status,
  reasons: p.reasons as Array<{ code: string; zh: string; en: string }>,
});

const toAlert = (
  a: Alert & { proposal?: (Proposal & { storeName?: string }) | null },
): z.infer<typeof alertView> => ({
  id: a.id,
  vehicleId: a.vehicleId,
  component: a.component,
  componentZh: componentName(a.component, 'zh'),
  componentEn: componentName(a.component, 'en'),
  severity: a.severity,
  status: a.status,
  confidence: a.confidence,
  dueDay: a.dueDay,
  dueInKm: a.finding.dueInKm,
  evidence: a.finding.evidence.map((e) => ({ code: e.code, zh: e.zh, en: e.en })),
  openedAt: a.openedAt.toISOString(),
  snoozedUntil: a.snoozedUntil?.toISOString() ?? null,
  proposal: a.proposal ? toProposal(a.proposal) : null,
});

const serviceRecordView = z
  .object({
    id: z.string(),
    component: z.enum(SERVICE_COMPONENTS),
    day: z.string(),
    odometerKm: z.number().optional(),
    source: z.enum(['work_order', 'owner']),
  })
  .meta({ id: 'ServiceRecord' });

export const maintenanceRoutes: ModuleRoutes = (app, ctx) => {
  app.get('/me/maintenance/alerts', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['maintenance'],
      summary: 'My vehicles’ maintenance alerts, with the evidence and any proposal',
      response: { 200: z.object({ items: z.array(alertView) }) },
    },
    handler: async (req) => ({
      items: (await ownerAlerts(ctx.db, requireOwner(principalOf(req)).userId)).map(toAlert),
    }),
  });

  app.post('/me/maintenance/proposals/:id/accept', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['maintenance'],
      summary: 'Accept a proposal in one tap: the held slot becomes a confirmed booking',
      params: z.object({ id: id('prp') }),
      body: z.object({}).default({}),
      response: { 200: z.object({ proposal: proposalView, bookingId: z.string(), status: z.string() }) },
    },
    handler: async (req) => {
      const p = requireOwner(principalOf(req));
      const r = await ctx.db.transaction((tx) => acceptProposal(ctx, tx, p, req.params.id));
      const storeName = (await getStoreRaw(ctx.db, r.proposal.storeId))?.name ?? '';
      return {
        proposal: toProposal({ ...r.proposal, storeName }),
        bookingId: r.booking.id,
        status: r.booking.status,
      };
    },
  });

  app.get('/me/vehicles/:id/service-records', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['maintenance'],
      summary: 'My vehicle’s service records: work done by Pitlane stores and services I recorded',
      params: z.object({ id: id('veh') }),
      response: { 200: z.object({ items: z.array(serviceRecordView) }) },
    },
    handler: async (req) => ({
      items: await ownerServiceRecords(ctx.db, requireOwner(principalOf(req)).userId, req.params.id),
    }),
  });

  app.post('/me/vehicles/:id/service-records', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['maintenance'],
      summary:
        'Record a service done elsewhere (e.g. the last oil change at another shop) so predictions start from it',
      params: z.object({ id: id('veh') }),
      body: z.strictObject({
        component: z.enum(SERVICE_COMPONENTS),
        day: z.iso.date(),
        odometerKm: z.number().int().min(0).max(2_000_000).optional(),
      }),
      response: { 201: serviceRecordView },
    },
    handler: async (req, reply) => {
      const p = requireOwner(principalOf(req));
      const b = req.body;
      const r = await ctx.db.transaction((tx) =>
        recordOwnerService(ctx, tx, p.userId, {
          vehicleId: req.params.id,
          component: b.component,
          day: b.day,
          ...(b.odometerKm !== undefined ? { odometerKm: b.odometerKm } : {}),
        }),
      );
      return reply.code(201).send(r);
    },
  });

  app.post('/me/maintenance/alerts/:id/dismiss', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['maintenance'],
      summary: 'Dismiss an alert (it stays in the history)',
      params: z.object({ id: id('alr') }),
      body: z.object({}).default({}),
      response: { 200: alertView },
    },
    handler: async (req) => {
      const p = requireOwner(principalOf(req));
      return toAlert(
        await ctx.db.transaction((tx) =>
          ownerAlertAction(ctx, tx, p.userId, req.params.id, { kind: 'dismiss' }),
        ),
      );
    },
  });

  app.post('/me/maintenance/alerts/:id/snooze', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['maintenance'],
      summary: 'Snooze an alert for a few days; it comes back when the snooze ends',
      params: z.object({ id: id('alr') }),
      body: z.object({ days: z.number().int().min(1).max(30) }),
      response: { 200: alertView },
    },
    handler: async (req) => {
      const p = requireOwner(principalOf(req));
      return toAlert(
        await ctx.db.transaction((tx) =>
          ownerAlertAction(ctx, tx, p.userId, req.params.id, { kind: 'snooze', days: req.body.days }),
        ),
      );
    },
  });

  app.get('/maintenance/alerts/summary', {
    config: { access: 'maintenance:read' },
    schema: {
      tags: ['maintenance'],
      summary: 'Operator view: active alerts by city and component (counts only, no personal data)',
      response: {
        200: z.object({
          items: z.array(
            z.object({
              city: z.string().nullable(),
              component: z.string(),
              severity: z.string(),
              count: z.number(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const p = requireStaff(principalOf(req));
      if (p.role !== 'platform_operator' && p.role !== 'regulator')
        throw new AppError('auth.forbidden', 'forbidden', 'The alert map is for platform operators');
      const rows = await ctx.db
        .select({
          city: maintenanceAlerts.city,
          component: maintenanceAlerts.component,
          severity: maintenanceAlerts.severity,
          count: sql<number>`count(*)::int`,
        })
        .from(maintenanceAlerts)
        .where(inArray(maintenanceAlerts.status, [...ACTIVE_ALERT_STATUSES]))
        .groupBy(maintenanceAlerts.city, maintenanceAlerts.component, maintenanceAlerts.severity)
        .orderBy(maintenanceAlerts.city, maintenanceAlerts.component, maintenanceAlerts.severity);
      return { items: rows };
    },
  });

  app.get('/stores/:id/maintenance/demand', {
    config: { access: 'bookings:read' },
    schema: {
      tags: ['maintenance'],
      summary:
        'Upcoming demand at a store by service item and part type: confirmed bookings and proposals held for owners',
      params: z.object({ id: id('st') }),
      querystring: z.object({ days: z.coerce.number().int().min(1).max(60).default(14) }),
      response: {
        200: z.object({
          from: z.string(),
          to: z.string(),
          items: z.array(z.object({ code: z.string(), bookings: z.number(), proposals: z.number() })),
          parts: z.array(z.object({ partTypeCode: z.string(), qtyMilli: z.number() })),
        }),
      },
    },
    handler: async (req) => {
      await getStoreScoped(ctx.db, principalOf(req), req.params.id);
      const from = ctx.clock.now();
      const to = new Date(from.getTime() + req.query.days * 86_400_000);
      const rows = await ctx.db
        .select({
          items: bookings.items,
          quote: bookings.quote,
          source: bookings.source,
          status: bookings.status,
        })
        .from(bookings)
        .where(
          and(
            eq(bookings.storeId, req.params.id),
            gte(bookings.startAt, from),
            lt(bookings.startAt, to),
            inArray(bookings.status, ['held', 'confirmed']),
          ),
        );
      const items = new Map<string, { bookings: number; proposals: number }>();
      const parts = new Map<string, number>();
      for (const r of rows) {
        // Web holds last minutes; only proposals (held 24 h for an owner) count as demand while held.
        if (r.status === 'held' && r.source !== 'proposal') continue;
        const key = r.status === 'held' ? 'proposals' : 'bookings';
        for (const code of r.items) {
          const cur = items.get(code) ?? { bookings: 0, proposals: 0 };
          cur[key]++;
          items.set(code, cur);
        }
        for (const l of r.quote)
          if (l.kind === 'part' && l.partTypeCode)
            parts.set(l.partTypeCode, (parts.get(l.partTypeCode) ?? 0) + l.qtyMilli);
      }
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        items: [...items].map(([code, c]) => ({ code, ...c })).sort((a, b) => a.code.localeCompare(b.code)),
        parts: [...parts]
          .map(([partTypeCode, qtyMilli]) => ({ partTypeCode, qtyMilli }))
          .sort((a, b) => a.partTypeCode.localeCompare(b.partTypeCode)),
      };
    },
  });
};

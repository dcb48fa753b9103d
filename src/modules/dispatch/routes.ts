/** Dispatch routes: team board, technician assignment (batch and walk-in), certification coverage. */
import { z } from 'zod';
import { requireStaff } from '../../platform/auth/principal.js';
import { audit } from '../../platform/audit.js';
import { principalOf } from '../../platform/http/guard.js';
import { id, isoDate, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import { utcToLocal } from '../../platform/time.js';
import { getStoreScoped, listStoresScoped } from '../stores/index.js';
import { loadTechnicians } from '../technicians/index.js';
import { autoAssignWalkIn, planAssignments } from './assign-service.js';
import { certificationCoverage, teamPerformance } from './team.js';
import {
  MOBILE_SKILL,
  planDoorToDoorDay,
  serviceMinutes,
  storedRoutes,
  type DayPlan,
  type D2dRow,
} from './door-to-door.js';
import { catalogSnapshot } from '../catalog/index.js';

const perfView = z.object({
  jobs: z.number(),
  efficiency: z.number().nullable(),
  firstTimeFixRate: z.number().nullable(),
  comebackRate: z.number().nullable(),
  qcPassRate: z.number().nullable(),
  reviewCount: z.number(),
  ratingRaw: z.number().nullable(),
  stars: z.number(),
});

const assignmentView = z.object({
  jobId: z.string(),
  technicianId: z.string(),
  start: z.string(),
  end: z.string(),
  cost: z.number(),
  reasons: z.array(z.string()),
});
const planView = z.object({
  assignments: z.array(assignmentView),
  unassigned: z.array(z.object({ jobId: z.string(), code: z.string(), message: z.string() })),
  totalCost: z.number(),
  provenOptimal: z.boolean(),
  relaxationAssigned: z.number(),
  applied: z.number(),
});

const stopView = z.object({
  requestId: z.string(),
  kind: z.enum(['onsite', 'pickup', 'return']),
  start: z.string(),
  end: z.string(),
  lon: z.number(),
  lat: z.number(),
});
const dayPlanView = z
  .object({
    storeId: z.string(),
    day: z.string(),
    store: z.object({ lon: z.number(), lat: z.number() }),
    technicians: z.number(),
    routes: z.array(
      z.object({
        technicianId: z.string(),
        technicianName: z.string(),
        shiftStart: z.string(),
        shiftEnd: z.string(),
        distanceM: z.number(),
        stops: z.array(stopView),
      }),
    ),
    scheduled: z.array(z.string()),
    declined: z.array(z.string()),
    frozen: z.array(z.string()),
  })
  .meta({ id: 'DoorToDoorDayPlan' });
const toDayPlan = (p: DayPlan): z.infer<typeof dayPlanView> => ({
  ...p,
  routes: p.routes.map((r) => ({
    ...r,
    shiftStart: r.shiftStart.toISOString(),
    shiftEnd: r.shiftEnd.toISOString(),
    stops: r.stops.map((x) => ({ ...x, start: x.start.toISOString(), end: x.end.toISOString() })),
  })),
});
const boardJob = z.object({
  id: z.string(),
  kind: z.enum(['onsite', 'pickup_return']),
  status: z.string(),
  items: z.array(z.string()),
  lon: z.number(),
  lat: z.number(),
  windowStart: z.string(),
  windowEnd: z.string(),
  arrivalFrom: z.string().nullable(),
  arrivalTo: z.string().nullable(),
  assignee: z.string().nullable(),
});
const toBoardJob = (r: D2dRow): z.infer<typeof boardJob> => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  items: r.items,
  lon: r.lon,
  lat: r.lat,
  windowStart: r.windowStart.toISOString(),
  windowEnd: r.windowEnd.toISOString(),
  arrivalFrom: r.arrivalFrom?.toISOString() ?? null,
  arrivalTo: r.arrivalTo?.toISOString() ?? null,
  assignee: r.assignee,
});

export const dispatchRoutes: ModuleRoutes = (app, ctx) => {
  app.post('/stores/:id/door-to-door/plan', {
    config: { access: 'dispatch:write' },
    schema: {
      tags: ['dispatch'],
      summary:
        'Re-plan a day of door-to-door routes (keeps every promised arrival window; declines what cannot be served)',
      params: z.object({ id: id('st') }),
      body: z.object({ day: isoDate.optional() }),
      response: { 200: dayPlanView },
    },
    handler: async (req) => {
      await getStoreScoped(ctx.db, principalOf(req), req.params.id);
      const day = req.body.day ?? utcToLocal(ctx.clock.now(), ctx.config.timezone).day;
      return toDayPlan(await ctx.db.transaction((tx) => planDoorToDoorDay(ctx, tx, req.params.id, day)));
    },
  });

  app.get('/stores/:id/door-to-door/board', {
    config: { access: 'dispatch:read' },
    schema: {
      tags: ['dispatch'],
      summary:
        'Dispatch board for a day: door-to-door jobs per technician in arrival order, waiting and declined jobs, technician load',
      params: z.object({ id: id('st') }),
      querystring: z.object({ day: isoDate.optional() }),
      response: {
        200: z.object({
          day: z.string(),
          store: z.object({ lon: z.number(), lat: z.number() }),
          technicians: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              jobs: z.array(boardJob),
              busyMinutes: z.number(),
            }),
          ),
          waiting: z.array(boardJob),
          declined: z.array(boardJob),
        }),
      },
    },
    handler: async (req) => {
      const p = principalOf(req);
      const store = await getStoreScoped(ctx.db, p, req.params.id);
      const day = req.query.day ?? utcToLocal(ctx.clock.now(), ctx.config.timezone).day;
      const stored = await storedRoutes(ctx.db, req.params.id, day, ctx.config.timezone);
      // The board shows where customers are: each look is on the record.
      if (stored.scheduled.length + stored.waiting.length + stored.declined.length > 0)
        await audit(ctx.db, {
          actor: requireStaff(p),
          action: 'dispatch.board.read',
          resourceType: 'store',
          resourceId: req.params.id,
          purpose: 'door_to_door',
          requestId: req.id,
          ip: req.ip,
          details: { day },
        });
      const techs = await loadTechnicians(ctx.db, { storeIds: [req.params.id], activeOnly: true });
      const catalog = await catalogSnapshot(ctx.db, ctx.db);
      const byTech = new Map<string, D2dRow[]>();
      for (const r of stored.scheduled) {
        if (!r.assignee) continue;
        byTech.set(r.assignee, [...(byTech.get(r.assignee) ?? []), r]);
      }
      return {
        day,
        store: { lon: store.lon, lat: store.lat },
        technicians: techs
          .filter((t) => byTech.has(t.id) || t.skills.includes(MOBILE_SKILL))
          .map((t) => {
            const jobs = byTech.get(t.id) ?? [];
            return {
              id: t.id,
              name: t.name,
              jobs: jobs.map(toBoardJob),
              // Time at addresses (pick-ups: the hand-over at both ends); travel comes on top.
              busyMinutes: jobs.reduce(
                (m, r) => m + serviceMinutes(catalog, r) * (r.kind === 'pickup_return' ? 2 : 1),
                0,
              ),
            };
          }),
        waiting: stored.waiting.map(toBoardJob),
        declined: stored.declined.map(toBoardJob),
      };
    },
  });

  app.get('/stores/:id/team', {
    config: { access: 'technicians:read' },
    schema: {
      tags: ['dispatch'],
      summary:
        'Team board: each technician with efficiency, first-time fix, comebacks, QC pass rate, star rating and training',
      params: z.object({ id: id('st') }),
      response: {
        200: z.object({
          items: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              skills: z.array(z.string()),
              certifications: z.array(z.object({ code: z.string(), expiresOn: z.string().nullable() })),
              performance: perfView,
              training: z.array(
                z.object({
                  course: z.string(),
                  completedOn: z.string(),
                  hours: z.number(),
                  certificateCode: z.string().nullable(),
                }),
              ),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const p = principalOf(req);
      await getStoreScoped(ctx.db, p, req.params.id);
      const techs = await loadTechnicians(ctx.db, { storeIds: [req.params.id], activeOnly: true });
      const team = await teamPerformance(ctx, ctx.db, techs);
      return {
        items: team
          .sort((a, b) => b.performance.stars - a.performance.stars)
          .map((m) => ({
            id: m.technician.id,
            name: m.technician.name,
            skills: m.technician.skills,
            certifications: m.technician.certifications.map((c) => ({
              code: c.code,
              expiresOn: c.expiresOn,
            })),
            performance: m.performance,
            training: m.training.map((t) => ({
              course: t.course,
              completedOn: t.completedOn,
              hours: t.hours,
              certificateCode: t.certificateCode,
            })),
          })),
      };
    },
  });

  app.post('/stores/:id/dispatch/assign', {
    config: { access: 'dispatch:write' },
    schema: {
      tags: ['dispatch'],
      summary:
        'Plan today’s technician assignment of waiting jobs (apply=true makes it: claims time and assigns)',
      params: z.object({ id: id('st') }),
      body: z.object({ apply: z.boolean().default(false) }),
      response: { 200: planView },
    },
    handler: async (req) => {
      const r = await ctx.db.transaction((tx) =>
        planAssignments(ctx, tx, principalOf(req), req.params.id, req.body.apply),
      );
      return {
        assignments: r.assignments.map((a) => ({
          jobId: a.jobId,
          technicianId: a.technicianId,
          start: new Date(a.start * 60_000).toISOString(),
          end: new Date(a.end * 60_000).toISOString(),
          cost: a.cost.total,
          reasons: [...a.reasons],
        })),
        unassigned: r.unassigned.map((u) => ({ ...u })),
        totalCost: r.totalCost,
        provenOptimal: r.quality.provenOptimal,
        relaxationAssigned: r.quality.relaxationAssigned,
        applied: r.applied,
      };
    },
  });

  app.post('/work-orders/:id/auto-assign', {
    config: { access: 'dispatch:write' },
    schema: {
      tags: ['dispatch'],
      summary: 'Place a walk-in on the best technician’s free time now, moving nobody',
      params: z.object({ id: id('wo') }),
      body: z.object({ storeId: id('st') }),
      response: {
        200: z.object({
          placed: z.boolean(),
          assignment: assignmentView.optional(),
          reason: z.object({ code: z.string(), message: z.string() }).optional(),
        }),
      },
    },
    handler: async (req) => {
      const r = await ctx.db.transaction((tx) =>
        autoAssignWalkIn(ctx, tx, principalOf(req), req.body.storeId, req.params.id),
      );
      if (!r.placed)
        return { placed: false, reason: { code: r.unassigned.code, message: r.unassigned.message } };
      const a = r.assignment;
      return {
        placed: true,
        assignment: {
          jobId: a.jobId,
          technicianId: a.technicianId,
          start: new Date(a.start * 60_000).toISOString(),
          end: new Date(a.end * 60_000).toISOString(),
          cost: a.cost.total,
          reasons: [...a.reasons],
        },
      };
    },
  });

  app.get('/dispatch/certification-coverage', {
    config: { access: 'analytics:read' },
    schema: {
      tags: ['dispatch'],
      summary:
        'Per city: stores with a valid certificate (default NEV high voltage) and certified technicians',
      querystring: z.object({ code: text(40).default('nev_hv'), day: isoDate.optional() }),
      response: {
        200: z.object({
          code: z.string(),
          items: z.array(
            z.object({
              city: z.string(),
              stores: z.number(),
              storesCovered: z.number(),
              technicians: z.number(),
              certified: z.number(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const p = requireStaff(principalOf(req));
      const stores = (await listStoresScoped(ctx.db, p, { limit: 5000 })).items;
      const day = req.query.day ?? utcToLocal(ctx.clock.now(), ctx.config.timezone).day;
      return {
        code: req.query.code,
        items: await certificationCoverage(ctx.db, stores, req.query.code, day),
      };
    },
  });
};

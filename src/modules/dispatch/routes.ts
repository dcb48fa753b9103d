/** Dispatch routes: team board, technician assignment (batch and walk-in), certification coverage. */
import { z } from 'zod';
import { requireStaff } from '../../platform/auth/principal.js';
import { principalOf } from '../../platform/http/guard.js';
import { id, isoDate, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import { utcToLocal } from '../../platform/time.js';
import { getStoreScoped, listStoresScoped } from '../stores/index.js';
import { loadTechnicians } from '../technicians/index.js';
import { autoAssignWalkIn, planAssignments } from './assign-service.js';
import { certificationCoverage, teamPerformance } from './team.js';

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

export const dispatchRoutes: ModuleRoutes = (app, ctx) => {
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

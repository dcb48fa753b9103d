/** Technician roster routes (store staff). */
import { z } from 'zod';
import { principalOf } from '../../platform/http/guard.js';
import { id, isoDate, isoDateTime, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import { hhmmToMinutes, minutesToHhmm } from '../../platform/time.js';
import { getOrg } from '../identity/index.js';
import {
  addTimeOff,
  createTechnician,
  loadTechnicians,
  updateTechnician,
  type Technician,
} from './roster.js';
import { invalidateTechnicians } from './roster-cache.js';
import { addTraining } from './training.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');
const shiftBody = z
  .array(z.object({ weekday: z.number().int().min(1).max(7), start: hhmm, end: hhmm }))
  .max(7);
const certBody = z
  .array(
    z.object({
      code: text(40),
      number: text(60).nullable().optional(),
      issuedOn: isoDate.nullable().optional(),
      expiresOn: isoDate.nullable().optional(),
    }),
  )
  .max(30);
const skill = z.string().trim().min(1).max(40);

const technicianView = z
  .object({
    id: z.string(),
    storeId: z.string(),
    userId: z.string().nullable(),
    name: z.string(),
    skills: z.array(z.string()),
    level: z.number(),
    status: z.enum(['active', 'inactive']),
    certifications: z.array(
      z.object({
        code: z.string(),
        number: z.string().nullable(),
        issuedOn: z.string().nullable(),
        expiresOn: z.string().nullable(),
      }),
    ),
    shifts: z.array(z.object({ weekday: z.number(), start: z.string(), end: z.string() })),
  })
  .meta({ id: 'Technician' });

const toView = (t: Technician): z.infer<typeof technicianView> => ({
  id: t.id,
  storeId: t.storeId,
  userId: t.userId,
  name: t.name,
  skills: t.skills,
  level: t.level,
  status: t.status,
  certifications: t.certifications,
  shifts: t.shifts.map((s) => ({
    weekday: s.weekday,
    start: minutesToHhmm(s.startMin),
    end: minutesToHhmm(s.endMin),
  })),
});
const toShifts = (s: z.infer<typeof shiftBody>) =>
  s.map((x) => ({ weekday: x.weekday, startMin: hhmmToMinutes(x.start), endMin: hhmmToMinutes(x.end) }));
const toCerts = (c: z.infer<typeof certBody>) =>
  c.map((x) => ({
    code: x.code,
    number: x.number ?? null,
    issuedOn: x.issuedOn ?? null,
    expiresOn: x.expiresOn ?? null,
  }));

export const techniciansRoutes: ModuleRoutes = (app, ctx) => {
  app.get('/stores/:id/technicians', {
    config: { access: 'technicians:read' },
    schema: {
      tags: ['technicians'],
      summary: 'A store’s technicians',
      params: z.object({ id: id('st') }),
      response: { 200: z.object({ items: z.array(technicianView) }) },
    },
    handler: async (req) => {
      await getOrg(ctx.db, principalOf(req), req.params.id);
      return { items: (await loadTechnicians(ctx.db, { storeIds: [req.params.id] })).map(toView) };
    },
  });

  app.post('/stores/:id/technicians', {
    config: { access: 'technicians:write' },
    schema: {
      tags: ['technicians'],
      summary: 'Add a technician with skills, certifications (with expiry) and weekly shifts',
      params: z.object({ id: id('st') }),
      body: z.object({
        name: text(100),
        userId: id('usr').nullable().optional(),
        skills: z.array(skill).max(30),
        level: z.number().int().min(1).max(5).optional(),
        shifts: shiftBody,
        certifications: certBody.optional(),
      }),
      response: { 201: technicianView },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const t = await ctx.db.transaction((tx) =>
        createTechnician(
          tx,
          principalOf(req),
          req.params.id,
          {
            ...b,
            shifts: toShifts(b.shifts),
            certifications: b.certifications ? toCerts(b.certifications) : [],
          },
          ctx.clock.now(),
        ),
      );
      invalidateTechnicians(ctx.db);
      return reply.status(201).send(toView(t));
    },
  });

  app.patch('/technicians/:id', {
    config: { access: 'technicians:write' },
    schema: {
      tags: ['technicians'],
      summary: 'Update a technician (shifts and certifications are replaced when given)',
      params: z.object({ id: id('tc') }),
      body: z.object({
        name: text(100).optional(),
        userId: id('usr').nullable().optional(),
        skills: z.array(skill).max(30).optional(),
        level: z.number().int().min(1).max(5).optional(),
        status: z.enum(['active', 'inactive']).optional(),
        shifts: shiftBody.optional(),
        certifications: certBody.optional(),
      }),
      response: { 200: technicianView },
    },
    handler: async (req) => {
      const b = req.body;
      const t = await ctx.db.transaction((tx) =>
        updateTechnician(tx, principalOf(req), req.params.id, {
          ...b,
          shifts: b.shifts ? toShifts(b.shifts) : undefined,
          certifications: b.certifications ? toCerts(b.certifications) : undefined,
        }),
      );
      invalidateTechnicians(ctx.db);
      return toView(t);
    },
  });

  app.post('/technicians/:id/time-off', {
    config: { access: 'technicians:write' },
    schema: {
      tags: ['technicians'],
      summary: 'Record leave or training (the technician is not offered in that time)',
      params: z.object({ id: id('tc') }),
      body: z.object({ startsAt: isoDateTime, endsAt: isoDateTime, reason: text(200).optional() }),
      response: {
        201: z.object({
          id: z.string(),
          startsAt: z.string(),
          endsAt: z.string(),
          reason: z.string().nullable(),
        }),
      },
    },
    handler: async (req, reply) => {
      const t = await addTimeOff(ctx.db, principalOf(req), req.params.id, {
        startsAt: new Date(req.body.startsAt),
        endsAt: new Date(req.body.endsAt),
        reason: req.body.reason,
      });
      invalidateTechnicians(ctx.db);
      return reply.status(201).send({
        id: t.id,
        startsAt: t.startsAt.toISOString(),
        endsAt: t.endsAt.toISOString(),
        reason: t.reason,
      });
    },
  });

  app.post('/technicians/:id/training', {
    config: { access: 'technicians:write' },
    schema: {
      tags: ['technicians'],
      summary: 'Record a training course a technician completed',
      params: z.object({ id: id('tc') }),
      body: z.object({
        course: text(200),
        provider: text(100).optional(),
        completedOn: isoDate,
        hours: z.number().int().min(0).max(2000),
        certificateCode: text(40).optional(),
      }),
      response: {
        201: z.object({ id: z.string(), course: z.string(), completedOn: z.string(), hours: z.number() }),
      },
    },
    handler: async (req, reply) => {
      const t = await addTraining(ctx.db, principalOf(req), req.params.id, req.body);
      return reply
        .status(201)
        .send({ id: t.id, course: t.course, completedOn: t.completedOn, hours: t.hours });
    },
  });
};

/** Store routes: public store finder and profile; management of profile, hours, exceptions, bays, holidays. */
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { requireStaff } from '../../platform/auth/principal.js';
import { convert, type CoordSystem } from '../../platform/domain/geo.js';
import { principalOf } from '../../platform/http/guard.js';
import { decodeCursor, pageOf, pageQuery } from '../../platform/http/pagination.js';
import { id, isoDate, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import { addDays, hhmmToMinutes, minutesToHhmm } from '../../platform/time.js';
import type { bays as baysTable } from './schema.js';
import { publicHolidays, storeHourExceptions } from './schema.js';
import {
  createBay,
  deleteHourException,
  getStoreRaw,
  getStoreScoped,
  listBays,
  listStoresScoped,
  setHourException,
  setWeeklyHours,
  updateBay,
  upsertStoreProfile,
  type StoreRow,
} from './store-profile.js';
import { invalidateHolidays, invalidateStoreSetup, storeSetups, holidaysCached } from './store-setup.js';
import { openingOn } from './opening-hours.js';
import { storesNearPoint } from './stores-near.js';

const coordSystems = ['wgs84', 'gcj02', 'bd09'] as const;
const bayTypes = ['general_lift', 'alignment', 'tyre', 'nev_safe', 'quick'] as const;
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');
export const lonLat = z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) });

export const storeView = z
  .object({
    id: z.string(),
    name: z.string(),
    address: z.string(),
    phone: z.string().nullable(),
    lon: z.number(),
    lat: z.number(),
    coord: z.enum(coordSystems),
    city: z.string(),
    district: z.string(),
    doorToDoorRadiusM: z.number(),
    capabilities: z.array(z.string()),
    certifications: z.array(z.string()),
    holidayMode: z.string(),
    cancelCutoffMinutes: z.number(),
    commissionBp: z.number(),
    ratingAvg: z.number().nullable(),
    ratingCount: z.number(),
    status: z.string(),
    distanceM: z.number().optional(),
  })
  .meta({ id: 'Store' });

export function toStoreView(s: StoreRow, coord: CoordSystem, distanceM?: number): z.infer<typeof storeView> {
  const c = convert({ lon: s.lon, lat: s.lat }, 'wgs84', coord);
  return {
    id: s.id,
    name: s.name,
    address: s.address,
    phone: s.phone,
    lon: +c.lon.toFixed(6),
    lat: +c.lat.toFixed(6),
    coord,
    city: s.city,
    district: s.district,
    doorToDoorRadiusM: s.doorToDoorRadiusM,
    capabilities: s.capabilities,
    certifications: s.certifications,
    holidayMode: s.holidayMode,
    cancelCutoffMinutes: s.cancelCutoffMinutes,
    commissionBp: s.commissionBp,
    ratingAvg: s.ratingAvg === null ? null : Math.round(s.ratingAvg * 100) / 100,
    ratingCount: s.ratingCount,
    status: s.status,
    ...(distanceM !== undefined ? { distanceM: Math.round(distanceM) } : {}),
  };
}

const hoursBody = z
  .array(z.object({ weekday: z.number().int().min(1).max(7), open: hhmm, close: hhmm }))
  .max(7);
const toHours = (h: z.infer<typeof hoursBody>) =>
  h.map((x) => ({ weekday: x.weekday, openMin: hhmmToMinutes(x.open), closeMin: hhmmToMinutes(x.close) }));

export const storesRoutes: ModuleRoutes = (app, ctx) => {
  const invalidate = (id?: string) => invalidateStoreSetup(ctx.db, id);

  app.get('/stores', {
    config: { access: 'public' },
    schema: {
      tags: ['stores'],
      summary: 'Find stores near a point (nearest first)',
      querystring: z.object({
        lon: z.coerce.number().min(-180).max(180),
        lat: z.coerce.number().min(-90).max(90),
        coord: z.enum(coordSystems).default('wgs84'),
        radiusKm: z.coerce.number().min(0.1).max(100).default(10),
        limit: z.coerce.number().int().min(1).max(100).default(30),
      }),
      response: { 200: z.object({ items: z.array(storeView) }) },
    },
    handler: async (req) => {
      const q = req.query;
      const at = convert({ lon: q.lon, lat: q.lat }, q.coord, 'wgs84');
      const near = await storesNearPoint(ctx.db, at, q.radiusKm * 1000);
      return { items: near.slice(0, q.limit).map((n) => toStoreView(n.store, q.coord, n.distanceM)) };
    },
  });

  app.get('/stores/mine', {
    config: { access: 'stores:read' },
    schema: {
      tags: ['stores'],
      summary: 'Stores in your scope (staff)',
      querystring: pageQuery.extend({ coord: z.enum(coordSystems).default('wgs84') }),
      response: { 200: pageOf(storeView) },
    },
    handler: async (req) => {
      const after = decodeCursor(req.query.cursor, 1)?.[0] as string | undefined;
      const page = await listStoresScoped(ctx.db, principalOf(req), { limit: req.query.limit, after });
      return { items: page.items.map((s) => toStoreView(s, req.query.coord)), nextCursor: page.nextCursor };
    },
  });

  app.get('/stores/:id', {
    config: { access: 'public' },
    schema: {
      tags: ['stores'],
      summary: 'A store’s public profile with its weekly hours',
      params: z.object({ id: id('st') }),
      querystring: z.object({ coord: z.enum(coordSystems).default('wgs84') }),
      response: {
        200: storeView.extend({
          hours: z.array(z.object({ weekday: z.number(), open: z.string(), close: z.string() })),
          bayTypes: z.array(z.string()),
        }),
      },
    },
    handler: async (req) => {
      const s = await getStoreRaw(ctx.db, req.params.id);
      if (!s || s.status === 'closed')
        throw new AppError('store.not_found', 'not_found', `No store with id ${req.params.id}`);
      const setup = (await storeSetups(ctx.db, ctx.db, [s.id])).get(s.id)!;
      return {
        ...toStoreView(s, req.query.coord),
        hours: setup.hours
          .sort((a, b) => a.weekday - b.weekday)
          .map((h) => ({
            weekday: h.weekday,
            open: minutesToHhmm(h.openMin),
            close: minutesToHhmm(h.closeMin),
          })),
        bayTypes: [...new Set(setup.bays.map((b) => b.type))].sort(),
      };
    },
  });

  app.get('/stores/:id/opening', {
    config: { access: 'public' },
    schema: {
      tags: ['stores'],
      summary: 'Opening hours per day for the next days, with holidays and make-up working days applied',
      params: z.object({ id: id('st') }),
      querystring: z.object({ from: isoDate, days: z.coerce.number().int().min(1).max(62).default(14) }),
      response: {
        200: z.object({
          days: z.array(
            z.object({
              day: z.string(),
              open: z.string().nullable(),
              close: z.string().nullable(),
              reason: z.string().nullable(),
              holiday: z.string().nullable(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const setup = (await storeSetups(ctx.db, ctx.db, [req.params.id])).get(req.params.id);
      if (!setup) throw new AppError('store.not_found', 'not_found', `No store with id ${req.params.id}`);
      const to = addDays(req.query.from, req.query.days - 1);
      const hol = await holidaysCached(ctx.db, ctx.db, req.query.from, to);
      const days = [];
      for (let i = 0; i < req.query.days; i++) {
        const day = addDays(req.query.from, i);
        const o = openingOn(day, setup.hours, setup.exceptions, hol.get(day), setup.store.holidayMode);
        days.push({
          day,
          open: o ? minutesToHhmm(o.openMin) : null,
          close: o ? minutesToHhmm(o.closeMin) : null,
          reason: o?.reason ?? null,
          holiday: hol.get(day)?.name ?? null,
        });
      }
      return { days };
    },
  });

  app.put('/stores/:id/profile', {
    config: { access: 'stores:write' },
    schema: {
      tags: ['stores'],
      summary: 'Create or update a store’s profile (location accepted in wgs84, gcj02 or bd09)',
      params: z.object({ id: id('st') }),
      body: z.object({
        address: text(300).optional(),
        phone: z.string().max(32).nullable().optional(),
        location: lonLat.extend({ coord: z.enum(coordSystems).default('gcj02') }).optional(),
        city: text(50).optional(),
        district: text(50).optional(),
        doorToDoorRadiusM: z.number().int().min(0).max(100_000).optional(),
        capabilities: z.array(text(50)).max(50).optional(),
        certifications: z.array(text(50)).max(50).optional(),
        commissionBp: z.number().int().min(0).max(5000).optional(),
        holidayMode: z.enum(['closed', 'normal', 'weekend']).optional(),
        cancelCutoffMinutes: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60)
          .optional(),
        status: z.enum(['active', 'paused', 'closed']).optional(),
        hours: hoursBody.optional(),
      }),
      response: { 200: storeView },
    },
    handler: async (req) => {
      const b = req.body;
      const row = await ctx.db.transaction((tx) =>
        upsertStoreProfile(
          tx,
          principalOf(req),
          req.params.id,
          { ...b, hours: b.hours ? toHours(b.hours) : undefined },
          ctx.clock.now(),
        ),
      );
      invalidate(row.id);
      return toStoreView(row, 'wgs84');
    },
  });

  app.put('/stores/:id/hours', {
    config: { access: 'stores:write' },
    schema: {
      tags: ['stores'],
      summary: 'Replace the weekly opening hours (a weekday left out is closed)',
      params: z.object({ id: id('st') }),
      body: z.object({ hours: hoursBody }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      await ctx.db.transaction(async (tx) => {
        await getStoreScoped(tx, principalOf(req), req.params.id);
        await setWeeklyHours(tx, req.params.id, toHours(req.body.hours));
      });
      invalidate(req.params.id);
      return reply.status(204).send(null);
    },
  });

  app.put('/stores/:id/exceptions/:day', {
    config: { access: 'stores:write' },
    schema: {
      tags: ['stores'],
      summary: 'Close the store for a day or set special hours',
      params: z.object({ id: id('st'), day: isoDate }),
      body: z.object({
        closed: z.boolean(),
        open: hhmm.optional(),
        close: hhmm.optional(),
        note: text(200).optional(),
      }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      const b = req.body;
      await setHourException(ctx.db, principalOf(req), req.params.id, {
        day: req.params.day,
        closed: b.closed,
        openMin: b.open ? hhmmToMinutes(b.open) : null,
        closeMin: b.close ? hhmmToMinutes(b.close) : null,
        note: b.note,
      });
      invalidate(req.params.id);
      return reply.status(204).send(null);
    },
  });

  app.delete('/stores/:id/exceptions/:day', {
    config: { access: 'stores:write' },
    schema: {
      tags: ['stores'],
      summary: 'Remove a day’s exception',
      params: z.object({ id: id('st'), day: isoDate }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      await deleteHourException(ctx.db, principalOf(req), req.params.id, req.params.day);
      invalidate(req.params.id);
      return reply.status(204).send(null);
    },
  });

  app.get('/stores/:id/exceptions', {
    config: { access: 'stores:read' },
    schema: {
      tags: ['stores'],
      summary: 'The store’s hour exceptions in a date range',
      params: z.object({ id: id('st') }),
      querystring: z.object({ from: isoDate, to: isoDate }),
      response: {
        200: z.object({
          items: z.array(
            z.object({
              day: z.string(),
              closed: z.boolean(),
              open: z.string().nullable(),
              close: z.string().nullable(),
              note: z.string().nullable(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      await getStoreScoped(ctx.db, principalOf(req), req.params.id);
      const rows = await ctx.db
        .select()
        .from(storeHourExceptions)
        .where(
          and(
            eq(storeHourExceptions.storeId, req.params.id),
            gte(storeHourExceptions.day, req.query.from),
            lte(storeHourExceptions.day, req.query.to),
          ),
        )
        .orderBy(asc(storeHourExceptions.day));
      return {
        items: rows.map((r) => ({
          day: r.day,
          closed: r.closed,
          open: r.openMin === null ? null : minutesToHhmm(r.openMin),
          close: r.closeMin === null ? null : minutesToHhmm(r.closeMin),
          note: r.note,
        })),
      };
    },
  });

  const bayView = z
    .object({
      id: z.string(),
      storeId: z.string(),
      name: z.string(),
      type: z.enum(bayTypes),
      active: z.boolean(),
    })
    .meta({ id: 'Bay' });
  const toBay = (b: typeof baysTable.$inferSelect) => ({
    id: b.id,
    storeId: b.storeId,
    name: b.name,
    type: b.type,
    active: b.active,
  });

  app.get('/stores/:id/bays', {
    config: { access: 'stores:read' },
    schema: {
      tags: ['stores'],
      summary: 'Bays of a store',
      params: z.object({ id: id('st') }),
      response: { 200: z.object({ items: z.array(bayView) }) },
    },
    handler: async (req) => {
      await getStoreScoped(ctx.db, principalOf(req), req.params.id);
      return { items: (await listBays(ctx.db, req.params.id)).map(toBay) };
    },
  });

  app.post('/stores/:id/bays', {
    config: { access: 'stores:write' },
    schema: {
      tags: ['stores'],
      summary: 'Add a bay',
      params: z.object({ id: id('st') }),
      body: z.object({ name: text(50), type: z.enum(bayTypes) }),
      response: { 201: bayView },
    },
    handler: async (req, reply) => {
      const b = await createBay(ctx.db, principalOf(req), req.params.id, req.body);
      invalidate(req.params.id);
      return reply.status(201).send(toBay(b));
    },
  });

  app.patch('/bays/:id', {
    config: { access: 'stores:write' },
    schema: {
      tags: ['stores'],
      summary: 'Rename, retype or deactivate a bay',
      params: z.object({ id: id('bay') }),
      body: z.object({
        name: text(50).optional(),
        type: z.enum(bayTypes).optional(),
        active: z.boolean().optional(),
      }),
      response: { 200: bayView },
    },
    handler: async (req) => {
      const b = await updateBay(ctx.db, principalOf(req), req.params.id, req.body);
      invalidate(b.storeId);
      return toBay(b);
    },
  });

  const holidayView = z.object({
    day: z.string(),
    kind: z.enum(['holiday', 'workday']),
    name: z.string(),
    source: z.string(),
  });
  app.get('/holidays', {
    config: { access: 'public' },
    schema: {
      tags: ['stores'],
      summary: 'Mainland public holidays and make-up working days (调休) of a year',
      querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
      response: { 200: z.object({ items: z.array(holidayView) }) },
    },
    handler: async (req) => {
      const y = req.query.year;
      const rows = await ctx.db
        .select()
        .from(publicHolidays)
        .where(and(gte(publicHolidays.day, `${y}-01-01`), lte(publicHolidays.day, `${y}-12-31`)))
        .orderBy(asc(publicHolidays.day));
      return { items: rows };
    },
  });

  app.put('/holidays/:day', {
    config: { access: 'orgs:write' },
    schema: {
      tags: ['stores'],
      summary: 'Set a day as a public holiday or a make-up working day (platform operator)',
      params: z.object({ day: isoDate }),
      body: z.object({ kind: z.enum(['holiday', 'workday']), name: text(50) }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      if (requireStaff(principalOf(req)).role !== 'platform_operator') {
        throw new AppError(
          'holidays.operator_only',
          'forbidden',
          'Only the platform operator edits the holiday calendar',
        );
      }
      const v = { day: req.params.day, kind: req.body.kind, name: req.body.name, source: 'operator' };
      await ctx.db
        .insert(publicHolidays)
        .values(v)
        .onConflictDoUpdate({ target: publicHolidays.day, set: v });
      invalidateHolidays(ctx.db);
      return reply.status(204).send(null);
    },
  });

  app.delete('/holidays/:day', {
    config: { access: 'orgs:write' },
    schema: {
      tags: ['stores'],
      summary: 'Make a day an ordinary day again (platform operator)',
      params: z.object({ day: isoDate }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      if (requireStaff(principalOf(req)).role !== 'platform_operator') {
        throw new AppError(
          'holidays.operator_only',
          'forbidden',
          'Only the platform operator edits the holiday calendar',
        );
      }
      await ctx.db.delete(publicHolidays).where(eq(publicHolidays.day, req.params.day));
      invalidateHolidays(ctx.db);
      return reply.status(204).send(null);
    },
  });
};

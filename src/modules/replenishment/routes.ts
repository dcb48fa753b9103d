/** Replenishment routes: demand history per part at a stock location (forecasts and suggestions build on it). */
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../platform/db/types.js';
import { invLocations } from '../inventory/schema.js';
import { principalOf } from '../../platform/http/guard.js';
import { id, isoDate, type ModuleRoutes } from '../../platform/http/schemas.js';
import { AppError } from '../../platform/errors.js';
import { addDays, localToUtc, utcToLocal } from '../../platform/time.js';
import { loadLocation, loadPart, partsByIds } from '../inventory/index.js';
import { forecastVsActual } from './forecast-series.js';
import { demandHistory, PERIODS } from './demand.js';
import { requireStaff } from '../../platform/auth/principal.js';
import { suggestionReason } from './reason.js';
import { decideSuggestion, listSuggestions, planReplenishment, type Suggestion } from './plan.js';

const suggestionView = z
  .object({
    id: z.string(),
    locationId: z.string(),
    partId: z.string(),
    kind: z.enum(['transfer', 'purchase']),
    fromLocationId: z.string().nullable(),
    qtyMilli: z.number(),
    positionMilli: z.number(),
    reorderPointMilli: z.number(),
    orderUpToMilli: z.number(),
    fillRate: z.number(),
    forecast: z.object({
      weeklyMeanMilli: z.number(),
      historyMilli: z.array(z.number()),
      method: z.string(),
      known: z
        .object({
          milli: z.number(),
          weeks: z.number(),
          bookings: z.number(),
          proposals: z.number(),
          orderUpToWithoutMilli: z.number(),
        })
        .optional()
        .describe(
          'Demand of confirmed bookings and open maintenance proposals within lead time + review, included in the order-up-to level',
        ),
    }),
    reason: z.string(),
    part: z.object({ sku: z.string(), name: z.string(), unit: z.string() }).nullable(),
    locationName: z.string().nullable(),
    fromLocationName: z.string().nullable(),
    status: z.enum(['pending', 'approved', 'dismissed']),
    documentId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ReplenishmentSuggestion' });
interface Names {
  parts: Map<string, { sku: string; name: string; unit: string }>;
  locations: Map<string, string>;
}
/** Part and location names for a page of suggestions (warehouses upstream may lie outside the caller's scope: names only). */
async function namesFor(ex: Executor, list: readonly Suggestion[]): Promise<Names> {
  const parts = await partsByIds(
    ex,
    list.map((s) => s.partId),
  );
  const ids = [...new Set(list.flatMap((s) => [s.locationId, s.fromLocationId ?? s.locationId]))];
  const locs = ids.length
    ? await ex
        .select({ id: invLocations.id, name: invLocations.name })
        .from(invLocations)
        .where(inArray(invLocations.id, ids))
    : [];
  return { parts, locations: new Map(locs.map((l) => [l.id, l.name])) };
}

const toSuggestion = (s: Suggestion, names: Names): z.infer<typeof suggestionView> => ({
  id: s.id,
  locationId: s.locationId,
  partId: s.partId,
  kind: s.kind,
  fromLocationId: s.fromLocationId,
  qtyMilli: s.qtyMilli,
  positionMilli: s.positionMilli,
  reorderPointMilli: s.reorderPointMilli,
  orderUpToMilli: s.orderUpToMilli,
  fillRate: s.fillRate,
  forecast: s.forecast,
  reason: suggestionReason(s),
  part: ((p) => (p ? { sku: p.sku, name: p.name, unit: p.unit } : null))(names.parts.get(s.partId)),
  locationName: names.locations.get(s.locationId) ?? null,
  fromLocationName: s.fromLocationId ? (names.locations.get(s.fromLocationId) ?? null) : null,
  status: s.status,
  documentId: s.documentId,
  createdAt: s.createdAt.toISOString(),
});

export const replenishmentRoutes: ModuleRoutes = (app, ctx) => {
  app.post('/replenishment/plan', {
    config: { access: 'replenishment:write' },
    schema: {
      tags: ['replenishment'],
      summary:
        'Run the multi-echelon plan over the caller’s locations: reorder points and order-up-to levels from the forecast, and suggested transfers and purchase orders',
      body: z.object({ fillRate: z.number().gt(0.5).lt(1).default(0.95) }),
      response: {
        200: z.object({
          locations: z.number(),
          series: z.number(),
          method: z.enum(['pitlane', 'sba']),
          policies: z.number(),
          suggestions: z.array(suggestionView),
        }),
      },
    },
    handler: async (req) => {
      const p = requireStaff(principalOf(req));
      const r = await ctx.db.transaction((tx) =>
        planReplenishment(ctx, tx, p, { fillRate: req.body.fillRate }),
      );
      const names = await namesFor(ctx.db, r.suggestions);
      return { ...r, suggestions: r.suggestions.map((s) => toSuggestion(s, names)) };
    },
  });

  app.get('/replenishment/suggestions', {
    config: { access: 'replenishment:read' },
    schema: {
      tags: ['replenishment'],
      summary: 'Suggested transfers and purchase orders for the planner',
      querystring: z.object({
        status: z.enum(['pending', 'approved', 'dismissed']).optional(),
        locationId: id('loc').optional(),
      }),
      response: { 200: z.object({ items: z.array(suggestionView) }) },
    },
    handler: async (req) => {
      const list = await listSuggestions(ctx.db, requireStaff(principalOf(req)), req.query);
      const names = await namesFor(ctx.db, list);
      return { items: list.map((s) => toSuggestion(s, names)) };
    },
  });

  app.post('/replenishment/suggestions/:id/approve', {
    config: { access: 'replenishment:write' },
    schema: {
      tags: ['replenishment'],
      summary: 'Approve a suggestion: ships the transfer from upstream, or drafts the purchase order',
      params: z.object({ id: id('sug') }),
      body: z.object({ supplier: z.string().min(1).max(100).optional() }),
      response: { 200: suggestionView },
    },
    handler: async (req) => {
      const p = requireStaff(principalOf(req));
      const s = await ctx.db.transaction((tx) =>
        decideSuggestion(ctx, tx, p, req.params.id, { approve: true, supplier: req.body.supplier }),
      );
      return toSuggestion(s, await namesFor(ctx.db, [s]));
    },
  });

  app.post('/replenishment/suggestions/:id/dismiss', {
    config: { access: 'replenishment:write' },
    schema: {
      tags: ['replenishment'],
      summary: 'Dismiss a suggestion',
      params: z.object({ id: id('sug') }),
      body: z.object({}).default({}),
      response: { 200: suggestionView },
    },
    handler: async (req) => {
      const p = requireStaff(principalOf(req));
      const s = await ctx.db.transaction((tx) =>
        decideSuggestion(ctx, tx, p, req.params.id, { approve: false }),
      );
      return toSuggestion(s, await namesFor(ctx.db, [s]));
    },
  });

  app.get('/replenishment/locations/:id/demand', {
    config: { access: 'replenishment:read' },
    schema: {
      tags: ['replenishment'],
      summary:
        'Demand history per part at a stock location, from the ledger (consumption net of customer returns; no transfers), by day, week or month',
      params: z.object({ id: id('loc') }),
      querystring: z.object({
        period: z.enum(PERIODS).default('week'),
        from: isoDate.optional(),
        to: isoDate.optional(),
        partId: id('prt').optional(),
      }),
      response: {
        200: z.object({
          locationId: z.string(),
          period: z.enum(PERIODS),
          periods: z.array(z.string()),
          items: z.array(
            z.object({
              partId: z.string(),
              sku: z.string(),
              name: z.string(),
              unit: z.string(),
              milli: z.array(z.number()),
              totalMilli: z.number(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const loc = await loadLocation(ctx.db, principalOf(req), req.params.id);
      const tz = ctx.config.timezone;
      const today = utcToLocal(ctx.clock.now(), tz).day;
      const toDay = req.query.to ?? today;
      const fromDay = req.query.from ?? addDays(toDay, -89);
      if (fromDay > toDay)
        throw new AppError('replenishment.bad_range', 'validation', '`from` must not be after `to`');
      if (fromDay < addDays(toDay, -3 * 366))
        throw new AppError(
          'replenishment.range_too_long',
          'validation',
          'Ask for at most three years at a time',
        );
      const { periods, series } = await demandHistory(ctx.db, {
        locationId: loc.id,
        partIds: req.query.partId ? [req.query.partId] : undefined,
        period: req.query.period,
        fromDay,
        toDay,
        tz,
        from: localToUtc(fromDay, 0, tz),
        to: localToUtc(addDays(toDay, 1), 0, tz),
      });
      const parts = await partsByIds(
        ctx.db,
        series.map((s) => s.partId),
      );
      return {
        locationId: loc.id,
        period: req.query.period,
        periods,
        items: series.flatMap((s) => {
          const p = parts.get(s.partId);
          if (!p) return [];
          return [
            {
              partId: s.partId,
              sku: p.sku,
              name: p.name,
              unit: p.unit,
              milli: s.milli,
              totalMilli: s.milli.reduce((a, b) => a + b, 0),
            },
          ];
        }),
      };
    },
  });

  app.get('/replenishment/locations/:id/parts/:partId/forecast', {
    config: { access: 'replenishment:read' },
    schema: {
      tags: ['replenishment'],
      summary:
        'Forecast against actual for one part at a stock location: demand history by week or month with each period’s one-step-ahead forecast, then the forecast mean and a 10–90 % band for the next periods, including demand known from live bookings and maintenance proposals',
      params: z.object({ id: id('loc'), partId: id('prt') }),
      querystring: z.object({
        period: z.enum(['week', 'month']).default('week'),
        history: z.coerce
          .number()
          .int()
          .min(4)
          .max(156)
          .optional()
          .describe('Complete past periods to show (default 26 weeks or 12 months)'),
        horizon: z.coerce
          .number()
          .int()
          .min(1)
          .max(26)
          .optional()
          .describe('Future periods to forecast, the current one first (default 8 weeks or 3 months)'),
      }),
      response: {
        200: z
          .object({
            locationId: z.string(),
            partId: z.string(),
            sku: z.string(),
            name: z.string(),
            unit: z.string(),
            period: z.enum(['week', 'month']),
            method: z.enum(['pitlane', 'sba']),
            demandClass: z.enum(['smooth', 'erratic', 'intermittent', 'lumpy', 'none']),
            band: z.object({ lower: z.number(), upper: z.number() }),
            history: z.array(
              z.object({
                period: z.string(),
                actualMilli: z.number(),
                forecastMilli: z.number().nullable(),
              }),
            ),
            forecast: z.array(
              z.object({
                period: z.string(),
                meanMilli: z.number(),
                lowMilli: z.number(),
                highMilli: z.number(),
                knownMilli: z.number(),
              }),
            ),
          })
          .meta({ id: 'ReplenishmentForecastVsActual' }),
      },
    },
    handler: async (req) => {
      const principal = principalOf(req);
      const loc = await loadLocation(ctx.db, principal, req.params.id);
      const part = await loadPart(ctx.db, principal, req.params.partId);
      const monthly = req.query.period === 'month';
      const r = await forecastVsActual(ctx.db, {
        locationId: loc.id,
        partId: part.id,
        period: req.query.period,
        history: req.query.history ?? (monthly ? 12 : 26),
        horizon: req.query.horizon ?? (monthly ? 3 : 8),
        now: ctx.clock.now(),
        tz: ctx.config.timezone,
      });
      return { locationId: loc.id, partId: part.id, sku: part.sku, name: part.name, unit: part.unit, ...r };
    },
  });
};

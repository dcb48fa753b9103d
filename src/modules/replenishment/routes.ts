/** Replenishment routes: demand history per part at a stock location (forecasts and suggestions build on it). */
import { z } from 'zod';
import { principalOf } from '../../platform/http/guard.js';
import { id, isoDate, type ModuleRoutes } from '../../platform/http/schemas.js';
import { AppError } from '../../platform/errors.js';
import { addDays, localToUtc, utcToLocal } from '../../platform/time.js';
import { loadLocation, partsByIds } from '../inventory/index.js';
import { demandHistory, PERIODS } from './demand.js';
import { requireStaff } from '../../platform/auth/principal.js';
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
    }),
    status: z.enum(['pending', 'approved', 'dismissed']),
    documentId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ReplenishmentSuggestion' });
const toSuggestion = (s: Suggestion): z.infer<typeof suggestionView> => ({
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
      return { ...r, suggestions: r.suggestions.map(toSuggestion) };
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
    handler: async (req) => ({
      items: (await listSuggestions(ctx.db, requireStaff(principalOf(req)), req.query)).map(toSuggestion),
    }),
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
      return toSuggestion(
        await ctx.db.transaction((tx) =>
          decideSuggestion(ctx, tx, p, req.params.id, { approve: true, supplier: req.body.supplier }),
        ),
      );
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
      return toSuggestion(
        await ctx.db.transaction((tx) => decideSuggestion(ctx, tx, p, req.params.id, { approve: false })),
      );
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
};

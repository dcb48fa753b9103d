/** Replenishment routes: demand history per part at a stock location (forecasts and suggestions build on it). */
import { z } from 'zod';
import { principalOf } from '../../platform/http/guard.js';
import { id, isoDate, type ModuleRoutes } from '../../platform/http/schemas.js';
import { AppError } from '../../platform/errors.js';
import { addDays, localToUtc, utcToLocal } from '../../platform/time.js';
import { loadLocation, partsByIds } from '../inventory/index.js';
import { demandHistory, PERIODS } from './demand.js';

export const replenishmentRoutes: ModuleRoutes = (app, ctx) => {
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

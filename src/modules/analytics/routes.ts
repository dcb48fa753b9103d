/** Analytics routes: the overview dashboard data, scoped to the caller. */
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { requireStaff } from '../../platform/auth/principal.js';
import { principalOf } from '../../platform/http/guard.js';
import { isoDate, type ModuleRoutes } from '../../platform/http/schemas.js';
import { overview } from './overview.js';

export const analyticsRoutes: ModuleRoutes = (app, ctx) => {
  app.get('/analytics/overview', {
    config: { access: 'analytics:read' },
    schema: {
      tags: ['analytics'],
      summary:
        'Bookings and searches per day, conversion, average order value, store utilisation, top services',
      querystring: z.object({ from: isoDate, to: isoDate }),
      response: {
        200: z.object({
          from: z.string(),
          to: z.string(),
          days: z.array(
            z.object({
              day: z.string(),
              searches: z.number(),
              bookings: z.number(),
              confirmed: z.number(),
              orders: z.number(),
              revenueFen: z.number(),
            }),
          ),
          conversion: z.object({ searches: z.number(), bookings: z.number(), rate: z.number() }),
          averageOrderFen: z.number(),
          revenueFen: z.number(),
          orders: z.number(),
          utilisation: z.array(
            z.object({
              storeId: z.string(),
              storeName: z.string(),
              bookedMinutes: z.number(),
              capacityMinutes: z.number(),
              rate: z.number(),
            }),
          ),
          topServices: z.array(
            z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), count: z.number() }),
          ),
        }),
      },
    },
    handler: async (req) => {
      if (req.query.to < req.query.from)
        throw new AppError('analytics.bad_range', 'validation', '`to` must not be before `from`');
      const span = (Date.parse(req.query.to) - Date.parse(req.query.from)) / 86_400_000;
      if (span > 366)
        throw new AppError('analytics.range_too_long', 'validation', 'Ask for at most one year at a time');
      return overview(ctx, requireStaff(principalOf(req)), req.query);
    },
  });
};

/**
 * buildApp(ctx) → a Fastify instance with every module's routes under /api/v1. Used by `serve` and
 * by tests (`app.inject()`); it never listens by itself.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyRateLimit from '@fastify/rate-limit';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from './platform/context.js';
import { AppError } from './platform/errors.js';
import { installErrorHandling } from './platform/http/error-handler.js';
import { installGuard, type RegisteredRoute } from './platform/http/guard.js';
import { newId } from './platform/domain/ids.js';
import type { App, ModuleRoutes } from './platform/http/schemas.js';
import { platformRoutes } from './platform/http/platform-routes.js';
import { identityRoutes } from './modules/identity/routes.js';
import { resolvePrincipal } from './modules/identity/sessions.js';
import { catalogRoutes } from './modules/catalog/index.js';
import { storesRoutes } from './modules/stores/index.js';
import { techniciansRoutes } from './modules/technicians/index.js';
import { customersRoutes } from './modules/customers/index.js';
import { bookingRoutes } from './modules/booking/index.js';
import { workOrderRoutes } from './modules/workorders/index.js';
import { analyticsRoutes } from './modules/analytics/index.js';
import { dispatchRoutes } from './modules/dispatch/index.js';
import { maintenanceRoutes } from './modules/maintenance/index.js';
import { replenishmentRoutes } from './modules/replenishment/index.js';
import { inventoryRoutes } from './modules/inventory/index.js';
import { telematicsRoutes } from './modules/telematics/index.js';
import fastifyMultipart from '@fastify/multipart';
import { wireModules } from './modules/wiring.js';
import { isSpaRoute, registerWebConsole } from './platform/web/serve-web.js';

export const API_PREFIX = '/api/v1';
export const API_VERSION = '0.1.0';

/** Every module's routes, in registration order. */
const MODULE_ROUTES: ModuleRoutes[] = [
  platformRoutes,
  identityRoutes,
  catalogRoutes,
  storesRoutes,
  techniciansRoutes,
  customersRoutes,
  bookingRoutes,
  workOrderRoutes,
  analyticsRoutes,
  dispatchRoutes,
  maintenanceRoutes,
  replenishmentRoutes,
  inventoryRoutes,
  telematicsRoutes,
];

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface BuiltApp {
  app: FastifyInstance;
  routes: RegisteredRoute[];
}

export async function buildApp(
  ctx: AppContext,
  opts: { extraRoutes?: ModuleRoutes[] } = {},
): Promise<BuiltApp> {
  wireModules(ctx);
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId('req');
    },
    trustProxy: false,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, (code) => ctx.metrics.httpErrors.inc({ code }));
  const routes = installGuard(app, (token) => resolvePrincipal(ctx, token), { publicPrefixes: ['/docs'] });
  ctx.metrics.install(app);
  app.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });

  if (ctx.config.rateLimit > 0) {
    await app.register(fastifyRateLimit, {
      global: true,
      max: ctx.config.rateLimit,
      timeWindow: 60_000,
      errorResponseBuilder: (_req, c) =>
        new AppError(
          'request.rate_limited',
          'rate_limited',
          `Too many requests; try again in ${Math.ceil(c.ttl / 1000)} s`,
          {
            retryAfterSeconds: Math.ceil(c.ttl / 1000),
          },
        ),
    });
  }

  await app.register(fastifyMultipart, {
    limits: { fileSize: ctx.config.uploadLimit, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pitlane API',
        version: API_VERSION,
        description:
          'Open platform for the car aftermarket. Every error is `{"error":{"code","message","details"}}`. ' +
          'Sign in, then send `Authorization: Bearer <accessToken>`. POSTs that create something accept `Idempotency-Key`.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const zapp = app.withTypeProvider<ZodTypeProvider>() as App;
  zapp.get('/healthz', {
    config: { access: 'public' },
    schema: {
      tags: ['platform'],
      summary: 'Liveness and database check',
      response: {
        200: z.object({ status: z.literal('ok'), database: z.string(), time: z.string() }),
        503: z.object({ status: z.literal('unavailable'), database: z.string(), error: z.string() }),
      },
    },
    handler: async (_req, reply) => {
      try {
        await ctx.db.execute(sql`select 1`);
        ctx.metrics.dbUp.set(1);
        return { status: 'ok' as const, database: ctx.dbKind, time: ctx.clock.now().toISOString() };
      } catch {
        ctx.metrics.dbUp.set(0);
        return reply
          .status(503)
          .send({ status: 'unavailable' as const, database: ctx.dbKind, error: 'database did not answer' });
      }
    },
  });
  zapp.get('/livez', {
    config: { access: 'public' },
    schema: {
      tags: ['platform'],
      summary: 'Liveness without touching the database',
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });
  zapp.get('/metrics', {
    config: { access: 'public' },
    schema: { tags: ['platform'], summary: 'Prometheus metrics', hide: true },
    handler: async (_req, reply) => {
      const t = process.hrtime.bigint();
      try {
        await ctx.db.execute(sql`select 1`);
        ctx.metrics.dbUp.set(1);
        ctx.metrics.dbPing.set(Number(process.hrtime.bigint() - t) / 1e9);
      } catch {
        ctx.metrics.dbUp.set(0);
      }
      return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    },
  });

  await app.register(
    async (api) => {
      const zapi = api.withTypeProvider<ZodTypeProvider>() as App;
      zapi.get('/openapi.json', {
        config: { access: 'public' },
        schema: { hide: true },
        handler: async () => app.swagger(),
      });
      for (const register of [...MODULE_ROUTES, ...(opts.extraRoutes ?? [])]) register(zapi, ctx);
    },
    { prefix: API_PREFIX },
  );

  const web = await registerWebConsole(app);
  if (web) {
    // Deep links of the console (e.g. /owner/bookings) answer its index.html.
    app.addHook('onRequest', async (req, reply) => {
      if (req.routeOptions.url === undefined && isSpaRoute(req.method, req.url)) {
        return reply.type('text/html; charset=utf-8').sendFile('index.html');
      }
    });
  }

  await app.ready();
  return { app, routes };
}

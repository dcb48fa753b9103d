/**
 * Authentication and authorization for every route, in one place. Each route declares
 * `config: { access: '<permission>' | 'public' | 'authenticated' }`; a route without one is refused
 * (fail closed) and a test walks all routes to make sure none is missing.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import { PERMISSIONS, roleHas, type Permission, type RouteAccess } from '../auth/roles.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export type PrincipalResolver = (bearerToken: string) => Promise<Principal>;

const permissionSet = new Set<string>(PERMISSIONS);

export function isValidAccess(a: unknown): a is RouteAccess {
  return a === 'public' || a === 'authenticated' || (typeof a === 'string' && permissionSet.has(a));
}

/** Routes registered on the app, with what they declared (for the route-walk test and docs). */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

export function installGuard(
  app: FastifyInstance,
  resolve: PrincipalResolver,
  opts: { publicPrefixes?: readonly string[] } = {},
): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    // Pages outside the API that plugins register (the docs UI, the web console's static files)
    // are public by design; every /api route must declare its access or stays closed.
    const declared = (r.config as { access?: unknown } | undefined)?.access;
    if (
      opts.publicPrefixes?.some((p) => r.url.startsWith(p)) ||
      (declared === undefined && !r.url.startsWith('/api'))
    ) {
      r.config = { ...(r.config ?? {}), access: 'public' };
    }
    const access = (r.config as { access?: unknown } | undefined)?.access;
    for (const m of methods)
      routes.push({ method: m, url: r.url, access: isValidAccess(access) ? access : undefined });
  });

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const access = req.routeOptions.config?.access;
    if (req.routeOptions.url === undefined) return; // 404 handler
    if (!isValidAccess(access)) {
      throw new AppError(
        'auth.route_unguarded',
        'forbidden',
        'This route declares no permission and is closed',
      );
    }
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (token) {
      try {
        req.principal = await resolve(token);
      } catch (e) {
        if (access !== 'public') throw e;
        // A stale token on a public route: answer as anonymous.
      }
    }
    if (access === 'public') return;
    if (!req.principal) {
      throw new AppError(
        'auth.unauthenticated',
        'unauthenticated',
        'Sign in first: this needs an access token',
      );
    }
    if (access === 'authenticated') return;
    if (!roleHas(req.principal.role, access)) {
      throw new AppError(
        'auth.forbidden',
        'forbidden',
        `Your role (${req.principal.role}) may not do this (needs ${access})`,
      );
    }
  });
  return routes;
}

/** For handlers: the caller, known to be signed in because the route is not public. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('auth.unauthenticated', 'unauthenticated', 'Sign in first');
  return req.principal;
}

export type { Permission };

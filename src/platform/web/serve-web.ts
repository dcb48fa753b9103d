/**
 * Serves the built web console (web/dist) under `/`, with the single-page-app fallback: any GET that
 * is not an API, docs or operational path and has no file answers index.html.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const NOT_SPA = /^\/(api|docs|healthz|metrics)(\/|$)/;

export async function registerWebConsole(app: FastifyInstance, distDir = WEB_DIST): Promise<boolean> {
  if (!existsSync(path.join(distDir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    cacheControl: true,
    maxAge: '1h',
    setHeaders: (res, file) => {
      if (file.endsWith('index.html')) res.setHeader('cache-control', 'no-cache');
    },
  });
  return true;
}

/** Requests the SPA should answer (GET, not an API path, looks like a page). */
export function isSpaRoute(method: string, url: string): boolean {
  return method === 'GET' && !NOT_SPA.test(url) && !/\.[a-z0-9]+$/i.test(url.split('?')[0] ?? '');
}

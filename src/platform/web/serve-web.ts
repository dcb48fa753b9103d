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

/** `assets/<name>-<8-character hash>.<ext>` as Vite names its output. */
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8}\.\w+$/;

const NOT_SPA = /^\/(api|docs|healthz|livez|metrics)(\/|$)/;

export async function registerWebConsole(app: FastifyInstance, distDir = WEB_DIST): Promise<boolean> {
  if (!existsSync(path.join(distDir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // Cache-Control is set here, per file (with `cacheControl: true` @fastify/send's header would
    // overwrite it): index.html names the current build and must be revalidated; Vite's assets
    // carry a content hash and never change; anything else (favicon) for an hour.
    cacheControl: false,
    setHeaders: (res, file) => {
      if (file.endsWith('index.html')) res.setHeader('cache-control', 'no-cache');
      else if (HASHED_ASSET.test(file)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else res.setHeader('cache-control', 'public, max-age=3600');
    },
  });
  return true;
}

/** A path that names a static file; page paths may contain dots (`/approve/wo_….1.1795….<hmac>`). */
const STATIC_FILE =
  /\.(?:html|m?js|css|map|svg|png|jpe?g|gif|webp|avif|ico|json|txt|xml|woff2?|ttf|webmanifest)$/i;

/** Requests the SPA should answer (GET, not an API path, not a static file). */
export function isSpaRoute(method: string, url: string): boolean {
  return method === 'GET' && !NOT_SPA.test(url) && !STATIC_FILE.test(url.split('?')[0] ?? '');
}

/**
 * Builds the web console (web/ → web/dist) when it is missing or older than its sources, so that
 * `npm start` and `npm run demo` on a fresh clone serve a console with no extra step.
 *
 * Fast when nothing changed: one walk of the source tree comparing modification times (a few ms).
 * A build goes to a private directory first and is then swapped in, so a second process building
 * at the same time, or a server reading web/dist meanwhile, never sees a half-written console.
 * Without Vite (a production install without dev dependencies) an existing build is served as is.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Vite from 'vite';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const WEB_DIR = path.join(ROOT, 'web');
const DIST = path.join(WEB_DIR, 'dist');
const CONFIG = path.join(WEB_DIR, 'vite.config.ts');

/** What the console is built from: its sources, entry page, config, and the shared validators. */
function inputs(): string[] {
  return [
    path.join(WEB_DIR, 'src'),
    path.join(WEB_DIR, 'public'),
    path.join(WEB_DIR, 'index.html'),
    CONFIG,
    path.join(WEB_DIR, 'tsconfig.json'),
    ...['phone', 'plate', 'vin', 'errors', 'random'].map((f) =>
      path.join(ROOT, 'src/platform/domain', `${f}.ts`),
    ),
  ];
}

/** Newest modification time (ms) under `p` (a file or a directory), ignoring tests; 0 when absent. */
export function newestMtime(p: string): number {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return /\.test\.[cm]?[jt]sx?$/.test(p) ? 0 : st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(p)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, name)));
  }
  return newest;
}

/** Why a build is needed (`missing`, `stale`), or null when web/dist is up to date. */
export function webBuildNeeded(): 'missing' | 'stale' | null {
  const index = path.join(DIST, 'index.html');
  if (!existsSync(index)) return 'missing';
  const built = statSync(index).mtimeMs;
  return inputs().some((p) => newestMtime(p) > built) ? 'stale' : null;
}

export async function ensureWebBuilt(log: (line: string) => void = (l) => console.log(l)): Promise<void> {
  if (!existsSync(CONFIG)) return; // no console sources in this install
  const why = webBuildNeeded();
  if (!why) return;

  let vite: typeof Vite;
  try {
    vite = await import('vite');
  } catch {
    log(
      why === 'missing'
        ? 'The web console is not built and Vite is not installed (npm ci without --omit=dev builds it); serving the API only.'
        : 'The web console is older than its sources, but Vite is not installed; serving the existing build.',
    );
    return;
  }

  // Vite sets NODE_ENV=production in this process when it is unset; the server (and anything it
  // starts) must keep its own mode, e.g. the development outbox.
  const nodeEnv = process.env.NODE_ENV;
  const started = Date.now();
  log(`Building the web console (${why === 'missing' ? 'first build' : 'sources changed'}) …`);
  // scratch space that git, ESLint and Prettier already ignore, on the same disk as web/dist
  const scratch = path.join(ROOT, 'node_modules', '.cache', 'pitlane-web');
  const tmp = path.join(scratch, `build-${process.pid}`);
  const old = path.join(scratch, `old-${process.pid}`);
  try {
    await mkdir(scratch, { recursive: true });
    await vite.build({
      configFile: CONFIG,
      logLevel: 'warn',
      build: { outDir: tmp, emptyOutDir: true },
    });
    if (existsSync(DIST)) await rename(DIST, old);
    try {
      await rename(tmp, DIST);
    } catch (error) {
      // another process swapped its (equal) build in first
      if (!existsSync(path.join(DIST, 'index.html'))) throw error;
    }
    log(`Web console built in ${((Date.now() - started) / 1000).toFixed(1)} s (web/dist).`);
  } catch (error) {
    log(`The web console failed to build: ${error instanceof Error ? error.message : String(error)}`);
    if (!existsSync(DIST) && existsSync(old)) await rename(old, DIST).catch(() => undefined);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    await rm(tmp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}

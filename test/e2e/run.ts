/**
 * Browser tests: `node --import tsx test/e2e/run.ts [name-filter]`.
 *
 * Starts a real `pitlane serve --demo` on a temporary data dir (or uses E2E_BASE_URL), drives
 * Debian Chromium through playwright-core, runs the scenarios in order (the owner's booking is the
 * one the store hands over), writes screenshots to test-results/e2e-<timestamp>/ (printed), and
 * exits non-zero when a scenario fails.
 *
 * Environment: E2E_BASE_URL (skip starting a server), E2E_OUT (screenshot folder),
 * CHROMIUM_PATH (default /usr/bin/chromium), E2E_KEEP_DATA=1 (keep the temporary data dir),
 * E2E_DOCS=1 (copy the README's screenshots into docs/screenshots/).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuilt } from '../../src/platform/web/ensure-web-built.js';
import { startServerProcess, type ServerProcess } from '../../src/testing/process.js';
import { dashboardRenders } from './dashboard.e2e.js';
import { ensureStoresNear, staffClient } from './fixtures.js';
import { CHROMIUM, launchBrowser, makeCtx, type Scenario, type Shared } from './harness.js';
import { ownerBooks } from './owner-books.e2e.js';
import { ownerHealth } from './owner-health.e2e.js';
import { storeDispatch } from './store-dispatch.e2e.js';
import { storeHandsOver } from './store-hands-over.e2e.js';
import { storeReplenishment } from './store-replenishment.e2e.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS: Scenario[] = [
  ownerBooks,
  storeHandsOver,
  ownerHealth,
  dashboardRenders,
  storeDispatch,
  storeReplenishment,
];

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** E2E_DOCS=1: refresh the README's pictures from this run. */
const DOC_SHOTS: Record<string, string> = {
  'owner-store-map': 'owner-booking-phone.png',
  'ops-dashboard': 'ops-dashboard.png',
  'store-dispatch': 'store-dispatch.png',
};

function copyDocScreenshots(shotsDir: string): void {
  const target = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(shotsDir)) {
    const name = /^\d+-(.+)\.png$/.exec(file)?.[1];
    const doc = name ? DOC_SHOTS[name] : undefined;
    if (doc) {
      copyFileSync(path.join(shotsDir, file), path.join(target, doc));
      console.log(`docs/screenshots/${doc} ← ${file}`);
    }
  }
}

async function main(): Promise<number> {
  const filter = process.argv[2];
  if (filter && !SCENARIOS.some((s) => s.name.includes(filter))) {
    // A filter that matches nothing would pass without testing anything.
    console.error(
      `No scenario name contains "${filter}". Scenarios:\n${SCENARIOS.map((s) => `  ${s.name}`).join('\n')}`,
    );
    return 2;
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
    return 2;
  }
  const shotsDir = path.resolve(process.env.E2E_OUT ?? path.join(ROOT, 'test-results', `e2e-${stamp()}`));
  mkdirSync(shotsDir, { recursive: true });
  console.log(`Screenshots: ${shotsDir}`);

  let server: ServerProcess | null = null;
  let dataDir: string | null = null;
  let base = process.env.E2E_BASE_URL?.replace(/\/$/, '') ?? '';
  const t0 = Date.now();
  if (!base) {
    await ensureWebBuilt((l) => console.log(l));
    dataDir = mkdtempSync(path.join(tmpdir(), 'pitlane-e2e-'));
    console.log(`Starting pitlane serve --demo on ${dataDir} (the demo load takes a minute or two) …`);
    server = await startServerProcess(
      { PITLANE_DATA_DIR: dataDir, PITLANE_RATE_LIMIT: '0' },
      ['--demo'],
      600_000,
    );
    base = server.url;
    console.log(`Server ready at ${base} after ${Math.round((Date.now() - t0) / 1000)} s`);
  }

  const browser = await launchBrowser();
  let failed = 0;
  try {
    const seeded = await ensureStoresNear(base);
    if (seeded === 'seeded')
      console.log('NOTE: the demo had no store profiles near the centre; set up 4 stores through the API.');
    const operator = await staffClient(base, 'operator');
    const shared: Shared = { ownerPhone: process.env.E2E_OWNER_PHONE ?? '13800138000' };
    const ctx = makeCtx(browser, base, operator, shotsDir, shared);
    for (const s of SCENARIOS) {
      if (filter && !s.name.includes(filter)) continue;
      const t = Date.now();
      console.log(`\n▶ ${s.name}`);
      try {
        await s.run(ctx);
        console.log(`✔ ${s.name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        console.error(`✘ ${s.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        for (const c of browser.contexts()) {
          for (const p of c.pages()) {
            await ctx.shot(p, `FAILED-${s.name.split(' ')[0] ?? 'scenario'}`).catch(() => undefined);
          }
          await c.close().catch(() => undefined);
        }
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    if (server) {
      await server.stop();
      if (failed > 0)
        console.error(`\nServer output (last 3000 characters):\n${server.output().slice(-3000)}`);
    }
    if (dataDir && !process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  }
  if (process.env.E2E_DOCS === '1') copyDocScreenshots(shotsDir);
  console.log(
    `\n${failed === 0 ? 'All browser scenarios passed' : `${failed} scenario(s) failed`}; screenshots in ${shotsDir}`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

/**
 * What the browser scenarios share: the server's base URL, the API as the operator, Debian
 * Chromium driven by playwright-core, screenshots into the run's folder, and the facts one
 * scenario hands to the next (the booking the owner made is the one the store fulfils).
 */
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ApiClient } from './fixtures.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PHONE = { width: 375, height: 812 } as const;
export const TABLET = { width: 1180, height: 820 } as const;
export const DESKTOP = { width: 1440, height: 900 } as const;

export interface Shared {
  ownerPhone: string;
  plate?: string;
  vehicleId?: string;
  bookingId?: string;
  storeId?: string;
  workOrderId?: string;
  approvalUrl?: string;
  /** The owner's signed-in phone, kept open for the approval and the review. */
  ownerPage?: Page;
}

export interface Ctx {
  base: string;
  operator: ApiClient;
  shotsDir: string;
  shared: Shared;
  /** A fresh browser context (own storage) with the given viewport. */
  newContext(
    viewport: { width: number; height: number },
    opts?: { mobile?: boolean },
  ): Promise<BrowserContext>;
  /** Saves a full-page PNG as `<NN>-<name>.png` in the run's folder and returns its path. */
  shot(page: Page, name: string, opts?: { fullPage?: boolean }): Promise<string>;
  step(text: string): void;
}

export interface Scenario {
  name: string;
  run(ctx: Ctx): Promise<void>;
}

/**
 * Debian Chromium, headless. Playwright gives every launch a fresh temporary `--user-data-dir`
 * (and refuses one in `args`), so no profile outlives the run; each context has its own storage.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export function makeCtx(
  browser: Browser,
  base: string,
  operator: ApiClient,
  shotsDir: string,
  shared: Shared,
): Ctx {
  let n = 0;
  return {
    base,
    operator,
    shotsDir,
    shared,
    async newContext(viewport, opts = {}) {
      const context = await browser.newContext({
        baseURL: base,
        viewport,
        deviceScaleFactor: opts.mobile ? 2 : 1,
        isMobile: opts.mobile ?? false,
        hasTouch: opts.mobile ?? false,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      context.setDefaultTimeout(20_000);
      return context;
    },
    async shot(page, name, opts = {}) {
      n += 1;
      const file = path.join(shotsDir, `${String(n).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: opts.fullPage ?? true, animations: 'disabled' });
      return file;
    },
    step(text) {
      console.log(`    · ${text}`);
    },
  };
}

/** Fails with a message when `cond` is false. */
export function expect(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

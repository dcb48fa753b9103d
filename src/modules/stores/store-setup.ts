/**
 * Everything availability needs to know about stores that changes rarely — profile, weekly hours,
 * exceptions, bays, the holiday calendar — loaded in a few queries and cached briefly per database
 * (writes through this module's routes invalidate at once; holds re-check against the database).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { together, type Executor } from '../../platform/db/types.js';
import { bays, storeHourExceptions, storeHours, stores } from './schema.js';
import { holidaysBetween, type HolidayRow } from './holidays.js';
import type { HourException, WeeklyHours } from './opening-hours.js';
import type { BayRow, StoreRow } from './store-profile.js';

export interface StoreSetup {
  store: StoreRow;
  hours: WeeklyHours[];
  exceptions: Map<string, HourException>;
  bays: BayRow[];
}

const TTL_MS = 10_000;
const caches = new WeakMap<object, Map<string, { at: number; value: Promise<StoreSetup | null> }>>();
const holidayCaches = new WeakMap<
  object,
  Map<string, { at: number; value: Promise<Map<string, HolidayRow>> }>
>();

/** Called after a store's setup (or, without an id, every store's) changed in this process. */
type SetupListener = (root: object, storeId?: string) => void;
const listeners: SetupListener[] = [];
/** Lets derived caches (booking's availability index) follow setup and holiday changes. */
export function onStoreSetupInvalidated(fn: SetupListener): void {
  listeners.push(fn);
}

export function invalidateStoreSetup(root: object, storeId?: string): void {
  const c = caches.get(root);
  if (c) {
    if (storeId) c.delete(storeId);
    else c.clear();
  }
  for (const fn of listeners) fn(root, storeId);
}

export function invalidateHolidays(root: object): void {
  holidayCaches.delete(root);
  for (const fn of listeners) fn(root);
}

async function loadMany(ex: Executor, ids: string[]): Promise<Map<string, StoreSetup>> {
  const [ss, hs, exs, bs] = await together(ex, [
    () => ex.select().from(stores).where(inArray(stores.id, ids)),
    () => ex.select().from(storeHours).where(inArray(storeHours.storeId, ids)),
    () => ex.select().from(storeHourExceptions).where(inArray(storeHourExceptions.storeId, ids)),
    () =>
      ex
        .select()
        .from(bays)
        .where(and(inArray(bays.storeId, ids), eq(bays.active, true))),
  ]);
  const out = new Map<string, StoreSetup>();
  for (const s of ss) {
    out.set(s.id, {
      store: s,
      hours: hs.filter((h) => h.storeId === s.id),
      exceptions: new Map(exs.filter((e) => e.storeId === s.id).map((e) => [e.day, e])),
      bays: bs.filter((b) => b.storeId === s.id),
    });
  }
  return out;
}

/** Setups of several stores (missing ones are left out), from cache where fresh. */
export async function storeSetups(
  root: object,
  ex: Executor,
  ids: readonly string[],
  now = Date.now(),
): Promise<Map<string, StoreSetup>> {
  let c = caches.get(root);
  if (!c) caches.set(root, (c = new Map()));
  const missing = ids.filter((id) => {
    const hit = c.get(id);
    return !hit || now - hit.at > TTL_MS;
  });
  if (missing.length) {
    const loaded = loadMany(ex, missing);
    for (const id of missing) {
      const value = loaded.then((m) => m.get(id) ?? null);
      c.set(id, { at: now, value });
      value.catch(() => c.delete(id));
    }
  }
  const out = new Map<string, StoreSetup>();
  for (const id of ids) {
    const v = await c.get(id)!.value;
    if (v) out.set(id, v);
  }
  return out;
}

/** Uncached: for holds, which must decide on the committed state. */
export async function storeSetupFresh(ex: Executor, id: string): Promise<StoreSetup | null> {
  return (await loadMany(ex, [id])).get(id) ?? null;
}

export async function holidaysCached(
  root: object,
  ex: Executor,
  from: string,
  to: string,
  now = Date.now(),
): Promise<Map<string, HolidayRow>> {
  let c = holidayCaches.get(root);
  if (!c) holidayCaches.set(root, (c = new Map()));
  const key = `${from}|${to}`;
  const hit = c.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const value = holidaysBetween(ex, from, to);
  c.set(key, { at: now, value });
  value.catch(() => c.delete(key));
  return value;
}

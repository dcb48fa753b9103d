/** Briefly cached rosters per store, for availability searches (holds re-check uncached). */
import type { Executor } from '../../platform/db/types.js';
import { loadTechnicians, type Technician } from './roster.js';

const TTL_MS = 10_000;
const caches = new WeakMap<object, Map<string, { at: number; value: Promise<Technician[]> }>>();

type RosterListener = (root: object) => void;
const listeners: RosterListener[] = [];
/** Lets derived caches (booking's availability index) follow roster changes. */
export function onTechniciansInvalidated(fn: RosterListener): void {
  listeners.push(fn);
}

export function invalidateTechnicians(root: object): void {
  caches.delete(root);
  for (const fn of listeners) fn(root);
}

/** Active technicians of each store, with time off in the next 60 days. */
export async function techniciansCached(
  root: object,
  ex: Executor,
  storeIds: readonly string[],
  now = Date.now(),
): Promise<Map<string, Technician[]>> {
  let c = caches.get(root);
  if (!c) caches.set(root, (c = new Map()));
  const missing = storeIds.filter((id) => {
    const hit = c.get(id);
    return !hit || now - hit.at > TTL_MS;
  });
  if (missing.length) {
    const loaded = loadTechnicians(ex, {
      storeIds: missing,
      activeOnly: true,
      from: new Date(now - 86_400_000),
      to: new Date(now + 60 * 86_400_000),
    });
    for (const id of missing) {
      const value = loaded.then((ts) => ts.filter((t) => t.storeId === id));
      c.set(id, { at: now, value });
      value.catch(() => c.delete(id));
    }
  }
  const out = new Map<string, Technician[]>();
  for (const id of storeIds) out.set(id, await c.get(id)!.value);
  return out;
}

/**
 * Gathers what slot math needs for stores on days — opening, compatible bays, qualified technicians
 * with shifts and absences, and the claimed cells — in a handful of queries, then runs computeSlots.
 */
import { and, gte, inArray, isNull, lt, or, gt } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { localToUtc } from '../../platform/time.js';
import { COMPATIBLE_BAYS, type Quote } from '../catalog/index.js';
import { holidaysCached, openingOn, storeSetups, type StoreSetup } from '../stores/index.js';
import { qualifies, techniciansCached, type Technician } from '../technicians/index.js';
import { computeSlots, workableWithin, type ResourceWindow, type Slot } from './availability.js';
import { slotClaims } from './schema.js';

export interface DayPlan {
  day: string;
  open: readonly [number, number] | null;
  bays: ResourceWindow[];
  technicians: ResourceWindow[];
}

/** Resources able to do a job (bay type, skills, certifications) on one store-day. */
export function planDay(
  setup: StoreSetup,
  techs: readonly Technician[],
  day: string,
  holiday: { kind: 'holiday' | 'workday' } | undefined,
  need: Pick<Quote, 'bayType' | 'skills' | 'certifications'>,
  tz: string,
): DayPlan {
  const o = openingOn(day, setup.hours, setup.exceptions, holiday, setup.store.holidayMode);
  if (!o) return { day, open: null, bays: [], technicians: [] };
  const open: [number, number] = [
    localToUtc(day, o.openMin, tz).getTime(),
    localToUtc(day, o.closeMin, tz).getTime(),
  ];
  const compatible = COMPATIBLE_BAYS[need.bayType];
  const bays = setup.bays
    .filter((b) => b.active && compatible.includes(b.type))
    .map((b) => ({ id: b.id, workable: [open] as Array<[number, number]> }));
  const technicians: ResourceWindow[] = [];
  for (const t of techs) {
    if (!qualifies(t, need.skills, need.certifications, day)) continue;
    const shift = t.shifts.find((s) => s.weekday === o.effectiveWeekday);
    if (!shift) continue;
    const a = Math.max(open[0], localToUtc(day, shift.startMin, tz).getTime());
    const b = Math.min(open[1], localToUtc(day, shift.endMin, tz).getTime());
    if (b <= a) continue;
    const away = t.timeOff.map((x) => [x.startsAt.getTime(), x.endsAt.getTime()] as const);
    const workable = workableWithin([[a, b]], away);
    if (workable.length) technicians.push({ id: t.id, workable });
  }
  return { day, open, bays, technicians };
}

/** Claimed cells of these resources in [from, to): live holds and bookings only. */
export async function claimedCells(
  ex: Executor,
  resourceIds: readonly string[],
  from: Date,
  to: Date,
  now: Date,
): Promise<Set<string>> {
  if (!resourceIds.length) return new Set();
  const rows = await ex
    .select({ r: slotClaims.resourceId, c: slotClaims.cellStart })
    .from(slotClaims)
    .where(
      and(
        inArray(slotClaims.resourceId, [...resourceIds]),
        gte(slotClaims.cellStart, from),
        lt(slotClaims.cellStart, to),
        or(isNull(slotClaims.expiresAt), gt(slotClaims.expiresAt, now)),
      ),
    );
  return new Set(rows.map((x) => `${x.r}|${x.c.getTime()}`));
}

export interface StoreDaySlots {
  storeId: string;
  day: string;
  slots: Slot[];
  closed: boolean;
}

/** Slots for a job at several stores over several days (cached setups, one claims query). */
/**
 * Computed availability is cached per (store, day, job shape) for a second: a search is then pure
 * memory. This is display data, not a promise — a hold always re-checks against the database, whose
 * unique index decides. Claim changes made by this process drop the store's entries at once (and
 * keep it uncached for a second, so a read racing the commit cannot cache the old state); other
 * processes see changes within the TTL.
 */
const SLOT_TTL_MS = 1000;
interface CachedDay {
  at: number;
  closed: boolean;
  slots: Slot[];
}
const slotCaches = new WeakMap<
  object,
  {
    entries: Map<string, CachedDay>;
    dirty: Map<string, number>;
    answers: Map<string, { at: number; value: Promise<unknown> }>;
  }
>();
function slotCache(root: object) {
  let c = slotCaches.get(root);
  if (!c) slotCaches.set(root, (c = { entries: new Map(), dirty: new Map(), answers: new Map() }));
  return c;
}

/**
 * A whole answer derived from one store's availability (the public availability route), kept under
 * the same one-second TTL and invalidation as the slots themselves; concurrent identical requests
 * share one computation. Failures are not kept.
 */
export function answerForStore<T>(
  root: object,
  storeId: string,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const c = slotCache(root);
  const wall = Date.now();
  const k = `${storeId}|${key}`;
  const hit = c.answers.get(k);
  if (hit && wall - hit.at < SLOT_TTL_MS) return hit.value as Promise<T>;
  const value = compute();
  if ((c.dirty.get(storeId) ?? 0) < wall) {
    if (c.answers.size > 5_000) c.answers.clear();
    c.answers.set(k, { at: wall, value });
    value.catch(() => c.answers.delete(k));
  }
  return value;
}

/** Call after changing a store's claims (hold, confirm, cancel, reschedule, expiry…). */
export function invalidateAvailability(root: object, storeId: string, now = Date.now()): void {
  const c = slotCache(root);
  c.dirty.set(storeId, now + SLOT_TTL_MS);
  for (const k of c.entries.keys()) if (k.startsWith(`${storeId}|`)) c.entries.delete(k);
  for (const k of c.answers.keys()) if (k.startsWith(`${storeId}|`)) c.answers.delete(k);
}

export async function slotsForStores(
  root: object,
  ex: Executor,
  q: {
    storeIds: readonly string[];
    days: readonly string[];
    need: (
      storeId: string,
    ) => Pick<Quote, 'bayType' | 'skills' | 'certifications' | 'durationMinutes'> | null;
    tz: string;
    now: Date;
    noticeMinutes: number;
  },
): Promise<StoreDaySlots[]> {
  const wall = Date.now();
  const cache = slotCache(root);
  const notBefore = q.now.getTime() + q.noticeMinutes * 60_000;
  const results = new Map<string, StoreDaySlots>();
  const misses: Array<{ key: string; storeId: string; day: string }> = [];
  const keyOf = (
    storeId: string,
    day: string,
    need: Pick<Quote, 'bayType' | 'skills' | 'certifications' | 'durationMinutes'>,
  ) =>
    `${storeId}|${day}|${need.durationMinutes}|${need.bayType}|${need.skills.join(',')}|${need.certifications.join(',')}`;
  for (const storeId of q.storeIds) {
    const need = q.need(storeId);
    if (!need) continue;
    for (const day of q.days) {
      const key = keyOf(storeId, day, need);
      const hit = cache.entries.get(key);
      if (hit && wall - hit.at < SLOT_TTL_MS)
        results.set(key, { storeId, day, closed: hit.closed, slots: hit.slots });
      else misses.push({ key, storeId, day });
    }
  }
  if (misses.length) {
    const storeIds = [...new Set(misses.map((m) => m.storeId))];
    const days = [...new Set(misses.map((m) => m.day))].sort();
    const [setups, techs, hol] = await Promise.all([
      storeSetups(root, ex, storeIds, q.now.getTime()),
      techniciansCached(root, ex, storeIds, q.now.getTime()),
      holidaysCached(root, ex, days[0]!, days[days.length - 1]!, q.now.getTime()),
    ]);
    const plans: Array<{ key: string; storeId: string; plan: DayPlan; duration: number }> = [];
    for (const m of misses) {
      const setup = setups.get(m.storeId);
      const need = q.need(m.storeId)!;
      if (!setup) continue;
      plans.push({
        key: m.key,
        storeId: m.storeId,
        plan: planDay(setup, techs.get(m.storeId) ?? [], m.day, hol.get(m.day), need, q.tz),
        duration: need.durationMinutes,
      });
    }
    const ids = new Set<string>();
    let from = Infinity;
    let to = -Infinity;
    for (const { plan } of plans) {
      if (!plan.open) continue;
      plan.bays.forEach((b) => ids.add(b.id));
      plan.technicians.forEach((t) => ids.add(t.id));
      from = Math.min(from, plan.open[0]);
      to = Math.max(to, plan.open[1]);
    }
    const claimed = ids.size
      ? await claimedCells(ex, [...ids], new Date(from), new Date(to), q.now)
      : new Set<string>();
    for (const { key, storeId, plan, duration } of plans) {
      const slots = computeSlots({
        open: plan.open,
        bays: plan.bays,
        technicians: plan.technicians,
        claimed,
        durationMinutes: duration,
        notBefore: 0,
      });
      const entry = { storeId, day: plan.day, closed: plan.open === null, slots };
      results.set(key, entry);
      if ((cache.dirty.get(storeId) ?? 0) < wall)
        cache.entries.set(key, { at: wall, closed: entry.closed, slots });
    }
  }
  const out: StoreDaySlots[] = [];
  for (const storeId of q.storeIds) {
    const need = q.need(storeId);
    if (!need) continue;
    for (const day of q.days) {
      const r = results.get(keyOf(storeId, day, need));
      if (r) out.push({ ...r, slots: r.slots.filter((s) => s.startMs >= notBefore) });
    }
  }
  if (cache.entries.size > 20_000) cache.entries.clear();
  return out;
}

/**
 * Gathers what slot math needs for stores on days — opening, compatible bays, qualified technicians
 * with shifts and absences, and the claimed cells — in a handful of queries, then runs computeSlots.
 */
import { and, gte, inArray, isNull, lt, or, gt } from 'drizzle-orm';
import { together, type Executor } from '../../platform/db/types.js';
import { localToUtc } from '../../platform/time.js';
import { COMPATIBLE_BAYS, type Quote } from '../catalog/index.js';
import {
  holidaysCached,
  onStoreSetupInvalidated,
  openingOn,
  storeSetups,
  type StoreSetup,
} from '../stores/index.js';
import {
  onTechniciansInvalidated,
  qualifies,
  techniciansCached,
  type Technician,
} from '../technicians/index.js';
import { computeSlots, workableWithin, type ResourceWindow, type Slot } from './availability.js';
import { claimedAt, claimsIndexFor, dropIndex, isDirty, type ClaimsIndex } from './availability-index.js';
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
  /** Wall-clock ms when the claims behind these slots were read. */
  asOf: number;
}

/** How long a whole answer (answerForStore) is reused. */
const SLOT_TTL_MS = 1000;
interface CachedDay {
  at: number;
  closed: boolean;
  slots: Slot[];
  index: ClaimsIndex;
  setup: StoreSetup;
  techs: readonly Technician[];
  holiday: string | undefined;
}
const slotCaches = new WeakMap<
  object,
  {
    entries: Map<string, CachedDay>;
    answers: Map<string, { at: number; deps: readonly unknown[]; value: Promise<unknown> }>;
  }
>();
function slotCache(root: object) {
  let c = slotCaches.get(root);
  if (!c) slotCaches.set(root, (c = { entries: new Map(), answers: new Map() }));
  return c;
}

/**
 * A whole answer derived from one store's availability (the public availability route), kept under
 * the same one-second TTL and invalidation as the slots themselves, counted from when the claims it
 * was computed from were read (`asOf`), and only while `deps` (e.g. the quote) are the same objects;
 * concurrent identical requests share one computation. Failures are not kept.
 */
export function answerForStore<T>(
  root: object,
  storeId: string,
  key: string,
  deps: readonly unknown[],
  compute: () => Promise<{ value: T; asOf: number }>,
): Promise<T> {
  const c = slotCache(root);
  const wall = Date.now();
  const k = `${storeId}|${key}`;
  const hit = c.answers.get(k);
  if (hit && wall - hit.at < SLOT_TTL_MS && hit.deps.every((d, i) => d === deps[i]))
    return hit.value as Promise<T>;
  const computed = compute();
  const value = computed.then((r) => r.value);
  if (!isDirty(root, storeId, wall)) {
    if (c.answers.size > 5_000) c.answers.clear();
    const entry = { at: wall, deps, value: value as Promise<unknown> };
    c.answers.set(k, entry);
    computed.then(
      (r) => {
        entry.at = Math.min(entry.at, r.asOf);
      },
      () => {
        if (c.answers.get(k) === entry) c.answers.delete(k);
      },
    );
  }
  return value;
}

/**
 * Call after changing a store's claims (hold, confirm, cancel, reschedule, expiry…) or its inputs;
 * without a store id, for all stores (a roster or holiday change).
 */
export function invalidateAvailability(root: object, storeId?: string, now = Date.now()): void {
  const c = slotCache(root);
  dropIndex(root, storeId, now);
  if (storeId === undefined) {
    c.entries.clear();
    c.answers.clear();
    return;
  }
  for (const k of c.entries.keys()) if (k.startsWith(`${storeId}|`)) c.entries.delete(k);
  for (const k of c.answers.keys()) if (k.startsWith(`${storeId}|`)) c.answers.delete(k);
}

onStoreSetupInvalidated((root, storeId) => invalidateAvailability(root, storeId));
onTechniciansInvalidated((root) => invalidateAvailability(root));

/**
 * Slots for a job at several stores over several days, from memory: the stores' setups, rosters and
 * holidays come from their modules' caches, the claims from the availability index
 * (availability-index.ts). Computed days are kept per (store, day, job shape) while the setup,
 * roster, holiday and claims index they came from are still the current ones and no hold in that
 * index has expired since (a periodic reload that finds the claims unchanged keeps the index).
 * Claim changes made by this process (and roster, hours or holiday changes, through the stores and
 * technicians invalidation hooks) drop the store's entries and index at once and keep the store
 * unindexed for a second, so a read racing the writer's commit cannot keep the old state; other
 * processes' writes are seen within INDEX_MAX_AGE_MS.
 */
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
  const nowMs = q.now.getTime();
  const notBefore = nowMs + q.noticeMinutes * 60_000;
  const needs = new Map<string, Pick<Quote, 'bayType' | 'skills' | 'certifications' | 'durationMinutes'>>();
  for (const storeId of q.storeIds) {
    const need = q.need(storeId);
    if (need) needs.set(storeId, need);
  }
  if (!needs.size || !q.days.length) return [];
  const storeIds = [...needs.keys()];
  const days = [...new Set(q.days)].sort();
  const [setups, techs, hol] = await together(ex, [
    () => storeSetups(root, ex, storeIds, nowMs),
    () => techniciansCached(root, ex, storeIds, nowMs),
    () => holidaysCached(root, ex, days[0]!, days[days.length - 1]!, nowMs),
  ]);
  const needFrom = localToUtc(days[0]!, 0, q.tz).getTime();
  const indexes = new Map<string, ClaimsIndex>();
  await together(
    ex,
    storeIds.map((storeId) => async () => {
      const setup = setups.get(storeId);
      if (!setup) return;
      const ids = [...setup.bays.map((b) => b.id), ...(techs.get(storeId) ?? []).map((t) => t.id)];
      indexes.set(storeId, await claimsIndexFor(root, ex, storeId, ids, needFrom, q.now, wall));
    }),
  );
  const out: StoreDaySlots[] = [];
  for (const storeId of q.storeIds) {
    const need = needs.get(storeId);
    const setup = setups.get(storeId);
    const index = indexes.get(storeId);
    if (!need || !setup || !index) continue;
    const storeTechs = techs.get(storeId) ?? [];
    const dirty = isDirty(root, storeId, wall);
    for (const day of q.days) {
      const key = `${storeId}|${day}|${need.durationMinutes}|${need.bayType}|${need.skills.join(',')}|${need.certifications.join(',')}`;
      const holiday = hol.get(day);
      let hit = cache.entries.get(key);
      if (
        !hit ||
        nowMs >= index.nextExpiry ||
        hit.index !== index ||
        hit.setup !== setup ||
        hit.techs !== storeTechs ||
        hit.holiday !== holiday?.kind
      ) {
        const plan = planDay(setup, storeTechs, day, holiday, need, q.tz);
        const slots = computeSlots({
          open: plan.open,
          bays: plan.bays,
          technicians: plan.technicians,
          claimed: claimedAt(index, nowMs),
          durationMinutes: need.durationMinutes,
          notBefore: 0,
        });
        hit = {
          at: wall,
          closed: plan.open === null,
          slots,
          index,
          setup,
          techs: storeTechs,
          holiday: holiday?.kind,
        };
        if (!dirty) cache.entries.set(key, hit);
      }
      out.push({
        storeId,
        day,
        closed: hit.closed,
        slots: hit.slots.filter((s) => s.startMs >= notBefore),
        asOf: index.at,
      });
    }
  }
  if (cache.entries.size > 20_000) cache.entries.clear();
  return out;
}

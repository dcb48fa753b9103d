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
  const [setups, techs, hol] = await Promise.all([
    storeSetups(root, ex, q.storeIds, q.now.getTime()),
    techniciansCached(root, ex, q.storeIds, q.now.getTime()),
    holidaysCached(root, ex, q.days[0]!, q.days[q.days.length - 1]!, q.now.getTime()),
  ]);
  const plans: Array<{ storeId: string; plan: DayPlan; duration: number }> = [];
  for (const storeId of q.storeIds) {
    const setup = setups.get(storeId);
    const need = q.need(storeId);
    if (!setup || !need) continue;
    for (const day of q.days) {
      plans.push({
        storeId,
        plan: planDay(setup, techs.get(storeId) ?? [], day, hol.get(day), need, q.tz),
        duration: need.durationMinutes,
      });
    }
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
  const notBefore = q.now.getTime() + q.noticeMinutes * 60_000;
  return plans.map(({ storeId, plan, duration }) => ({
    storeId,
    day: plan.day,
    closed: plan.open === null,
    slots: computeSlots({
      open: plan.open,
      bays: plan.bays,
      technicians: plan.technicians,
      claimed,
      durationMinutes: duration,
      notBefore,
    }),
  }));
}

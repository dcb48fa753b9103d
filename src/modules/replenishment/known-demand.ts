/**
 * Demand known in advance at a location: the parts that live bookings need — confirmed or checked-in
 * bookings, and predictive-maintenance proposals (a `proposal` booking holding its slot) — as the
 * inventory recorded them when the booking was made (requested quantity, including any part it
 * could not reserve for lack of stock), less what the work order has already consumed. Bucketed by
 * week from now on the booking's start; bookings already due count in the first week. A stock-out
 * recorded without a SKU (the store had none of that part type) is put on the SKU of that type the
 * location carries that fits the booked vehicle; when it carries none, nobody can say which SKU to
 * order and it is left out.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { isAppError } from '../../platform/errors.js';
import { bookingsByIds } from '../booking/index.js';
import { ownerVehicle } from '../customers/index.js';
import { invBalances, invDemand, invParts, invReservations } from '../inventory/schema.js';

const WEEK_MS = 7 * 24 * 3_600_000;

/** One live booking's need for one part. */
export interface KnownNeed {
  bookingId: string;
  /** Week from now (0-based) the booking starts in, and its start. */
  week: number;
  startAt: Date;
  /** An open predictive-maintenance proposal (otherwise a confirmed or checked-in booking). */
  proposal: boolean;
  /** Still to be consumed, milli-units. */
  milli: number;
  /** What the booking still holds reserved for it (≤ milli). */
  reservedMilli: number;
}

/** Known demand over the first `weeks` weeks, summed from the needs. */
export interface KnownTotals {
  perWeekMilli: number[];
  milli: number;
  bookings: number;
  proposals: number;
  /** Counted in the known demand, so the plan adds it back to the inventory position (counted once). */
  reservedMilli: number;
}

export function knownWithin(needs: readonly KnownNeed[], weeks: number): KnownTotals {
  const perWeekMilli = new Array<number>(weeks).fill(0);
  const bookings = new Set<string>();
  const proposals = new Set<string>();
  let reservedMilli = 0;
  for (const n of needs) {
    if (n.week >= weeks) continue;
    perWeekMilli[n.week]! += n.milli;
    reservedMilli += n.reservedMilli;
    (n.proposal ? proposals : bookings).add(n.bookingId);
  }
  return {
    perWeekMilli,
    milli: perWeekMilli.reduce((x, y) => x + y, 0),
    bookings: bookings.size,
    proposals: proposals.size,
    reservedMilli,
  };
}

export const knownKey = (locationId: string, partId: string) => `${locationId}|${partId}`;

/** Week index (0-based from `now`) of a booking start, or null beyond the horizon. */
export function weekOf(startAt: Date, now: Date, weeks: number): number | null {
  const w = Math.max(0, Math.floor((startAt.getTime() - now.getTime()) / WEEK_MS));
  return w < weeks ? w : null;
}

/** Known needs per `knownKey(location, part)`, for bookings starting within `weeks` weeks. */
export async function knownDemand(
  ex: Executor,
  q: { locationIds: readonly string[]; now: Date; weeks: number },
): Promise<Map<string, KnownNeed[]>> {
  const out = new Map<string, KnownNeed[]>();
  if (!q.locationIds.length || q.weeks < 1) return out;
  const asked = await ex
    .select({
      id: invDemand.id,
      locationId: invDemand.locationId,
      partId: invDemand.partId,
      partTypeCode: invDemand.partTypeCode,
      bookingId: invDemand.refId,
      requestedMilli: invDemand.requestedMilli,
    })
    .from(invDemand)
    .where(and(inArray(invDemand.locationId, [...q.locationIds]), eq(invDemand.refType, 'booking')));
  if (!asked.length) return out;
  const live = new Map(
    (await bookingsByIds(ex, [...new Set(asked.map((a) => a.bookingId))]))
      .filter(
        (b) =>
          b.status === 'confirmed' ||
          b.status === 'checked_in' ||
          (b.status === 'held' &&
            b.source === 'proposal' &&
            (!b.holdExpiresAt || b.holdExpiresAt.getTime() > q.now.getTime())),
      )
      .map((b) => [b.id, b]),
  );
  if (!live.size) return out;
  // SKUs for stock-outs recorded by part type only: one the location carries, fitting the vehicle.
  const untyped = asked.filter((a) => !a.partId && a.partTypeCode && live.has(a.bookingId));
  if (untyped.length) {
    const carried = await ex
      .select({ locationId: invBalances.locationId, part: invParts })
      .from(invBalances)
      .innerJoin(invParts, eq(invParts.id, invBalances.partId))
      .where(
        and(
          inArray(invBalances.locationId, [...new Set(untyped.map((a) => a.locationId))]),
          inArray(invParts.partTypeCode, [...new Set(untyped.map((a) => a.partTypeCode!))]),
        ),
      )
      .orderBy(invParts.priceFen, invParts.id);
    const models = new Map<string, string>();
    for (const a of untyped) {
      const b = live.get(a.bookingId)!;
      if (!models.has(b.id)) {
        let model = '';
        try {
          model = (await ownerVehicle(ex, b.ownerId, b.vehicleId)).vehicleModelId;
        } catch (e) {
          if (!isAppError(e)) throw e;
        }
        models.set(b.id, model);
      }
      const model = models.get(b.id)!;
      a.partId =
        carried.find(
          (c) =>
            c.locationId === a.locationId &&
            c.part.partTypeCode === a.partTypeCode &&
            (c.part.fitment.length === 0 || c.part.fitment.includes(model)),
        )?.part.id ?? null;
    }
  }
  // One demand row per booking and part (the latest, should the booking have been re-recorded).
  const need = new Map<string, (typeof asked)[number]>();
  for (const a of asked) {
    if (!a.partId || !live.has(a.bookingId)) continue;
    const k = `${a.bookingId}|${a.partId}`;
    const cur = need.get(k);
    if (!cur || cur.id < a.id) need.set(k, a);
  }
  const rsv = await ex
    .select()
    .from(invReservations)
    .where(
      and(
        inArray(invReservations.bookingId, [...live.keys()]),
        inArray(invReservations.status, ['active', 'consumed']),
      ),
    );
  const held = new Map<string, { open: number; used: number }>();
  for (const r of rsv) {
    const k = `${r.bookingId}|${r.partId}`;
    const cur = held.get(k) ?? { open: 0, used: 0 };
    held.set(k, {
      open: cur.open + (r.status === 'active' ? r.openMilli : 0),
      used: cur.used + (r.qtyMilli - r.openMilli),
    });
  }
  for (const [k, a] of need) {
    const b = live.get(a.bookingId)!;
    const week = weekOf(b.startAt, q.now, q.weeks);
    if (week === null) continue;
    const h = held.get(k) ?? { open: 0, used: 0 };
    const milli = Math.max(0, a.requestedMilli - h.used);
    if (milli <= 0) continue;
    const key = knownKey(a.locationId, a.partId!);
    const list = out.get(key) ?? [];
    out.set(key, list);
    list.push({
      bookingId: b.id,
      week,
      startAt: b.startAt,
      proposal: b.source === 'proposal' && b.status === 'held',
      milli,
      reservedMilli: Math.min(h.open, milli),
    });
  }
  return out;
}

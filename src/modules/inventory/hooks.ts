/**
 * How inventory follows bookings and work orders: durable consumers on the outbox bus (each event is
 * handled in one transaction, exactly once in effect). Hold → reserve (with the hold's expiry);
 * confirm → keep; cancel / expiry / no-show → release; check-in → the reservation follows the work
 * order; completion → consume what was not scanned, release the rest. Also the quote hook: quotes
 * price parts at the SKU the store would use when it stocks one.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/types.js';
import type { StoredEvent } from '../../platform/events/bus.js';
import { isAppError } from '../../platform/errors.js';
import { every } from '../../platform/jobs.js';
import { registerSkuPricer } from '../catalog/index.js';
import { ownerVehicle } from '../customers/index.js';
import {
  partsByIds,
  partsForOrgScope,
  skusForStore,
  storeLocation,
  type Location,
  type Part,
} from './catalogue.js';
import { balanceOf } from './ledger.js';
import {
  consume,
  dueReservations,
  keepReservations,
  linkReservationsToWorkOrder,
  recordDemand,
  releaseReservation,
  reservationsFor,
  reserve,
} from './reservations.js';
import { invParts, invTraceUnits } from './schema.js';
import { markConsumed, oldestUnits } from './trace.js';

interface QuoteLineLike {
  kind: string;
  partTypeCode?: string;
  sku?: string;
  qtyMilli: number;
}

async function partBySku(ex: Executor, sku: string, loc: Location): Promise<Part | undefined> {
  const [p] = await ex
    .select()
    .from(invParts)
    .where(and(eq(invParts.sku, sku), partsForOrgScope(loc.orgPath)))
    .limit(1);
  return p;
}

/**
 * The vehicle's model, for fitment ('' when the vehicle is gone: then only universal parts are
 * picked, never one that may not fit).
 */
async function modelOf(tx: Tx, ownerId: unknown, vehicleId: unknown): Promise<string> {
  if (typeof ownerId !== 'string' || typeof vehicleId !== 'string') return '';
  try {
    return (await ownerVehicle(tx, ownerId, vehicleId)).vehicleModelId;
  } catch (e) {
    if (isAppError(e)) return '';
    throw e;
  }
}

export async function reserveForBooking(
  tx: Tx,
  ev: {
    bookingId: string;
    storeId: string;
    vehicleModelId: string;
    quote: QuoteLineLike[];
    holdExpiresAt: string | null;
  },
  at: Date,
): Promise<number> {
  const loc = await storeLocation(tx, ev.storeId);
  if (!loc) return 0;
  if ((await reservationsFor(tx, { bookingId: ev.bookingId }, false)).length) return 0; // already done
  const need = new Map<string, { sku?: string; qtyMilli: number }>();
  for (const l of ev.quote) {
    if (l.kind !== 'part' || !l.partTypeCode) continue;
    const cur = need.get(l.partTypeCode);
    need.set(l.partTypeCode, { sku: cur?.sku ?? l.sku, qtyMilli: (cur?.qtyMilli ?? 0) + l.qtyMilli });
  }
  if (!need.size) return 0;
  const best = await skusForStore(tx, {
    locationId: loc.id,
    vehicleModelId: ev.vehicleModelId,
    partTypeCodes: [...need.keys()],
  });
  let made = 0;
  for (const [partTypeCode, n] of need) {
    const part = (n.sku ? await partBySku(tx, n.sku, loc) : undefined) ?? best.get(partTypeCode);
    let filled = 0;
    if (part) {
      let qty = n.qtyMilli;
      if (part.unit === 'each') qty = Math.ceil(qty / 1000) * 1000;
      const b = await balanceOf(tx, part.id, loc.id);
      let take = Math.min(qty, Math.max(0, b.availableMilli));
      if (part.unit === 'each') take = Math.floor(take / 1000) * 1000;
      if (take > 0) {
        await reserve(tx, {
          part,
          location: loc,
          qtyMilli: take,
          bookingId: ev.bookingId,
          partTypeCode,
          expiresAt: ev.holdExpiresAt ? new Date(ev.holdExpiresAt) : null,
          at,
        });
        filled = take;
        made++;
      }
      n.qtyMilli = qty;
    }
    await recordDemand(tx, {
      orgPath: loc.orgPath,
      locationId: loc.id,
      partId: part?.id ?? null,
      partTypeCode,
      requestedMilli: n.qtyMilli,
      filledMilli: filled,
      refType: 'booking',
      refId: ev.bookingId,
      at,
    });
  }
  return made;
}

export async function releaseFor(
  tx: Tx,
  by: { bookingId?: string; workOrderId?: string },
  how: 'released' | 'expired',
  at: Date,
): Promise<number> {
  const rs = await reservationsFor(tx, by);
  const parts = await partsByIds(
    tx,
    rs.map((r) => r.partId),
  );
  for (const r of rs) await releaseReservation(tx, r, parts.get(r.partId)!, how, at);
  return rs.length;
}

/** At completion: consume each part line's quantity not already scanned, then release leftovers. */
/** Publishes an event in the caller's transaction (the bus's `publish`). */
export type Publish = (tx: Tx, type: string, payload: unknown, orgPath: string) => Promise<unknown>;

/** `inventory.consumed`: what replenishment counts as demand history. */
export const consumedEvent = (
  part: Part,
  loc: Location,
  q: { qtyMilli: number; workOrderId: string; lineId: string | null; traceCode?: string | null; at: Date },
) => ({
  partId: part.id,
  sku: part.sku,
  partTypeCode: part.partTypeCode,
  locationId: loc.id,
  storeId: loc.storeId,
  qtyMilli: q.qtyMilli,
  costFen: Math.round((q.qtyMilli * part.costFen) / 1000),
  workOrderId: q.workOrderId,
  workOrderLineId: q.lineId,
  traceCode: q.traceCode ?? null,
  at: q.at.toISOString(),
});

export async function consumeForWorkOrder(
  tx: Tx,
  ev: {
    workOrderId: string;
    storeId: string;
    vehicleId: string;
    vehicleModelId: string;
    parts: Array<{ lineId: string; partTypeCode: string | null; qtyMilli: number }>;
  },
  at: Date,
  publish?: Publish,
): Promise<void> {
  const loc = await storeLocation(tx, ev.storeId);
  if (!loc) return;
  const rs = await reservationsFor(tx, { workOrderId: ev.workOrderId }, false);
  const parts = await partsByIds(
    tx,
    rs.map((r) => r.partId),
  );
  const best = await skusForStore(tx, {
    locationId: loc.id,
    vehicleModelId: ev.vehicleModelId,
    partTypeCodes: ev.parts.map((l) => l.partTypeCode).filter((x): x is string => !!x),
  });
  for (const line of ev.parts) {
    if (!line.partTypeCode) continue;
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(invTraceUnits)
      .where(eq(invTraceUnits.workOrderLineId, line.lineId));
    const reserved = rs.find((r) => r.partTypeCode === line.partTypeCode && r.status === 'active');
    const part = (reserved ? parts.get(reserved.partId) : undefined) ?? best.get(line.partTypeCode);
    let want = line.qtyMilli - n * 1000;
    if (part?.unit === 'each') want = Math.ceil(want / 1000) * 1000;
    if (want <= 0) continue;
    let done = 0;
    if (part) {
      const open = rs
        .filter((r) => r.partId === part.id && r.status === 'active')
        .reduce((s, r) => s + r.openMilli, 0);
      const b = await balanceOf(tx, part.id, loc.id);
      let take = Math.min(want, open + Math.max(0, b.availableMilli));
      if (part.unit === 'each') take = Math.floor(take / 1000) * 1000;
      if (take > 0) {
        await consume(tx, {
          part,
          location: loc,
          qtyMilli: take,
          workOrderId: ev.workOrderId,
          workOrderLineId: line.lineId,
          at,
        });
        await publish?.(
          tx,
          'inventory.consumed',
          consumedEvent(part, loc, { qtyMilli: take, workOrderId: ev.workOrderId, lineId: line.lineId, at }),
          loc.orgPath,
        );
        // Traced parts consumed without a scan: the oldest units go, so units and on-hand agree.
        if (part.traced) {
          for (const u of await oldestUnits(tx, part.id, loc.id, take / 1000))
            await markConsumed(tx, u.code, {
              workOrderId: ev.workOrderId,
              workOrderLineId: line.lineId,
              vehicleId: ev.vehicleId,
              actorId: null,
              at,
            });
        }
        done = take;
      }
    }
    await recordDemand(tx, {
      orgPath: loc.orgPath,
      locationId: loc.id,
      partId: part?.id ?? null,
      partTypeCode: line.partTypeCode,
      requestedMilli: want,
      filledMilli: done,
      refType: 'work_order',
      refId: ev.workOrderId,
      at,
    });
  }
  await releaseFor(tx, { workOrderId: ev.workOrderId }, 'released', at);
}

export async function expireReservations(ctx: AppContext, limit = 200): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const due = await dueReservations(tx, now, limit);
    const parts = await partsByIds(
      tx,
      due.map((r) => r.partId),
    );
    for (const r of due) await releaseReservation(tx, r, parts.get(r.partId)!, 'expired', now);
    return due.length;
  });
}

type Payload = Record<string, unknown>;
const payload = (ev: StoredEvent): Payload => ev.payload as Payload;

export function registerInventory(ctx: AppContext): void {
  const now = () => ctx.clock.now();
  ctx.bus.subscribe(
    'inventory.follow-bookings',
    ['booking.held', 'booking.confirmed', 'booking.cancelled', 'booking.expired', 'booking.no_show'],
    async (tx, ev) => {
      const p = payload(ev);
      const bookingId = String(p.bookingId);
      switch (ev.type) {
        case 'booking.held':
          await reserveForBooking(
            tx,
            {
              bookingId,
              storeId: String(p.storeId),
              vehicleModelId: await modelOf(tx, p.ownerId, p.vehicleId),
              quote: (p.quote as QuoteLineLike[] | undefined) ?? [],
              holdExpiresAt: (p.holdExpiresAt as string | null | undefined) ?? null,
            },
            now(),
          );
          return;
        case 'booking.confirmed':
          await keepReservations(tx, bookingId);
          return;
        case 'booking.expired':
          await releaseFor(tx, { bookingId }, 'expired', now());
          return;
        default:
          await releaseFor(tx, { bookingId }, 'released', now());
      }
    },
  );
  ctx.bus.subscribe(
    'inventory.follow-work-orders',
    ['workorder.checked_in', 'workorder.completed', 'workorder.cancel'],
    async (tx, ev) => {
      const p = payload(ev);
      const workOrderId = String(p.workOrderId);
      if (ev.type === 'workorder.checked_in') {
        if (typeof p.bookingId === 'string') await linkReservationsToWorkOrder(tx, p.bookingId, workOrderId);
      } else if (ev.type === 'workorder.completed') {
        await consumeForWorkOrder(
          tx,
          {
            workOrderId,
            storeId: String(p.storeId),
            vehicleId: String(p.vehicleId),
            vehicleModelId: await modelOf(tx, p.ownerId, p.vehicleId),
            parts:
              (p.parts as
                Array<{ lineId: string; partTypeCode: string | null; qtyMilli: number }> | undefined) ?? [],
          },
          now(),
          (t, type, body, orgPath) => ctx.bus.publish(t, type, body, orgPath),
        );
      } else {
        await releaseFor(tx, { workOrderId }, 'released', now());
      }
    },
  );
  every(ctx, 'inventory.expire-reservations', 60_000, () => expireReservations(ctx));
  // One query per quote: the store's location, its stock and the fitting SKUs together.
  registerSkuPricer(async (ex, q) => {
    const best = await skusForStore(ex, {
      storeOrgPath: q.storeOrgPath,
      vehicleModelId: q.vehicleModelId,
      powertrain: q.powertrain,
    });
    if (!best.size) return undefined;
    return new Map([...best].map(([code, part]) => [code, { sku: part.sku, unitPriceFen: part.priceFen }]));
  });
}

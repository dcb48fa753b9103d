/**
 * Reservations: stock set aside for a booking (with the hold's expiry), kept on confirmation,
 * released on cancellation or expiry, consumed when the work order is completed or a traced unit is
 * scanned. Each operation is a ledger movement plus the reservation row, in the caller's transaction.
 */
import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import type { Location, Part } from './catalogue.js';
import { post, type Balance } from './ledger.js';
import { assertUnitQty } from './quantity.js';
import { invDemand, invReservations } from './schema.js';

export type Reservation = typeof invReservations.$inferSelect;

export async function reserve(
  tx: Tx,
  q: {
    part: Part;
    location: Location;
    qtyMilli: number;
    bookingId?: string | null | undefined;
    workOrderId?: string | null | undefined;
    partTypeCode?: string | null | undefined;
    expiresAt?: Date | null | undefined;
    actorId?: string | null | undefined;
    at: Date;
  },
): Promise<{ reservation: Reservation; balance: Balance }> {
  if (q.qtyMilli <= 0)
    throw new AppError('inventory.negative_qty', 'validation', 'Reserve a positive quantity');
  assertUnitQty(q.qtyMilli, q.part.unit);
  const id = newId('rsv');
  const balance = await post(tx, {
    orgPath: q.location.orgPath,
    partId: q.part.id,
    sku: q.part.sku,
    locationId: q.location.id,
    kind: 'reservation',
    onHandDeltaMilli: 0,
    reservedDeltaMilli: q.qtyMilli,
    unitCostFen: q.part.costFen,
    refType: q.bookingId ? 'booking' : 'reservation',
    refId: q.bookingId ?? id,
    actorId: q.actorId,
    at: q.at,
  });
  const [row] = await tx
    .insert(invReservations)
    .values({
      id,
      orgPath: q.location.orgPath,
      partId: q.part.id,
      locationId: q.location.id,
      qtyMilli: q.qtyMilli,
      openMilli: q.qtyMilli,
      status: 'active',
      bookingId: q.bookingId ?? null,
      workOrderId: q.workOrderId ?? null,
      partTypeCode: q.partTypeCode ?? q.part.partTypeCode,
      expiresAt: q.expiresAt ?? null,
      createdAt: q.at,
    })
    .returning();
  return { reservation: row!, balance };
}

/** Releases what is still open on a reservation (cancel, expiry, leftovers at completion). */
export async function releaseReservation(
  tx: Tx,
  r: Reservation,
  part: Pick<Part, 'sku' | 'costFen'>,
  how: 'released' | 'expired',
  at: Date,
  actorId?: string | null,
): Promise<void> {
  // Lock and re-read: a concurrent consume or release may have moved it.
  const [cur] = await tx.select().from(invReservations).where(eq(invReservations.id, r.id)).for('update');
  if (!cur || cur.status !== 'active') return;
  if (cur.openMilli > 0) {
    await post(tx, {
      orgPath: cur.orgPath,
      partId: cur.partId,
      sku: part.sku,
      locationId: cur.locationId,
      kind: 'release',
      onHandDeltaMilli: 0,
      reservedDeltaMilli: -cur.openMilli,
      unitCostFen: part.costFen,
      refType: cur.bookingId ? 'booking' : 'reservation',
      refId: cur.bookingId ?? cur.id,
      note: how,
      actorId: actorId ?? null,
      at,
    });
  }
  await tx
    .update(invReservations)
    .set({ status: cur.qtyMilli > cur.openMilli ? 'consumed' : how, openMilli: 0, closedAt: at })
    .where(eq(invReservations.id, cur.id));
}

/**
 * Consumes `qtyMilli` of a part at a location for a work order: first from that work order's (or
 * its booking's) open reservations of the part, the rest from free stock. Returns what was taken from
 * reservations. 409 when the stock is not there.
 */
export async function consume(
  tx: Tx,
  q: {
    part: Part;
    location: Location;
    qtyMilli: number;
    workOrderId: string;
    bookingId?: string | null | undefined;
    workOrderLineId?: string | null | undefined;
    traceCode?: string | null | undefined;
    batch?: string | null | undefined;
    actorId?: string | null | undefined;
    at: Date;
  },
): Promise<{ fromReservedMilli: number; balance: Balance }> {
  const open = await tx
    .select()
    .from(invReservations)
    .where(
      and(
        q.bookingId
          ? or(eq(invReservations.workOrderId, q.workOrderId), eq(invReservations.bookingId, q.bookingId))
          : eq(invReservations.workOrderId, q.workOrderId),
        eq(invReservations.partId, q.part.id),
        eq(invReservations.locationId, q.location.id),
        eq(invReservations.status, 'active'),
      ),
    )
    .orderBy(asc(invReservations.createdAt))
    .for('update');
  let left = q.qtyMilli;
  let fromReserved = 0;
  for (const r of open) {
    if (left <= 0) break;
    const take = Math.min(left, r.openMilli);
    if (take <= 0) continue;
    left -= take;
    fromReserved += take;
    const openMilli = r.openMilli - take;
    await tx
      .update(invReservations)
      .set({ openMilli, ...(openMilli === 0 ? { status: 'consumed' as const, closedAt: q.at } : {}) })
      .where(eq(invReservations.id, r.id));
  }
  const balance = await post(tx, {
    orgPath: q.location.orgPath,
    partId: q.part.id,
    sku: q.part.sku,
    locationId: q.location.id,
    kind: 'consumption',
    onHandDeltaMilli: -q.qtyMilli,
    reservedDeltaMilli: -fromReserved,
    unitCostFen: q.part.costFen,
    refType: 'work_order',
    refId: q.workOrderId,
    workOrderLineId: q.workOrderLineId,
    traceCode: q.traceCode,
    batch: q.batch,
    actorId: q.actorId,
    at: q.at,
  });
  return { fromReservedMilli: fromReserved, balance };
}

export async function reservationsFor(
  ex: Executor,
  by: { bookingId?: string; workOrderId?: string },
  activeOnly = true,
): Promise<Reservation[]> {
  return ex
    .select()
    .from(invReservations)
    .where(
      and(
        by.bookingId ? eq(invReservations.bookingId, by.bookingId) : undefined,
        by.workOrderId ? eq(invReservations.workOrderId, by.workOrderId) : undefined,
        activeOnly ? eq(invReservations.status, 'active') : undefined,
      ),
    )
    .orderBy(asc(invReservations.createdAt));
}

/** Reservations whose hold lapsed (the booking module expires its holds; this is the safety net). */
export async function dueReservations(ex: Executor, now: Date, limit: number): Promise<Reservation[]> {
  return ex
    .select()
    .from(invReservations)
    .where(and(eq(invReservations.status, 'active'), lte(invReservations.expiresAt, now)))
    .orderBy(asc(invReservations.expiresAt))
    .limit(limit);
}

export async function recordDemand(
  ex: Executor,
  d: {
    orgPath: string;
    locationId: string;
    partId: string | null;
    partTypeCode: string | null;
    requestedMilli: number;
    filledMilli: number;
    refType: string;
    refId: string;
    at: Date;
  },
): Promise<void> {
  await ex.insert(invDemand).values(d);
}

export async function linkReservationsToWorkOrder(
  tx: Tx,
  bookingId: string,
  workOrderId: string,
): Promise<number> {
  const r = await tx
    .update(invReservations)
    .set({ workOrderId, expiresAt: null })
    .where(and(eq(invReservations.bookingId, bookingId), inArray(invReservations.status, ['active'])))
    .returning({ id: invReservations.id });
  return r.length;
}

export const keepReservations = (tx: Tx, bookingId: string) =>
  tx
    .update(invReservations)
    .set({ expiresAt: sql`null` })
    .where(and(eq(invReservations.bookingId, bookingId), eq(invReservations.status, 'active')));

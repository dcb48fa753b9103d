/**
 * The booking lifecycle: hold → confirm → (reschedule | cancel | no-show) → checked in → completed,
 * and holds that expire by their source (a web hold after 10 minutes, a predictive-maintenance
 * proposal after 24 hours). Every change is one transaction with its history row, its funnel row and
 * its event.
 */
import { and, asc, desc, eq, gt, inArray, lt, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { assertInOrgScope, type Principal } from '../../platform/auth/principal.js';
import { toPage, type Page } from '../../platform/http/pagination.js';
import { utcToLocal } from '../../platform/time.js';
import { quoteFor, type Quote } from '../catalog/index.js';
import { linkCustomer, ownerVehicle } from '../customers/index.js';
import { getStoreRaw, holidaysBetween, storeSetupFresh } from '../stores/index.js';
import { loadTechnicians } from '../technicians/index.js';
import { CELL_MS } from './availability.js';
import { claimFirstFree, clearExpiredClaims, makeClaimsPermanent, releaseClaims } from './claims.js';
import { invalidateAvailability, planDay } from './load-availability.js';
import { logFunnel } from './funnel.js';
import { NOTICE_MINUTES } from './search.js';
import { bookingHistory, bookings, type BookingSource, type BookingStatus } from './schema.js';

export type Booking = typeof bookings.$inferSelect;

export const HOLD_MINUTES: Record<BookingSource, number> = {
  web: 10,
  phone: 30,
  walk_in: 10,
  proposal: 24 * 60,
};

/** Allowed status changes; anything else is a 409 naming both states. */
const TRANSITIONS: Record<BookingStatus, readonly BookingStatus[]> = {
  held: ['confirmed', 'cancelled', 'expired'],
  confirmed: ['checked_in', 'cancelled', 'no_show', 'confirmed'],
  checked_in: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
  no_show: [],
  expired: [],
};

export function assertTransition(from: BookingStatus, to: BookingStatus): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw new AppError(
      'booking.illegal_transition',
      'conflict',
      `A booking that is ${from} cannot become ${to}`,
      { from, to },
    );
  }
}

async function history(
  ex: Executor,
  b: { id: string },
  from: BookingStatus | null,
  to: BookingStatus,
  at: Date,
  actor?: Principal,
  note?: string,
): Promise<void> {
  await ex.insert(bookingHistory).values({
    bookingId: b.id,
    at,
    actorId: actor?.userId ?? null,
    actorRole: actor?.role ?? null,
    fromStatus: from,
    toStatus: to,
    note: note ?? null,
  });
}

export interface HoldInput {
  ownerId: string;
  vehicleId: string;
  storeId: string;
  items: string[];
  startAt: Date;
  source: BookingSource;
  notes?: string | undefined;
  proposalRef?: string | undefined;
  /** Confirm in the same transaction (a direct booking). */
  confirm?: boolean;
  /** Override the hold length (minutes); defaults by source. */
  holdMinutes?: number | undefined;
  /** Skip the 30-minute notice (walk-ins start now). */
  noNotice?: boolean;
  skuPrices?: Parameters<typeof quoteFor>[2]['skuPrices'];
}

interface Claimed {
  bayId: string;
  technicianId: string;
  startAt: Date;
  endAt: Date;
  quote: Quote;
  store: { id: string; orgPath: string };
}

/**
 * Takes a bay and a technician for every cell of the job under `bookingId`, checking opening hours,
 * bay types, skills, certifications, shifts and absences against the committed state. Throws 409
 * booking.slot_taken when another booking got there first.
 */
export async function claimSlot(
  ctx: AppContext,
  tx: Tx,
  q: {
    bookingId: string;
    storeId: string;
    vehicleModelId: string;
    items: string[];
    startAt: Date;
    expiresAt: Date | null;
    noNotice?: boolean | undefined;
    skuPrices?: HoldInput['skuPrices'];
  },
): Promise<Claimed> {
  const now = ctx.clock.now();
  const tz = ctx.config.timezone;
  const setup = await storeSetupFresh(tx, q.storeId);
  if (!setup || setup.store.status !== 'active')
    throw new AppError('store.not_found', 'not_found', `No store with id ${q.storeId}`);
  const quote: Quote = await quoteFor(ctx.db, tx, {
    storeOrgPath: setup.store.orgPath,
    vehicleModelId: q.vehicleModelId,
    items: q.items,
    skuPrices: q.skuPrices,
  });
  const startMs = q.startAt.getTime();
  const local = utcToLocal(q.startAt, tz);
  if (startMs % CELL_MS !== 0)
    throw new AppError(
      'booking.off_grid',
      'validation',
      'Start times are on the quarter hour (…:00, :15, :30, :45)',
    );
  if (!q.noNotice && startMs < now.getTime() + NOTICE_MINUTES * 60_000) {
    throw new AppError('booking.too_soon', 'validation', `Book at least ${NOTICE_MINUTES} minutes ahead`);
  }
  const endMs = startMs + quote.durationMinutes * 60_000;
  const hol = await holidaysBetween(tx, local.day, local.day);
  const techs = await loadTechnicians(tx, {
    storeIds: [q.storeId],
    activeOnly: true,
    from: q.startAt,
    to: new Date(endMs),
  });
  const plan = planDay(setup, techs, local.day, hol.get(local.day), quote, tz);
  if (!plan.open || startMs < plan.open[0] || endMs > plan.open[1]) {
    throw new AppError(
      'booking.store_closed',
      'conflict',
      'The store is not open for the whole job at that time',
    );
  }
  const fits = (r: { workable: ReadonlyArray<readonly [number, number]> }) =>
    r.workable.some(([a, b]) => a <= startMs && endMs <= b);
  const bayIds = plan.bays.filter(fits).map((b) => b.id);
  const techIds = plan.technicians.filter(fits).map((t) => t.id);
  if (!bayIds.length)
    throw new AppError('booking.no_bay', 'conflict', `This store has no ${quote.bayType} bay for the job`);
  if (!techIds.length)
    throw new AppError(
      'booking.no_technician',
      'conflict',
      'No qualified technician is on shift for the whole job at that time',
    );
  const cells: Date[] = [];
  for (let t = startMs; t < endMs; t += CELL_MS) cells.push(new Date(t));
  await clearExpiredClaims(tx, [...bayIds, ...techIds], cells, now);
  const bay = await claimFirstFree(tx, bayIds, startMs, endMs, q.bookingId, q.expiresAt);
  const tech = bay ? await claimFirstFree(tx, techIds, startMs, endMs, q.bookingId, q.expiresAt) : null;
  if (!bay || !tech) {
    throw new AppError('booking.slot_taken', 'conflict', 'That time was just taken; pick another slot', {
      startAt: q.startAt.toISOString(),
    });
  }
  invalidateAvailability(ctx.db, q.storeId);
  return {
    bayId: bay,
    technicianId: tech,
    startAt: q.startAt,
    endAt: new Date(endMs),
    quote,
    store: { id: setup.store.id, orgPath: setup.store.orgPath },
  };
}

/** Creates a hold (or, with `confirm`, a confirmed booking) for an owner's vehicle. */
export async function createHold(
  ctx: AppContext,
  tx: Tx,
  input: HoldInput,
  actor?: Principal,
): Promise<Booking> {
  const now = ctx.clock.now();
  const vehicle = await ownerVehicle(tx, input.ownerId, input.vehicleId);
  const id = newId('bk');
  const holdExpiresAt = input.confirm
    ? null
    : new Date(now.getTime() + (input.holdMinutes ?? HOLD_MINUTES[input.source]) * 60_000);
  const c = await claimSlot(ctx, tx, {
    bookingId: id,
    storeId: input.storeId,
    vehicleModelId: vehicle.vehicleModelId,
    items: input.items,
    startAt: input.startAt,
    expiresAt: holdExpiresAt,
    noNotice: input.noNotice,
    skuPrices: input.skuPrices,
  });
  const status: BookingStatus = input.confirm ? 'confirmed' : 'held';
  const [row] = await tx
    .insert(bookings)
    .values({
      id,
      storeId: input.storeId,
      orgPath: c.store.orgPath,
      ownerId: input.ownerId,
      vehicleId: input.vehicleId,
      items: input.items,
      status,
      source: input.source,
      startAt: c.startAt,
      endAt: c.endAt,
      bayId: c.bayId,
      technicianId: c.technicianId,
      holdExpiresAt,
      quote: c.quote.lines,
      totalFen: c.quote.totalFen,
      notes: input.notes ?? null,
      proposalRef: input.proposalRef ?? null,
      createdAt: now,
      confirmedAt: input.confirm ? now : null,
    })
    .returning();
  await history(tx, row!, null, 'held', now, actor);
  await logFunnel(tx, {
    at: now,
    kind: 'hold',
    ownerId: input.ownerId,
    storeId: input.storeId,
    items: input.items,
    bookingId: id,
  });
  await ctx.bus.publish(
    tx,
    'booking.held',
    {
      bookingId: id,
      storeId: input.storeId,
      ownerId: input.ownerId,
      vehicleId: input.vehicleId,
      items: input.items,
      quote: c.quote.lines,
      holdExpiresAt: holdExpiresAt?.toISOString() ?? null,
      source: input.source,
    },
    c.store.orgPath,
  );
  if (input.confirm) await afterConfirm(ctx, tx, row!, now, actor);
  return row!;
}

async function afterConfirm(
  ctx: AppContext,
  tx: Tx,
  b: Booking,
  now: Date,
  actor?: Principal,
): Promise<void> {
  await history(tx, b, 'held', 'confirmed', now, actor);
  await logFunnel(tx, {
    at: now,
    kind: 'confirm',
    ownerId: b.ownerId,
    storeId: b.storeId,
    items: b.items,
    bookingId: b.id,
  });
  const store = await getStoreRaw(tx, b.storeId);
  await linkCustomer(tx, b.ownerId, { id: b.storeId, orgPath: b.orgPath }, now);
  await ctx.bus.publish(
    tx,
    'booking.confirmed',
    {
      bookingId: b.id,
      storeId: b.storeId,
      storeName: store?.name ?? '',
      ownerId: b.ownerId,
      vehicleId: b.vehicleId,
      startAt: b.startAt.toISOString(),
      items: b.items,
      totalFen: b.totalFen,
    },
    b.orgPath,
  );
}

/** Loads a booking for an owner (their own) or staff (their scope); others get 404. */
export async function loadBooking(ex: Executor, p: Principal, id: string, lock = false): Promise<Booking> {
  const q = ex.select().from(bookings).where(eq(bookings.id, id));
  const [b] = lock ? await q.for('update') : await q;
  if (!b) throw new AppError('booking.not_found', 'not_found', `No booking with id ${id}`);
  if (p.kind === 'owner') {
    if (b.ownerId !== p.userId)
      throw new AppError('booking.not_found', 'not_found', `No booking with id ${id}`);
  } else {
    assertInOrgScope(p, b.orgPath, 'booking', id);
  }
  return b;
}

export async function confirmBooking(ctx: AppContext, tx: Tx, p: Principal, id: string): Promise<Booking> {
  const now = ctx.clock.now();
  const b = await loadBooking(tx, p, id, true);
  if (b.status === 'held' && b.holdExpiresAt && b.holdExpiresAt <= now) {
    throw new AppError(
      'booking.hold_expired',
      'conflict',
      'This hold has expired; search again and pick a slot',
    );
  }
  assertTransition(b.status, 'confirmed');
  if (b.status === 'confirmed') return b; // confirming twice is harmless
  const kept = await makeClaimsPermanent(tx, b.id);
  if (kept === 0)
    throw new AppError(
      'booking.hold_expired',
      'conflict',
      'This hold has expired; search again and pick a slot',
    );
  const [row] = await tx
    .update(bookings)
    .set({ status: 'confirmed', confirmedAt: now, holdExpiresAt: null })
    .where(eq(bookings.id, id))
    .returning();
  await afterConfirm(ctx, tx, row!, now, p);
  return row!;
}

export async function cancelBooking(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  reason: string,
): Promise<Booking> {
  const now = ctx.clock.now();
  const b = await loadBooking(tx, p, id, true);
  assertTransition(b.status, 'cancelled');
  if (p.kind === 'owner' && b.status === 'confirmed') {
    const store = await getStoreRaw(tx, b.storeId);
    const cutoff = b.startAt.getTime() - (store?.cancelCutoffMinutes ?? 120) * 60_000;
    if (now.getTime() > cutoff) {
      throw new AppError(
        'booking.too_late_to_cancel',
        'conflict',
        `Online cancellation closes ${store?.cancelCutoffMinutes ?? 120} minutes before the start; please call the store`,
      );
    }
  }
  if (b.status === 'checked_in')
    throw new AppError(
      'booking.illegal_transition',
      'conflict',
      'A booking that is checked_in is handled through its work order',
    );
  await releaseClaims(tx, b.id);
  invalidateAvailability(ctx.db, b.storeId);
  const [row] = await tx
    .update(bookings)
    .set({ status: 'cancelled', cancelledAt: now, cancelReason: reason })
    .where(eq(bookings.id, id))
    .returning();
  await history(tx, b, b.status, 'cancelled', now, p, reason);
  await ctx.bus.publish(
    tx,
    'booking.cancelled',
    { bookingId: b.id, storeId: b.storeId, ownerId: b.ownerId, reason, by: p.kind },
    b.orgPath,
  );
  return row!;
}

export async function rescheduleBooking(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  startAt: Date,
): Promise<Booking> {
  const now = ctx.clock.now();
  const b = await loadBooking(tx, p, id, true);
  if (b.status !== 'confirmed' && b.status !== 'held') {
    throw new AppError(
      'booking.illegal_transition',
      'conflict',
      `A booking that is ${b.status} cannot be rescheduled`,
      { from: b.status, to: b.status },
    );
  }
  // Release the old cells, then claim new ones under the same id; a failure rolls both back.
  await releaseClaims(tx, b.id);
  invalidateAvailability(ctx.db, b.storeId);
  const vehicle = await ownerVehicle(tx, b.ownerId, b.vehicleId);
  const c = await claimSlot(ctx, tx, {
    bookingId: b.id,
    storeId: b.storeId,
    vehicleModelId: vehicle.vehicleModelId,
    items: b.items,
    startAt,
    expiresAt: b.status === 'held' ? b.holdExpiresAt : null,
  });
  const [row] = await tx
    .update(bookings)
    .set({
      startAt: c.startAt,
      endAt: c.endAt,
      bayId: c.bayId,
      technicianId: c.technicianId,
      reminderSentAt: null,
    })
    .where(eq(bookings.id, id))
    .returning();
  await history(
    tx,
    b,
    b.status,
    b.status,
    now,
    p,
    `rescheduled from ${b.startAt.toISOString()} to ${startAt.toISOString()}`,
  );
  await ctx.bus.publish(
    tx,
    'booking.rescheduled',
    {
      bookingId: b.id,
      storeId: b.storeId,
      ownerId: b.ownerId,
      from: b.startAt.toISOString(),
      to: startAt.toISOString(),
    },
    b.orgPath,
  );
  return row!;
}

export async function markNoShow(ctx: AppContext, tx: Tx, p: Principal, id: string): Promise<Booking> {
  const now = ctx.clock.now();
  const b = await loadBooking(tx, p, id, true);
  assertTransition(b.status, 'no_show');
  if (now.getTime() < b.startAt.getTime() + 15 * 60_000) {
    throw new AppError(
      'booking.not_late_yet',
      'conflict',
      'A no-show can be recorded from 15 minutes after the start',
    );
  }
  await releaseClaims(tx, b.id);
  invalidateAvailability(ctx.db, b.storeId);
  const [row] = await tx.update(bookings).set({ status: 'no_show' }).where(eq(bookings.id, id)).returning();
  await history(tx, b, b.status, 'no_show', now, p);
  await ctx.bus.publish(
    tx,
    'booking.no_show',
    { bookingId: b.id, storeId: b.storeId, ownerId: b.ownerId },
    b.orgPath,
  );
  return row!;
}

/** Work orders call this at check-in (the claims stay: the bay and technician are busy). */
export async function markCheckedIn(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  workOrderId: string,
): Promise<Booking> {
  const now = ctx.clock.now();
  const b = await loadBooking(tx, p, id, true);
  assertTransition(b.status, 'checked_in');
  const [row] = await tx
    .update(bookings)
    .set({ status: 'checked_in', workOrderId })
    .where(eq(bookings.id, id))
    .returning();
  await history(tx, b, b.status, 'checked_in', now, p);
  return row!;
}

/** Work orders call this at hand-over; cells after now are freed for others. */
export async function markCompleted(ctx: AppContext, tx: Tx, bookingId: string): Promise<void> {
  const now = ctx.clock.now();
  const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update');
  if (!b || b.status !== 'checked_in') return;
  await tx.execute(
    sql`delete from slot_claims where booking_id = ${bookingId} and cell_start >= ${new Date(Math.ceil(now.getTime() / CELL_MS) * CELL_MS)}`,
  );
  invalidateAvailability(ctx.db, b.storeId);
  await tx.update(bookings).set({ status: 'completed' }).where(eq(bookings.id, bookingId));
  await history(tx, b, 'checked_in', 'completed', now);
}

/** A work order was cancelled before any work: the booking ends and its cells are freed. */
export async function cancelFromWorkOrder(
  ctx: AppContext,
  tx: Tx,
  bookingId: string,
  reason: string,
): Promise<void> {
  const now = ctx.clock.now();
  const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update');
  if (!b || b.status !== 'checked_in') return;
  await releaseClaims(tx, b.id);
  invalidateAvailability(ctx.db, b.storeId);
  await tx
    .update(bookings)
    .set({ status: 'cancelled', cancelledAt: now, cancelReason: reason })
    .where(eq(bookings.id, bookingId));
  await history(tx, b, 'checked_in', 'cancelled', now, undefined, reason);
}

/** Expires lapsed holds (called periodically); returns how many expired. */
export async function expireHolds(ctx: AppContext, limit = 200): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(bookings)
      .where(and(eq(bookings.status, 'held'), lte(bookings.holdExpiresAt, now)))
      .orderBy(asc(bookings.holdExpiresAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    for (const b of due) {
      await releaseClaims(tx, b.id);
      invalidateAvailability(ctx.db, b.storeId);
      await tx.update(bookings).set({ status: 'expired' }).where(eq(bookings.id, b.id));
      await history(tx, b, 'held', 'expired', now);
      await ctx.bus.publish(
        tx,
        'booking.expired',
        { bookingId: b.id, storeId: b.storeId, ownerId: b.ownerId, source: b.source },
        b.orgPath,
      );
    }
    return due.length;
  });
}

export async function listBookings(
  ex: Executor,
  p: Principal,
  q: {
    storeId?: string | undefined;
    status?: BookingStatus | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
    limit: number;
    after?: [string, string] | undefined;
  },
): Promise<Page<Booking>> {
  const scope =
    p.kind === 'owner' ? eq(bookings.ownerId, p.userId) : sql`${bookings.orgPath} like ${p.orgPath + '%'}`;
  const rows = await ex
    .select()
    .from(bookings)
    .where(
      and(
        scope,
        q.storeId ? eq(bookings.storeId, q.storeId) : undefined,
        q.status ? eq(bookings.status, q.status) : undefined,
        q.from ? gt(bookings.startAt, q.from) : undefined,
        q.to ? lt(bookings.startAt, q.to) : undefined,
        q.after
          ? sql`(${bookings.startAt}, ${bookings.id}) < (${new Date(q.after[0])}, ${q.after[1]})`
          : undefined,
      ),
    )
    .orderBy(desc(bookings.startAt), desc(bookings.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (b) => [b.startAt.toISOString(), b.id]);
}

export async function bookingHistoryOf(
  ex: Executor,
  id: string,
): Promise<Array<typeof bookingHistory.$inferSelect>> {
  return ex
    .select()
    .from(bookingHistory)
    .where(eq(bookingHistory.bookingId, id))
    .orderBy(asc(bookingHistory.id));
}

export async function bookingsByIds(ex: Executor, ids: readonly string[]): Promise<Booking[]> {
  if (!ids.length) return [];
  return ex
    .select()
    .from(bookings)
    .where(inArray(bookings.id, [...ids]));
}

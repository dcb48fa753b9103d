/**
 * Work orders: creation at arrival (from a booking, or a walk-in found by plate and phone), loading
 * within the caller's scope, and the one function that applies a state-machine event and writes the
 * timeline node with its time and actor.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { assertInOrgScope, requireStaff, type Principal } from '../../platform/auth/principal.js';
import { utcToLocal } from '../../platform/time.js';
import { catalogSnapshot, expandItems, quoteFor, type QuoteLine } from '../catalog/index.js';
import { markCheckedIn, loadBooking } from '../booking/index.js';
import {
  addVehicle,
  linkCustomer,
  ownerVehicle,
  ownerVehicleByPlate,
  recordOdometer,
  checkPlate,
} from '../customers/index.js';
import { ensureOwnerAccount, normalizedPhoneOrThrow } from '../identity/index.js';
import { getStoreScoped } from '../stores/index.js';
import { loadTechnicians } from '../technicians/index.js';
import { pointsFor } from './checklist.js';
import { nextStatus, type WorkOrderEvent } from './state-machine.js';
import {
  estimateLines,
  inspectionItems,
  sopProgress,
  workOrderEvents,
  workOrders,
  type WorkOrderStatus,
} from './schema.js';

export type WorkOrder = typeof workOrders.$inferSelect;

export async function loadWorkOrder(
  ex: Executor,
  p: Principal,
  id: string,
  lock = false,
): Promise<WorkOrder> {
  const q = ex.select().from(workOrders).where(eq(workOrders.id, id));
  const [wo] = lock ? await q.for('update') : await q;
  const missing = new AppError('workorder.not_found', 'not_found', `No work order with id ${id}`);
  if (!wo) throw missing;
  if (p.kind === 'owner') {
    if (wo.ownerId !== p.userId) throw missing;
  } else assertInOrgScope(p, wo.orgPath, 'workorder', id);
  return wo;
}

/** Writes a timeline node (no status change). */
export async function note(
  tx: Executor,
  wo: WorkOrder,
  event: string,
  at: Date,
  p: Principal | null,
  data?: Record<string, unknown>,
): Promise<void> {
  await tx.insert(workOrderEvents).values({
    workOrderId: wo.id,
    at,
    actorId: p?.userId ?? null,
    actorRole: p?.role ?? null,
    event,
    fromStatus: wo.status,
    toStatus: wo.status,
    data: data ?? null,
  });
}

/** Applies an event: checks the table, updates the status and writes the timeline node. */
export async function applyEvent(
  ctx: AppContext,
  tx: Tx,
  wo: WorkOrder,
  event: WorkOrderEvent,
  p: Principal | null,
  data?: Record<string, unknown>,
  extra: Partial<typeof workOrders.$inferInsert> = {},
): Promise<WorkOrder> {
  const to: WorkOrderStatus = nextStatus(wo.status, event);
  const now = ctx.clock.now();
  const [row] = await tx
    .update(workOrders)
    .set({ ...extra, status: to, updatedAt: now })
    .where(eq(workOrders.id, wo.id))
    .returning();
  await tx.insert(workOrderEvents).values({
    workOrderId: wo.id,
    at: now,
    actorId: p?.userId ?? null,
    actorRole: p?.role ?? null,
    event,
    fromStatus: wo.status,
    toStatus: to,
    data: data ?? null,
  });
  await ctx.bus.publish(
    tx,
    `workorder.${event}`,
    {
      workOrderId: wo.id,
      storeId: wo.storeId,
      ownerId: wo.ownerId,
      vehicleId: wo.vehicleId,
      from: wo.status,
      to,
    },
    wo.orgPath,
  );
  return row!;
}

function workOrderNumber(now: Date, tz: string): string {
  const d = utcToLocal(now, tz).day.replace(/-/g, '');
  return `WO${d}-${Math.floor(Math.random() * 1e6)
    .toString()
    .padStart(6, '0')}`;
}

interface CreateInput {
  storeId: string;
  orgPath: string;
  bookingId: string | null;
  ownerId: string;
  vehicleId: string;
  vehicleModelId: string;
  plate: string;
  items: string[];
  lines: QuoteLine[];
  source: WorkOrder['source'];
  technicianId: string | null;
  bayId: string | null;
  odometerKm: number | null;
  fuelLevelPct: number | null;
  notes?: string | null | undefined;
  evidence?: unknown;
  comebackOf?: string | null;
  /** Lines the owner already agreed to (the booked quote). */
  preApproved: boolean;
}

/** Creates the work order with its inspection checklist, estimate lines and SOP steps. */
export async function createWorkOrder(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  input: CreateInput,
): Promise<WorkOrder> {
  const now = ctx.clock.now();
  const cat = await catalogSnapshot(ctx.db, tx);
  const model = cat.models.get(input.vehicleModelId);
  if (!model)
    throw new AppError(
      'catalog.unknown_vehicle_model',
      'validation',
      `No vehicle model ${input.vehicleModelId}`,
    );
  const id = newId('wo');
  const [wo] = await tx
    .insert(workOrders)
    .values({
      id,
      number: workOrderNumber(now, ctx.config.timezone),
      storeId: input.storeId,
      orgPath: input.orgPath,
      bookingId: input.bookingId,
      ownerId: input.ownerId,
      vehicleId: input.vehicleId,
      plate: input.plate,
      vehicleModelId: input.vehicleModelId,
      items: input.items,
      status: 'checked_in',
      source: input.source,
      technicianId: input.technicianId,
      bayId: input.bayId,
      odometerKm: input.odometerKm,
      fuelLevelPct: input.fuelLevelPct,
      notes: input.notes ?? null,
      evidence: input.evidence ?? null,
      comebackOf: input.comebackOf ?? null,
      totalFen: input.preApproved ? input.lines.reduce((s, l) => s + l.amountFen, 0) : 0,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await tx.insert(inspectionItems).values(
    pointsFor(model.powertrain).map((pt, i) => ({
      id: newId('ii'),
      workOrderId: id,
      code: pt.code,
      nameZh: pt.zh,
      nameEn: pt.en,
      recommendItem: pt.recommend,
      sort: i,
    })),
  );
  if (input.lines.length) {
    await tx.insert(estimateLines).values(
      input.lines.map((l) => ({
        id: newId('el'),
        workOrderId: id,
        kind: l.kind,
        itemCode: l.itemCode,
        partTypeCode: l.partTypeCode ?? null,
        description: l.description,
        qtyMilli: l.qtyMilli,
        unitPriceFen: l.unitPriceFen,
        amountFen: l.amountFen,
        recommended: false,
        approval: input.preApproved ? ('approved' as const) : ('pending' as const),
        decidedAt: input.preApproved ? now : null,
      })),
    );
  }
  await addSopSteps(ctx, tx, id, input.items);
  await tx.insert(workOrderEvents).values({
    workOrderId: id,
    at: now,
    actorId: p.userId,
    actorRole: p.role,
    event: 'check_in',
    fromStatus: null,
    toStatus: 'checked_in',
    data: {
      odometerKm: input.odometerKm,
      fuelLevelPct: input.fuelLevelPct,
      source: input.source,
      bookingId: input.bookingId,
    },
  });
  if (input.odometerKm !== null) await recordOdometer(tx, input.vehicleId, input.odometerKm);
  await linkCustomer(tx, input.ownerId, { id: input.storeId, orgPath: input.orgPath }, now);
  await ctx.bus.publish(
    tx,
    'workorder.checked_in',
    {
      workOrderId: id,
      storeId: input.storeId,
      ownerId: input.ownerId,
      vehicleId: input.vehicleId,
      bookingId: input.bookingId,
      items: input.items,
      odometerKm: input.odometerKm,
    },
    input.orgPath,
  );
  return wo!;
}

/** SOP steps of items (packages expanded), appended after existing steps. */
export async function addSopSteps(
  ctx: AppContext,
  tx: Executor,
  workOrderId: string,
  items: readonly string[],
): Promise<void> {
  if (!items.length) return;
  const cat = await catalogSnapshot(ctx.db, tx);
  const existing = await tx
    .select({ itemCode: sopProgress.itemCode, stepIndex: sopProgress.stepIndex })
    .from(sopProgress)
    .where(eq(sopProgress.workOrderId, workOrderId));
  const have = new Set(existing.map((e) => e.itemCode));
  let index = existing.reduce((m, e) => Math.max(m, e.stepIndex + 1), 0);
  const rows = [];
  for (const { item } of expandItems(cat.items, items)) {
    if (have.has(item.code)) continue;
    have.add(item.code);
    for (const s of item.sopSteps) {
      rows.push({
        id: newId('sp'),
        workOrderId,
        itemCode: item.code,
        stepCode: s.code,
        stepIndex: index++,
        zh: s.zh,
        en: s.en,
        standardMinutes: s.minutes,
      });
    }
  }
  if (rows.length) await tx.insert(sopProgress).values(rows);
}

export async function checkInBooking(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  bookingId: string,
  input: { odometerKm: number; fuelLevelPct: number; notes?: string | undefined },
): Promise<WorkOrder> {
  requireStaff(p);
  const b = await loadBooking(tx, p, bookingId, true);
  if (b.status !== 'confirmed') {
    throw new AppError(
      'workorder.booking_not_confirmed',
      'conflict',
      `Only a confirmed booking can be checked in; this one is ${b.status}`,
    );
  }
  const v = await ownerVehicle(tx, b.ownerId, b.vehicleId);
  const wo = await createWorkOrder(ctx, tx, p, {
    storeId: b.storeId,
    orgPath: b.orgPath,
    bookingId: b.id,
    ownerId: b.ownerId,
    vehicleId: b.vehicleId,
    vehicleModelId: v.vehicleModelId,
    plate: v.plate,
    items: b.items,
    lines: b.quote,
    source: b.source === 'proposal' ? 'proposal' : 'booking',
    technicianId: b.technicianId,
    bayId: b.bayId,
    odometerKm: input.odometerKm,
    fuelLevelPct: input.fuelLevelPct,
    notes: input.notes ?? b.notes,
    preApproved: true,
  });
  await markCheckedIn(ctx, tx, p, b.id, wo.id);
  return wo;
}

/** A customer who drove in: found by plate and phone (or registered now), quoted at this store. */
export async function checkInWalkIn(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  input: {
    storeId: string;
    plate: string;
    phone: string;
    name?: string | undefined;
    vehicleModelId?: string | undefined;
    items: string[];
    odometerKm: number;
    fuelLevelPct: number;
    notes?: string | undefined;
  },
): Promise<WorkOrder> {
  requireStaff(p);
  const now = ctx.clock.now();
  const store = await getStoreScoped(tx, p, input.storeId);
  const phone = normalizedPhoneOrThrow(input.phone);
  const { plate } = checkPlate(input.plate);
  const owner = await ensureOwnerAccount(tx, phone, input.name ?? `车主${phone.slice(-4)}`, now);
  let vehicle = await ownerVehicleByPlate(tx, owner.id, plate);
  if (!vehicle) {
    if (!input.vehicleModelId) {
      throw new AppError(
        'workorder.vehicle_model_needed',
        'validation',
        `No vehicle ${plate} is registered for this customer: give its vehicleModelId to register it`,
      );
    }
    const cat = await catalogSnapshot(ctx.db, tx);
    vehicle = await addVehicle(
      tx,
      owner.id,
      { plate, vehicleModelId: input.vehicleModelId, odometerKm: input.odometerKm },
      now,
      async (mid) => cat.models.has(mid),
    );
  }
  const quote = await quoteFor(ctx.db, tx, {
    storeOrgPath: store.orgPath,
    vehicleModelId: vehicle.vehicleModelId,
    items: input.items,
  });
  return createWorkOrder(ctx, tx, p, {
    storeId: store.id,
    orgPath: store.orgPath,
    bookingId: null,
    ownerId: owner.id,
    vehicleId: vehicle.id,
    vehicleModelId: vehicle.vehicleModelId,
    plate: vehicle.plate,
    items: input.items,
    lines: quote.lines,
    source: 'walk_in',
    technicianId: null,
    bayId: null,
    odometerKm: input.odometerKm,
    fuelLevelPct: input.fuelLevelPct,
    notes: input.notes,
    // A walk-in agrees the price at the counter; extra work found later still needs approval.
    preApproved: true,
  });
}

export async function assignTechnician(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  input: {
    technicianId: string;
    bayId?: string | undefined;
    plannedStart?: Date | undefined;
    reasons?: readonly string[] | undefined;
  },
): Promise<WorkOrder> {
  const wo = await loadWorkOrder(tx, p, id, true);
  if (wo.status === 'handed_over' || wo.status === 'reviewed' || wo.status === 'cancelled') {
    throw new AppError(
      'workorder.closed',
      'conflict',
      `A work order that is ${wo.status} cannot be reassigned`,
    );
  }
  const [t] = await loadTechnicians(tx, { ids: [input.technicianId] });
  if (!t || t.storeId !== wo.storeId || t.status !== 'active') {
    throw new AppError(
      'technician.not_found',
      'not_found',
      `No active technician ${input.technicianId} at this store`,
    );
  }
  const [row] = await tx
    .update(workOrders)
    .set({ technicianId: t.id, ...(input.bayId ? { bayId: input.bayId } : {}), updatedAt: ctx.clock.now() })
    .where(eq(workOrders.id, id))
    .returning();
  await note(tx, wo, 'assign', ctx.clock.now(), p, {
    technicianId: t.id,
    technicianName: t.name,
    bayId: input.bayId ?? null,
    plannedStart: input.plannedStart?.toISOString() ?? null,
    reasons: input.reasons ?? null,
  });
  return row!;
}

/** Dispatch assigns a planned job: same as a manual assignment, with the plan's start and reasons. */
export function assignWorkOrderTechnician(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  technicianId: string,
  plan: { start: Date; reasons: readonly string[] },
): Promise<WorkOrder> {
  return assignTechnician(ctx, tx, p, id, { technicianId, plannedStart: plan.start, reasons: plan.reasons });
}

export async function listWorkOrders(
  ex: Executor,
  p: Principal,
  q: {
    storeId?: string | undefined;
    status?: WorkOrderStatus | undefined;
    technicianIds?: string[] | undefined;
    vehicleId?: string | undefined;
    limit: number;
  },
): Promise<WorkOrder[]> {
  const scope =
    p.kind === 'owner'
      ? eq(workOrders.ownerId, p.userId)
      : sql`${workOrders.orgPath} like ${p.orgPath + '%'}`;
  return ex
    .select()
    .from(workOrders)
    .where(
      and(
        scope,
        q.storeId ? eq(workOrders.storeId, q.storeId) : undefined,
        q.status ? eq(workOrders.status, q.status) : undefined,
        q.technicianIds
          ? inArray(workOrders.technicianId, q.technicianIds.length ? q.technicianIds : ['-'])
          : undefined,
        q.vehicleId ? eq(workOrders.vehicleId, q.vehicleId) : undefined,
      ),
    )
    .orderBy(desc(workOrders.createdAt))
    .limit(q.limit);
}

export async function timelineOf(
  ex: Executor,
  id: string,
): Promise<Array<typeof workOrderEvents.$inferSelect>> {
  return ex
    .select()
    .from(workOrderEvents)
    .where(eq(workOrderEvents.workOrderId, id))
    .orderBy(asc(workOrderEvents.id));
}

/** Read models of a work order: the detail a store or owner sees, the timeline, the service book. */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { together, type Executor } from '../../platform/db/types.js';
import { catalogSnapshot } from '../catalog/index.js';
import { traceCodesForLines } from '../inventory/index.js';
import { paymentsFor, toPaymentView } from '../booking/index.js';
import { getUsersByIds } from '../identity/index.js';
import { storesByIds } from '../stores/index.js';
import { loadTechnicians } from '../technicians/index.js';
import { eventsFrom } from './state-machine.js';
import {
  estimateLines,
  inspectionItems,
  photos,
  qcChecks,
  sopProgress,
  workOrderEvents,
  workOrders,
} from './schema.js';
import type { WorkOrder } from './work-orders.js';

export async function workOrderDetail(root: object, ex: Executor, wo: WorkOrder) {
  const [items, lines, steps, phs, qcs, pays, cat, stores, techs] = await together(ex, [
    () =>
      ex
        .select()
        .from(inspectionItems)
        .where(eq(inspectionItems.workOrderId, wo.id))
        .orderBy(asc(inspectionItems.sort)),
    () =>
      ex
        .select()
        .from(estimateLines)
        .where(eq(estimateLines.workOrderId, wo.id))
        .orderBy(asc(estimateLines.id)),
    () =>
      ex
        .select()
        .from(sopProgress)
        .where(eq(sopProgress.workOrderId, wo.id))
        .orderBy(asc(sopProgress.stepIndex)),
    () => ex.select().from(photos).where(eq(photos.workOrderId, wo.id)).orderBy(asc(photos.createdAt)),
    () => ex.select().from(qcChecks).where(eq(qcChecks.workOrderId, wo.id)).orderBy(asc(qcChecks.at)),
    () => paymentsFor(ex, { bookingId: wo.bookingId, workOrderId: wo.id }),
    () => catalogSnapshot(root, ex),
    () => storesByIds(ex, [wo.storeId]),
    () => (wo.technicianId ? loadTechnicians(ex, { ids: [wo.technicianId] }) : Promise.resolve([])),
  ]);
  const model = cat.models.get(wo.vehicleModelId);
  const paid = pays
    .filter((p) => p.status === 'succeeded' || p.status === 'partially_refunded')
    .reduce((s, p) => s + p.amountFen - p.refundedFen, 0);
  return {
    id: wo.id,
    number: wo.number,
    storeId: wo.storeId,
    storeName: stores[0]?.name ?? '',
    bookingId: wo.bookingId,
    ownerId: wo.ownerId,
    vehicleId: wo.vehicleId,
    plate: wo.plate,
    vehicleModel: model ? `${model.makeZh} ${model.modelZh}` : wo.vehicleModelId,
    powertrain: model?.powertrain ?? 'ICE',
    items: wo.items,
    status: wo.status,
    nextEvents: eventsFrom(wo.status),
    source: wo.source,
    technicianId: wo.technicianId,
    technicianName: techs[0]?.name ?? null,
    bayId: wo.bayId,
    odometerKm: wo.odometerKm,
    fuelLevelPct: wo.fuelLevelPct,
    notes: wo.notes,
    evidence: wo.evidence ?? null,
    comebackOf: wo.comebackOf,
    totalFen: wo.totalFen,
    paidFen: paid,
    dueFen: Math.max(0, wo.totalFen - paid),
    warrantyUntil: wo.warrantyUntil?.toISOString() ?? null,
    warrantyKmUntil: wo.warrantyKmUntil,
    createdAt: wo.createdAt.toISOString(),
    handedOverAt: wo.handedOverAt?.toISOString() ?? null,
    inspection: items.map((i) => ({
      id: i.id,
      code: i.code,
      nameZh: i.nameZh,
      nameEn: i.nameEn,
      result: i.result,
      note: i.note,
      recommendItem: i.recommendItem,
      photoIds: phs.filter((p) => p.inspectionItemId === i.id).map((p) => p.id),
    })),
    photos: phs.map((p) => ({
      id: p.id,
      inspectionItemId: p.inspectionItemId,
      contentType: p.contentType,
      width: p.width,
      height: p.height,
      createdAt: p.createdAt.toISOString(),
    })),
    estimate: lines.map((l) => ({
      id: l.id,
      kind: l.kind,
      itemCode: l.itemCode,
      partTypeCode: l.partTypeCode,
      description: l.description,
      qtyMilli: l.qtyMilli,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
      recommended: l.recommended,
      approval: l.approval,
    })),
    steps: steps.map((s) => ({
      id: s.id,
      itemCode: s.itemCode,
      stepCode: s.stepCode,
      zh: s.zh,
      en: s.en,
      standardMinutes: s.standardMinutes,
      doneAt: s.doneAt?.toISOString() ?? null,
      minutes:
        s.doneAt && s.startedAt ? Math.round((s.doneAt.getTime() - s.startedAt.getTime()) / 60_000) : null,
    })),
    qc: qcs.map((q) => ({ passed: q.passed, notes: q.notes, at: q.at.toISOString() })),
    payments: pays.map(toPaymentView),
  };
}

export type WorkOrderDetail = Awaited<ReturnType<typeof workOrderDetail>>;

export async function timelineView(ex: Executor, woId: string) {
  const rows = await ex
    .select()
    .from(workOrderEvents)
    .where(eq(workOrderEvents.workOrderId, woId))
    .orderBy(asc(workOrderEvents.id));
  const names = await getUsersByIds(
    ex,
    rows.map((r) => r.actorId).filter((x): x is string => !!x),
  );
  return rows.map((r) => ({
    at: r.at.toISOString(),
    event: r.event,
    from: r.fromStatus,
    to: r.toStatus,
    actorRole: r.actorRole,
    actorName: r.actorId ? (names.get(r.actorId)?.name ?? null) : null,
    data: r.data ?? null,
  }));
}

/** All finished work on a vehicle, newest first: date, store, odometer, items, parts, warranty. */
export async function serviceBook(root: object, ex: Executor, vehicleId: string) {
  const wos = await ex
    .select()
    .from(workOrders)
    .where(and(eq(workOrders.vehicleId, vehicleId), inArray(workOrders.status, ['handed_over', 'reviewed'])))
    .orderBy(desc(workOrders.handedOverAt));
  if (!wos.length) return [];
  const [lines, stores, cat] = await together(ex, [
    () =>
      ex
        .select()
        .from(estimateLines)
        .where(
          and(
            inArray(
              estimateLines.workOrderId,
              wos.map((w) => w.id),
            ),
            eq(estimateLines.approval, 'approved'),
          ),
        ),
    () => storesByIds(ex, [...new Set(wos.map((w) => w.storeId))]),
    () => catalogSnapshot(root, ex),
  ]);
  // Parts scanned onto each line (trace codes), for the owner to see what went into the car.
  const traced = await traceCodesForLines(
    ex,
    lines.filter((l) => l.kind === 'part').map((l) => l.id),
  );
  return wos.map((w) => ({
    workOrderId: w.id,
    number: w.number,
    at: (w.handedOverAt ?? w.updatedAt).toISOString(),
    storeId: w.storeId,
    storeName: stores.find((s) => s.id === w.storeId)?.name ?? '',
    odometerKm: w.odometerKm,
    items: w.items.map((c) => ({
      code: c,
      nameZh: cat.items.get(c)?.nameZh ?? c,
      nameEn: cat.items.get(c)?.nameEn ?? c,
    })),
    parts: lines
      .filter((l) => l.workOrderId === w.id && l.kind === 'part')
      .map((l) => ({
        lineId: l.id,
        partTypeCode: l.partTypeCode,
        description: l.description,
        qtyMilli: l.qtyMilli,
        traced: traced.get(l.id) ?? [],
      })),
    totalFen: w.totalFen,
    warrantyUntil: w.warrantyUntil?.toISOString() ?? null,
    warrantyKmUntil: w.warrantyKmUntil,
    comebackOf: w.comebackOf,
  }));
}

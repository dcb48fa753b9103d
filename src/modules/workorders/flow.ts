/**
 * The steps of a work order after check-in: inspection results and photos, the estimate and its
 * line-by-line approval through a signed link, SOP steps ticked by the technician, quality check by
 * a second person, payment and hand-over with warranty, review, and comebacks under warranty.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { requireStaff, type Principal } from '../../platform/auth/principal.js';
import { enqueueNotification } from '../../platform/notify/outbox.js';
import { PHOTO_EXTENSIONS, sanitizeImage } from '../../platform/blobs/index.js';
import { catalogSnapshot, expandItems, quoteFor } from '../catalog/index.js';
import { cancelFromWorkOrder, markCompleted, paidTotal } from '../booking/index.js';
import { getUsersByIds } from '../identity/index.js';
import { getStoreRaw, recordStoreRating } from '../stores/index.js';
import { loadTechnicians } from '../technicians/index.js';
import {
  applyEvent,
  addSopSteps,
  createWorkOrder,
  loadWorkOrder,
  note,
  type WorkOrder,
} from './work-orders.js';
import { estimateLines, inspectionItems, photos, qcChecks, reviews, sopProgress } from './schema.js';

export const APPROVAL_TTL_DAYS = 7;

// ── inspection ──────────────────────────────────────────────────────────────────────────────────

export async function recordInspection(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  itemId: string,
  input: { result: 'green' | 'yellow' | 'red'; note?: string | undefined },
): Promise<WorkOrder> {
  let wo = await loadWorkOrder(tx, p, id, true);
  if (wo.status === 'checked_in') wo = await applyEvent(ctx, tx, wo, 'start_inspection', p);
  if (wo.status !== 'inspection') {
    throw new AppError(
      'workorder.illegal_transition',
      'conflict',
      `Inspection results are recorded while inspecting; this work order is ${wo.status}`,
      { from: wo.status, to: wo.status },
    );
  }
  const rows = await tx
    .update(inspectionItems)
    .set({ result: input.result, note: input.note ?? null, checkedAt: ctx.clock.now(), checkedBy: p.userId })
    .where(and(eq(inspectionItems.id, itemId), eq(inspectionItems.workOrderId, id)))
    .returning();
  if (!rows.length)
    throw new AppError(
      'inspection.not_found',
      'not_found',
      `No inspection point ${itemId} on this work order`,
    );
  return wo;
}

export async function addPhoto(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  input: { data: Buffer; inspectionItemId?: string | undefined },
): Promise<typeof photos.$inferSelect> {
  const wo = await loadWorkOrder(tx, p, id);
  if (wo.status === 'cancelled' || wo.status === 'reviewed')
    throw new AppError(
      'workorder.closed',
      'conflict',
      `A work order that is ${wo.status} takes no more photos`,
    );
  if (input.inspectionItemId) {
    const [it] = await tx
      .select({ id: inspectionItems.id })
      .from(inspectionItems)
      .where(and(eq(inspectionItems.id, input.inspectionItemId), eq(inspectionItems.workOrderId, id)));
    if (!it)
      throw new AppError(
        'inspection.not_found',
        'not_found',
        `No inspection point ${input.inspectionItemId} on this work order`,
      );
  }
  const clean = sanitizeImage(input.data, { maxBytes: ctx.config.uploadLimit });
  const photoId = newId('ph');
  const key = `workorders/${wo.id}/${photoId}.${PHOTO_EXTENSIONS[clean.contentType]}`;
  await ctx.blobs.put(key, clean.data, clean.contentType);
  const [row] = await tx
    .insert(photos)
    .values({
      id: photoId,
      workOrderId: wo.id,
      inspectionItemId: input.inspectionItemId ?? null,
      blobKey: key,
      contentType: clean.contentType,
      bytes: clean.data.length,
      width: clean.width,
      height: clean.height,
      uploadedBy: p.userId,
      createdAt: ctx.clock.now(),
    })
    .returning();
  await note(tx, wo, 'photo', ctx.clock.now(), p, {
    photoId,
    inspectionItemId: input.inspectionItemId ?? null,
    removed: clean.removed,
  });
  return row!;
}

export async function readPhoto(
  ctx: AppContext,
  p: Principal,
  id: string,
  photoId: string,
): Promise<{ data: Buffer; contentType: string }> {
  await loadWorkOrder(ctx.db, p, id);
  const [ph] = await ctx.db
    .select()
    .from(photos)
    .where(and(eq(photos.id, photoId), eq(photos.workOrderId, id)));
  const blob = ph ? await ctx.blobs.get(ph.blobKey) : null;
  if (!ph || !blob)
    throw new AppError('photo.not_found', 'not_found', `No photo ${photoId} on this work order`);
  return blob;
}

// ── estimate ────────────────────────────────────────────────────────────────────────────────────

/** The store adds an item (quoted at its prices) or a custom line; extra work needs the owner's approval. */
export async function addEstimateItem(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  input: {
    itemCode?: string | undefined;
    custom?:
      { kind: 'labour' | 'part'; description: string; qtyMilli: number; unitPriceFen: number } | undefined;
  },
): Promise<void> {
  let wo = await loadWorkOrder(tx, p, id, true);
  if (wo.status === 'inspection') wo = await applyEvent(ctx, tx, wo, 'build_estimate', p);
  if (wo.status === 'awaiting_approval') wo = await applyEvent(ctx, tx, wo, 'reopen_estimate', p);
  if (wo.status !== 'estimate') {
    throw new AppError(
      'workorder.illegal_transition',
      'conflict',
      `The estimate is edited after inspection; this work order is ${wo.status}`,
      { from: wo.status, to: 'estimate' },
    );
  }
  const now = ctx.clock.now();
  if (input.itemCode) {
    const q = await quoteFor(ctx.db, tx, {
      storeOrgPath: wo.orgPath,
      vehicleModelId: wo.vehicleModelId,
      items: [input.itemCode],
    });
    await tx.insert(estimateLines).values(
      q.lines.map((l) => ({
        id: newId('el'),
        workOrderId: wo.id,
        kind: l.kind,
        itemCode: l.itemCode,
        partTypeCode: l.partTypeCode ?? null,
        description: l.description,
        qtyMilli: l.qtyMilli,
        unitPriceFen: l.unitPriceFen,
        amountFen: l.amountFen,
        recommended: true,
        approval: 'pending' as const,
      })),
    );
    await note(tx, wo, 'estimate_item', now, p, { itemCode: input.itemCode, totalFen: q.totalFen });
  } else if (input.custom) {
    const c = input.custom;
    const amount = Math.round((c.qtyMilli * c.unitPriceFen) / 1000);
    await tx.insert(estimateLines).values({
      id: newId('el'),
      workOrderId: wo.id,
      kind: c.kind,
      itemCode: 'custom',
      description: c.description,
      qtyMilli: c.qtyMilli,
      unitPriceFen: c.unitPriceFen,
      amountFen: amount,
      recommended: true,
      approval: 'pending',
    });
    await note(tx, wo, 'estimate_line', now, p, { description: c.description, amountFen: amount });
  } else {
    throw new AppError('estimate.empty_line', 'validation', 'Give an itemCode or a custom line');
  }
}

export async function removeEstimateLine(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  lineId: string,
): Promise<void> {
  const wo = await loadWorkOrder(tx, p, id, true);
  if (wo.status !== 'estimate')
    throw new AppError(
      'workorder.illegal_transition',
      'conflict',
      `Lines are removed while editing the estimate; this work order is ${wo.status}`,
      { from: wo.status, to: 'estimate' },
    );
  const rows = await tx
    .delete(estimateLines)
    .where(
      and(
        eq(estimateLines.id, lineId),
        eq(estimateLines.workOrderId, id),
        eq(estimateLines.approval, 'pending'),
      ),
    )
    .returning();
  if (!rows.length)
    throw new AppError(
      'estimate.line_not_found',
      'not_found',
      `No pending line ${lineId} on this work order`,
    );
}

/** `<woId>.<version>.<expirySeconds>.<hmac>`: valid until it expires or a newer estimate is sent. */
export function approvalToken(ctx: AppContext, woId: string, version: number, expSec: number): string {
  const body = `${woId}.${version}.${expSec}`;
  return `${body}.${ctx.tokens.hmac(`approval:${body}`)}`;
}

export function parseApprovalToken(ctx: AppContext, token: string): { woId: string; version: number } {
  const parts = token.split('.');
  const bad = new AppError(
    'approval.bad_link',
    'not_found',
    'This approval link is not valid; ask the store to send it again',
  );
  if (parts.length !== 4) throw bad;
  const [woId, v, exp, mac] = parts as [string, string, string, string];
  if (!ctx.tokens.verifyHmac(`approval:${woId}.${v}.${exp}`, mac)) throw bad;
  if (Number(exp) * 1000 < ctx.clock.now().getTime()) {
    throw new AppError(
      'approval.expired',
      'not_found',
      'This approval link has expired; ask the store to send it again',
    );
  }
  return { woId, version: Number(v) };
}

/** Sends the estimate to the owner with a signed link (in-app and SMS). */
export async function sendEstimate(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
): Promise<{ workOrder: WorkOrder; approvalUrl: string }> {
  let wo = await loadWorkOrder(tx, p, id, true);
  if (wo.status === 'inspection') wo = await applyEvent(ctx, tx, wo, 'build_estimate', p);
  const unchecked = await tx
    .select({ id: inspectionItems.id })
    .from(inspectionItems)
    .where(and(eq(inspectionItems.workOrderId, id), isNull(inspectionItems.result)));
  if (unchecked.length)
    throw new AppError(
      'inspection.incomplete',
      'conflict',
      `${unchecked.length} inspection points have no result yet`,
    );
  const version = wo.approvalVersion + 1;
  const exp = Math.floor(ctx.clock.now().getTime() / 1000) + APPROVAL_TTL_DAYS * 86_400;
  const token = approvalToken(ctx, wo.id, version, exp);
  wo = await applyEvent(ctx, tx, wo, 'send_estimate', p, { version }, { approvalVersion: version });
  const url = `${ctx.config.publicUrl}/approve/${token}`;
  const owner = (await getUsersByIds(tx, [wo.ownerId])).get(wo.ownerId);
  const pending = await tx
    .select()
    .from(estimateLines)
    .where(and(eq(estimateLines.workOrderId, id), eq(estimateLines.approval, 'pending')));
  const payload = {
    workOrderId: wo.id,
    plate: wo.plate,
    approvalUrl: url,
    pendingFen: pending.reduce((s, l) => s + l.amountFen, 0),
    lines: pending.length,
  };
  await enqueueNotification(tx, {
    channel: 'in_app',
    template: 'estimate_awaiting_approval',
    recipientUserId: wo.ownerId,
    payload,
    at: ctx.clock.now(),
  });
  if (owner?.phone)
    await enqueueNotification(tx, {
      channel: 'sms',
      template: 'estimate_awaiting_approval',
      recipientUserId: wo.ownerId,
      recipientAddress: owner.phone,
      payload,
      at: ctx.clock.now(),
    });
  return { workOrder: wo, approvalUrl: url };
}

/** The owner decides every pending line (approve or decline); declined lines are kept for follow-up. */
export async function decideEstimate(
  ctx: AppContext,
  tx: Tx,
  wo: WorkOrder,
  decisions: ReadonlyArray<{ lineId: string; approve: boolean }>,
  actor: Principal | null,
): Promise<WorkOrder> {
  if (wo.status !== 'awaiting_approval') {
    throw new AppError(
      'workorder.illegal_transition',
      'conflict',
      `This estimate is not awaiting approval (the work order is ${wo.status})`,
      { from: wo.status, to: 'approved' },
    );
  }
  const pending = await tx
    .select()
    .from(estimateLines)
    .where(and(eq(estimateLines.workOrderId, wo.id), eq(estimateLines.approval, 'pending')));
  const byId = new Map(decisions.map((d) => [d.lineId, d.approve]));
  const missing = pending.filter((l) => !byId.has(l.id));
  if (missing.length)
    throw new AppError(
      'approval.incomplete',
      'validation',
      `Decide every line: ${missing.length} left (${missing.map((l) => l.description).join(', ')})`,
    );
  const unknown = decisions.filter((d) => !pending.some((l) => l.id === d.lineId));
  if (unknown.length)
    throw new AppError(
      'approval.unknown_line',
      'validation',
      `These lines are not awaiting a decision: ${unknown.map((d) => d.lineId).join(', ')}`,
    );
  const now = ctx.clock.now();
  const approvedIds = pending.filter((l) => byId.get(l.id)).map((l) => l.id);
  const declinedIds = pending.filter((l) => !byId.get(l.id)).map((l) => l.id);
  if (approvedIds.length)
    await tx
      .update(estimateLines)
      .set({ approval: 'approved', decidedAt: now })
      .where(inArray(estimateLines.id, approvedIds));
  if (declinedIds.length) {
    await tx
      .update(estimateLines)
      .set({ approval: 'declined', decidedAt: now, followUpAt: new Date(now.getTime() + 30 * 86_400_000) })
      .where(inArray(estimateLines.id, declinedIds));
  }
  const [tot] = await tx
    .select({ n: sql<number>`coalesce(sum(${estimateLines.amountFen}), 0)::int` })
    .from(estimateLines)
    .where(and(eq(estimateLines.workOrderId, wo.id), eq(estimateLines.approval, 'approved')));
  const newItems = [
    ...new Set(pending.filter((l) => byId.get(l.id) && l.itemCode !== 'custom').map((l) => l.itemCode)),
  ].filter((c) => !wo.items.includes(c));
  const next = await applyEvent(
    ctx,
    tx,
    wo,
    'approve',
    actor,
    { approved: approvedIds.length, declined: declinedIds.length },
    { totalFen: tot?.n ?? 0, items: [...wo.items, ...newItems] },
  );
  await addSopSteps(ctx, tx, wo.id, newItems);
  return next;
}

// ── work, QC ────────────────────────────────────────────────────────────────────────────────────

export async function completeStep(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  stepId: string,
): Promise<WorkOrder> {
  let wo = await loadWorkOrder(tx, p, id, true);
  if (wo.status === 'approved') wo = await applyEvent(ctx, tx, wo, 'start_work', p);
  if (wo.status !== 'in_progress')
    throw new AppError(
      'workorder.illegal_transition',
      'conflict',
      `Steps are ticked while the work is in progress; this work order is ${wo.status}`,
      { from: wo.status, to: 'in_progress' },
    );
  const steps = await tx
    .select()
    .from(sopProgress)
    .where(eq(sopProgress.workOrderId, id))
    .orderBy(asc(sopProgress.stepIndex));
  const step = steps.find((s) => s.id === stepId);
  if (!step) throw new AppError('sop.step_not_found', 'not_found', `No step ${stepId} on this work order`);
  if (step.doneAt) throw new AppError('sop.step_done', 'conflict', 'This step is already done');
  const now = ctx.clock.now();
  const lastDone = steps
    .filter((s) => s.doneAt)
    .reduce<Date | null>((m, s) => (!m || s.doneAt! > m ? s.doneAt : m), null);
  const startedAt = lastDone ?? (await workStartedAt(tx, id)) ?? now;
  await tx
    .update(sopProgress)
    .set({ startedAt, doneAt: now, doneBy: p.userId })
    .where(eq(sopProgress.id, stepId));
  await note(tx, wo, 'step_done', now, p, {
    stepId,
    stepCode: step.stepCode,
    itemCode: step.itemCode,
    minutes: Math.round((now.getTime() - startedAt.getTime()) / 60_000),
  });
  return wo;
}

async function workStartedAt(ex: Executor, id: string): Promise<Date | null> {
  const rows = (await ex.execute(
    sql`select max(at) as at from work_order_events where work_order_id = ${id} and event in ('start_work', 'qc_fail')`,
  )) as unknown as { rows: Array<{ at: Date | string | null }> };
  const at = rows.rows[0]?.at;
  return at ? new Date(at) : null;
}

export async function startWork(ctx: AppContext, tx: Tx, p: Principal, id: string): Promise<WorkOrder> {
  const wo = await loadWorkOrder(tx, p, id, true);
  return applyEvent(ctx, tx, wo, 'start_work', p);
}

export async function finishWork(ctx: AppContext, tx: Tx, p: Principal, id: string): Promise<WorkOrder> {
  let wo = await loadWorkOrder(tx, p, id, true);
  if (wo.status === 'approved') wo = await applyEvent(ctx, tx, wo, 'start_work', p);
  const open = await tx
    .select({ id: sopProgress.id })
    .from(sopProgress)
    .where(and(eq(sopProgress.workOrderId, id), isNull(sopProgress.doneAt)));
  if (open.length && wo.status === 'in_progress')
    throw new AppError('sop.incomplete', 'conflict', `${open.length} SOP steps are not done yet`);
  return applyEvent(ctx, tx, wo, 'finish_work', p);
}

/** Quality check by a second person: not the assigned technician, not who ticked the steps. */
export async function qualityCheck(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  input: { passed: boolean; notes?: string | undefined },
): Promise<WorkOrder> {
  requireStaff(p);
  const wo = await loadWorkOrder(tx, p, id, true);
  const doers = await tx
    .selectDistinct({ by: sopProgress.doneBy })
    .from(sopProgress)
    .where(eq(sopProgress.workOrderId, id));
  const tech = wo.technicianId ? (await loadTechnicians(tx, { ids: [wo.technicianId] }))[0] : undefined;
  if (doers.some((d) => d.by === p.userId) || (tech?.userId && tech.userId === p.userId)) {
    throw new AppError(
      'qc.same_person',
      'conflict',
      'The quality check must be done by someone other than the technician who did the work',
    );
  }
  const now = ctx.clock.now();
  await tx.insert(qcChecks).values({
    id: newId('qc'),
    workOrderId: id,
    checkedBy: p.userId,
    passed: input.passed,
    notes: input.notes ?? null,
    at: now,
  });
  if (!input.passed) {
    await tx
      .update(sopProgress)
      .set({ doneAt: null, doneBy: null, startedAt: null })
      .where(eq(sopProgress.workOrderId, id));
    return applyEvent(ctx, tx, wo, 'qc_fail', p, { notes: input.notes ?? null });
  }
  const ready = await applyEvent(ctx, tx, wo, 'qc_pass', p, { notes: input.notes ?? null });
  const owner = (await getUsersByIds(tx, [wo.ownerId])).get(wo.ownerId);
  const store = await getStoreRaw(tx, wo.storeId);
  const due = Math.max(
    0,
    wo.totalFen - (await paidTotal(tx, { bookingId: wo.bookingId, workOrderId: wo.id })),
  );
  const payload = { workOrderId: wo.id, plate: wo.plate, storeName: store?.name ?? '', dueFen: due };
  await enqueueNotification(tx, {
    channel: 'in_app',
    template: 'car_ready',
    recipientUserId: wo.ownerId,
    payload,
    at: now,
  });
  if (owner?.phone)
    await enqueueNotification(tx, {
      channel: 'sms',
      template: 'car_ready',
      recipientUserId: wo.ownerId,
      recipientAddress: owner.phone,
      payload,
      at: now,
    });
  return ready;
}

// ── hand-over, review, comeback ─────────────────────────────────────────────────────────────────

export async function handOver(ctx: AppContext, tx: Tx, p: Principal, id: string): Promise<WorkOrder> {
  const wo = await loadWorkOrder(tx, p, id, true);
  const paid = await paidTotal(tx, { bookingId: wo.bookingId, workOrderId: wo.id });
  if (wo.status === 'ready' && paid < wo.totalFen) {
    throw new AppError(
      'workorder.unpaid',
      'conflict',
      `¥${((wo.totalFen - paid) / 100).toFixed(2)} is still due; record the payment before handing over`,
      { dueFen: wo.totalFen - paid },
    );
  }
  const cat = await catalogSnapshot(ctx.db, tx);
  const done = expandItems(cat.items, wo.items).map((x) => x.item);
  const months = Math.max(0, ...done.map((i) => i.warrantyMonths));
  const km = Math.max(0, ...done.map((i) => i.warrantyKm));
  const now = ctx.clock.now();
  const until = new Date(now);
  until.setUTCMonth(until.getUTCMonth() + months);
  const next = await applyEvent(
    ctx,
    tx,
    wo,
    'hand_over',
    p,
    { paidFen: paid, warrantyMonths: months, warrantyKm: km },
    {
      handedOverAt: now,
      paidFen: paid,
      warrantyUntil: months > 0 ? until : null,
      warrantyKmUntil: km > 0 && wo.odometerKm !== null ? wo.odometerKm + km : null,
    },
  );
  if (wo.bookingId) await markCompleted(ctx, tx, wo.bookingId);
  const lines = await tx
    .select()
    .from(estimateLines)
    .where(and(eq(estimateLines.workOrderId, id), eq(estimateLines.approval, 'approved')));
  await ctx.bus.publish(
    tx,
    'workorder.completed',
    {
      workOrderId: wo.id,
      storeId: wo.storeId,
      ownerId: wo.ownerId,
      vehicleId: wo.vehicleId,
      items: wo.items,
      odometerKm: wo.odometerKm,
      totalFen: wo.totalFen,
      technicianId: wo.technicianId,
      parts: lines
        .filter((l) => l.kind === 'part')
        .map((l) => ({ lineId: l.id, partTypeCode: l.partTypeCode, qtyMilli: l.qtyMilli })),
      comebackOf: wo.comebackOf,
      at: now.toISOString(),
    },
    wo.orgPath,
  );
  await enqueueNotification(tx, {
    channel: 'in_app',
    template: 'review_request',
    recipientUserId: wo.ownerId,
    payload: { workOrderId: wo.id, plate: wo.plate },
    at: now,
  });
  return next;
}

export async function review(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  input: { stars: number; tags: string[]; text?: string | undefined },
): Promise<WorkOrder> {
  const wo = await loadWorkOrder(tx, p, id, true);
  if (p.kind !== 'owner')
    throw new AppError('review.owner_only', 'forbidden', 'Only the car owner reviews a work order');
  const next = await applyEvent(ctx, tx, wo, 'review', p, { stars: input.stars });
  await tx.insert(reviews).values({
    id: newId('rv'),
    workOrderId: id,
    storeId: wo.storeId,
    orgPath: wo.orgPath,
    ownerId: wo.ownerId,
    technicianId: wo.technicianId,
    stars: input.stars,
    tags: input.tags,
    text: input.text ?? null,
    at: ctx.clock.now(),
  });
  await recordStoreRating(tx, wo.storeId, input.stars);
  return next;
}

/** Rework under warranty: a new work order linked to the original, at no charge. */
export async function openComeback(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  input: { odometerKm: number; fuelLevelPct: number; notes: string },
): Promise<WorkOrder> {
  requireStaff(p);
  const orig = await loadWorkOrder(tx, p, id);
  if (orig.status !== 'handed_over' && orig.status !== 'reviewed')
    throw new AppError('workorder.not_finished', 'conflict', 'A comeback refers to finished work');
  const now = ctx.clock.now();
  const inTime = orig.warrantyUntil !== null && orig.warrantyUntil >= now;
  const inKm = orig.warrantyKmUntil === null || input.odometerKm <= orig.warrantyKmUntil;
  if (!inTime || !inKm) {
    throw new AppError(
      'workorder.out_of_warranty',
      'conflict',
      `The warranty of ${orig.number} has ended (until ${orig.warrantyUntil?.toISOString().slice(0, 10) ?? '—'}${orig.warrantyKmUntil ? ` or ${orig.warrantyKmUntil} km` : ''})`,
    );
  }
  return createWorkOrder(ctx, tx, p, {
    storeId: orig.storeId,
    orgPath: orig.orgPath,
    bookingId: null,
    ownerId: orig.ownerId,
    vehicleId: orig.vehicleId,
    vehicleModelId: orig.vehicleModelId,
    plate: orig.plate,
    items: orig.items,
    lines: [],
    source: 'comeback',
    technicianId: null,
    bayId: null,
    odometerKm: input.odometerKm,
    fuelLevelPct: input.fuelLevelPct,
    notes: input.notes,
    comebackOf: orig.id,
    preApproved: true,
  });
}

export async function cancelWorkOrder(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  id: string,
  reason: string,
): Promise<WorkOrder> {
  const wo = await loadWorkOrder(tx, p, id, true);
  const next = await applyEvent(ctx, tx, wo, 'cancel', p, { reason });
  if (wo.bookingId) await cancelFromWorkOrder(ctx, tx, wo.bookingId, reason);
  return next;
}

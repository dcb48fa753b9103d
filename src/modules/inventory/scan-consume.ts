/**
 * Scanning a traced unit onto a work-order line: the unit must be known, not yet consumed, of the
 * part type the line asks for, and in the work order's store. Consumes one unit (from the booking's
 * reservation first) and links the code to the line, in one transaction. Rejected scans are logged
 * by the caller in a separate transaction (this one rolls back) — see `recordRejectedScan`.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/types.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { utcToLocal } from '../../platform/time.js';
import type { StaffPrincipal } from '../../platform/auth/principal.js';
import { loadWorkOrder, workOrderDetail } from '../workorders/index.js';
import { partsByIds, storeLocation } from './catalogue.js';
import { consumedEvent } from './hooks.js';
import { consume } from './reservations.js';
import { invTraceUnits, type ScanResult } from './schema.js';
import { loadTraceUnit, logScan, markConsumed, parseTraceCode } from './trace.js';

const SCANNABLE = new Set(['approved', 'in_progress', 'quality_check', 'ready']);

/**
 * The work order's approved part line, read before the scan's transaction (the detail view runs its
 * reads in parallel, which one transaction's connection cannot).
 */
export async function partLineOf(ctx: AppContext, p: StaffPrincipal, workOrderId: string, lineId: string) {
  const wo = await loadWorkOrder(ctx.db, p, workOrderId);
  const detail = await workOrderDetail(ctx.db, ctx.db, wo);
  const line = detail.estimate.find((l) => l.id === lineId);
  if (!line || line.kind !== 'part' || line.approval !== 'approved')
    throw new AppError(
      'inventory.bad_line',
      'validation',
      `Line ${lineId} is not an approved part line of this work order`,
    );
  return line;
}

export async function scanOntoLine(
  ctx: AppContext,
  tx: Tx,
  p: StaffPrincipal,
  q: { code: string; workOrderId: string; lineId: string },
  line: { id: string; partTypeCode: string | null; qtyMilli: number },
) {
  const code = parseTraceCode(q.code);
  const wo = await loadWorkOrder(tx, p, q.workOrderId, true);
  if (!SCANNABLE.has(wo.status))
    throw new AppError(
      'inventory.work_order_not_in_work',
      'conflict',
      `Parts are scanned on approved work; this work order is ${wo.status}`,
      {
        status: wo.status,
      },
    );
  const unit = await loadTraceUnit(tx, code, true);
  if (!unit)
    throw new AppError(
      'inventory.unknown_trace_code',
      'not_found',
      `Trace code ${code} was never received: possibly counterfeit`,
      {
        code,
        result: 'unknown',
      },
    );
  if (unit.status === 'consumed')
    throw new AppError(
      'inventory.double_scan',
      'conflict',
      `Trace code ${code} was already consumed; the operator has been alerted`,
      {
        code,
        result: 'already_consumed',
        consumedAt: unit.consumedAt?.toISOString() ?? null,
        sameWorkOrder: unit.workOrderId === wo.id,
      },
    );
  const part = (await partsByIds(tx, [unit.partId])).get(unit.partId)!;
  if (part.partTypeCode !== line.partTypeCode)
    throw new AppError(
      'inventory.wrong_sku',
      'conflict',
      `Trace code ${code} is a ${part.partTypeCode} (${part.sku}); the line needs ${line.partTypeCode}`,
      {
        code,
        result: 'wrong_sku',
        sku: part.sku,
        expectedPartType: line.partTypeCode,
      },
    );
  const location = await storeLocation(tx, wo.storeId);
  if (!location || unit.locationId !== location.id || unit.status !== 'in_stock')
    throw new AppError(
      'inventory.wrong_location',
      'conflict',
      `Trace code ${code} is not in stock at this store`,
      {
        code,
        result: 'wrong_location',
        status: unit.status,
      },
    );
  // Past its best-before (fluids, filters with a shelf life): not fitted, and the manager sees it.
  const today = utcToLocal(ctx.clock.now(), ctx.config.timezone).day;
  if (unit.expiresOn && unit.expiresOn < today)
    throw new AppError(
      'inventory.unit_expired',
      'conflict',
      `Trace code ${code} expired on ${unit.expiresOn}; take another unit and set this one aside`,
      {
        code,
        result: 'expired',
        expiresOn: unit.expiresOn,
      },
    );
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(invTraceUnits)
    .where(and(eq(invTraceUnits.workOrderLineId, line.id), eq(invTraceUnits.status, 'consumed')));
  if ((n + 1) * 1000 > line.qtyMilli)
    throw new AppError(
      'inventory.line_complete',
      'conflict',
      `Line ${line.id} needs ${line.qtyMilli / 1000} units and has them all`,
      {
        scanned: n,
      },
    );
  const now = ctx.clock.now();
  const r = await consume(tx, {
    part,
    location,
    qtyMilli: 1000,
    workOrderId: wo.id,
    bookingId: wo.bookingId,
    workOrderLineId: line.id,
    traceCode: code,
    batch: unit.batch,
    actorId: p.userId,
    at: now,
  });
  await markConsumed(tx, code, {
    workOrderId: wo.id,
    workOrderLineId: line.id,
    vehicleId: wo.vehicleId,
    actorId: p.userId,
    at: now,
  });
  await logScan(tx, { orgPath: wo.orgPath, code, result: 'consumed', workOrderId: wo.id, actor: p, at: now });
  await ctx.bus.publish(
    tx,
    'inventory.consumed',
    consumedEvent(part, location, {
      qtyMilli: 1000,
      workOrderId: wo.id,
      lineId: line.id,
      traceCode: code,
      at: now,
    }),
    location.orgPath,
  );
  return {
    code,
    result: 'consumed' as const,
    sku: part.sku,
    partName: part.name,
    batch: unit.batch,
    workOrderId: wo.id,
    lineId: line.id,
    fromReservation: r.fromReservedMilli > 0,
    onHandMilli: r.balance.onHandMilli,
  };
}

const REJECTED: Record<string, ScanResult> = {
  'inventory.unknown_trace_code': 'unknown',
  'inventory.double_scan': 'already_consumed',
  'inventory.wrong_sku': 'wrong_sku',
  'inventory.wrong_location': 'wrong_location',
  'inventory.unit_expired': 'expired',
};

/** Keeps a rejected scan (the scan's own transaction rolled back) as the operator's signal. */
export async function recordRejectedScan(
  ctx: AppContext,
  p: StaffPrincipal,
  q: { code: string; workOrderId: string },
  e: unknown,
): Promise<void> {
  if (!isAppError(e)) return;
  const result = REJECTED[e.code];
  if (!result) return;
  await ctx.db.transaction(async (tx) => {
    // Scope the signal to the work order's org when the caller may see it, else to the caller's org.
    const wo = await loadWorkOrder(tx, p, q.workOrderId).catch(() => undefined);
    await logScan(tx, {
      orgPath: wo?.orgPath ?? p.orgPath,
      code: (e.details as { code?: string } | undefined)?.code ?? q.code,
      result,
      workOrderId: wo?.id ?? null,
      actor: p,
      details: { message: e.message },
      at: ctx.clock.now(),
    });
  });
}

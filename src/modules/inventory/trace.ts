/**
 * Trace codes: issued per unit at receipt (with batch, serial, DOT week or best-before), scanned at
 * consumption against a work-order line, shown in the owner's service book. The authenticity check
 * answers known / unknown / already consumed / wrong SKU; bad scans are kept as counterfeit signals.
 */
import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Executor, Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { audit } from '../../platform/audit.js';
import { orgScope, type StaffPrincipal } from '../../platform/auth/principal.js';
import { invParts, invScans, invTraceUnits, type ScanResult } from './schema.js';
import { isValidTraceCode, makeTraceCode, normalizeTraceCode } from './trace-code.js';
import type { Location, Part } from './catalogue.js';

export type TraceUnit = typeof invTraceUnits.$inferSelect;

export interface UnitFacts {
  batch?: string | null | undefined;
  serials?: string[] | undefined;
  dotWeek?: string | null | undefined;
  expiresOn?: string | null | undefined;
}

/** Issues one trace code per received unit. */
export async function issueTraceCodes(
  tx: Tx,
  q: { part: Part; location: Location; units: number; facts: UnitFacts; receiptRef: string; at: Date },
): Promise<string[]> {
  if (q.facts.serials && q.facts.serials.length !== q.units)
    throw new AppError(
      'inventory.serials_mismatch',
      'validation',
      `${q.facts.serials.length} serial numbers for ${q.units} units`,
    );
  const codes = Array.from({ length: q.units }, () => makeTraceCode());
  if (codes.length)
    await tx.insert(invTraceUnits).values(
      codes.map((code, i) => ({
        code,
        orgPath: q.location.orgPath,
        partId: q.part.id,
        locationId: q.location.id,
        batch: q.facts.batch ?? null,
        serial: q.facts.serials?.[i] ?? null,
        dotWeek: q.facts.dotWeek ?? null,
        expiresOn: q.facts.expiresOn ?? null,
        status: 'in_stock' as const,
        receivedAt: q.at,
        receiptRef: q.receiptRef,
      })),
    );
  return codes;
}

/** Parses a scanned code: 422 when it cannot be a Pitlane code (bad check character). */
export function parseTraceCode(raw: string): string {
  const code = normalizeTraceCode(raw);
  if (!isValidTraceCode(code))
    throw new AppError(
      'inventory.bad_trace_code',
      'validation',
      `"${raw}" is not a valid trace code (check character mismatch or wrong length)`,
    );
  return code;
}

export async function loadTraceUnit(
  ex: Executor,
  code: string,
  lock = false,
): Promise<TraceUnit | undefined> {
  const q = ex.select().from(invTraceUnits).where(eq(invTraceUnits.code, code));
  const [u] = lock ? await q.for('update') : await q;
  return u;
}

/** Both org paths under the same chain (the first two segments of /platform/chain/…). */
export function sameChain(a: string, b: string): boolean {
  const chain = (x: string) => x.split('/').filter(Boolean).slice(0, 2).join('/');
  return chain(a) === chain(b);
}

export type Authenticity = 'known' | 'unknown' | 'already_consumed' | 'wrong_sku';

export async function checkAuthenticity(
  ex: Executor,
  p: StaffPrincipal,
  raw: string,
  expectSku?: string,
): Promise<{
  code: string;
  result: Authenticity;
  sku: string | null;
  partName: string | null;
  batch: string | null;
  consumedAt: string | null;
  receivedAt: string | null;
}> {
  const code = parseTraceCode(raw);
  const [row] = await ex
    .select({ u: invTraceUnits, sku: invParts.sku, name: invParts.name })
    .from(invTraceUnits)
    .innerJoin(invParts, eq(invParts.id, invTraceUnits.partId))
    .where(eq(invTraceUnits.code, code));
  if (!row)
    return {
      code,
      result: 'unknown',
      sku: null,
      partName: null,
      batch: null,
      consumedAt: null,
      receivedAt: null,
    };
  const result: Authenticity =
    expectSku && expectSku !== row.sku
      ? 'wrong_sku'
      : row.u.status === 'consumed'
        ? 'already_consumed'
        : 'known';
  // Outside the caller's chain only the verdict is told, not whose part it is.
  if (!sameChain(row.u.orgPath, p.orgPath))
    return { code, result, sku: null, partName: null, batch: null, consumedAt: null, receivedAt: null };
  return {
    code,
    result,
    sku: row.sku,
    partName: row.name,
    batch: row.u.batch,
    consumedAt: row.u.consumedAt?.toISOString() ?? null,
    receivedAt: row.u.receivedAt.toISOString(),
  };
}

/** Marks a unit consumed on a work-order line. */
export async function markConsumed(
  tx: Tx,
  code: string,
  q: {
    workOrderId: string;
    workOrderLineId: string | null;
    vehicleId: string;
    actorId: string | null;
    at: Date;
  },
): Promise<void> {
  await tx
    .update(invTraceUnits)
    .set({
      status: 'consumed',
      locationId: null,
      consumedAt: q.at,
      workOrderId: q.workOrderId,
      workOrderLineId: q.workOrderLineId,
      vehicleId: q.vehicleId,
      consumedBy: q.actorId,
    })
    .where(eq(invTraceUnits.code, code));
}

/** Oldest in-stock units of a part at a location (FIFO), locked. */
export async function oldestUnits(
  tx: Tx,
  partId: string,
  locationId: string,
  n: number,
): Promise<TraceUnit[]> {
  if (n <= 0) return [];
  return tx
    .select()
    .from(invTraceUnits)
    .where(
      and(
        eq(invTraceUnits.partId, partId),
        eq(invTraceUnits.locationId, locationId),
        eq(invTraceUnits.status, 'in_stock'),
      ),
    )
    .orderBy(asc(invTraceUnits.receivedAt), asc(invTraceUnits.code))
    .limit(n)
    .for('update');
}

/** Writes a scan to the log; bad results also go to the audit trail as counterfeit signals. */
export async function logScan(
  ex: Executor,
  s: {
    orgPath: string;
    code: string;
    result: ScanResult;
    workOrderId: string | null;
    actor: StaffPrincipal | null;
    details?: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await ex.insert(invScans).values({
    orgPath: s.orgPath,
    code: s.code,
    result: s.result,
    workOrderId: s.workOrderId,
    actorId: s.actor?.userId ?? null,
    details: s.details ?? null,
    at: s.at,
  });
  if (s.result !== 'consumed')
    await audit(ex, {
      actor: s.actor ?? undefined,
      action: `inventory.scan.${s.result}`,
      resourceType: 'trace_code',
      resourceId: s.code,
      orgPath: s.orgPath,
      details: { workOrderId: s.workOrderId, ...(s.details ?? {}) },
      at: s.at,
    });
}

/** Scan alerts (everything but clean consumption) in the caller's scope, newest first. */
export async function scanAlerts(
  ex: Executor,
  p: StaffPrincipal,
  q: { limit: number; beforeId?: number | undefined },
) {
  const rows = await ex
    .select()
    .from(invScans)
    .where(
      and(
        orgScope(p, invScans.orgPath),
        inArray(invScans.result, ['unknown', 'already_consumed', 'wrong_sku', 'wrong_location', 'expired']),
        q.beforeId !== undefined ? lt(invScans.id, q.beforeId) : undefined,
      ),
    )
    .orderBy(desc(invScans.id))
    .limit(q.limit + 1);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    result: r.result,
    workOrderId: r.workOrderId,
    actorId: r.actorId,
    details: r.details ?? null,
    at: r.at.toISOString(),
    counterfeitSignal: r.result === 'already_consumed' || r.result === 'unknown',
  }));
}

/** Trace codes consumed on work-order lines (for the service book). */
export async function traceCodesForLines(
  ex: Executor,
  lineIds: readonly string[],
): Promise<
  Map<
    string,
    Array<{
      code: string;
      sku: string;
      brand: string;
      name: string;
      batch: string | null;
      serial: string | null;
      dotWeek: string | null;
    }>
  >
> {
  const out = new Map<
    string,
    Array<{
      code: string;
      sku: string;
      brand: string;
      name: string;
      batch: string | null;
      serial: string | null;
      dotWeek: string | null;
    }>
  >();
  if (!lineIds.length) return out;
  const rows = await ex
    .select({ u: invTraceUnits, sku: invParts.sku, brand: invParts.brand, name: invParts.name })
    .from(invTraceUnits)
    .innerJoin(invParts, eq(invParts.id, invTraceUnits.partId))
    .where(inArray(invTraceUnits.workOrderLineId, [...lineIds]))
    .orderBy(asc(invTraceUnits.consumedAt), asc(invTraceUnits.code));
  for (const r of rows) {
    const k = r.u.workOrderLineId!;
    const list = out.get(k) ?? [];
    list.push({
      code: r.u.code,
      sku: r.sku,
      brand: r.brand,
      name: r.name,
      batch: r.u.batch,
      serial: r.u.serial,
      dotWeek: r.u.dotWeek,
    });
    out.set(k, list);
  }
  return out;
}

/**
 * Stock documents: receipts (with trace codes), adjustments and returns, transfers between locations
 * (ship → receive, with discrepancies), purchase orders (draft → sent → partly / fully received) and
 * stocktakes (count → approve, which posts the variance). Each call is one transaction.
 */
import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type { Tx, Executor } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { inOrgScope, orgScope, type StaffPrincipal } from '../../platform/auth/principal.js';
import { audit } from '../../platform/audit.js';
import { loadLocation, loadPart, partVisible, partsByIds, type Location, type Part } from './catalogue.js';
import { balanceOf, post } from './ledger.js';
import { assertUnitQty, formatQty } from './quantity.js';
import {
  invLocations,
  invPurchaseOrders,
  invStocktakes,
  invTraceUnits,
  invTransfers,
  type CountLine,
  type DocLine,
  type MovementKind,
} from './schema.js';
import { issueTraceCodes, oldestUnits, sameChain, type UnitFacts } from './trace.js';

/** A part the location's org may stock (its own catalogue or an ancestor's). */
function assertStockable(part: Part, loc: Location): void {
  const fake = { kind: 'staff', orgPath: loc.orgPath } as StaffPrincipal;
  if (!partVisible(fake, part))
    throw new AppError('inventory.part_not_found', 'not_found', `No part with id ${part.id}`);
}

export async function receive(
  tx: Tx,
  p: StaffPrincipal,
  q: {
    locationId: string;
    partId: string;
    qtyMilli: number;
    unitCostFen?: number | undefined;
    bin?: string | undefined;
    facts: UnitFacts;
    refType?: string;
    refId?: string;
    at: Date;
  },
): Promise<{ onHandMilli: number; traceCodes: string[] }> {
  const loc = await loadLocation(tx, p, q.locationId);
  const part = await loadPart(tx, p, q.partId);
  assertStockable(part, loc);
  return receiveInto(tx, p, loc, part, q);
}

async function receiveInto(
  tx: Tx,
  p: StaffPrincipal,
  loc: Location,
  part: Part,
  q: {
    qtyMilli: number;
    unitCostFen?: number | undefined;
    bin?: string | undefined;
    facts: UnitFacts;
    refType?: string;
    refId?: string;
    at: Date;
  },
): Promise<{ onHandMilli: number; traceCodes: string[] }> {
  if (q.qtyMilli <= 0)
    throw new AppError('inventory.negative_qty', 'validation', 'Receive a positive quantity');
  assertUnitQty(q.qtyMilli, part.unit);
  if (q.bin && loc.bins.length && !loc.bins.includes(q.bin))
    throw new AppError('inventory.unknown_bin', 'validation', `Bin ${q.bin} does not exist at ${loc.name}`, {
      bins: loc.bins,
    });
  const refId = q.refId ?? newId('rcv');
  const b = await post(tx, {
    orgPath: loc.orgPath,
    partId: part.id,
    sku: part.sku,
    locationId: loc.id,
    kind: 'receipt',
    onHandDeltaMilli: q.qtyMilli,
    reservedDeltaMilli: 0,
    unitCostFen: q.unitCostFen ?? part.costFen,
    refType: q.refType ?? 'receipt',
    refId,
    batch: q.facts.batch,
    bin: q.bin,
    actorId: p.userId,
    at: q.at,
  });
  const traceCodes = part.traced
    ? await issueTraceCodes(tx, {
        part,
        location: loc,
        units: q.qtyMilli / 1000,
        facts: q.facts,
        receiptRef: refId,
        at: q.at,
      })
    : [];
  return { onHandMilli: b.onHandMilli, traceCodes };
}

const SIGNED_KINDS = { adjustment: 0, return_to_supplier: -1, customer_return: 1 } as const;
export type AdjustKind = keyof typeof SIGNED_KINDS;

export async function adjust(
  tx: Tx,
  p: StaffPrincipal,
  q: { locationId: string; partId: string; kind: AdjustKind; qtyMilli: number; reason: string; at: Date },
) {
  const loc = await loadLocation(tx, p, q.locationId);
  const part = await loadPart(tx, p, q.partId);
  assertStockable(part, loc);
  assertUnitQty(Math.abs(q.qtyMilli), part.unit);
  const sign = SIGNED_KINDS[q.kind];
  if (sign !== 0 && q.qtyMilli <= 0)
    throw new AppError(
      'inventory.negative_qty',
      'validation',
      `A ${q.kind.replace(/_/g, ' ')} takes a positive quantity`,
    );
  if (q.qtyMilli === 0) throw new AppError('inventory.bad_qty', 'validation', 'Quantity must not be zero');
  const delta = sign === 0 ? q.qtyMilli : sign * q.qtyMilli;
  if (part.traced && delta !== 0)
    throw new AppError(
      'inventory.traced_needs_codes',
      'validation',
      'Traced parts move with their codes: receive, transfer or scan them',
    );
  const b = await post(tx, {
    orgPath: loc.orgPath,
    partId: part.id,
    sku: part.sku,
    locationId: loc.id,
    kind: q.kind as MovementKind,
    onHandDeltaMilli: delta,
    reservedDeltaMilli: 0,
    unitCostFen: part.costFen,
    refType: q.kind,
    refId: newId('adj'),
    actorId: p.userId,
    note: q.reason,
    at: q.at,
  });
  await audit(tx, {
    actor: p,
    action: `inventory.${q.kind}`,
    resourceType: 'part',
    resourceId: part.id,
    orgPath: loc.orgPath,
    details: { locationId: loc.id, deltaMilli: delta, reason: q.reason },
    at: q.at,
  });
  return b;
}

// ── transfers ────────────────────────────────────────────────────────────────────────────────────

export type Transfer = typeof invTransfers.$inferSelect;

export async function shipTransfer(
  tx: Tx,
  p: StaffPrincipal,
  q: {
    fromLocationId: string;
    toLocationId: string;
    lines: Array<{ partId: string; qtyMilli: number }>;
    note?: string | undefined;
    at: Date;
  },
): Promise<Transfer> {
  if (q.fromLocationId === q.toLocationId)
    throw new AppError(
      'inventory.same_location',
      'validation',
      'A transfer goes from one location to another, not to itself',
    );
  const from = await loadLocation(tx, p, q.fromLocationId);
  // The destination may lie outside the sender's scope (a central warehouse supplies its stores),
  // but must belong to the same chain: the sender's top-level org.
  const to = await loadAnyLocation(tx, q.toLocationId);
  if (!to || !sameChain(to.orgPath, from.orgPath))
    throw new AppError(
      'inventory.location_not_found',
      'not_found',
      `No stock location with id ${q.toLocationId}`,
    );
  const parts = await partsByIds(
    tx,
    q.lines.map((l) => l.partId),
  );
  const id = newId('trf');
  const lines: DocLine[] = [];
  const seen = new Set<string>();
  for (const l of q.lines) {
    const part = parts.get(l.partId);
    if (!part || !partVisible(p, part))
      throw new AppError('inventory.part_not_found', 'not_found', `No part with id ${l.partId}`);
    if (seen.has(part.id))
      throw new AppError('inventory.duplicate_line', 'validation', `Part ${part.sku} is listed twice`);
    seen.add(part.id);
    assertUnitQty(l.qtyMilli, part.unit);
    await post(tx, {
      orgPath: from.orgPath,
      partId: part.id,
      sku: part.sku,
      locationId: from.id,
      kind: 'transfer_out',
      onHandDeltaMilli: -l.qtyMilli,
      reservedDeltaMilli: 0,
      unitCostFen: part.costFen,
      refType: 'transfer',
      refId: id,
      actorId: p.userId,
      at: q.at,
    });
    if (part.traced) {
      const units = await oldestUnits(tx, part.id, from.id, l.qtyMilli / 1000);
      await tx
        .update(invTraceUnits)
        .set({ status: 'in_transit', locationId: null, transferId: id })
        .where(inArray(invTraceUnits.code, units.map((u) => u.code).concat('-')));
    }
    lines.push({ partId: part.id, qtyMilli: l.qtyMilli, receivedMilli: 0 });
  }
  const [row] = await tx
    .insert(invTransfers)
    .values({
      id,
      orgPath: from.orgPath,
      fromLocationId: from.id,
      toLocationId: to.id,
      fromOrgPath: from.orgPath,
      toOrgPath: to.orgPath,
      status: 'in_transit',
      lines,
      shippedAt: q.at,
      note: q.note ?? null,
    })
    .returning();
  return row!;
}

async function loadAnyLocation(ex: Executor, id: string): Promise<Location | undefined> {
  const [row] = await ex.select().from(invLocations).where(eq(invLocations.id, id));
  return row;
}

export async function loadTransfer(
  ex: Executor,
  p: StaffPrincipal,
  id: string,
  lock = false,
): Promise<Transfer> {
  const q = ex.select().from(invTransfers).where(eq(invTransfers.id, id));
  const [t] = lock ? await q.for('update') : await q;
  if (!t || !(inOrgScope(p, t.fromOrgPath) || inOrgScope(p, t.toOrgPath)))
    throw new AppError('inventory.transfer_not_found', 'not_found', `No transfer with id ${id}`);
  return t;
}

/** Newest first by id (ids are time-ordered); `beforeId` is the cursor; returns limit + 1 rows. */
export async function listTransfers(
  ex: Executor,
  p: StaffPrincipal,
  q: { limit: number; beforeId?: string | undefined },
): Promise<Transfer[]> {
  return ex
    .select()
    .from(invTransfers)
    .where(
      and(
        or(orgScope(p, invTransfers.fromOrgPath), orgScope(p, invTransfers.toOrgPath)),
        q.beforeId ? lt(invTransfers.id, q.beforeId) : undefined,
      ),
    )
    .orderBy(desc(invTransfers.id))
    .limit(q.limit + 1);
}

export async function receiveTransfer(
  tx: Tx,
  p: StaffPrincipal,
  id: string,
  q: { lines: Array<{ partId: string; qtyMilli: number }>; at: Date },
): Promise<Transfer> {
  const t = await loadTransfer(tx, p, id, true);
  if (!inOrgScope(p, t.toOrgPath))
    throw new AppError(
      'inventory.not_receiver',
      'forbidden',
      'Only the receiving location books a transfer in',
    );
  if (t.status !== 'in_transit')
    throw new AppError(
      'inventory.illegal_transition',
      'conflict',
      `A transfer that is ${t.status} cannot be received again`,
      { from: t.status, to: 'received' },
    );
  const to = (await loadAnyLocation(tx, t.toLocationId))!;
  const parts = await partsByIds(
    tx,
    t.lines.map((l) => l.partId),
  );
  const got = new Map<string, number>();
  for (const l of q.lines) {
    if (!t.lines.some((x) => x.partId === l.partId))
      throw new AppError(
        'inventory.not_on_document',
        'validation',
        `Part ${l.partId} was not shipped on this transfer`,
      );
    if (l.qtyMilli < 0)
      throw new AppError('inventory.negative_qty', 'validation', 'Received quantities are zero or more');
    got.set(l.partId, (got.get(l.partId) ?? 0) + l.qtyMilli);
  }
  const lines: DocLine[] = [];
  let discrepancy = false;
  for (const l of t.lines) {
    const part = parts.get(l.partId)!;
    const r = got.get(l.partId) ?? 0;
    assertUnitQty(r, part.unit);
    if (r > l.qtyMilli)
      throw new AppError(
        'inventory.over_receipt',
        'validation',
        `Part ${part.sku}: ${formatQty(r)} received but ${formatQty(l.qtyMilli)} shipped`,
        {
          partId: part.id,
          shippedMilli: l.qtyMilli,
          receivedMilli: r,
        },
      );
    if (r !== l.qtyMilli) discrepancy = true;
    if (r > 0)
      await post(tx, {
        orgPath: to.orgPath,
        partId: part.id,
        sku: part.sku,
        locationId: to.id,
        kind: 'transfer_in',
        onHandDeltaMilli: r,
        reservedDeltaMilli: 0,
        unitCostFen: part.costFen,
        refType: 'transfer',
        refId: t.id,
        actorId: p.userId,
        at: q.at,
      });
    if (part.traced) {
      const units = await tx
        .select({ code: invTraceUnits.code })
        .from(invTraceUnits)
        .where(
          and(
            eq(invTraceUnits.transferId, t.id),
            eq(invTraceUnits.partId, part.id),
            eq(invTraceUnits.status, 'in_transit'),
          ),
        )
        .orderBy(invTraceUnits.code);
      const arrived = units.slice(0, r / 1000).map((u) => u.code);
      if (arrived.length)
        await tx
          .update(invTraceUnits)
          .set({ status: 'in_stock', locationId: to.id, orgPath: to.orgPath })
          .where(inArray(invTraceUnits.code, arrived));
    }
    lines.push({ ...l, receivedMilli: r });
  }
  const [row] = await tx
    .update(invTransfers)
    .set({ status: discrepancy ? 'received_with_discrepancy' : 'received', lines, receivedAt: q.at })
    .where(eq(invTransfers.id, t.id))
    .returning();
  if (discrepancy)
    await audit(tx, {
      actor: p,
      action: 'inventory.transfer_discrepancy',
      resourceType: 'transfer',
      resourceId: t.id,
      orgPath: t.toOrgPath,
      details: { lines },
      at: q.at,
    });
  return row!;
}

// ── purchase orders ──────────────────────────────────────────────────────────────────────────────

export type PurchaseOrder = typeof invPurchaseOrders.$inferSelect;

export async function createPurchaseOrder(
  tx: Tx,
  p: StaffPrincipal,
  q: {
    locationId: string;
    supplier: string;
    lines: Array<{ partId: string; qtyMilli: number; unitCostFen: number }>;
    at: Date;
  },
): Promise<PurchaseOrder> {
  const loc = await loadLocation(tx, p, q.locationId);
  const parts = await partsByIds(
    tx,
    q.lines.map((l) => l.partId),
  );
  const seen = new Set<string>();
  for (const l of q.lines) {
    const part = parts.get(l.partId);
    if (!part || !partVisible(p, part))
      throw new AppError('inventory.part_not_found', 'not_found', `No part with id ${l.partId}`);
    assertStockable(part, loc);
    if (seen.has(part.id))
      throw new AppError('inventory.duplicate_line', 'validation', `Part ${part.sku} is listed twice`);
    seen.add(part.id);
    assertUnitQty(l.qtyMilli, part.unit);
  }
  const [row] = await tx
    .insert(invPurchaseOrders)
    .values({
      id: newId('po'),
      orgPath: loc.orgPath,
      locationId: loc.id,
      supplier: q.supplier,
      status: 'draft',
      lines: q.lines.map((l) => ({ ...l, receivedMilli: 0 })),
      createdAt: q.at,
    })
    .returning();
  return row!;
}

export async function loadPurchaseOrder(
  ex: Executor,
  p: StaffPrincipal,
  id: string,
  lock = false,
): Promise<PurchaseOrder> {
  const q = ex.select().from(invPurchaseOrders).where(eq(invPurchaseOrders.id, id));
  const [po] = lock ? await q.for('update') : await q;
  if (!po || !inOrgScope(p, po.orgPath))
    throw new AppError('inventory.po_not_found', 'not_found', `No purchase order with id ${id}`);
  return po;
}

export async function listPurchaseOrders(
  ex: Executor,
  p: StaffPrincipal,
  q: { limit: number; beforeId?: string | undefined },
): Promise<PurchaseOrder[]> {
  return ex
    .select()
    .from(invPurchaseOrders)
    .where(
      and(
        orgScope(p, invPurchaseOrders.orgPath),
        q.beforeId ? lt(invPurchaseOrders.id, q.beforeId) : undefined,
      ),
    )
    .orderBy(desc(invPurchaseOrders.id))
    .limit(q.limit + 1);
}

export async function sendPurchaseOrder(
  tx: Tx,
  p: StaffPrincipal,
  id: string,
  at: Date,
): Promise<PurchaseOrder> {
  const po = await loadPurchaseOrder(tx, p, id, true);
  if (po.status !== 'draft')
    throw new AppError(
      'inventory.illegal_transition',
      'conflict',
      `A purchase order that is ${po.status} cannot be sent`,
      { from: po.status, to: 'sent' },
    );
  const [row] = await tx
    .update(invPurchaseOrders)
    .set({ status: 'sent', sentAt: at })
    .where(eq(invPurchaseOrders.id, id))
    .returning();
  return row!;
}

export async function receivePurchaseOrder(
  tx: Tx,
  p: StaffPrincipal,
  id: string,
  q: {
    lines: Array<{ partId: string; qtyMilli: number; bin?: string | undefined; facts: UnitFacts }>;
    at: Date;
  },
): Promise<{ po: PurchaseOrder; traceCodes: Record<string, string[]> }> {
  const po = await loadPurchaseOrder(tx, p, id, true);
  if (po.status !== 'sent' && po.status !== 'partly_received')
    throw new AppError(
      'inventory.illegal_transition',
      'conflict',
      `A purchase order that is ${po.status} cannot be received`,
      {
        from: po.status,
        to: 'received',
      },
    );
  const loc = await loadLocation(tx, p, po.locationId);
  const parts = await partsByIds(
    tx,
    po.lines.map((l) => l.partId),
  );
  const lines = po.lines.map((l) => ({ ...l }));
  const traceCodes: Record<string, string[]> = {};
  for (const r of q.lines) {
    const line = lines.find((l) => l.partId === r.partId);
    if (!line)
      throw new AppError(
        'inventory.not_on_document',
        'validation',
        `Part ${r.partId} is not on this purchase order`,
      );
    const part = parts.get(r.partId)!;
    if (line.receivedMilli + r.qtyMilli > line.qtyMilli)
      throw new AppError(
        'inventory.over_receipt',
        'validation',
        `Part ${part.sku}: ${formatQty(line.qtyMilli)} ordered, ${formatQty(line.receivedMilli)} already received, ${formatQty(r.qtyMilli)} more is too many`,
        {
          partId: part.id,
          orderedMilli: line.qtyMilli,
          receivedMilli: line.receivedMilli,
          offeredMilli: r.qtyMilli,
        },
      );
    const got = await receiveInto(tx, p, loc, part, {
      qtyMilli: r.qtyMilli,
      unitCostFen: line.unitCostFen,
      bin: r.bin,
      facts: r.facts,
      refType: 'purchase_order',
      refId: po.id,
      at: q.at,
    });
    line.receivedMilli += r.qtyMilli;
    if (got.traceCodes.length) traceCodes[part.id] = [...(traceCodes[part.id] ?? []), ...got.traceCodes];
  }
  const full = lines.every((l) => l.receivedMilli >= l.qtyMilli);
  const [row] = await tx
    .update(invPurchaseOrders)
    .set({ lines, status: full ? 'received' : 'partly_received', receivedAt: full ? q.at : null })
    .where(eq(invPurchaseOrders.id, po.id))
    .returning();
  return { po: row!, traceCodes };
}

// ── stocktakes ───────────────────────────────────────────────────────────────────────────────────

export type Stocktake = typeof invStocktakes.$inferSelect;

export async function countStock(
  tx: Tx,
  p: StaffPrincipal,
  q: { locationId: string; counts: Array<{ partId: string; qtyMilli: number }>; at: Date },
): Promise<Stocktake> {
  const loc = await loadLocation(tx, p, q.locationId);
  const parts = await partsByIds(
    tx,
    q.counts.map((c) => c.partId),
  );
  const lines: CountLine[] = [];
  const seen = new Set<string>();
  for (const c of q.counts) {
    const part = parts.get(c.partId);
    if (!part || !partVisible(p, part))
      throw new AppError('inventory.part_not_found', 'not_found', `No part with id ${c.partId}`);
    if (seen.has(part.id))
      throw new AppError('inventory.duplicate_line', 'validation', `Part ${part.sku} is counted twice`);
    seen.add(part.id);
    if (c.qtyMilli < 0) throw new AppError('inventory.negative_qty', 'validation', 'A count is zero or more');
    assertUnitQty(c.qtyMilli, part.unit);
    const b = await balanceOf(tx, part.id, loc.id);
    lines.push({ partId: part.id, expectedMilli: b.onHandMilli, countedMilli: c.qtyMilli });
  }
  const [row] = await tx
    .insert(invStocktakes)
    .values({
      id: newId('stk'),
      orgPath: loc.orgPath,
      locationId: loc.id,
      status: 'counted',
      lines,
      countedBy: p.userId,
      countedAt: q.at,
    })
    .returning();
  return row!;
}

export async function loadStocktake(
  ex: Executor,
  p: StaffPrincipal,
  id: string,
  lock = false,
): Promise<Stocktake> {
  const q = ex.select().from(invStocktakes).where(eq(invStocktakes.id, id));
  const [s] = lock ? await q.for('update') : await q;
  if (!s || !inOrgScope(p, s.orgPath))
    throw new AppError('inventory.stocktake_not_found', 'not_found', `No stocktake with id ${id}`);
  return s;
}

/**
 * Approval posts each line's variance (counted − expected at count time) as a stocktake_variance
 * movement. The counter cannot approve their own count.
 */
export async function approveStocktake(tx: Tx, p: StaffPrincipal, id: string, at: Date): Promise<Stocktake> {
  const s = await loadStocktake(tx, p, id, true);
  if (s.status !== 'counted')
    throw new AppError(
      'inventory.illegal_transition',
      'conflict',
      `A stocktake that is ${s.status} cannot be approved`,
      { from: s.status, to: 'approved' },
    );
  if (s.countedBy === p.userId)
    throw new AppError(
      'inventory.four_eyes',
      'forbidden',
      'A second person approves a stocktake, not the one who counted',
    );
  const parts = await partsByIds(
    tx,
    s.lines.map((l) => l.partId),
  );
  for (const l of s.lines) {
    const v = l.countedMilli - l.expectedMilli;
    if (v === 0) continue;
    const part = parts.get(l.partId)!;
    await post(tx, {
      orgPath: s.orgPath,
      partId: part.id,
      sku: part.sku,
      locationId: s.locationId,
      kind: 'stocktake_variance',
      onHandDeltaMilli: v,
      reservedDeltaMilli: 0,
      unitCostFen: part.costFen,
      refType: 'stocktake',
      refId: s.id,
      actorId: p.userId,
      at,
    });
  }
  const [row] = await tx
    .update(invStocktakes)
    .set({ status: 'approved', approvedBy: p.userId, approvedAt: at })
    .where(eq(invStocktakes.id, s.id))
    .returning();
  await audit(tx, {
    actor: p,
    action: 'inventory.stocktake_approved',
    resourceType: 'stocktake',
    resourceId: s.id,
    orgPath: s.orgPath,
    at,
  });
  return row!;
}

export const stocktakeValueFen = (s: Stocktake, parts: Map<string, Part>): number =>
  s.lines.reduce(
    (sum, l) =>
      sum + Math.round(((l.countedMilli - l.expectedMilli) * (parts.get(l.partId)?.costFen ?? 0)) / 1000),
    0,
  );

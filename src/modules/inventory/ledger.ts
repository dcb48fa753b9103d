/**
 * The ledger: `post` appends one movement and moves the derived balance in the same transaction with
 * a conditional update (`… where on_hand + Δ >= reserved + Δr …`), so two concurrent writers can
 * never oversell: the second waits on the row lock, re-checks the condition and gets a 409 naming
 * what is available. `reconcile` recomputes every balance from the ledger and lists mismatches.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { formatQty } from './quantity.js';
import { invBalances, invMovements, type MovementKind } from './schema.js';

export interface MovementInput {
  orgPath: string;
  partId: string;
  sku: string;
  locationId: string;
  kind: MovementKind;
  onHandDeltaMilli: number;
  reservedDeltaMilli: number;
  unitCostFen: number;
  refType?: string | null | undefined;
  refId?: string | null | undefined;
  workOrderLineId?: string | null | undefined;
  traceCode?: string | null | undefined;
  batch?: string | null | undefined;
  actorId?: string | null | undefined;
  note?: string | null | undefined;
  bin?: string | null | undefined;
  at: Date;
}

export interface Balance {
  onHandMilli: number;
  reservedMilli: number;
  availableMilli: number;
}

export async function balanceOf(ex: Executor, partId: string, locationId: string): Promise<Balance> {
  const [b] = await ex
    .select({ onHand: invBalances.onHandMilli, reserved: invBalances.reservedMilli })
    .from(invBalances)
    .where(and(eq(invBalances.partId, partId), eq(invBalances.locationId, locationId)));
  const onHandMilli = b?.onHand ?? 0;
  const reservedMilli = b?.reserved ?? 0;
  return { onHandMilli, reservedMilli, availableMilli: onHandMilli - reservedMilli };
}

/** Appends a movement and applies it to the balance; 409 inventory.insufficient_stock when it cannot. */
export async function post(tx: Tx, m: MovementInput): Promise<Balance> {
  const dOn = m.onHandDeltaMilli;
  const dRes = m.reservedDeltaMilli;
  if (dOn === 0 && dRes === 0) return balanceOf(tx, m.partId, m.locationId);
  await tx
    .insert(invBalances)
    .values({
      partId: m.partId,
      locationId: m.locationId,
      orgPath: m.orgPath,
      bin: m.bin ?? null,
      onHandMilli: 0,
      reservedMilli: 0,
      updatedAt: m.at,
    })
    .onConflictDoNothing();
  const [row] = await tx
    .update(invBalances)
    .set({
      onHandMilli: sql`${invBalances.onHandMilli} + ${dOn}`,
      reservedMilli: sql`${invBalances.reservedMilli} + ${dRes}`,
      updatedAt: m.at,
      ...(m.bin ? { bin: m.bin } : {}),
    })
    .where(
      and(
        eq(invBalances.partId, m.partId),
        eq(invBalances.locationId, m.locationId),
        sql`${invBalances.onHandMilli} + ${dOn} >= 0`,
        sql`${invBalances.reservedMilli} + ${dRes} >= 0`,
        sql`${invBalances.onHandMilli} + ${dOn} >= ${invBalances.reservedMilli} + ${dRes}`,
      ),
    )
    .returning({ onHand: invBalances.onHandMilli, reserved: invBalances.reservedMilli });
  if (!row) {
    const b = await balanceOf(tx, m.partId, m.locationId);
    const asked = dRes > 0 ? dRes : -dOn;
    throw new AppError(
      'inventory.insufficient_stock',
      'conflict',
      `Part ${m.sku}: ${formatQty(b.availableMilli)} available (${formatQty(b.onHandMilli)} on hand, ${formatQty(b.reservedMilli)} reserved), ${formatQty(asked)} asked`,
      { partId: m.partId, sku: m.sku, locationId: m.locationId, requestedMilli: asked, ...b },
    );
  }
  await tx.insert(invMovements).values({
    orgPath: m.orgPath,
    partId: m.partId,
    locationId: m.locationId,
    kind: m.kind,
    onHandDeltaMilli: dOn,
    reservedDeltaMilli: dRes,
    unitCostFen: m.unitCostFen,
    refType: m.refType ?? null,
    refId: m.refId ?? null,
    workOrderLineId: m.workOrderLineId ?? null,
    traceCode: m.traceCode ?? null,
    batch: m.batch ?? null,
    actorId: m.actorId ?? null,
    note: m.note ?? null,
    at: m.at,
  });
  return { onHandMilli: row.onHand, reservedMilli: row.reserved, availableMilli: row.onHand - row.reserved };
}

export interface Mismatch {
  partId: string;
  locationId: string;
  ledgerOnHandMilli: number;
  ledgerReservedMilli: number;
  balanceOnHandMilli: number;
  balanceReservedMilli: number;
}

/** Recomputes balances from the ledger (optionally for one org subtree) and lists every mismatch. */
export async function reconcile(
  ex: Executor,
  orgPathPrefix?: string,
): Promise<{ checked: number; mismatches: Mismatch[] }> {
  const scope = orgPathPrefix
    ? sql`where org_path like ${orgPathPrefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'}`
    : sql``;
  const r = (await ex.execute(sql`
    with l as (
      select part_id, location_id, sum(on_hand_delta_milli) as l_on, sum(reserved_delta_milli) as l_res
      from inv_movements ${scope} group by part_id, location_id
    ), b as (
      select part_id, location_id, on_hand_milli as b_on, reserved_milli as b_res from inv_balances ${scope}
    )
    select coalesce(l.part_id, b.part_id) as part_id, coalesce(l.location_id, b.location_id) as location_id,
           l.l_on, l.l_res, b.b_on, b.b_res
    from l full outer join b on l.part_id = b.part_id and l.location_id = b.location_id`)) as unknown as {
    rows: Array<Record<string, unknown>>;
  };
  const rows = r.rows;
  const mismatches: Mismatch[] = [];
  for (const x of rows) {
    const m: Mismatch = {
      partId: String(x.part_id),
      locationId: String(x.location_id),
      ledgerOnHandMilli: Number(x.l_on ?? 0),
      ledgerReservedMilli: Number(x.l_res ?? 0),
      balanceOnHandMilli: Number(x.b_on ?? 0),
      balanceReservedMilli: Number(x.b_res ?? 0),
    };
    if (m.ledgerOnHandMilli !== m.balanceOnHandMilli || m.ledgerReservedMilli !== m.balanceReservedMilli)
      mismatches.push(m);
  }
  return { checked: rows.length, mismatches };
}

/** Pure model of the same rule, for property tests: applies a delta or refuses it. */
export function applyDelta(
  b: { onHand: number; reserved: number },
  dOn: number,
  dRes: number,
): { onHand: number; reserved: number } | null {
  const onHand = b.onHand + dOn;
  const reserved = b.reserved + dRes;
  if (onHand < 0 || reserved < 0 || onHand < reserved) return null;
  return { onHand, reserved };
}

/** Ledger rows of a location (optionally one part), newest first, keyset-paginated by id. */
export async function ledgerOf(
  ex: Executor,
  q: { locationId: string; partId?: string | undefined; beforeId?: number | undefined; limit: number },
) {
  return ex
    .select()
    .from(invMovements)
    .where(
      and(
        eq(invMovements.locationId, q.locationId),
        q.partId ? eq(invMovements.partId, q.partId) : undefined,
        q.beforeId !== undefined ? sql`${invMovements.id} < ${q.beforeId}` : undefined,
      ),
    )
    .orderBy(sql`${invMovements.id} desc`)
    .limit(q.limit + 1);
}

/** Reorder point and order-up-to level of a part at a location (the replenishment module fills them). */
export async function setStockPolicy(
  tx: Tx,
  q: {
    partId: string;
    locationId: string;
    orgPath: string;
    reorderPointMilli: number | null;
    orderUpToMilli: number | null;
    at: Date;
  },
): Promise<void> {
  await tx
    .insert(invBalances)
    .values({
      partId: q.partId,
      locationId: q.locationId,
      orgPath: q.orgPath,
      onHandMilli: 0,
      reservedMilli: 0,
      reorderPointMilli: q.reorderPointMilli,
      orderUpToMilli: q.orderUpToMilli,
      updatedAt: q.at,
    })
    .onConflictDoUpdate({
      target: [invBalances.partId, invBalances.locationId],
      set: { reorderPointMilli: q.reorderPointMilli, orderUpToMilli: q.orderUpToMilli, updatedAt: q.at },
    });
}

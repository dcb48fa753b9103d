/**
 * The numbers a store manager reads for one location over a window: value on hand (at cost),
 * turnover days (value on hand ÷ average daily cost of goods consumed), stock-outs (demand not
 * filled, and SKUs at or below their reorder point with nothing available), fill rate (filled ÷
 * requested demand), slow movers (stock on hand with no consumption in the window) and traced units
 * whose shelf life (best-before, or receipt + the part's shelf life) ends within 60 days of `to`.
 */
import { and, eq, gte, lte, sql } from 'drizzle-orm';
import { together, type Executor } from '../../platform/db/types.js';
import { stockAt } from './catalogue.js';
import { valueFen } from './quantity.js';
import { invDemand, invMovements, invParts, invTraceUnits } from './schema.js';

export async function managerNumbers(ex: Executor, locationId: string, q: { from: Date; to: Date }) {
  const horizon = new Date(q.to.getTime() + 60 * 86_400_000);
  const until = sql<string>`coalesce(${invTraceUnits.expiresOn}::date, (${invTraceUnits.receivedAt} + make_interval(days => ${invParts.shelfLifeDays}))::date)`;
  const [stock, consumed, demand, expiring] = await together(ex, [
    () => stockAt(ex, locationId),
    () =>
      ex
        .select({
          partId: invMovements.partId,
          qty: sql<number>`(-sum(${invMovements.onHandDeltaMilli}))::float8`,
          costFen: sql<number>`(-sum(${invMovements.onHandDeltaMilli}::float8 * ${invMovements.unitCostFen} / 1000))::float8`,
        })
        .from(invMovements)
        .where(
          and(
            eq(invMovements.locationId, locationId),
            eq(invMovements.kind, 'consumption'),
            gte(invMovements.at, q.from),
            lte(invMovements.at, q.to),
          ),
        )
        .groupBy(invMovements.partId),
    () =>
      ex
        .select({
          requested: sql<number>`coalesce(sum(${invDemand.requestedMilli}), 0)::float8`,
          filled: sql<number>`coalesce(sum(${invDemand.filledMilli}), 0)::float8`,
          short: sql<number>`count(*) filter (where ${invDemand.filledMilli} < ${invDemand.requestedMilli})::int`,
        })
        .from(invDemand)
        .where(and(eq(invDemand.locationId, locationId), gte(invDemand.at, q.from), lte(invDemand.at, q.to))),
    () =>
      ex
        .select({ code: invTraceUnits.code, sku: invParts.sku, until: sql<string>`(${until})::text` })
        .from(invTraceUnits)
        .innerJoin(invParts, eq(invParts.id, invTraceUnits.partId))
        .where(
          and(
            eq(invTraceUnits.locationId, locationId),
            eq(invTraceUnits.status, 'in_stock'),
            sql`${until} <= ${horizon.toISOString().slice(0, 10)}::date`,
          ),
        )
        .orderBy(until)
        .limit(100),
  ]);
  const days = Math.max(1, (q.to.getTime() - q.from.getTime()) / 86_400_000);
  const valueOnHandFen = stock.reduce((s, r) => s + valueFen(r.onHandMilli, r.costFen), 0);
  const cogsFen = Math.round(consumed.reduce((s, r) => s + Number(r.costFen), 0));
  const usedParts = new Set(consumed.filter((c) => Number(c.qty) > 0).map((c) => c.partId));
  const d = demand[0] ?? { requested: 0, filled: 0, short: 0 };
  const belowReorder = stock.filter(
    (r) => r.reorderPointMilli !== null && r.onHandMilli - r.reservedMilli <= r.reorderPointMilli,
  );
  const outOfStock = stock.filter(
    (r) => r.reorderPointMilli !== null && r.onHandMilli - r.reservedMilli <= 0,
  );
  return {
    locationId,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    valueOnHandFen,
    consumedCostFen: cogsFen,
    turnoverDays: cogsFen > 0 ? Math.round((valueOnHandFen / (cogsFen / days)) * 10) / 10 : null,
    fillRate:
      Number(d.requested) > 0 ? Math.round((Number(d.filled) / Number(d.requested)) * 1000) / 1000 : null,
    stockOuts: {
      unfilledDemandLines: Number(d.short),
      skusOutNow: outOfStock.map((r) => r.sku),
    },
    belowReorderPoint: belowReorder.map((r) => ({
      partId: r.partId,
      sku: r.sku,
      availableMilli: r.onHandMilli - r.reservedMilli,
      reorderPointMilli: r.reorderPointMilli!,
      orderUpToMilli: r.orderUpToMilli,
      suggestedOrderMilli:
        r.orderUpToMilli !== null ? Math.max(0, r.orderUpToMilli - (r.onHandMilli - r.reservedMilli)) : null,
    })),
    expiringSoon: expiring.map((e) => ({ code: e.code, sku: e.sku, until: e.until })),
    slowMovers: stock
      .filter((r) => r.onHandMilli > 0 && !usedParts.has(r.partId))
      .map((r) => ({
        partId: r.partId,
        sku: r.sku,
        onHandMilli: r.onHandMilli,
        valueFen: valueFen(r.onHandMilli, r.costFen),
      }))
      .sort((a, b) => b.valueFen - a.valueFen),
  };
}

/**
 * The weekly replenishment plan over the real ledger, multi-echelon: stores (and vans) replenish from
 * a regional warehouse, regional warehouses from the central one, the central warehouse from the
 * supplier. Per part and location: weekly demand history (echelon demand for warehouses: what their
 * downstream locations consumed), a forecast distribution (Pitlane's pooled method when there is
 * enough history across parts, SBA with its in-sample error otherwise), the (s, S) policy for the
 * target fill rate over lead time + review, written to the inventory's reorder fields, and — where
 * the inventory position (on hand − reserved + inbound) is at or below s — a suggestion to bring it
 * up to S, which a planner approves (a shipped transfer or a draft purchase order) or dismisses.
 * Demand known in advance (live bookings and maintenance proposals within lead time + review, see
 * ./known-demand.ts) is added to the forecast period by period and S never falls below it; what
 * those bookings hold reserved then counts there, not as a cut in the position (counted once). It is
 * passed up the network too: what a store's bookings need beyond what its stock holds for them is
 * known demand for the warehouses above it.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { inOrgScope, orgScope, type StaffPrincipal } from '../../platform/auth/principal.js';
import { addDays, localToUtc, utcToLocal } from '../../platform/time.js';
import { createPurchaseOrder, partsByIds, setStockPolicy, shipTransfer } from '../inventory/index.js';
import { invBalances, invLocations, invPurchaseOrders, invTransfers } from '../inventory/schema.js';
import { demandHistory } from './demand.js';
import {
  fitPitlane,
  inSampleMse,
  pitlaneForecast,
  policyForDemand,
  protectionDemand,
  protectionFromMoments,
  sbaForecast,
  shift,
  type ProtectionDemand,
} from './forecast/index.js';
import { knownDemand, knownKey, knownWithin, type KnownNeed } from './known-demand.js';
import { repSuggestions, type SuggestionForecast } from './schema.js';

export type Suggestion = typeof repSuggestions.$inferSelect;
type Loc = typeof invLocations.$inferSelect;

/** Weeks of history the plan reads, and lead times in weeks by echelon. */
export const PLAN = { historyWeeks: 26, reviewWeeks: 1, leadWeeks: { store: 1, regional: 1, central: 2 } };
/** Below this many series with enough history, the pooled model is not fitted (SBA instead). */
const MIN_POOL = 20;
/** The pooled model needs a quarter of history after the first demand seen anywhere. */
const MIN_WEEKS = 13;

/**
 * A location and those above it in the network, nearest first (the network is three deep; at most
 * five steps, against a loop).
 */
function* selfAndAbove(up: ReadonlyMap<string, string | null>, locId: string | null): Generator<string> {
  for (let at = locId, hops = 0; at && hops < 5; at = up.get(at) ?? null, hops++) yield at;
}

/** Upstream of each location: store/van → regional (nearest in the org tree) → central → supplier. */
export function supplyNetwork(locs: readonly Loc[]): Map<string, string | null> {
  const regional = locs.filter((l) => l.kind === 'regional_warehouse');
  const central = locs.filter((l) => l.kind === 'central_warehouse');
  const closest = (l: Loc, among: Loc[]): Loc | undefined =>
    [...among]
      .filter((w) => l.orgPath.startsWith(w.orgPath))
      .sort((a, b) => b.orgPath.length - a.orgPath.length || a.id.localeCompare(b.id))[0] ??
    [...among].sort((a, b) => a.id.localeCompare(b.id))[0];
  const up = new Map<string, string | null>();
  for (const l of locs) {
    if (l.kind === 'central_warehouse') up.set(l.id, null);
    else if (l.kind === 'regional_warehouse') up.set(l.id, closest(l, central)?.id ?? null);
    else up.set(l.id, (closest(l, regional) ?? closest(l, central))?.id ?? null);
  }
  return up;
}

/** The chain an org path belongs to: its first two levels (platform, chain); the platform itself otherwise. */
export function chainPrefix(orgPath: string): string {
  const parts = orgPath.split('/').filter(Boolean);
  return `/${parts.slice(0, Math.min(2, parts.length)).join('/')}/`;
}

const UNIT = 1000;
const toUnits = (milli: number) => Math.max(0, Math.round(milli / UNIT));
/** Known demand is covered whole: 4.5 L booked needs 5 L on the shelf. */
const toUnitsUp = (milli: number) => Math.max(0, Math.ceil(milli / UNIT - 1e-9));
const leadWeeksOf = (kind: Loc['kind']) =>
  kind === 'central_warehouse'
    ? PLAN.leadWeeks.central
    : kind === 'regional_warehouse'
      ? PLAN.leadWeeks.regional
      : PLAN.leadWeeks.store;

export interface PlanResult {
  locations: number;
  series: number;
  method: 'pitlane' | 'sba';
  policies: number;
  suggestions: Suggestion[];
}

export async function planReplenishment(
  ctx: AppContext,
  tx: Tx,
  p: StaffPrincipal,
  opts: { fillRate?: number } = {},
): Promise<PlanResult> {
  const fillRate = opts.fillRate ?? 0.95;
  if (!(fillRate > 0.5 && fillRate < 1))
    throw new AppError(
      'replenishment.bad_fill_rate',
      'validation',
      'The target fill rate must be between 0.5 and 1',
    );
  const now = ctx.clock.now();
  const tz = ctx.config.timezone;
  // The network and echelon demand span the caller's whole chain (a store replenishes from a
  // warehouse its manager cannot see); policies and suggestions are made for the caller's own
  // locations only.
  const locs = await tx
    .select()
    .from(invLocations)
    .where(sql`${invLocations.orgPath} like ${chainPrefix(p.orgPath) + '%'}`);
  const mine = (l: Loc) => inOrgScope(p, l.orgPath);
  const up = supplyNetwork(locs);
  const today = utcToLocal(now, tz).day;
  const toDay = addDays(today, -1);
  const fromDay = addDays(toDay, -7 * PLAN.historyWeeks + 1);
  const range = { fromDay, toDay, tz, from: localToUtc(fromDay, 0, tz), to: localToUtc(today, 0, tz) };

  // Own demand per location and part (weekly, milli), then echelon demand up the network.
  const own = new Map<string, Map<string, number[]>>();
  let weeks = 0;
  for (const l of locs) {
    const h = await demandHistory(tx, { locationId: l.id, period: 'week', ...range });
    weeks = h.periods.length;
    own.set(l.id, new Map(h.series.map((s) => [s.partId, s.milli])));
  }
  const echelon = new Map<string, Map<string, number[]>>();
  const add = (locId: string, partId: string, milli: number[]) => {
    let m = echelon.get(locId);
    if (!m) echelon.set(locId, (m = new Map()));
    const cur = m.get(partId) ?? new Array<number>(weeks).fill(0);
    m.set(
      partId,
      cur.map((v, i) => v + (milli[i] ?? 0)),
    );
  };
  for (const l of locs) {
    for (const [partId, milli] of own.get(l.id) ?? []) {
      // A location's own consumption counts for it and every warehouse above it.
      for (const at of selfAndAbove(up, l.id)) add(at, partId, milli);
    }
  }
  // Parts stocked somewhere get a policy even without demand (S = 0 then).
  const balances = await tx
    .select()
    .from(invBalances)
    .where(inArray(invBalances.locationId, locs.length ? locs.map((l) => l.id) : ['-']));
  for (const b of balances) if (!echelon.get(b.locationId)?.has(b.partId)) add(b.locationId, b.partId, []);
  // Demand known in advance, per week over the longest protection interval: at each location of
  // the chain, and passed up the network like the history is. Upstream gets only what the
  // location's own stock does not already hold for those bookings (the rest is on its shelf), in
  // the week the booking starts (the transfer down leaves a little earlier; the warehouse's
  // protection interval of two to three weeks covers that).
  const known = new Map<string, KnownNeed[]>();
  const addKnown = (key: string, needs: readonly KnownNeed[]) => {
    const list = known.get(key);
    if (list) list.push(...needs);
    else if (needs.length) known.set(key, [...needs]);
  };
  const atLocations = await knownDemand(tx, {
    locationIds: locs.map((l) => l.id),
    now,
    weeks: Math.max(...Object.values(PLAN.leadWeeks)) + PLAN.reviewWeeks,
  });
  for (const [key, needs] of atLocations) {
    addKnown(key, needs);
    const [locId, partId] = key.split('|') as [string, string];
    const uncovered = needs
      .map((n) => ({ ...n, milli: n.milli - n.reservedMilli, reservedMilli: 0 }))
      .filter((n) => n.milli > 0);
    for (const at of selfAndAbove(up, up.get(locId) ?? null)) addKnown(knownKey(at, partId), uncovered);
  }
  for (const key of known.keys()) {
    const [locId, partId] = key.split('|') as [string, string];
    if (!echelon.get(locId)?.has(partId)) add(locId, partId, []);
  }

  // History starts at the first week with any demand at all (for a new installation the weeks
  // before are not zero demand, they are no data).
  const all = [...echelon].flatMap(([locId, m]) =>
    [...m].map(([partId, milli]) => ({ locId, partId, milli })),
  );
  const firsts = all.map((k) => k.milli.findIndex((v) => v > 0)).filter((i) => i >= 0);
  const start = firsts.length ? Math.min(...firsts) : 0;
  const keys = all.map((k) => ({ ...k, milli: k.milli.slice(start) }));
  const unitSeries = keys.map((k) => k.milli.map(toUnits));
  const pooled = unitSeries.filter((y) => y.length >= MIN_WEEKS && y.some((v) => v > 0));
  const method: 'pitlane' | 'sba' =
    pooled.length >= MIN_POOL && weeks - start >= MIN_WEEKS ? 'pitlane' : 'sba';
  const model = method === 'pitlane' ? fitPitlane(pooled, { fillRates: [fillRate] }).model : null;

  // Inbound: shipped transfers not yet received, purchase orders not yet fully received.
  const inbound = new Map<string, number>();
  const inTransit = await tx
    .select()
    .from(invTransfers)
    .where(and(eq(invTransfers.status, 'in_transit'), orgScope(p, invTransfers.toOrgPath)));
  for (const t of inTransit)
    for (const l of t.lines)
      inbound.set(
        `${t.toLocationId}|${l.partId}`,
        (inbound.get(`${t.toLocationId}|${l.partId}`) ?? 0) + l.qtyMilli - l.receivedMilli,
      );
  const open = await tx
    .select()
    .from(invPurchaseOrders)
    .where(
      and(
        inArray(invPurchaseOrders.status, ['draft', 'sent', 'partly_received']),
        orgScope(p, invPurchaseOrders.orgPath),
      ),
    );
  for (const po of open)
    for (const l of po.lines)
      inbound.set(
        `${po.locationId}|${l.partId}`,
        (inbound.get(`${po.locationId}|${l.partId}`) ?? 0) + l.qtyMilli - l.receivedMilli,
      );
  const balanceOf = new Map(balances.map((b) => [`${b.locationId}|${b.partId}`, b]));

  // A new plan replaces the pending suggestions in scope.
  await tx
    .delete(repSuggestions)
    .where(and(eq(repSuggestions.status, 'pending'), orgScope(p, repSuggestions.orgPath)));
  const byId = new Map(locs.map((l) => [l.id, l]));
  const out: Suggestion[] = [];
  let policies = 0;
  for (const [i, k] of keys.entries()) {
    const loc = byId.get(k.locId)!;
    if (!mine(loc)) continue;
    const y = unitSeries[i]!;
    const lead = leadWeeksOf(loc.kind);
    const horizon = lead + PLAN.reviewWeeks;
    const kd = knownWithin(known.get(knownKey(k.locId, k.partId)) ?? [], horizon);
    const knownUnits = kd.perWeekMilli.map(toUnitsUp);
    const knownLead = knownUnits.slice(0, lead).reduce((a, b) => a + b, 0);
    const knownAll = knownUnits.reduce((a, b) => a + b, 0);
    let base: ProtectionDemand;
    let demand: ProtectionDemand;
    let weeklyMean: number;
    const pooledFit = !!model && y.length >= MIN_WEEKS;
    if (model && pooledFit) {
      base = protectionDemand(pitlaneForecast(y, model, { horizon }).perPeriod, lead, PLAN.reviewWeeks);
      const f = pitlaneForecast(y, model, { horizon, knownFuture: knownUnits });
      demand = protectionDemand(f.perPeriod, lead, PLAN.reviewWeeks);
      weeklyMean = f.mean[0] ?? 0;
    } else {
      const f = sbaForecast(y);
      base = protectionFromMoments(f.forecast, inSampleMse(y, f), lead, PLAN.reviewWeeks);
      demand = {
        leadTimeDemand: shift(base.leadTimeDemand, knownLead),
        protectionDemand: shift(base.protectionDemand, knownAll),
        reviewDemandMean: base.reviewDemandMean + knownAll - knownLead,
      };
      weeklyMean = f.forecast + (knownUnits[0] ?? 0);
    }
    const policy = policyForDemand(demand, fillRate);
    // Whatever the fill-rate arithmetic says, never plan to stock less than is already booked.
    const orderUpTo = Math.max(policy.orderUpTo, knownAll);
    const S = orderUpTo * UNIT;
    const s = Math.max(0, orderUpTo - (policy.orderUpTo - policy.reorderPoint)) * UNIT;
    const bal = balanceOf.get(`${k.locId}|${k.partId}`);
    await setStockPolicy(tx, {
      partId: k.partId,
      locationId: k.locId,
      orgPath: loc.orgPath,
      reorderPointMilli: s,
      orderUpToMilli: S,
      at: now,
    });
    policies++;
    const position =
      (bal ? bal.onHandMilli - bal.reservedMilli : 0) +
      kd.reservedMilli +
      (inbound.get(`${k.locId}|${k.partId}`) ?? 0);
    if (S === 0 || position > s) continue;
    const qty = S - position;
    if (qty <= 0) continue;
    const from = up.get(k.locId) ?? null;
    const [row] = await tx
      .insert(repSuggestions)
      .values({
        id: newId('sug'),
        orgPath: loc.orgPath,
        locationId: k.locId,
        partId: k.partId,
        kind: from ? 'transfer' : 'purchase',
        fromLocationId: from,
        qtyMilli: qty,
        positionMilli: position,
        reorderPointMilli: s,
        orderUpToMilli: S,
        fillRate,
        forecast: {
          weeklyMeanMilli: Math.round(weeklyMean * UNIT),
          historyMilli: k.milli,
          method: pooledFit ? 'pitlane' : 'sba',
          ...(knownAll > 0
            ? {
                known: {
                  milli: kd.milli,
                  weeks: horizon,
                  bookings: kd.bookings,
                  proposals: kd.proposals,
                  orderUpToWithoutMilli: policyForDemand(base, fillRate).orderUpTo * UNIT,
                },
              }
            : {}),
        } satisfies SuggestionForecast,
        status: 'pending',
        createdAt: now,
      })
      .returning();
    out.push(row!);
  }
  return {
    locations: locs.filter(mine).length,
    series: keys.filter((k) => mine(byId.get(k.locId)!)).length,
    method,
    policies,
    suggestions: out,
  };
}

/** The planner's decision: approve (a shipped transfer from upstream, or a draft PO) or dismiss. */
export async function decideSuggestion(
  ctx: AppContext,
  tx: Tx,
  p: StaffPrincipal,
  id: string,
  decision: { approve: true; supplier?: string | undefined } | { approve: false },
): Promise<Suggestion> {
  const [s] = await tx
    .select()
    .from(repSuggestions)
    .where(and(eq(repSuggestions.id, id), orgScope(p, repSuggestions.orgPath)))
    .for('update');
  if (!s)
    throw new AppError('replenishment.suggestion_not_found', 'not_found', `No suggestion with id ${id}`);
  if (s.status !== 'pending')
    throw new AppError(
      'replenishment.suggestion_decided',
      'conflict',
      `This suggestion was already ${s.status}`,
    );
  const now = ctx.clock.now();
  let documentId: string | null = null;
  if (decision.approve) {
    if (s.kind === 'transfer') {
      const t = await shipTransfer(tx, p, {
        fromLocationId: s.fromLocationId!,
        toLocationId: s.locationId,
        lines: [{ partId: s.partId, qtyMilli: s.qtyMilli }],
        note: `replenishment ${s.id}`,
        at: now,
      });
      documentId = t.id;
    } else {
      const part = (await partsByIds(tx, [s.partId])).get(s.partId);
      const po = await createPurchaseOrder(tx, p, {
        locationId: s.locationId,
        supplier: decision.supplier ?? part?.brand ?? 'supplier',
        lines: [{ partId: s.partId, qtyMilli: s.qtyMilli, unitCostFen: part?.costFen ?? 0 }],
        at: now,
      });
      documentId = po.id;
    }
  }
  const [row] = await tx
    .update(repSuggestions)
    .set({
      status: decision.approve ? 'approved' : 'dismissed',
      documentId,
      decidedAt: now,
      decidedBy: p.userId,
    })
    .where(eq(repSuggestions.id, id))
    .returning();
  return row!;
}

export async function listSuggestions(
  tx: Tx | AppContext['db'],
  p: StaffPrincipal,
  q: { status?: Suggestion['status'] | undefined; locationId?: string | undefined },
): Promise<Suggestion[]> {
  return tx
    .select()
    .from(repSuggestions)
    .where(
      and(
        orgScope(p, repSuggestions.orgPath),
        q.status ? eq(repSuggestions.status, q.status) : sql`true`,
        q.locationId ? eq(repSuggestions.locationId, q.locationId) : sql`true`,
      ),
    )
    .orderBy(repSuggestions.locationId, repSuggestions.partId)
    .limit(2000);
}

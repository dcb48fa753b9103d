/**
 * Demand history per part and location from the inventory ledger: what was consumed on cars (and
 * sold), net of customer returns — never transfers, receipts or stocktake corrections, which move
 * stock without anyone needing it. Dense series (zero periods included) by day, ISO week or month,
 * in local time: the input of the forecasting methods in ./forecast.
 */
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { addDays, utcToLocal } from '../../platform/time.js';
import { invMovements } from '../inventory/schema.js';

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** Local calendar start of the period containing `day` (weeks start on Monday). */
export function periodStart(day: string, period: Period): string {
  if (period === 'day') return day;
  if (period === 'month') return `${day.slice(0, 7)}-01`;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wd = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(day, -wd);
}

export function nextPeriod(start: string, period: Period): string {
  if (period === 'day') return addDays(start, 1);
  if (period === 'week') return addDays(start, 7);
  const [y, m] = start.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** The period starts covering [from, to] (local days, inclusive). */
export function periodsBetween(from: string, to: string, period: Period): string[] {
  const out: string[] = [];
  for (let p = periodStart(from, period); p <= to; p = nextPeriod(p, period)) out.push(p);
  return out;
}

export interface DemandSeries {
  partId: string;
  /** Demand per period in milli-units, aligned with `periods`. */
  milli: number[];
}

export async function demandHistory(
  ex: Executor,
  q: {
    locationId: string;
    partIds?: readonly string[] | undefined;
    period: Period;
    /** Local days, inclusive. */
    fromDay: string;
    toDay: string;
    tz: string;
    /** UTC bounds of the local days (the caller converts with the store's time zone). */
    from: Date;
    to: Date;
  },
): Promise<{ periods: string[]; series: DemandSeries[] }> {
  const rows = await ex
    .select({
      partId: invMovements.partId,
      at: invMovements.at,
      kind: invMovements.kind,
      delta: invMovements.onHandDeltaMilli,
    })
    .from(invMovements)
    .where(
      and(
        eq(invMovements.locationId, q.locationId),
        inArray(invMovements.kind, ['consumption', 'customer_return']),
        gte(invMovements.at, q.from),
        lt(invMovements.at, q.to),
        q.partIds?.length ? inArray(invMovements.partId, [...q.partIds]) : sql`true`,
      ),
    );
  const periods = periodsBetween(q.fromDay, q.toDay, q.period);
  const index = new Map(periods.map((p, i) => [p, i]));
  const byPart = new Map<string, number[]>();
  for (const r of rows) {
    const i = index.get(periodStart(utcToLocal(r.at, q.tz).day, q.period));
    if (i === undefined) continue;
    let s = byPart.get(r.partId);
    if (!s) byPart.set(r.partId, (s = new Array<number>(periods.length).fill(0)));
    // Consumption takes stock out (negative delta); a customer return brings it back.
    s[i]! += -r.delta;
  }
  for (const id of q.partIds ?? [])
    if (!byPart.has(id)) byPart.set(id, new Array<number>(periods.length).fill(0));
  return {
    periods,
    series: [...byPart]
      .map(([partId, milli]) => ({ partId, milli: milli.map((v) => Math.max(0, v)) }))
      .sort((a, b) => a.partId.localeCompare(b.partId)),
  };
}

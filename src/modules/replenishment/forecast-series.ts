/**
 * Forecast against actual for one part at one location, for the planner's chart: the demand history
 * from the ledger by week or month with the one-step-ahead forecast each past period had, then the
 * next periods' forecast mean and a band of the forecast distribution (10 % – 90 %), with demand
 * already known from live bookings and maintenance proposals added where it falls. The model follows
 * the plan's rule: Pitlane's method with parameters pooled across the series (here the location's
 * parts) when there are enough with a quarter of history, SBA with its in-sample error otherwise.
 */
import type { Executor } from '../../platform/db/types.js';
import { addDays, localToUtc, utcToLocal } from '../../platform/time.js';
import { demandHistory, nextPeriod, periodStart, type Period } from './demand.js';
import {
  classifySeries,
  fitPitlane,
  inSampleMse,
  negBinomial,
  pitlaneForecast,
  quantile,
  sbaForecast,
  shift,
  type DemandClass,
  type IntDist,
} from './forecast/index.js';
import { knownDemand, knownKey } from './known-demand.js';

const UNIT = 1000;
const toUnits = (milli: number) => Math.max(0, Math.round(milli / UNIT));
/** Same thresholds as the plan: a pooled fit needs 20 series with a quarter of history. */
const MIN_POOL = 20;
const MIN_PERIODS = 13;
/** The band drawn around the forecast mean. */
export const BAND = { lower: 0.1, upper: 0.9 } as const;
/** The first one-step-ahead forecast shown (earlier ones rest on too little history). */
const WARM_UP = 4;

export interface ForecastVsActual {
  period: Exclude<Period, 'day'>;
  method: 'pitlane' | 'sba';
  demandClass: DemandClass;
  band: { lower: number; upper: number };
  history: Array<{ period: string; actualMilli: number; forecastMilli: number | null }>;
  forecast: Array<{
    period: string;
    meanMilli: number;
    lowMilli: number;
    highMilli: number;
    knownMilli: number;
  }>;
}

export async function forecastVsActual(
  ex: Executor,
  q: {
    locationId: string;
    partId: string;
    period: Exclude<Period, 'day'>;
    history: number;
    horizon: number;
    now: Date;
    tz: string;
  },
): Promise<ForecastVsActual> {
  const today = utcToLocal(q.now, q.tz).day;
  const current = periodStart(today, q.period);
  // Complete periods only: the history ends the day before the current period starts.
  let fromDay = current;
  for (let i = 0; i < q.history; i++) fromDay = periodStart(addDays(fromDay, -1), q.period);
  const toDay = addDays(current, -1);
  const h = await demandHistory(ex, {
    locationId: q.locationId,
    period: q.period,
    fromDay,
    toDay,
    tz: q.tz,
    from: localToUtc(fromDay, 0, q.tz),
    to: localToUtc(current, 0, q.tz),
  });
  const milli =
    h.series.find((s) => s.partId === q.partId)?.milli ?? new Array<number>(h.periods.length).fill(0);
  const y = milli.map(toUnits);

  const future: string[] = [];
  for (let p = current; future.length < q.horizon; p = nextPeriod(p, q.period)) future.push(p);
  const end = nextPeriod(future[future.length - 1]!, q.period);
  const needs =
    (
      await knownDemand(ex, {
        locationIds: [q.locationId],
        now: q.now,
        weeks:
          Math.ceil((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / (7 * 864e5)) + 1,
      })
    ).get(knownKey(q.locationId, q.partId)) ?? [];
  const knownMilli = future.map(() => 0);
  for (const n of needs) {
    const day = utcToLocal(n.startAt.getTime() < q.now.getTime() ? q.now : n.startAt, q.tz).day;
    const i = future.indexOf(periodStart(day, q.period));
    if (i >= 0) knownMilli[i]! += n.milli;
  }
  const knownUnits = knownMilli.map((m) => Math.max(0, Math.ceil(m / UNIT - 1e-9)));

  // As in the plan, history starts at the first period with any demand at the location (before
  // it there was no data, not zero demand); one-step forecasts start a few periods after that.
  const firsts = h.series.map((s) => s.milli.findIndex((v) => v > 0)).filter((i) => i >= 0);
  const start = firsts.length ? Math.min(...firsts) : h.periods.length;
  const ys = y.slice(start);
  const pooled = h.series
    .map((s) => s.milli.slice(start).map(toUnits))
    .filter((s) => s.length >= MIN_PERIODS && s.some((v) => v > 0));
  const model =
    pooled.length >= MIN_POOL && ys.length >= MIN_PERIODS
      ? fitPitlane(pooled, { fillRates: [0.95] }).model
      : null;

  let fitted: Array<number | null>;
  let mean: number[];
  let dists: IntDist[];
  if (model) {
    fitted = ys.map((_, t) => (t < WARM_UP ? null : (pitlaneForecast(ys.slice(0, t), model).mean[0] ?? 0)));
    const f = pitlaneForecast(ys, model, { horizon: q.horizon, knownFuture: knownUnits });
    mean = [...f.mean];
    dists = [...f.perPeriod];
  } else {
    const f = sbaForecast(ys);
    fitted = f.fitted.map((v, t) => (t < WARM_UP || !Number.isFinite(v) ? null : v));
    const base = negBinomial(f.forecast, Math.max(f.forecast, inSampleMse(ys, f)));
    mean = knownUnits.map((k) => f.forecast + k);
    dists = knownUnits.map((k) => (k > 0 ? shift(base, k) : base));
  }
  const m = (units: number) => Math.round(units * UNIT);
  return {
    period: q.period,
    method: model ? 'pitlane' : 'sba',
    demandClass: classifySeries(ys).demandClass,
    band: { ...BAND },
    history: h.periods.map((p, i) => ({
      period: p,
      actualMilli: milli[i] ?? 0,
      forecastMilli: ((v) => (v === null || v === undefined ? null : m(v)))(fitted[i - start]),
    })),
    forecast: future.map((p, i) => ({
      period: p,
      meanMilli: m(mean[i] ?? 0),
      lowMilli: m(quantile(dists[i]!, BAND.lower)),
      highMilli: m(quantile(dists[i]!, BAND.upper)),
      knownMilli: knownMilli[i]!,
    })),
  };
}

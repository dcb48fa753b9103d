import { classifySeries } from './classify.js';
import { compound, negBinomial, pointMass, quantile, shift } from './distribution.js';
import { applyIsotonic, fitIsotonic, type IsotonicCurve } from './isotonic.js';
import { inSampleMse, sbaForecast, sesForecast, tsbForecast } from './methods.js';
import { mase, rmsse } from './metrics.js';
import { policyForDemand, protectionDemand, protectionFromMoments, type ProtectionDemand } from './policy.js';
import { poolSimulations, simulatePolicy } from './simulate.js';
import type { DemandClass, IntDist, PointFit, Series } from './types.js';

/**
 * Pitlane's forecasting model. All parameters are pooled across SKUs and chosen on a holdout
 * made of the last months of the training data (see `fitPitlane`):
 * - `point`: the squared-error point forecast, a smoothed level (SES or TSB) times a pooled shrink
 *   factor (intermittent levels regress towards zero and the market declines);
 * - `occurrence` and `size`: the demand distribution, a zero-inflated compound per period —
 *   demand occurs with probability p (the TSB-smoothed occurrence rate mapped through a pooled
 *   isotonic calibration curve), and its size is 1 + negative binomial with mean z − 1 and
 *   variance (z − 1) + φ(z − 1)², z being the series' smoothed size shrunk towards the pooled
 *   mean size with credibility weight n / (n + κ);
 * - `medianLevel`: the quantile of that distribution used as the absolute-error point forecast.
 */
export interface PitlaneModel {
  readonly point: {
    readonly method: 'ses' | 'tsb';
    readonly alpha: number;
    readonly beta: number;
    readonly shrink: number;
  };
  readonly occurrence: { readonly beta: number; readonly curve: IsotonicCurve };
  readonly size: {
    readonly alpha: number;
    readonly kappa: number;
    readonly pooledMean: number;
    readonly phi: number;
  };
  readonly medianLevel: number;
}

export interface PitlaneForecast {
  /** Squared-error point forecast per future period (statistical forecast plus known demand). */
  readonly mean: readonly number[];
  /** Absolute-error point forecast per future period (the `medianLevel` quantile). */
  readonly median: readonly number[];
  /** Demand distribution per future period, independent across periods. */
  readonly perPeriod: readonly IntDist[];
  readonly demandClass: DemandClass;
}

export interface PitlaneForecastOptions {
  /** Number of future periods (default: the length of `knownFuture`, at least 1). */
  readonly horizon?: number;
  /**
   * Demand already known for the coming periods (confirmed bookings, accepted
   * predictive-maintenance proposals), added on top of the statistical forecast.
   */
  readonly knownFuture?: readonly number[];
}

/** TSB-style smoothed occurrence probability, initialised at the share of periods with demand. */
export function smoothedOccurrence(y: Series, beta: number): number {
  const n = y.filter((v) => v > 0).length;
  if (n === 0) return 0;
  let p = n / y.length;
  for (const v of y) p += beta * ((v > 0 ? 1 : 0) - p);
  return p;
}

/** Number of demands and their exponentially smoothed size (initialised at the mean size). */
export function smoothedSize(y: Series, alpha: number): { n: number; z: number } {
  const sizes = y.filter((v) => v > 0);
  if (sizes.length === 0) return { n: 0, z: 0 };
  let z = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  for (const v of sizes) z += alpha * (v - z);
  return { n: sizes.length, z };
}

function credibleSize(y: Series, size: { alpha: number; kappa: number; pooledMean: number }): number {
  const { n, z } = smoothedSize(y, size.alpha);
  return Math.max(1, (n * z + size.kappa * size.pooledMean) / (n + size.kappa));
}

/** Pitlane's per-period demand distribution for a history (point mass at 0 without any demand). */
export function pitlaneDistribution(
  y: Series,
  occurrence: PitlaneModel['occurrence'],
  size: PitlaneModel['size'],
): IntDist {
  if (!y.some((v) => v > 0)) return pointMass(0);
  const p = Math.min(1, Math.max(0, applyIsotonic(occurrence.curve, smoothedOccurrence(y, occurrence.beta))));
  const m = credibleSize(y, size) - 1;
  return compound(p, shift(negBinomial(m, m + size.phi * m * m), 1));
}

function pointLevel(y: Series, point: PitlaneModel['point']): number {
  const level =
    point.method === 'ses' ? sesForecast(y, point.alpha) : tsbForecast(y, point.alpha, point.beta);
  return point.shrink * level.forecast;
}

/**
 * Pitlane's forecast for one series: point forecasts and the per-period demand distribution.
 * A series that never had demand is forecast at zero (new parts are left to known demand).
 */
export function pitlaneForecast(
  y: Series,
  model: PitlaneModel,
  options: PitlaneForecastOptions = {},
): PitlaneForecast {
  const known = options.knownFuture ?? [];
  const horizon = Math.max(1, options.horizon ?? known.length);
  const base = pitlaneDistribution(y, model.occurrence, model.size);
  const level = y.some((v) => v > 0) ? pointLevel(y, model.point) : 0;
  const med = quantile(base, model.medianLevel);
  const extra = (h: number): number => Math.max(0, Math.round(known[h] ?? 0));
  return {
    mean: Array.from({ length: horizon }, (_, h) => level + extra(h)),
    median: Array.from({ length: horizon }, (_, h) => med + extra(h)),
    perPeriod: Array.from({ length: horizon }, (_, h) => (extra(h) > 0 ? shift(base, extra(h)) : base)),
    demandClass: classifySeries(y).demandClass,
  };
}

// ---------------------------------------------------------------------------------------------
// Fitting: every choice below looks only at the training series, split into history + holdout.

export interface FitPitlaneOptions {
  /** Holdout length in periods (default min(12, ⌊n/3⌋)). */
  readonly holdout?: number;
  /** Fill-rate targets the dispersion φ is tuned for (default 0.90, 0.95, 0.98). */
  readonly fillRates?: readonly number[];
  readonly leadTime?: number;
  readonly reviewPeriod?: number;
  /**
   * Incumbent methods whose policies (mean + in-sample-error negative binomial) φ must beat on
   * the holdout (default SBA and TSB).
   */
  readonly references?: readonly ((y: Series) => PointFit)[];
}

/** What `fitPitlane` tried on the holdout, for reports. */
export interface PitlaneFitReport {
  readonly holdout: number;
  readonly pointRmsse: number;
  readonly phiMargins: readonly { phi: number; margin: number }[];
  /**
   * Per quantile level above the lowest: its significant holdout MASE gain over the lowest level
   * (whole holdout, and later half of the holdout months; 0 when not significant).
   */
  readonly levelGains: readonly { level: number; gain: number; lateGain: number }[];
}

const LEVELS: readonly PitlaneModel['point'][] = [
  ...[0.05, 0.1, 0.2, 0.3].map((alpha) => ({ method: 'ses' as const, alpha, beta: 0, shrink: 1 })),
  ...[0.1, 0.2].flatMap((alpha) =>
    [0.1, 0.2, 0.3].map((beta) => ({ method: 'tsb' as const, alpha, beta, shrink: 1 })),
  ),
];
const SHRINKS = Array.from({ length: 15 }, (_, i) => 0.3 + 0.05 * i);
const OCCURRENCE_BETAS = [0.1, 0.2, 0.3];
const SIZE_ALPHAS = [0.1, 0.2, 0.3, 0.5];
const SIZE_KAPPAS = [1, 2, 4, 8];
const PHIS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1];
const MEDIAN_LEVELS = [0.3, 0.35, 0.4, 0.45, 0.5];

const avg = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Mean of a metric over series, skipping nulls (zero-scale series). */
function meanMetric(values: readonly (number | null)[]): number {
  return avg(values.filter((v): v is number => v !== null));
}

function fitPoint(
  hist: readonly Series[],
  fut: readonly Series[],
): { point: PitlaneModel['point']; rmsse: number } {
  let best = { point: LEVELS[0] as PitlaneModel['point'], rmsse: Number.POSITIVE_INFINITY };
  for (const cand of LEVELS) {
    const levels = hist.map((h) => pointLevel(h, cand));
    for (const shrink of SHRINKS) {
      const score = meanMetric(hist.map((h, i) => rmsse(h, fut[i] ?? [], shrink * (levels[i] ?? 0))));
      if (score < best.rmsse - 1e-12) best = { point: { ...cand, shrink }, rmsse: score };
    }
  }
  return best;
}

const occurrenceRate = (f: Series): number => (f.length ? f.filter((v) => v > 0).length / f.length : 0);

function fitOccurrence(
  hist: readonly Series[],
  fut: readonly Series[],
  beta: number,
): PitlaneModel['occurrence'] {
  const idx = hist.map((_, i) => i).filter((i) => (hist[i] ?? []).some((v) => v > 0));
  const curve = fitIsotonic(
    idx.map((i) => smoothedOccurrence(hist[i] ?? [], beta)),
    idx.map((i) => occurrenceRate(fut[i] ?? [])),
  );
  return { beta, curve };
}

function pooledMeanSize(hist: readonly Series[]): number {
  const sizes = hist.flatMap((h) => h.filter((v) => v > 0));
  return sizes.length ? avg(sizes) : 1;
}

function chooseOccurrenceBeta(hist: readonly Series[], fut: readonly Series[]): number {
  let best = { beta: OCCURRENCE_BETAS[0] ?? 0.2, brier: Number.POSITIVE_INFINITY };
  for (const beta of OCCURRENCE_BETAS) {
    const occ = fitOccurrence(hist, fut, beta);
    let brier = 0;
    hist.forEach((h, i) => {
      if (!h.some((v) => v > 0)) return;
      const p = applyIsotonic(occ.curve, smoothedOccurrence(h, beta));
      for (const v of fut[i] ?? []) brier += (p - (v > 0 ? 1 : 0)) ** 2;
    });
    if (brier < best.brier) best = { beta, brier };
  }
  return best.beta;
}

function chooseSize(hist: readonly Series[], fut: readonly Series[]): { alpha: number; kappa: number } {
  const pooledMean = pooledMeanSize(hist);
  let best = { alpha: 0.3, kappa: 4, sse: Number.POSITIVE_INFINITY };
  for (const alpha of SIZE_ALPHAS)
    for (const kappa of SIZE_KAPPAS) {
      let sse = 0;
      hist.forEach((h, i) => {
        if (!h.some((v) => v > 0)) return;
        const z = credibleSize(h, { alpha, kappa, pooledMean });
        for (const v of fut[i] ?? []) if (v > 0) sse += (v - z) ** 2;
      });
      if (sse < best.sse) best = { alpha, kappa, sse };
    }
  return { alpha: best.alpha, kappa: best.kappa };
}

function simulateAll(
  series: readonly Series[],
  origin: number,
  demandOf: (i: number) => ProtectionDemand,
  fillRate: number,
  leadTime: number,
  reviewPeriod: number,
): { fillRate: number; avgStock: number } {
  return poolSimulations(
    series.map((y, i) =>
      simulatePolicy({
        demand: y.slice(origin),
        orderUpTo: policyForDemand(demandOf(i), fillRate).orderUpTo,
        leadTime,
        reviewPeriod,
      }),
    ),
  );
}

/**
 * Fits Pitlane's pooled parameters on the training series only. The last `holdout` periods of
 * every series form the holdout: the point forecast's level and shrink minimise holdout RMSSE;
 * the occurrence calibration, size smoothing and credibility are fitted to holdout occurrence
 * and sizes (Brier score, squared error); the absolute-error quantile is the lowest level unless a
 * higher one lowers holdout MASE significantly, over the whole holdout and over its later half; the
 * size dispersion φ is the one whose policy beats the reference policies on the holdout by the
 * widest margin (min over targets of the relative fill-rate shortfall and stock improvements),
 * with the distribution cross-fitted over two halves of the series so each half is evaluated
 * with a calibration fitted on the other. The calibration is then refitted on all series.
 */
export function fitPitlane(
  series: readonly Series[],
  options: FitPitlaneOptions = {},
): { model: PitlaneModel; report: PitlaneFitReport } {
  const n = Math.min(...series.map((y) => y.length));
  const h = Math.max(1, Math.min(options.holdout ?? 12, Math.floor(n / 3)));
  const origin = n - h;
  const hist = series.map((y) => y.slice(0, origin));
  const fut = series.map((y) => y.slice(origin, n));
  const fillRates = options.fillRates ?? [0.9, 0.95, 0.98];
  const L = options.leadTime ?? 1;
  const R = options.reviewPeriod ?? 1;
  const references = options.references ?? [(y: Series) => sbaForecast(y), (y: Series) => tsbForecast(y)];

  const { point, rmsse: pointRmsse } = fitPoint(hist, fut);
  const occBeta = chooseOccurrenceBeta(hist, fut);
  const sizeChoice = chooseSize(hist, fut);
  const calibrate = (hs: readonly Series[], fs: readonly Series[]) => ({
    occurrence: fitOccurrence(hs, fs, occBeta),
    pooledMean: pooledMeanSize(hs),
  });

  // Reference policies on the holdout: fitted on the history, simulated on the holdout months.
  const refDemand = references.map((ref) =>
    hist.map((y) => {
      const fit = ref(y);
      return protectionFromMoments(fit.forecast, inSampleMse(y, fit), L, R);
    }),
  );
  const refResults = fillRates.map((beta) =>
    refDemand.map((d) => simulateAll(series, origin, (i) => d[i] as ProtectionDemand, beta, L, R)),
  );

  // Cross-fitted Pitlane distributions on the holdout for each φ.
  const folds = [0, 1].map((k) => series.map((_, i) => i).filter((i) => i % 2 === k));
  const foldCal = folds.map((idx) =>
    calibrate(
      idx.map((i) => hist[i] ?? []),
      idx.map((i) => fut[i] ?? []),
    ),
  );
  const calOf = (i: number) => foldCal[1 - (i % 2)] as ReturnType<typeof calibrate>;
  const phiMargins = PHIS.map((phi) => {
    const demand = hist.map((y, i) => {
      const cal = calOf(i);
      const dist = pitlaneDistribution(y, cal.occurrence, { ...sizeChoice, pooledMean: cal.pooledMean, phi });
      return protectionDemand(dist, L, R);
    });
    let margin = Number.POSITIVE_INFINITY;
    fillRates.forEach((beta, j) => {
      const own = simulateAll(series, origin, (i) => demand[i] as ProtectionDemand, beta, L, R);
      const refs = refResults[j] ?? [];
      const refFill = Math.max(...refs.map((r) => r.fillRate));
      const refStock = Math.min(...refs.map((r) => r.avgStock));
      const fillGain = (own.fillRate - refFill) / Math.max(1e-9, 1 - refFill);
      const stockGain = (refStock - own.avgStock) / Math.max(1e-9, refStock);
      margin = Math.min(margin, fillGain, stockGain);
    });
    return { phi, margin };
  });
  const phi = phiMargins.reduce((a, b) => (b.margin > a.margin ? b : a)).phi;

  const full = calibrate(hist, fut);
  const occurrence = full.occurrence;
  const size = { ...sizeChoice, pooledMean: pooledMeanSize(series), phi };

  // Absolute-error point: the lowest quantile level (in practice a zero forecast for intermittent
  // series) unless a higher level lowers the cross-fitted holdout MASE significantly in both
  // halves of the series (paired mean gain beyond two standard errors); then the best such level.
  // The point is flat over the whole forecast horizon, and the gain of a higher quantile shrinks
  // with the lead time (a part's demand decays, so months further out are more often zero than
  // the calibrated occurrence says); a level must therefore also win significantly over the later
  // half of the holdout months alone, the leads closest to the end of the horizon.
  const lateFrom = Math.floor(h / 2);
  const late = fut.map((f) => f.slice(lateFrom));
  const quantilesAt = (level: number): number[] =>
    hist.map((y, i) => {
      const cal = calOf(i);
      const dist = pitlaneDistribution(y, cal.occurrence, { ...size, pooledMean: cal.pooledMean });
      return y.some((v) => v > 0) ? quantile(dist, level) : 0;
    });
  const maseOf = (target: readonly Series[], q: readonly number[]): (number | null)[] =>
    hist.map((y, i) => mase(y, target[i] ?? [], q[i] ?? 0));
  /** Smallest over the two halves of the series of the significant paired gain (0 if not significant). */
  const significantGain = (base: readonly (number | null)[], scores: readonly (number | null)[]): number =>
    Math.min(
      ...folds.map((idx) => {
        const diffs = idx.flatMap((i) => {
          const s = scores[i];
          const b = base[i];
          return s === null || s === undefined || b === null || b === undefined ? [] : [b - s];
        });
        const gain = avg(diffs);
        const se = Math.sqrt(avg(diffs.map((d) => (d - gain) ** 2)) / Math.max(1, diffs.length));
        return gain > 2 * se ? gain : 0;
      }),
    );
  const baseLevel = MEDIAN_LEVELS[0] ?? 0.5;
  const baseQuantiles = quantilesAt(baseLevel);
  const baseMase = maseOf(fut, baseQuantiles);
  const baseLate = maseOf(late, baseQuantiles);
  let medianLevel = baseLevel;
  let bestGain = 0;
  const levelGains = MEDIAN_LEVELS.slice(1).map((level) => {
    const q = quantilesAt(level);
    const gain = significantGain(baseMase, maseOf(fut, q));
    const lateGain = h >= 2 ? significantGain(baseLate, maseOf(late, q)) : gain;
    if (gain > bestGain && lateGain > 0) {
      bestGain = gain;
      medianLevel = level;
    }
    return { level, gain, lateGain };
  });

  return {
    model: { point, occurrence, size, medianLevel },
    report: { holdout: h, pointRmsse, phiMargins, levelGains },
  };
}

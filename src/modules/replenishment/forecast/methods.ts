import { classifySeries, decompose } from './classify.js';
import type { PointFit, Series } from './types.js';

/** The smoothing constant used by the baselines unless told otherwise (Croston's usual 0.1). */
export const DEFAULT_ALPHA = 0.1;

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Always forecasts 0. */
export function zeroForecast(y: Series): PointFit {
  return { forecast: 0, fitted: y.map(() => 0) };
}

/** The last observation. */
export function naiveForecast(y: Series): PointFit {
  return { forecast: y.at(-1) ?? 0, fitted: y.map((_, t) => (t === 0 ? Number.NaN : (y[t - 1] ?? 0))) };
}

/** The mean of the history; fitted values are the expanding means. */
export function meanForecast(y: Series): PointFit {
  let sum = 0;
  const fitted = y.map((v, t) => {
    const f = t === 0 ? Number.NaN : sum / t;
    sum += v;
    return f;
  });
  return { forecast: y.length ? sum / y.length : 0, fitted };
}

/** Simple exponential smoothing, level initialised at the series mean (tsintermittent's `init="mean"`). */
export function sesForecast(y: Series, alpha = DEFAULT_ALPHA): PointFit {
  let level = mean(y);
  const fitted = y.map((v) => {
    const f = level;
    level += alpha * (v - level);
    return f;
  });
  return { forecast: level, fitted };
}

/**
 * Croston's method: SES on the non-zero sizes `z` and on the intervals `p`, updated only in
 * periods with demand; forecast `factor · z / p` (factor 1 for Croston, 1 − α/2 for SBA).
 * Initialised with the mean size and the mean interval.
 */
function crostonFamily(y: Series, alpha: number, factor: number): PointFit {
  const { sizes, intervals } = decompose(y);
  if (sizes.length === 0) return zeroForecast(y);
  let z = mean(sizes);
  let p = mean(intervals);
  let since = 0;
  const fitted = y.map((v) => {
    const f = (factor * z) / p;
    since += 1;
    if (v > 0) {
      z += alpha * (v - z);
      p += alpha * (since - p);
      since = 0;
    }
    return f;
  });
  return { forecast: (factor * z) / p, fitted };
}

/** Croston (1972). */
export function crostonForecast(y: Series, alpha = DEFAULT_ALPHA): PointFit {
  return crostonFamily(y, alpha, 1);
}

/** Syntetos–Boylan approximation: Croston debiased by 1 − α/2. */
export function sbaForecast(y: Series, alpha = DEFAULT_ALPHA): PointFit {
  return crostonFamily(y, alpha, 1 - alpha / 2);
}

/**
 * Teunissen–Syntetos–Babai: the demand probability is smoothed every period (β), so it decays
 * through runs of zeros (obsolescence); sizes are smoothed on demand (α). Forecast `p · z`.
 */
export function tsbForecast(y: Series, alpha = DEFAULT_ALPHA, beta = DEFAULT_ALPHA): PointFit {
  const { sizes } = decompose(y);
  if (sizes.length === 0) return zeroForecast(y);
  let z = mean(sizes);
  let p = sizes.length / y.length;
  const fitted = y.map((v) => {
    const f = p * z;
    if (v > 0) {
      p += beta * (1 - p);
      z += alpha * (v - z);
    } else {
      p -= beta * p;
    }
    return f;
  });
  return { forecast: p * z, fitted };
}

/**
 * Sums `y` into non-overlapping buckets of `k` periods, aligned on the end of the series so the
 * last bucket is complete; the first `y.length % k` periods are dropped.
 */
export function aggregate(y: Series, k: number): number[] {
  const out: number[] = [];
  for (let end = y.length; end - k >= 0; end -= k) {
    let s = 0;
    for (let t = end - k; t < end; t++) s += y[t] ?? 0;
    out.push(s);
  }
  return out.reverse();
}

/** Spreads fitted values of an aggregate series back over its `k`-period buckets (NaN for dropped periods). */
function disaggregateFitted(n: number, k: number, fittedAgg: readonly number[]): number[] {
  const offset = n - fittedAgg.length * k;
  return Array.from({ length: n }, (_, t) =>
    t < offset ? Number.NaN : (fittedAgg[Math.floor((t - offset) / k)] ?? Number.NaN) / k,
  );
}

/**
 * ADIDA (Nikolopoulos et al. 2011): aggregate into buckets of `k` periods (default: the ADI
 * rounded, at least 1), forecast the buckets with SES and divide by `k`.
 */
export function adidaForecast(y: Series, k?: number, alpha = DEFAULT_ALPHA): PointFit {
  const adi = classifySeries(y).adi;
  const level = Math.max(
    1,
    Math.min(k ?? Math.round(Number.isFinite(adi) ? adi : 1), Math.floor(y.length / 2)),
  );
  if (y.length === 0) return zeroForecast(y);
  const agg = aggregate(y, level);
  const fit = sesForecast(agg, alpha);
  return { forecast: fit.forecast / level, fitted: disaggregateFitted(y.length, level, fit.fitted) };
}

/**
 * iMAPA (Petropoulos & Kourentzes 2015): the mean of per-period forecasts made at aggregation
 * levels 1..K (K = max(2, ⌈ADI⌉)), each level using SBA when its aggregate series is
 * intermittent (ADI ≥ 1.32) and SES otherwise.
 */
export function imapaForecast(y: Series, alpha = DEFAULT_ALPHA): PointFit {
  if (y.length === 0) return zeroForecast(y);
  const adi = classifySeries(y).adi;
  const maxLevel = Math.max(
    1,
    Math.min(Math.max(2, Math.ceil(Number.isFinite(adi) ? adi : 1)), Math.floor(y.length / 2)),
  );
  const fits: PointFit[] = [];
  for (let k = 1; k <= maxLevel; k++) {
    const agg = aggregate(y, k);
    const fit = classifySeries(agg).adi >= 1.32 ? sbaForecast(agg, alpha) : sesForecast(agg, alpha);
    fits.push({ forecast: fit.forecast / k, fitted: disaggregateFitted(y.length, k, fit.fitted) });
  }
  const fitted = y.map((_, t) => {
    const vals = fits.map((f) => f.fitted[t] ?? Number.NaN).filter(Number.isFinite);
    return vals.length ? mean(vals) : Number.NaN;
  });
  return { forecast: mean(fits.map((f) => f.forecast)), fitted };
}

/** The baseline names, in report order. */
export const BASELINES = ['zero', 'naive', 'mean', 'ses', 'croston', 'sba', 'tsb', 'adida'] as const;
export type BaselineName = (typeof BASELINES)[number];

/** The baseline family with its default parameters, by name. */
export const forecastMethods: Readonly<Record<BaselineName | 'imapa', (y: Series) => PointFit>> = {
  zero: zeroForecast,
  naive: naiveForecast,
  mean: meanForecast,
  ses: (y) => sesForecast(y),
  croston: (y) => crostonForecast(y),
  sba: (y) => sbaForecast(y),
  tsb: (y) => tsbForecast(y),
  adida: (y) => adidaForecast(y),
  imapa: (y) => imapaForecast(y),
};

/** Mean squared one-step in-sample error of a fit (over the periods where it has a forecast); 0 if none. */
export function inSampleMse(y: Series, fit: PointFit): number {
  let s = 0;
  let n = 0;
  fit.fitted.forEach((f, t) => {
    if (Number.isFinite(f)) {
      s += ((y[t] ?? 0) - f) ** 2;
      n++;
    }
  });
  return n ? s / n : 0;
}

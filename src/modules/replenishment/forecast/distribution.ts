import type { IntDist } from './types.js';

/** Tail mass dropped when a distribution is truncated. */
export const TAIL_TOLERANCE = 1e-10;
/** Upper bound on the support length, a guard against degenerate parameters. */
const MAX_SUPPORT = 200_000;

/** Drops the upper tail once the cumulative mass reaches 1 − tol. */
export function trim(pmf: readonly number[], tol = TAIL_TOLERANCE): IntDist {
  let cum = 0;
  for (let k = 0; k < pmf.length; k++) {
    cum += pmf[k] ?? 0;
    if (cum >= 1 - tol) return { pmf: pmf.slice(0, k + 1) };
  }
  return { pmf: pmf.slice() };
}

/** All mass on `k`. */
export function pointMass(k: number): IntDist {
  const pmf = new Array<number>(Math.max(0, Math.round(k)) + 1).fill(0);
  pmf[pmf.length - 1] = 1;
  return { pmf };
}

/** Poisson with the given mean (point mass at 0 for mean ≤ 0). */
export function poisson(mean: number, tol = TAIL_TOLERANCE): IntDist {
  if (!(mean > 0)) return pointMass(0);
  const pmf: number[] = [];
  // Start from the log of P(0) and recur; switch to logs only if exp underflows.
  let logP = -mean;
  let cum = 0;
  for (let k = 0; k < MAX_SUPPORT; k++) {
    if (k > 0) logP += Math.log(mean / k);
    const p = Math.exp(logP);
    pmf.push(p);
    cum += p;
    if (k > mean && cum >= 1 - tol) break;
  }
  return { pmf };
}

/**
 * Negative binomial with the given mean and variance (size r = μ²/(σ² − μ), success p = μ/σ²);
 * Poisson when the variance does not exceed the mean. A sum of n independent copies is
 * `negBinomial(n·μ, n·σ²)`.
 */
export function negBinomial(mean: number, variance: number, tol = TAIL_TOLERANCE): IntDist {
  if (!(mean > 0)) return pointMass(0);
  if (!(variance > mean * (1 + 1e-9))) return poisson(mean, tol);
  const r = (mean * mean) / (variance - mean);
  const p = mean / variance;
  const q = 1 - p;
  let prob = Math.exp(r * Math.log(p));
  const pmf: number[] = [];
  let cum = 0;
  for (let k = 0; k < MAX_SUPPORT; k++) {
    if (k > 0) prob *= ((k - 1 + r) / k) * q;
    pmf.push(prob);
    cum += prob;
    if (k > mean && cum >= 1 - tol) break;
  }
  return { pmf };
}

/** The distribution of the sum of two independent variables. */
export function convolve(a: IntDist, b: IntDist, tol = TAIL_TOLERANCE): IntDist {
  const out = new Array<number>(a.pmf.length + b.pmf.length - 1).fill(0);
  a.pmf.forEach((pa, i) => {
    if (pa === 0) return;
    b.pmf.forEach((pb, j) => {
      out[i + j] = (out[i + j] ?? 0) + pa * pb;
    });
  });
  return trim(out, tol);
}

/** The sum of `n` independent copies (binary powering); point mass at 0 for n = 0. */
export function sumOf(dist: IntDist, n: number, tol = TAIL_TOLERANCE): IntDist {
  let result = pointMass(0);
  let base = dist;
  for (let m = Math.round(n); m > 0; m >>= 1) {
    if (m & 1) result = convolve(result, base, tol);
    if (m > 1) base = convolve(base, base, tol);
  }
  return result;
}

/** The sum of independent variables, one per distribution (e.g. demand over several periods or locations). */
export function sumAll(dists: readonly IntDist[], tol = TAIL_TOLERANCE): IntDist {
  return dists.reduce((acc, d) => convolve(acc, d, tol), pointMass(0));
}

/** Zero-inflated (Bernoulli-compound) demand: with probability `p` a size drawn from `size`, else 0. */
export function compound(p: number, size: IntDist): IntDist {
  const pmf = size.pmf.map((v) => p * v);
  pmf[0] = (pmf[0] ?? 0) + (1 - p);
  return { pmf };
}

/** A mixture of distributions with non-negative weights (normalised). */
export function mixture(weights: readonly number[], dists: readonly IntDist[]): IntDist {
  const total = weights.reduce((a, b) => a + b, 0);
  const len = Math.max(...dists.map((d) => d.pmf.length));
  const pmf = new Array<number>(len).fill(0);
  dists.forEach((d, i) =>
    d.pmf.forEach((v, k) => (pmf[k] = (pmf[k] ?? 0) + ((weights[i] ?? 0) / total) * v)),
  );
  return { pmf };
}

/** The empirical distribution of non-negative integer observations. */
export function empirical(values: readonly number[]): IntDist {
  if (values.length === 0) return pointMass(0);
  const pmf = new Array<number>(Math.max(...values.map((v) => Math.round(v))) + 1).fill(0);
  values.forEach((v) => (pmf[Math.round(v)] = (pmf[Math.round(v)] ?? 0) + 1 / values.length));
  return { pmf };
}

/** Adds a known constant (e.g. committed demand) to a distribution. */
export function shift(dist: IntDist, k: number): IntDist {
  const n = Math.max(0, Math.round(k));
  return { pmf: [...new Array<number>(n).fill(0), ...dist.pmf] };
}

export function meanOf(dist: IntDist): number {
  return dist.pmf.reduce((s, p, k) => s + p * k, 0);
}

export function varianceOf(dist: IntDist): number {
  const m = meanOf(dist);
  return dist.pmf.reduce((s, p, k) => s + p * (k - m) ** 2, 0);
}

/** P(D ≤ k). */
export function cdf(dist: IntDist, k: number): number {
  let s = 0;
  for (let i = 0; i <= k && i < dist.pmf.length; i++) s += dist.pmf[i] ?? 0;
  return Math.min(1, s);
}

/** The smallest k with P(D ≤ k) ≥ q. */
export function quantile(dist: IntDist, q: number): number {
  let s = 0;
  for (let k = 0; k < dist.pmf.length; k++) {
    s += dist.pmf[k] ?? 0;
    if (s >= q - 1e-12) return k;
  }
  return dist.pmf.length - 1;
}

/** Expected shortage E[(D − s)⁺] for a stock level s. */
export function expectedShortage(dist: IntDist, s: number): number {
  let e = 0;
  for (let k = Math.max(0, Math.floor(s) + 1); k < dist.pmf.length; k++) e += (dist.pmf[k] ?? 0) * (k - s);
  return e;
}

/**
 * Echelon demand: the distribution of total demand over locations whose demands are independent
 * (e.g. a warehouse serving several stores), each given as an integer distribution for the same
 * interval.
 */
export function aggregateEchelon(locations: readonly IntDist[]): IntDist {
  return sumAll(locations);
}

/** Small robust statistics over (x, y) series: medians, Theil–Sen slopes and least squares. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Theil–Sen estimator: the median of pairwise slopes, robust to up to ~29 % outliers. For long
 * series the pairs are thinned deterministically (every k-th partner) to keep it O(n · 64).
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const n = xs.length;
  if (n < 2) return { slope: 0, intercept: n ? ys[0]! : 0 };
  const step = Math.max(1, Math.floor(n / 64));
  const slopes: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j += step) {
      const dx = xs[j]! - xs[i]!;
      if (dx !== 0) slopes.push((ys[j]! - ys[i]!) / dx);
    }
  const slope = slopes.length ? median(slopes) : 0;
  const intercept = median(ys.map((y, i) => y - slope * xs[i]!));
  return { slope, intercept };
}

export interface LinearFit {
  /** Coefficients, intercept first. */
  beta: number[];
  /** Standard errors of the coefficients (NaN when under-determined). */
  se: number[];
  residualSd: number;
  n: number;
}

/**
 * Ordinary least squares y ≈ β₀ + Σ βₖ·xₖ via the normal equations (few regressors, small n).
 * Returns null when the design is singular.
 */
export function leastSquares(
  columns: readonly (readonly number[])[],
  ys: readonly number[],
): LinearFit | null {
  const n = ys.length;
  const p = columns.length + 1;
  if (n < p) return null;
  const row = (i: number) => [1, ...columns.map((c) => c[i]!)];
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const r = row(i);
    for (let a = 0; a < p; a++) {
      xty[a]! += r[a]! * ys[i]!;
      for (let b = 0; b < p; b++) xtx[a]![b]! += r[a]! * r[b]!;
    }
  }
  const inv = invert(xtx);
  if (!inv) return null;
  const beta = inv.map((r) => r.reduce((s, v, k) => s + v * xty[k]!, 0));
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const r = row(i);
    const fit = r.reduce((s, v, k) => s + v * beta[k]!, 0);
    rss += (ys[i]! - fit) ** 2;
  }
  const dof = n - p;
  const sigma2 = dof > 0 ? rss / dof : NaN;
  return {
    beta,
    se: inv.map((r, k) => Math.sqrt(Math.max(0, sigma2 * r[k]!))),
    residualSd: Math.sqrt(sigma2),
    n,
  };
}

function invert(m: number[][]): number[][] | null {
  const n = m.length;
  const a = m.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r;
    if (Math.abs(a[piv]![c]!) < 1e-12) return null;
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    const d = a[c]![c]!;
    for (let k = 0; k < 2 * n; k++) a[c]![k]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f === 0) continue;
      for (let k = 0; k < 2 * n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((r) => r.slice(n));
}

/** Days between two YYYY-MM-DD days (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDaysTo(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + Math.round(n) * 86_400_000).toISOString().slice(0, 10);
}

export const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

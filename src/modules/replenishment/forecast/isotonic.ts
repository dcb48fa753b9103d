/** A non-decreasing step calibration curve: knots sorted by x, linearly interpolated. */
export interface IsotonicCurve {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
}

/** Least-squares non-decreasing fit of t on x (pool-adjacent-violators), optional weights. */
export function fitIsotonic(
  x: readonly number[],
  t: readonly number[],
  w?: readonly number[],
): IsotonicCurve {
  const order = x.map((_, i) => i).sort((a, b) => (x[a] ?? 0) - (x[b] ?? 0));
  const blocks: { sx: number; sy: number; w: number }[] = [];
  for (const i of order) {
    const wi = w?.[i] ?? 1;
    blocks.push({ sx: (x[i] ?? 0) * wi, sy: (t[i] ?? 0) * wi, w: wi });
    for (;;) {
      const b = blocks.at(-1);
      const a = blocks.at(-2);
      if (!a || !b || a.sy / a.w < b.sy / b.w) break;
      blocks.pop();
      a.sx += b.sx;
      a.sy += b.sy;
      a.w += b.w;
    }
  }
  return { xs: blocks.map((b) => b.sx / b.w), ys: blocks.map((b) => b.sy / b.w) };
}

/** Evaluates the curve at x (flat beyond the end knots). */
export function applyIsotonic(curve: IsotonicCurve, x: number): number {
  const { xs, ys } = curve;
  if (xs.length === 0) return 0;
  if (x <= (xs[0] ?? 0)) return ys[0] ?? 0;
  for (let i = 1; i < xs.length; i++) {
    const x1 = xs[i] ?? 0;
    if (x <= x1) {
      const x0 = xs[i - 1] ?? 0;
      const y0 = ys[i - 1] ?? 0;
      const f = x1 > x0 ? (x - x0) / (x1 - x0) : 1;
      return y0 + f * ((ys[i] ?? 0) - y0);
    }
  }
  return ys.at(-1) ?? 0;
}

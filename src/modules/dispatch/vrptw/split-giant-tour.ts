/**
 * Split of a giant tour into at most `maxRoutes` routes (Prins 2004 / Vidal 2016, limited fleet):
 * dynamic programming over (routes used, jobs covered) with the penalised route cost — distance,
 * excess load and time warp, the latter by forward time-warp segment concatenation. Route length
 * is bounded by 1.5× the capacity, as in HGS. Identical vehicles only (vehicle 0's depot nodes).
 */
import type { Problem } from './compile-instance.js';

export class GiantTourSplit {
  private readonly p: Problem;
  private readonly pot: Float64Array;
  private readonly from: Int32Array;

  constructor(
    p: Problem,
    readonly maxRoutes: number,
  ) {
    this.p = p;
    this.pot = new Float64Array((maxRoutes + 1) * (p.n + 1));
    this.from = new Int32Array((maxRoutes + 1) * (p.n + 1));
  }

  /** Returns the routes (job arrays) of the best split of `tour`. */
  split(tour: Int32Array, wLoad: number, wTime: number): Int32Array[] {
    const res = this.run(tour, wLoad, wTime, 1.5);
    return res ?? this.run(tour, wLoad, wTime, Infinity)!;
  }

  private run(tour: Int32Array, wLoad: number, wTime: number, loadFactor: number): Int32Array[] | null {
    const { n, size: S, time, dist, ready, due, service, demand } = this.p;
    const cap = this.p.capacity[0]!;
    const limit = cap * loadFactor;
    const m = this.maxRoutes;
    const W = n + 1;
    const pot = this.pot;
    pot.fill(Infinity);
    pot[0] = 0;
    const depot = n;
    const end = n + 1;
    for (let k = 0; k < m; k++) {
      for (let i = k; i < n; i++) {
        const base = pot[k * W + i]!;
        if (base === Infinity) continue;
        // Segment accumulator starting at the depot.
        let aDur = service[depot]!;
        let aTw = 0;
        let aE = ready[depot]!;
        let aL = due[depot]!;
        let last = depot;
        let load = 0;
        let d = 0;
        for (let j = i; j < n; j++) {
          const c = tour[j]!;
          load += demand[c]!;
          if (load > limit) break;
          d += dist[last * S + c]!;
          // merge node c
          {
            const t = time[last * S + c]!;
            const at = aDur - aTw + t;
            const dw = Math.max(ready[c]! - at - aL, 0);
            const dt = Math.max(aE + at - due[c]!, 0);
            aDur += service[c]! + t + dw;
            aTw += dt;
            aE = Math.max(ready[c]! - at, aE) - dw;
            aL = Math.min(due[c]! - at, aL) + dt;
            last = c;
          }
          // close the route at the end depot (time warp only)
          const t = time[c * S + end]!;
          const at = aDur - aTw + t;
          const twEnd = aTw + Math.max(aE + at - due[end]!, 0);
          const excess = load - cap;
          const cost = base + d + dist[c * S + end]! + (excess > 0 ? wLoad * excess : 0) + wTime * twEnd;
          const cell = (k + 1) * W + j + 1;
          if (cost < pot[cell]!) {
            pot[cell] = cost;
            this.from[cell] = i;
          }
        }
      }
    }
    let bestK = -1;
    for (let k = 1; k <= m; k++) {
      if (pot[k * W + n]! < Infinity && (bestK < 0 || pot[k * W + n]! < pot[bestK * W + n]!)) bestK = k;
    }
    if (bestK < 0) return null;
    const routes: Int32Array[] = [];
    let j = n;
    for (let k = bestK; k > 0; k--) {
      const i = this.from[k * W + j]!;
      routes.push(tour.slice(i, j));
      j = i;
    }
    return routes.reverse();
  }
}

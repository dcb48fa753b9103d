/**
 * Baseline: Solomon's (1987) I1 sequential insertion heuristic, for context in benchmarks. Routes
 * are built one at a time from a seed customer (farthest from the depot, or earliest deadline);
 * the cheapest feasible position of each unrouted customer is rated by c1 = α1·detour + α2·push
 * forward, and the customer maximising c2 = λ·d(depot,u) − c1 is inserted. The best of the usual
 * parameter settings is returned. Homogeneous fleets without pickup-and-delivery pairs only.
 */
import { compileInstance } from './compile-instance.js';
import type { PlannedRoute, RoutingInstance } from './model.js';

const SETTINGS: readonly (readonly [mu: number, lambda: number, alpha1: number])[] = [
  [1, 1, 1],
  [1, 2, 1],
  [1, 1, 0],
  [1, 2, 0],
  [1, 1, 0.5],
  [1, 2, 0.5],
];

export interface BaselineResult {
  readonly routes: PlannedRoute[];
  readonly vehicles: number;
  readonly distance: number;
}

export function solomonI1(instance: RoutingInstance): BaselineResult {
  const p = compileInstance(instance);
  if (p.hasPairs || !p.homogeneous) throw new Error('I1 baseline: homogeneous fleet without pairs only');
  let best: BaselineResult | null = null;
  for (const seedRule of ['far', 'due'] as const) {
    for (const [mu, lambda, alpha1] of SETTINGS) {
      const r = buildI1(p, seedRule, mu, lambda, alpha1);
      if (
        !best ||
        r.vehicles < best.vehicles ||
        (r.vehicles === best.vehicles && r.distance < best.distance)
      ) {
        best = r;
      }
    }
  }
  return best!;
}

function buildI1(
  p: ReturnType<typeof compileInstance>,
  seedRule: 'far' | 'due',
  mu: number,
  lambda: number,
  alpha1: number,
): BaselineResult {
  const { n, size: S, time, dist, ready, due, service, demand, capacity } = p;
  const alpha2 = 1 - alpha1;
  const depot = n; // start node of vehicle 0; its end node n+1 is at the same place
  const end = n + 1;
  const cap = capacity[0]!;
  const routed = new Uint8Array(n);
  for (let j = 0; j < n; j++) if (!p.servable[j]) routed[j] = 1;
  let left = 0;
  for (let j = 0; j < n; j++) if (!routed[j]) left++;
  const routes: PlannedRoute[] = [];
  let total = 0;

  // Service start times along the sequence, the end depot last.
  const starts = (seq: readonly number[]): Float64Array => {
    const out = new Float64Array(seq.length + 1);
    let t = ready[depot]!;
    let prev = depot;
    for (let k = 0; k <= seq.length; k++) {
      const j = k < seq.length ? seq[k]! : end;
      t = Math.max(ready[j]!, t + service[prev]! + time[prev * S + j]!);
      out[k] = t;
      prev = j;
    }
    return out;
  };
  // New service start of the node now at `pos` when u goes in front of it, or -1 if a window breaks.
  const pushTo = (seq: readonly number[], st: Float64Array, pos: number, u: number): number => {
    const i = pos === 0 ? depot : seq[pos - 1]!;
    const ti = pos === 0 ? ready[depot]! : st[pos - 1]!;
    const tu = Math.max(ready[u]!, ti + service[i]! + time[i * S + u]!);
    if (tu > due[u]! + 1e-9) return -1;
    let prev = u;
    let t = tu;
    let first = -1;
    for (let k = pos; k <= seq.length; k++) {
      const j = k < seq.length ? seq[k]! : end;
      t = Math.max(ready[j]!, t + service[prev]! + time[prev * S + j]!);
      if (t > due[j]! + 1e-9) return -1;
      if (first < 0) first = t;
      if (t <= st[k]!) break;
      prev = j;
    }
    return first;
  };

  while (left > 0 && routes.length < p.nv) {
    let seed = -1;
    for (let j = 0; j < n; j++) {
      if (routed[j]) continue;
      if (seed < 0) seed = j;
      else if (seedRule === 'far' ? dist[depot * S + j]! > dist[depot * S + seed]! : due[j]! < due[seed]!)
        seed = j;
    }
    const seq = [seed];
    routed[seed] = 1;
    left--;
    let load = demand[seed]!;
    for (;;) {
      const base = starts(seq);
      let bestU = -1;
      let bestPos = -1;
      let bestC2 = -Infinity;
      for (let u = 0; u < n; u++) {
        if (routed[u] || load + demand[u]! > cap) continue;
        let c1Best = Infinity;
        let posBest = -1;
        for (let pos = 0; pos <= seq.length; pos++) {
          const i = pos === 0 ? depot : seq[pos - 1]!;
          const j = pos === seq.length ? end : seq[pos]!;
          const tj = pushTo(seq, base, pos, u);
          if (tj < 0) continue;
          const c11 = dist[i * S + u]! + dist[u * S + j]! - mu * dist[i * S + j]!;
          const c12 = tj - base[pos]!;
          const c1 = alpha1 * c11 + alpha2 * c12;
          if (c1 < c1Best) {
            c1Best = c1;
            posBest = pos;
          }
        }
        if (posBest < 0) continue;
        const c2 = lambda * dist[depot * S + u]! - c1Best;
        if (c2 > bestC2) {
          bestC2 = c2;
          bestU = u;
          bestPos = posBest;
        }
      }
      if (bestU < 0) break;
      seq.splice(bestPos, 0, bestU);
      routed[bestU] = 1;
      load += demand[bestU]!;
      left--;
    }
    let prev = depot;
    for (const j of [...seq, end]) {
      total += dist[prev * S + j]!;
      prev = j;
    }
    routes.push({ vehicle: routes.length, jobs: seq });
  }
  return { routes, vehicles: routes.length, distance: total };
}

/**
 * Cheapest feasible insertion of a job (or a pickup-and-delivery pair) into a route plan, with
 * O(1) feasibility per position from the plan's forward/backward time data and load maxima.
 * A pair is tried at every pickup position i and delivery position j ≥ i of one route; the times
 * between the two insertion points are re-propagated incrementally, so a route costs O(len²) at worst.
 */
import type { Random } from './random.js';
import { TIME_EPS, type RoutePlan } from './route-plan.js';

export class InsertionMove {
  route = -1;
  i = -1;
  j = -1;
  cost = Infinity;

  reset(): void {
    this.route = -1;
    this.i = -1;
    this.j = -1;
    this.cost = Infinity;
  }
}

/** Scans one route for the best position of single job c; updates `best` when cheaper. */
export function scanJob(
  plan: RoutePlan,
  k: number,
  c: number,
  best: InsertionMove,
  rng: Random | null,
  blink: number,
): void {
  const p = plan.p;
  const { ready, due, service, time, dist } = p;
  const S = p.size;
  const b = k * plan.stride;
  const L = plan.len[k]!;
  const nodes = plan.nodes;
  const est = plan.est;
  const lst = plan.lst;
  const preMax = plan.preMax;
  const room = p.capacity[k]! - p.demand[c]!;
  // Without pairs the load only falls along the route: the departure load is the peak.
  const pairs = p.hasPairs;
  if (!pairs && plan.routeLoad[k]! > room) return;
  const rc = ready[c]!;
  const dc = due[c]! + TIME_EPS;
  const sc = service[c]!;
  const cS = c * S;
  // Opening an unused vehicle also costs its start→end leg, not counted while it is empty.
  const open = L === 2 ? dist[nodes[b]! * S + nodes[b + 1]!]! : 0;
  for (let i = 0; i < L - 1; i++) {
    if (pairs && preMax[b + i]! > room) break;
    const e = est[b + i]!;
    if (e > dc) break;
    const a = nodes[b + i]!;
    let t = e + service[a]! + time[a * S + c]!;
    if (t < rc) t = rc;
    if (t > dc) continue;
    const nx = nodes[b + i + 1]!;
    let t2 = t + sc + time[cS + nx]!;
    const rn = ready[nx]!;
    if (t2 < rn) t2 = rn;
    if (t2 > lst[b + i + 1]! + TIME_EPS) continue;
    const delta = dist[a * S + c]! + dist[cS + nx]! - dist[a * S + nx]! + open;
    if (delta < best.cost) {
      if (blink > 0 && rng !== null && rng.next() < blink) continue;
      best.cost = delta;
      best.route = k;
      best.i = i;
      best.j = i;
    }
  }
}

/** Scans one route for the best positions of pickup a and delivery c (a before c). */
export function scanPair(
  plan: RoutePlan,
  k: number,
  a: number,
  c: number,
  best: InsertionMove,
  rng: Random | null,
  blink: number,
): void {
  const p = plan.p;
  const { ready, due, service, time, dist } = p;
  const S = p.size;
  const b = k * plan.stride;
  const L = plan.len[k]!;
  const nodes = plan.nodes;
  const est = plan.est;
  const lst = plan.lst;
  const load = plan.load;
  const cap = p.capacity[k]!;
  const q = p.pairDelta[a]!;
  const da = due[a]! + TIME_EPS;
  const dc = due[c]! + TIME_EPS;
  const open = L === 2 ? dist[nodes[b]! * S + nodes[b + 1]!]! : 0;
  for (let i = 0; i < L - 1; i++) {
    if (est[b + i]! > da) break;
    if (load[b + i]! + q > cap) continue;
    const u = nodes[b + i]!;
    let ta = est[b + i]! + service[u]! + time[u * S + a]!;
    if (ta < ready[a]!) ta = ready[a]!;
    if (ta > da) continue;
    const addA = dist[u * S + a]!;
    // Walk the delivery position j from i onwards; `prev`/`tPrev` is the node just before c.
    let prev = a;
    let tPrev = ta;
    let costA = 0;
    for (let j = i; j < L - 1; j++) {
      if (j > i) {
        // Node at position j now follows prev with a pushed start time; it must stay on time.
        const x = nodes[b + j]!;
        if (load[b + j]! + q > cap) break;
        let tx = tPrev + service[prev]! + time[prev * S + x]!;
        if (tx < ready[x]!) tx = ready[x]!;
        if (tx > due[x]! + TIME_EPS) break;
        if (j === i + 1) costA = addA + dist[a * S + x]! - dist[u * S + x]!;
        prev = x;
        tPrev = tx;
      }
      let tc = tPrev + service[prev]! + time[prev * S + c]!;
      if (tc < ready[c]!) tc = ready[c]!;
      if (tc > dc) {
        if (tPrev > dc) break;
        continue;
      }
      const nx = nodes[b + j + 1]!;
      let tn = tc + service[c]! + time[c * S + nx]!;
      if (tn < ready[nx]!) tn = ready[nx]!;
      if (tn > lst[b + j + 1]! + TIME_EPS) continue;
      const delta =
        open +
        (j === i
          ? addA + dist[a * S + c]! + dist[c * S + nx]! - dist[u * S + nx]!
          : costA + dist[prev * S + c]! + dist[c * S + nx]! - dist[prev * S + nx]!);
      if (delta < best.cost) {
        if (blink > 0 && rng !== null && rng.next() < blink) continue;
        best.cost = delta;
        best.route = k;
        best.i = i;
        best.j = j;
      }
    }
  }
}

/**
 * Best insertion of job c (or of the pair it opens) over all non-empty routes; when none fits and
 * `maxRoutes` allows, over the empty vehicles. Returns false when the job fits nowhere.
 */
export function findBestInsertion(
  plan: RoutePlan,
  c: number,
  maxRoutes: number,
  best: InsertionMove,
  rng: Random | null,
  blink: number,
): boolean {
  const p = plan.p;
  const mate = p.partner[c]!;
  best.reset();
  for (let k = 0; k < p.nv; k++) {
    if (plan.len[k]! <= 2) continue;
    if (mate >= 0) scanPair(plan, k, c, mate, best, rng, blink);
    else scanJob(plan, k, c, best, rng, blink);
  }
  if (best.route >= 0) return true;
  if (plan.usedRoutes() >= maxRoutes) return false;
  for (let k = 0; k < p.nv; k++) {
    if (plan.len[k]! > 2) continue;
    if (mate >= 0) scanPair(plan, k, c, mate, best, null, 0);
    else scanJob(plan, k, c, best, null, 0);
    // Identical vehicles: the first empty one stands for all of them.
    if (p.homogeneous && best.route >= 0) break;
  }
  return best.route >= 0;
}

/** Applies a move found by `findBestInsertion` for job c. */
export function applyInsertion(plan: RoutePlan, c: number, move: InsertionMove): void {
  const mate = plan.p.partner[c]!;
  if (mate >= 0) plan.insertPair(move.route, move.i, move.j, c, mate);
  else plan.insert(move.route, move.i, c);
}

/**
 * Ruin-and-recreate moves after SISR (Christiaens & Vanden Berghe, "Slack Induction by String
 * Removals for Vehicle Routing Problems", Transportation Science 2020): remove strings (or split
 * strings) from routes near a random seed job, then greedily reinsert with blinks in one of several
 * orders. A pickup-and-delivery pair is removed and reinserted as one unit.
 */
import { applyInsertion, findBestInsertion, InsertionMove } from './best-insertion.js';
import type { Problem } from './compile-instance.js';
import type { Random } from './random.js';
import type { RoutePlan } from './route-plan.js';

export interface RuinParams {
  /** Average number of jobs removed per ruin. */
  avgRemoved: number;
  /** Longest string removed from one route. */
  maxString: number;
  /** Probability of a split string (a kept substring inside the removed one). */
  splitRate: number;
  /** Probability of growing the kept substring by one more job. */
  splitGrow: number;
  /** Probability of skipping a candidate position during reinsertion. */
  blink: number;
}

export const DEFAULT_RUIN: RuinParams = {
  avgRemoved: 10,
  maxString: 10,
  splitRate: 0.5,
  splitGrow: 0.5,
  blink: 0.01,
};

const ORDER_WEIGHTS = [4, 4, 2, 1, 2, 2, 2] as const; // random, demand, far, close, tw width, ready, due

export class RuinRecreate {
  private readonly p: Problem;
  private readonly rng: Random;
  readonly params: RuinParams;
  private readonly mark: Uint8Array;
  private readonly ruined: Uint8Array;
  private readonly units: Int32Array;
  private readonly keys: Float64Array;
  private readonly keyTable: Float64Array[];
  private readonly move = new InsertionMove();
  private readonly orderTotal: number;

  constructor(p: Problem, rng: Random, params: RuinParams = DEFAULT_RUIN) {
    this.p = p;
    this.rng = rng;
    this.params = params;
    this.mark = new Uint8Array(p.n);
    this.ruined = new Uint8Array(p.nv);
    this.units = new Int32Array(p.n);
    this.keys = new Float64Array(p.n);
    const depot = p.n; // start node of vehicle 0 stands in for "the depot"
    const mk = (f: (j: number) => number): Float64Array => Float64Array.from({ length: p.n }, (_, j) => f(j));
    this.keyTable = [
      mk(() => 0),
      mk((j) => -(p.demand[j]! + Math.abs(p.pairDelta[j]!))),
      mk((j) => -p.dist[depot * p.size + j]!),
      mk((j) => p.dist[depot * p.size + j]!),
      mk((j) => Math.min(p.due[j]!, 1e15) - p.ready[j]!),
      mk((j) => p.ready[j]!),
      mk((j) => -Math.min(p.due[j]!, 1e15)),
    ];
    this.orderTotal = ORDER_WEIGHTS.reduce((a, b) => a + b, 0);
  }

  /** Removes strings of jobs around a random seed job. Returns the number of jobs removed. */
  ruin(plan: RoutePlan, avgRemoved = this.params.avgRemoved): number {
    const p = this.p;
    const rng = this.rng;
    const n = p.n;
    const assigned = n - plan.nUnassigned;
    const used = plan.usedRoutes();
    if (assigned <= 0 || used === 0) return 0;
    const lsMax = Math.min(this.params.maxString, assigned / used);
    const ksMax = (4 * avgRemoved) / (1 + lsMax) - 1;
    const ks = Math.floor(rng.next() * Math.max(1, ksMax)) + 1;
    let seed = rng.int(n);
    for (let tries = 0; plan.routeOf[seed]! < 0; tries++) seed = tries < 2 * n ? rng.int(n) : (seed + 1) % n;
    let removed = 0;
    let routesRuined = 0;
    const nb = p.neighbours;
    const base = seed * (n - 1);
    for (let idx = -1; idx < n - 1 && routesRuined < ks; idx++) {
      const c = idx < 0 ? seed : nb[base + idx]!;
      const r = plan.routeOf[c]!;
      if (r < 0 || this.ruined[r]) continue;
      const card = plan.len[r]! - 2;
      const ltMax = Math.min(card, lsMax);
      const lt = Math.floor(rng.next() * ltMax) + 1;
      removed += this.removeFromRoute(plan, r, c, lt, card);
      this.ruined[r] = 1;
      routesRuined++;
    }
    this.ruined.fill(0);
    return removed;
  }

  private removeFromRoute(plan: RoutePlan, r: number, c: number, lt: number, card: number): number {
    const rng = this.rng;
    const pos = plan.posOf[c]!;
    const b = r * plan.stride;
    let m = 0;
    if (lt < card && rng.next() < this.params.splitRate) {
      m = 1;
      while (lt + m < card && rng.next() < this.params.splitGrow) m++;
    }
    const w = lt + m;
    const lo = Math.max(1, pos - w + 1);
    const hi = Math.min(pos, card - w + 1);
    const start = lo + rng.int(hi - lo + 1);
    const keepFrom = m > 0 ? start + rng.int(w - m + 1) : -1;
    let count = 0;
    for (let i = start; i < start + w; i++) {
      if (i >= keepFrom && i < keepFrom + m) continue;
      const j = plan.nodes[b + i]!;
      this.mark[j] = 1;
      count++;
      const mate = this.p.partner[j]!;
      if (mate >= 0 && !this.mark[mate]) {
        this.mark[mate] = 1;
        count++;
      }
    }
    plan.removeMarked(r, this.mark);
    this.mark.fill(0);
    return count;
  }

  /**
   * Reinserts the unassigned jobs greedily (cheapest position, with blinks) in a randomly chosen
   * order; a job that fits nowhere stays unassigned. Returns the number of jobs left unassigned.
   */
  recreate(plan: RoutePlan, maxRoutes: number): number {
    const p = this.p;
    const rng = this.rng;
    let nu = 0;
    for (let i = 0; i < plan.nUnassigned; i++) {
      const j = plan.unassigned[i]!;
      if (p.partner[j]! >= 0 && !p.isPickup[j]) continue;
      this.units[nu++] = j;
    }
    this.sortUnits(nu);
    const move = this.move;
    const blink = this.params.blink;
    for (let u = 0; u < nu; u++) {
      const j = this.units[u]!;
      if (findBestInsertion(plan, j, maxRoutes, move, rng, blink)) applyInsertion(plan, j, move);
    }
    return plan.nUnassigned;
  }

  private sortUnits(nu: number): void {
    const rng = this.rng;
    let r = rng.int(this.orderTotal);
    let order = 0;
    while (r >= ORDER_WEIGHTS[order]!) r -= ORDER_WEIGHTS[order++]!;
    const units = this.units;
    if (order === 0) {
      rng.shuffle(units, nu);
      return;
    }
    const table = this.keyTable[order]!;
    const keys = this.keys;
    for (let i = 0; i < nu; i++) keys[i] = table[units[i]!]! + rng.next() * 1e-9;
    for (let i = 1; i < nu; i++) {
      const u = units[i]!;
      const k = keys[i]!;
      let j = i - 1;
      while (j >= 0 && keys[j]! > k) {
        units[j + 1] = units[j]!;
        keys[j + 1] = keys[j]!;
        j--;
      }
      units[j + 1] = u;
      keys[j + 1] = k;
    }
  }
}

/**
 * A set of routes (one per vehicle, possibly empty) in flat typed arrays, with the per-position data
 * that makes insertion checks O(1): earliest service start (forward), latest feasible service start
 * (backward) and, with pickup-and-delivery pairs, the load on the arc leaving each position and
 * its prefix maximum.
 * Routes kept here are always feasible; dirty-route tracking lets the search copy only what changed.
 */
import type { Problem } from './compile-instance.js';

/** Slack for floating-point comparisons of times. */
export const TIME_EPS = 1e-7;

export class RoutePlan {
  readonly p: Problem;
  readonly stride: number;
  /** Number of positions in each route, both depot nodes included (2 = empty). */
  readonly len: Int32Array;
  readonly nodes: Int32Array;
  readonly est: Float64Array;
  readonly lst: Float64Array;
  readonly load: Float64Array;
  /** Prefix maximum of `load` (kept only when the problem has pickup-and-delivery pairs). */
  readonly preMax: Float64Array;
  /** Load leaving the start depot (all delivery demand of the route). */
  readonly routeLoad: Float64Array;
  readonly routeDist: Float64Array;
  /** Route of each job, −1 when unassigned. */
  readonly routeOf: Int32Array;
  readonly posOf: Int32Array;
  /** Servable jobs not in any route (both jobs of a pair are listed). */
  readonly unassigned: Int32Array;
  nUnassigned = 0;
  private readonly uaIndex: Int32Array;
  readonly dirty: Uint8Array;
  readonly dirtyList: Int32Array;
  nDirty = 0;

  constructor(p: Problem) {
    this.p = p;
    this.stride = p.n + 2;
    const cells = p.nv * this.stride;
    this.len = new Int32Array(p.nv);
    this.nodes = new Int32Array(cells);
    this.est = new Float64Array(cells);
    this.lst = new Float64Array(cells);
    this.load = new Float64Array(p.hasPairs ? cells : 0);
    this.preMax = new Float64Array(p.hasPairs ? cells : 0);
    this.routeLoad = new Float64Array(p.nv);
    this.routeDist = new Float64Array(p.nv);
    this.routeOf = new Int32Array(p.n).fill(-1);
    this.posOf = new Int32Array(p.n).fill(-1);
    this.unassigned = new Int32Array(p.n);
    this.uaIndex = new Int32Array(p.n).fill(-1);
    this.dirty = new Uint8Array(p.nv);
    this.dirtyList = new Int32Array(p.nv);
    for (let k = 0; k < p.nv; k++) {
      const b = k * this.stride;
      this.len[k] = 2;
      this.nodes[b] = p.n + 2 * k;
      this.nodes[b + 1] = p.n + 2 * k + 1;
      this.update(k);
    }
    for (let j = 0; j < p.n; j++) if (p.servable[j]) this.addUnassigned(j);
  }

  addUnassigned(j: number): void {
    if (this.uaIndex[j]! >= 0) return;
    this.uaIndex[j] = this.nUnassigned;
    this.unassigned[this.nUnassigned++] = j;
    this.routeOf[j] = -1;
    this.posOf[j] = -1;
  }

  removeUnassigned(j: number): void {
    const i = this.uaIndex[j]!;
    if (i < 0) return;
    const last = this.unassigned[--this.nUnassigned]!;
    this.unassigned[i] = last;
    this.uaIndex[last] = i;
    this.uaIndex[j] = -1;
  }

  markDirty(k: number): void {
    if (this.dirty[k]) return;
    this.dirty[k] = 1;
    this.dirtyList[this.nDirty++] = k;
  }

  clearDirty(): void {
    for (let i = 0; i < this.nDirty; i++) this.dirty[this.dirtyList[i]!] = 0;
    this.nDirty = 0;
  }

  /** Recomputes the per-position data of route k (O(route length)). */
  update(k: number): void {
    const p = this.p;
    const { ready, due, service, time, dist, demand, pairDelta } = p;
    const S = p.size;
    const b = k * this.stride;
    const L = this.len[k]!;
    const nodes = this.nodes;
    const est = this.est;
    const lst = this.lst;
    const load = this.load;
    let prev = nodes[b]!;
    est[b] = ready[prev]!;
    let d = 0;
    let l0 = 0;
    for (let i = 1; i < L; i++) {
      const cur = nodes[b + i]!;
      const t = est[b + i - 1]! + service[prev]! + time[prev * S + cur]!;
      const r = ready[cur]!;
      est[b + i] = t > r ? t : r;
      d += dist[prev * S + cur]!;
      if (i < L - 1) {
        l0 += demand[cur]!;
        this.routeOf[cur] = k;
        this.posOf[cur] = i;
      }
      prev = cur;
    }
    // An unused vehicle costs nothing (its start→end leg is not driven).
    this.routeDist[k] = L > 2 ? d : 0;
    lst[b + L - 1] = due[nodes[b + L - 1]!]!;
    for (let i = L - 2; i >= 0; i--) {
      const cur = nodes[b + i]!;
      const nxt = nodes[b + i + 1]!;
      const t = lst[b + i + 1]! - time[cur * S + nxt]! - service[cur]!;
      const dd = due[cur]!;
      lst[b + i] = t < dd ? t : dd;
    }
    this.routeLoad[k] = l0;
    if (!p.hasPairs) return;
    load[b] = l0;
    this.preMax[b] = l0;
    for (let i = 1; i < L; i++) {
      const cur = nodes[b + i]!;
      load[b + i] = load[b + i - 1]! - demand[cur]! + pairDelta[cur]!;
      const m = this.preMax[b + i - 1]!;
      this.preMax[b + i] = load[b + i]! > m ? load[b + i]! : m;
    }
  }

  /** Inserts job j after position `pos` of route k. */
  insert(k: number, pos: number, j: number): void {
    const b = k * this.stride;
    const L = this.len[k]!;
    this.nodes.copyWithin(b + pos + 2, b + pos + 1, b + L);
    this.nodes[b + pos + 1] = j;
    this.len[k] = L + 1;
    this.removeUnassigned(j);
    this.markDirty(k);
    this.update(k);
  }

  /** Inserts pickup `a` after position i and delivery `c` after position j ≥ i (positions before insertion). */
  insertPair(k: number, i: number, j: number, a: number, c: number): void {
    const b = k * this.stride;
    const L = this.len[k]!;
    const nodes = this.nodes;
    nodes.copyWithin(b + j + 3, b + j + 1, b + L);
    nodes[b + j + 2] = c;
    nodes.copyWithin(b + i + 2, b + i + 1, b + j + 1);
    nodes[b + i + 1] = a;
    this.len[k] = L + 2;
    this.removeUnassigned(a);
    this.removeUnassigned(c);
    this.markDirty(k);
    this.update(k);
  }

  /** Removes from route k every job whose flag is set in `mark`; they become unassigned. */
  removeMarked(k: number, mark: Uint8Array): void {
    const b = k * this.stride;
    const L = this.len[k]!;
    let w = 1;
    for (let i = 1; i < L - 1; i++) {
      const j = this.nodes[b + i]!;
      if (mark[j]) this.addUnassigned(j);
      else this.nodes[b + w++] = j;
    }
    this.nodes[b + w] = this.nodes[b + L - 1]!;
    this.len[k] = w + 1;
    this.markDirty(k);
    this.update(k);
    this.repair(k);
  }

  /** Empties route k. */
  clearRoute(k: number): void {
    const b = k * this.stride;
    const L = this.len[k]!;
    for (let i = 1; i < L - 1; i++) this.addUnassigned(this.nodes[b + i]!);
    this.nodes[b + 1] = this.nodes[b + L - 1]!;
    this.len[k] = 2;
    this.markDirty(k);
    this.update(k);
  }

  /**
   * Removing jobs cannot break a route when travel times obey the triangle inequality; with road
   * matrices they may not, so drop the first late job (and its partner) until the route is feasible.
   */
  private repair(k: number): void {
    const { due, partner } = this.p;
    for (;;) {
      const b = k * this.stride;
      const L = this.len[k]!;
      let bad = -1;
      for (let i = 1; i < L; i++) {
        if (this.est[b + i]! > due[this.nodes[b + i]!]! + TIME_EPS) {
          bad = i === L - 1 ? L - 2 : i;
          break;
        }
      }
      if (bad < 1) return;
      const j = this.nodes[b + bad]!;
      const mate = partner[j]!;
      let w = 1;
      for (let i = 1; i < L - 1; i++) {
        const x = this.nodes[b + i]!;
        if (x === j || x === mate) this.addUnassigned(x);
        else this.nodes[b + w++] = x;
      }
      this.nodes[b + w] = this.nodes[b + L - 1]!;
      this.len[k] = w + 1;
      this.update(k);
    }
  }

  /** Copies route k (and its jobs' bookkeeping) from another plan of the same problem. */
  copyRoute(from: RoutePlan, k: number): void {
    const b = k * this.stride;
    const e = b + from.len[k]!;
    this.len[k] = from.len[k]!;
    this.nodes.set(from.nodes.subarray(b, e), b);
    this.est.set(from.est.subarray(b, e), b);
    this.lst.set(from.lst.subarray(b, e), b);
    if (this.p.hasPairs) {
      this.load.set(from.load.subarray(b, e), b);
      this.preMax.set(from.preMax.subarray(b, e), b);
    }
    this.routeLoad[k] = from.routeLoad[k]!;
    this.routeDist[k] = from.routeDist[k]!;
    for (let i = b + 1; i < e - 1; i++) {
      const j = this.nodes[i]!;
      this.routeOf[j] = k;
      this.posOf[j] = i - b;
      if (this.uaIndex[j]! >= 0) this.removeUnassigned(j);
    }
  }

  private copyUnassigned(from: RoutePlan): void {
    for (let i = 0; i < from.nUnassigned; i++) this.addUnassigned(from.unassigned[i]!);
  }

  /** Makes this plan equal to `from` by copying the routes dirty in this plan. */
  restoreDirtyFrom(from: RoutePlan): void {
    for (let i = 0; i < this.nDirty; i++) this.copyRoute(from, this.dirtyList[i]!);
    this.copyUnassigned(from);
    this.clearDirty();
  }

  /** Makes `to` equal to this plan by copying the routes dirty in this plan to it. */
  publishDirtyTo(to: RoutePlan): void {
    for (let i = 0; i < this.nDirty; i++) to.copyRoute(this, this.dirtyList[i]!);
    to.copyUnassigned(this);
    this.clearDirty();
  }

  copyAllFrom(from: RoutePlan): void {
    for (let k = 0; k < this.p.nv; k++) this.copyRoute(from, k);
    this.copyUnassigned(from);
    this.clearDirty();
  }

  /** Replaces all routes: routes[k] (job list) goes to vehicle k. Returns false if one is infeasible. */
  loadRoutes(routes: readonly ArrayLike<number>[]): boolean {
    let ok = true;
    for (let k = 0; k < this.p.nv; k++) {
      this.clearRoute(k);
      const src = routes[k];
      if (!src || src.length === 0) continue;
      const b = k * this.stride;
      const end = this.nodes[b + 1]!;
      for (let i = 0; i < src.length; i++) {
        this.nodes[b + 1 + i] = src[i]!;
        this.removeUnassigned(src[i]!);
      }
      this.nodes[b + 1 + src.length] = end;
      this.len[k] = src.length + 2;
      this.update(k);
      for (let i = 1; i < this.len[k]!; i++) {
        if (this.est[b + i]! > this.p.due[this.nodes[b + i]!]! + TIME_EPS) ok = false;
      }
      const peak = this.p.hasPairs ? this.preMax[b + this.len[k]! - 1]! : this.routeLoad[k]!;
      if (peak > this.p.capacity[k]! + 1e-9) ok = false;
    }
    this.clearDirty();
    return ok;
  }

  distance(): number {
    let d = 0;
    for (let k = 0; k < this.p.nv; k++) d += this.routeDist[k]!;
    return d;
  }

  usedRoutes(): number {
    let c = 0;
    for (let k = 0; k < this.p.nv; k++) if (this.len[k]! > 2) c++;
    return c;
  }

  /** Jobs of route k in visit order. */
  routeJobs(k: number): number[] {
    const b = k * this.stride;
    return Array.from(this.nodes.subarray(b + 1, b + this.len[k]! - 1));
  }
}

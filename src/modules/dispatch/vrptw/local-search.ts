/**
 * Granular local search for the fast path (identical vehicles, no pickup-and-delivery pairs), as in
 * HGS (Vidal 2012/2022): relocate of 1–2 jobs (also reversed), swaps 1-1, 2-1, 2-2, 2-opt inside a
 * route and 2-opt* between routes, each tested on the Γ nearest neighbours of a job. Infeasible
 * plans are allowed and penalised (time warp, excess load). Every move is evaluated in O(1) (O(k)
 * for k jobs inside an intra-route window) by concatenating prefix/suffix time-warp segments
 * (duration, time warp, earliest and latest start) kept per route position.
 */
import type { Problem } from './compile-instance.js';
import type { Random } from './random.js';

export class LocalSearch {
  readonly p: Problem;
  readonly m: number;
  private readonly n: number;
  private readonly S: number;
  private readonly stride: number;
  private readonly cap: number;
  private readonly startNode: number;
  private readonly endNode: number;
  readonly len: Int32Array;
  readonly nodes: Int32Array;
  readonly routeOf: Int32Array;
  readonly posOf: Int32Array;
  private readonly fDur: Float64Array;
  private readonly fTw: Float64Array;
  private readonly fE: Float64Array;
  private readonly fL: Float64Array;
  private readonly fLoad: Float64Array;
  private readonly fDist: Float64Array;
  private readonly bDur: Float64Array;
  private readonly bTw: Float64Array;
  private readonly bE: Float64Array;
  private readonly bL: Float64Array;
  private readonly bDist: Float64Array;
  readonly routeCost: Float64Array;
  private readonly whenModified: Int32Array;
  private readonly lastTested: Int32Array;
  private readonly neighbours: Int32Array;
  private readonly gamma: number;
  private readonly symmetric: boolean;
  private readonly order: Int32Array;
  private readonly segU: Int32Array;
  private readonly segV: Int32Array;
  private readonly win: Int32Array;
  private readonly buf: Int32Array;
  private moves = 0;
  private cacheJob = -1;
  private cacheMoves = -1;
  private fw1Ok = false;
  private fw2Ok = false;
  private bwOk = false;
  private revOk = false;
  private rem1Ok = false;
  private rem2Ok = false;
  private rem1 = 0;
  private rem2 = 0;
  private readonly fw1: Float64Array;
  private readonly fw2: Float64Array;
  private readonly bw: Float64Array;
  private readonly rev: Float64Array;
  wLoad = 1;
  wTime = 1;
  // Segment accumulator (duration, time warp, earliest start, latest start, last node).
  private aDur = 0;
  private aTw = 0;
  private aE = 0;
  private aL = 0;
  private aLast = 0;
  // Distance and load of the last evaluated window.
  private eDist = 0;
  private eLoad = 0;

  constructor(p: Problem, m: number, neighbours: Int32Array, gamma: number) {
    this.p = p;
    this.m = m;
    this.n = p.n;
    this.S = p.size;
    this.stride = p.n + 2;
    this.cap = p.capacity[0]!;
    this.startNode = p.n;
    this.endNode = p.n + 1;
    const cells = m * this.stride;
    this.len = new Int32Array(m);
    this.nodes = new Int32Array(cells);
    this.routeOf = new Int32Array(p.n);
    this.posOf = new Int32Array(p.n);
    this.fDur = new Float64Array(cells);
    this.fTw = new Float64Array(cells);
    this.fE = new Float64Array(cells);
    this.fL = new Float64Array(cells);
    this.fLoad = new Float64Array(cells);
    this.fDist = new Float64Array(cells);
    this.bDur = new Float64Array(cells);
    this.bTw = new Float64Array(cells);
    this.bE = new Float64Array(cells);
    this.bL = new Float64Array(cells);
    this.bDist = new Float64Array(cells);
    this.routeCost = new Float64Array(m);
    this.whenModified = new Int32Array(m);
    this.lastTested = new Int32Array(p.n);
    this.neighbours = neighbours;
    let sym = true;
    for (let a = 0; a < p.size && sym; a++) {
      for (let b = a + 1; b < p.size; b++) {
        if (p.dist[a * p.size + b] !== p.dist[b * p.size + a]) {
          sym = false;
          break;
        }
      }
    }
    this.symmetric = sym;
    this.gamma = gamma;
    this.order = Int32Array.from({ length: p.n }, (_, i) => i);
    this.segU = new Int32Array(3);
    this.segV = new Int32Array(3);
    this.win = new Int32Array(this.stride);
    this.buf = new Int32Array(this.stride);
    this.fw1 = new Float64Array(4 * this.stride);
    this.fw2 = new Float64Array(4 * this.stride);
    this.bw = new Float64Array(4 * this.stride);
    this.rev = new Float64Array(4 * this.stride);
  }

  /** Loads routes (job lists, at most m) and evaluates them under the current penalty weights. */
  load(routes: readonly ArrayLike<number>[]): void {
    for (let r = 0; r < this.m; r++) {
      const b = r * this.stride;
      const src = routes[r];
      const k = src ? src.length : 0;
      this.nodes[b] = this.startNode;
      for (let i = 0; i < k; i++) this.nodes[b + 1 + i] = src![i]!;
      this.nodes[b + k + 1] = this.endNode;
      this.len[r] = k + 2;
      this.updateRoute(r);
    }
  }

  /** Current routes as job lists (empty routes omitted). */
  exportRoutes(): Int32Array[] {
    const out: Int32Array[] = [];
    for (let r = 0; r < this.m; r++) {
      const L = this.len[r]!;
      if (L > 2) out.push(this.nodes.slice(r * this.stride + 1, r * this.stride + L - 1));
    }
    return out;
  }

  penalisedCost(): number {
    let c = 0;
    for (let r = 0; r < this.m; r++) c += this.routeCost[r]!;
    return c;
  }

  /** Distance, excess load and time warp of the current routes. */
  measure(): { distance: number; excessLoad: number; timeWarp: number } {
    let distance = 0;
    let excessLoad = 0;
    let timeWarp = 0;
    for (let r = 0; r < this.m; r++) {
      const last = r * this.stride + this.len[r]! - 1;
      distance += this.fDist[last]!;
      excessLoad += Math.max(0, this.fLoad[last]! - this.cap);
      timeWarp += this.fTw[last]!;
    }
    return { distance, excessLoad, timeWarp };
  }

  /** Runs the local search to a local optimum under the given penalty weights. */
  run(rng: Random, wLoad: number, wTime: number): void {
    if (wLoad !== this.wLoad || wTime !== this.wTime) {
      this.wLoad = wLoad;
      this.wTime = wTime;
      for (let r = 0; r < this.m; r++) this.updateRoute(r);
    }
    this.moves = 1;
    this.whenModified.fill(1);
    this.lastTested.fill(0);
    rng.shuffle(this.order);
    const G = this.gamma;
    const nb = this.neighbours;
    const start = rng.int(G);
    for (let loop = 0, improved = true; improved; loop++) {
      improved = false;
      for (let iu = 0; iu < this.n; iu++) {
        const u = this.order[iu]!;
        const lastTest = this.lastTested[u]!;
        this.lastTested[u] = this.moves;
        for (let iv = 0; iv < G; iv++) {
          const v = nb[u * G + ((iv + start) % G)]!;
          if (v < 0) continue;
          const ru = this.routeOf[u]!;
          const rv = this.routeOf[v]!;
          if (loop > 0 && Math.max(this.whenModified[ru]!, this.whenModified[rv]!) <= lastTest) continue;
          if (this.tryPair(u, rv, this.posOf[v]!)) {
            improved = true;
            continue;
          }
          // v first in its route: also try moves at the start of that route.
          if (this.posOf[v] === 1) {
            if (this.tryPair(u, rv, 0)) improved = true;
          } else if (this.tryBefore(u, rv, this.posOf[v]! - 1)) improved = true;
        }
        if (loop > 0) {
          for (let r = 0; r < this.m; r++) {
            if (this.len[r] !== 2) continue;
            if (this.tryPair(u, r, 0)) improved = true;
            break;
          }
        }
      }
    }
  }

  /** Tries every move between job u and position pv of route rv; applies the first improving one. */
  private tryPair(u: number, rv: number, pv: number): boolean {
    const ru = this.routeOf[u]!;
    const pu = this.posOf[u]!;
    const bu = ru * this.stride;
    const bv = rv * this.stride;
    const Lu = this.len[ru]!;
    const Lv = this.len[rv]!;
    const xIsJob = pu + 1 < Lu - 1;
    const vIsJob = pv > 0;
    const yIsJob = pv + 1 < Lv - 1;
    const segU = this.segU;
    const segV = this.segV;
    segU[0] = u;
    // Relocate u after v.
    if (this.relocate(ru, pu, 1, rv, pv, false)) return true;
    if (xIsJob) {
      segU[1] = this.nodes[bu + pu + 1]!;
      if (this.relocate(ru, pu, 2, rv, pv, false)) return true;
      if (this.relocate(ru, pu, 2, rv, pv, true)) return true;
    }
    if (vIsJob) {
      segV[0] = this.nodes[bv + pv]!;
      if (this.swap(ru, pu, 1, rv, pv, 1)) return true;
      if (xIsJob) {
        segU[1] = this.nodes[bu + pu + 1]!;
        if (this.swap(ru, pu, 2, rv, pv, 1)) return true;
        if (yIsJob) {
          segV[1] = this.nodes[bv + pv + 1]!;
          if (this.swap(ru, pu, 2, rv, pv, 2)) return true;
        }
      }
    }
    if (ru === rv) {
      if (vIsJob && pu < pv && this.twoOpt(ru, pu, pv)) return true;
    } else if (this.twoOptStar(ru, pu, rv, pv)) return true;
    return false;
  }

  /** Moves that put u (or u and its successor) right before the job at position pv+1 of rv. */
  private tryBefore(u: number, rv: number, pv: number): boolean {
    const ru = this.routeOf[u]!;
    const pu = this.posOf[u]!;
    if (ru === rv && (pv === pu || pv === pu - 1)) return false;
    this.segU[0] = u;
    if (this.relocate(ru, pu, 1, rv, pv, false)) return true;
    if (pu + 1 < this.len[ru]! - 1) {
      this.segU[1] = this.nodes[ru * this.stride + pu + 1]!;
      if (this.relocate(ru, pu, 2, rv, pv, false)) return true;
    }
    return ru !== rv && this.twoOptStar(ru, pu, rv, pv);
  }

  // ---- move evaluation ------------------------------------------------------------------------

  private costOf(dist: number, load: number, tw: number): number {
    const excess = load - this.cap;
    return dist + (excess > 0 ? this.wLoad * excess : 0) + this.wTime * tw;
  }

  /** Starts the accumulator with the prefix of route r up to position i. */
  private accPrefix(r: number, i: number): void {
    const c = r * this.stride + i;
    this.aDur = this.fDur[c]!;
    this.aTw = this.fTw[c]!;
    this.aE = this.fE[c]!;
    this.aL = this.fL[c]!;
    this.aLast = this.nodes[c]!;
  }

  private accMerge(d2: number, tw2: number, e2: number, l2: number, first: number, last: number): void {
    const t = this.p.time[this.aLast * this.S + first]!;
    const at = this.aDur - this.aTw + t;
    const e1 = this.aE;
    const l1 = this.aL;
    let dw = e2 - at - l1;
    if (dw < 0) dw = 0;
    let dt = e1 + at - l2;
    if (dt < 0) dt = 0;
    this.aDur += d2 + t + dw;
    this.aTw += tw2 + dt;
    const e = e2 - at;
    this.aE = (e > e1 ? e : e1) - dw;
    const l = l2 - at;
    this.aL = (l < l1 ? l : l1) + dt;
    this.aLast = last;
  }

  private accNode(j: number): void {
    const p = this.p;
    this.accMerge(p.service[j]!, 0, p.ready[j]!, p.due[j]!, j, j);
  }

  private accSuffix(r: number, i: number): void {
    const c = r * this.stride + i;
    this.accMerge(this.bDur[c]!, this.bTw[c]!, this.bE[c]!, this.bL[c]!, this.nodes[c]!, this.endNode);
  }

  /**
   * Distance and load (into eDist/eLoad) of route r with positions a..b replaced by seq[0..k-1]
   * (a = b + 1 means a pure insertion after position b).
   */
  private windowDistLoad(r: number, a: number, b: number, seq: Int32Array, k: number): void {
    const base = r * this.stride;
    const dist = this.p.dist;
    const dem = this.p.demand;
    const S = this.S;
    let d = this.fDist[base + a - 1]! + this.bDist[base + b + 1]!;
    let load = this.fLoad[base + this.len[r]! - 1]! - (this.fLoad[base + b]! - this.fLoad[base + a - 1]!);
    let prev = this.nodes[base + a - 1]!;
    for (let i = 0; i < k; i++) {
      const j = seq[i]!;
      d += dist[prev * S + j]!;
      load += dem[j]!;
      prev = j;
    }
    d += dist[prev * S + this.nodes[base + b + 1]!]!;
    this.eDist = d;
    this.eLoad = load;
  }

  /**
   * Time warp of route r with window a..b replaced by seq. Stops early (returning Infinity) once the
   * accumulated time warp plus the suffix's own exceeds `limit`.
   */
  private windowTw(r: number, a: number, b: number, seq: Int32Array, k: number, limit = Infinity): number {
    this.accPrefix(r, a - 1);
    const rest = this.bTw[r * this.stride + b + 1]!;
    for (let i = 0; i < k; i++) {
      this.accNode(seq[i]!);
      if (this.aTw + rest > limit) return Infinity;
    }
    this.accSuffix(r, b + 1);
    return this.aTw;
  }

  /** Cost of route r with window a..b replaced by seq; `bound` allows an early exit (returns Infinity). */
  private windowCost(r: number, a: number, b: number, seq: Int32Array, k: number, bound: number): number {
    this.windowDistLoad(r, a, b, seq, k);
    const partial = this.costOf(this.eDist, this.eLoad, 0);
    if (partial >= bound) return Infinity;
    return partial + this.wTime * this.windowTw(r, a, b, seq, k);
  }

  /** Whether rewriting a window in each of two routes lowers their penalised cost (time warp last). */
  private interImproves(
    r1: number,
    a1: number,
    b1: number,
    s1: Int32Array,
    k1: number,
    r2: number,
    a2: number,
    b2: number,
    s2: Int32Array,
    k2: number,
  ): boolean {
    const oldCost = this.routeCost[r1]! + this.routeCost[r2]! - 1e-9;
    this.windowDistLoad(r1, a1, b1, s1, k1);
    let partial = this.costOf(this.eDist, this.eLoad, 0);
    this.windowDistLoad(r2, a2, b2, s2, k2);
    partial += this.costOf(this.eDist, this.eLoad, 0);
    // Time warp inside the untouched prefix and suffix stays: a lower bound on the new one.
    const lb1 = this.twOutside(r1, a1, b1);
    const lb2 = this.twOutside(r2, a2, b2);
    if (partial + this.wTime * (lb1 + lb2) >= oldCost) return false;
    partial += this.wTime * this.windowTw(r1, a1, b1, s1, k1, (oldCost - partial) / this.wTime - lb2);
    if (partial + this.wTime * lb2 >= oldCost) return false;
    partial += this.wTime * this.windowTw(r2, a2, b2, s2, k2, (oldCost - partial) / this.wTime);
    return partial < oldCost;
  }

  /** Time warp of route r's prefix before a and suffix after b. */
  private twOutside(r: number, a: number, b: number): number {
    const base = r * this.stride;
    return this.fTw[base + a - 1]! + this.bTw[base + b + 1]!;
  }

  /** Relocates the k jobs starting at position pu of ru (optionally reversed) after position pv of rv. */
  private relocate(ru: number, pu: number, k: number, rv: number, pv: number, reversed: boolean): boolean {
    const seg = this.segU;
    let s = seg;
    if (reversed) {
      s = this.buf;
      for (let i = 0; i < k; i++) s[i] = seg[k - 1 - i]!;
    }
    if (ru !== rv) {
      // Route ru without the block does not depend on v: cached per job u.
      this.prepareCache(seg[0]!);
      const budget = this.routeCost[ru]! + this.routeCost[rv]! - 1e-9 - this.removalCost(ru, pu, k);
      this.windowDistLoad(rv, pv + 1, pv, s, k);
      const partial = this.costOf(this.eDist, this.eLoad, 0);
      const bv = rv * this.stride;
      if (partial + this.wTime * (this.fTw[bv + pv]! + this.bTw[bv + pv + 1]!) >= budget) return false;
      const tw = this.windowTw(rv, pv + 1, pv, s, k, (budget - partial) / this.wTime);
      if (partial + this.wTime * tw >= budget) return false;
      this.applyWindow(rv, pv + 1, pv, s, k);
      this.applyWindow(ru, pu, pu + k - 1, s, 0);
      this.finish(ru, rv);
      return true;
    }
    // Same route: distance change in O(1) first, then the rewritten window for the time warp.
    const base = ru * this.stride;
    const nodes = this.nodes;
    const A = nodes[base + pu - 1]!;
    const B = nodes[base + pu + k]!;
    const u0 = nodes[base + pu]!;
    const ul = nodes[base + pu + k - 1]!;
    const s0 = s[0]!;
    const sl = s[k - 1]!;
    let delta = this.d(A, B) - this.d(A, u0) - this.d(ul, B);
    if (reversed) delta += this.d(ul, u0) - this.d(u0, ul);
    let a: number;
    let b: number;
    if (pv < pu - 1) {
      const V = nodes[base + pv]!;
      const V1 = nodes[base + pv + 1]!;
      delta += this.d(V, s0) + this.d(sl, V1) - this.d(V, V1);
      a = pv + 1;
      b = pu + k - 1;
    } else if (pv >= pu + k) {
      const V = nodes[base + pv]!;
      const Y = nodes[base + pv + 1]!;
      delta += this.d(V, s0) + this.d(sl, Y) - this.d(V, Y);
      a = pu;
      b = pv;
    } else if (reversed && pv === pu - 1) {
      delta = this.d(A, s0) + this.d(sl, B) - this.d(A, u0) - this.d(ul, B) + this.d(ul, u0) - this.d(u0, ul);
      a = pu;
      b = pu + k - 1;
    } else {
      return false;
    }
    if (!this.intraPromising(ru, delta, a, b)) return false;
    // Time warp from cached subsequences: O(1) whatever the distance between the two places.
    this.prepareCache(u0);
    if (pv >= pu + k) {
      const tbl = k === 1 ? this.fw1Table() : this.fw2Table();
      this.accPrefix(ru, pu - 1);
      this.accSeg(tbl, pv, nodes[base + pu + k]!, nodes[base + pv]!);
      for (let i = 0; i < k; i++) this.accNode(s[i]!);
    } else if (pv < pu - 1) {
      const tbl = this.bwTable();
      this.accPrefix(ru, pv);
      for (let i = 0; i < k; i++) this.accNode(s[i]!);
      this.accSeg(tbl, pv + 1, nodes[base + pv + 1]!, nodes[base + pu - 1]!);
    } else {
      this.accPrefix(ru, pu - 1);
      for (let i = 0; i < k; i++) this.accNode(s[i]!);
    }
    this.accSuffix(ru, b + 1);
    if (!this.intraImproves(ru, delta, this.aTw)) return false;
    const win = this.win;
    let w = 0;
    if (pv < pu - 1) {
      for (let i = 0; i < k; i++) win[w++] = s[i]!;
      for (let i = pv + 1; i < pu; i++) win[w++] = nodes[base + i]!;
    } else if (pv >= pu + k) {
      for (let i = pu + k; i <= pv; i++) win[w++] = nodes[base + i]!;
      for (let i = 0; i < k; i++) win[w++] = s[i]!;
    } else {
      for (let i = 0; i < k; i++) win[w++] = s[i]!;
    }
    this.commitIntra(ru, a, b, w);
    return true;
  }

  /** Swaps the ku jobs at pu of ru with the kv jobs at pv of rv. */
  private swap(ru: number, pu: number, ku: number, rv: number, pv: number, kv: number): boolean {
    const segU = this.segU;
    const segV = this.segV;
    if (ru !== rv) {
      if (!this.interImproves(ru, pu, pu + ku - 1, segV, kv, rv, pv, pv + kv - 1, segU, ku)) return false;
      this.applyWindow(ru, pu, pu + ku - 1, segV, kv);
      this.applyWindow(rv, pv, pv + kv - 1, segU, ku);
      this.finish(ru, rv);
      return true;
    }
    // Same route: the two blocks must not overlap; F is the first block, G the second.
    let pf: number, kf: number, pg: number, kg: number, F: Int32Array, G: Int32Array;
    if (pu + ku <= pv) {
      pf = pu;
      kf = ku;
      F = segU;
      pg = pv;
      kg = kv;
      G = segV;
    } else if (pv + kv <= pu) {
      pf = pv;
      kf = kv;
      F = segV;
      pg = pu;
      kg = ku;
      G = segU;
    } else {
      return false;
    }
    const base = ru * this.stride;
    const nodes = this.nodes;
    const A = nodes[base + pf - 1]!;
    const Y = nodes[base + pg + kg]!;
    const f0 = F[0]!;
    const fl = F[kf - 1]!;
    const g0 = G[0]!;
    const gl = G[kg - 1]!;
    let delta: number;
    if (pf + kf === pg) {
      delta = this.d(A, g0) + this.d(gl, f0) + this.d(fl, Y) - this.d(A, f0) - this.d(fl, g0) - this.d(gl, Y);
    } else {
      const m0 = nodes[base + pf + kf]!;
      const ml = nodes[base + pg - 1]!;
      delta =
        this.d(A, g0) +
        this.d(gl, m0) +
        this.d(ml, f0) +
        this.d(fl, Y) -
        this.d(A, f0) -
        this.d(fl, m0) -
        this.d(ml, g0) -
        this.d(gl, Y);
    }
    if (!this.intraPromising(ru, delta, pf, pg + kg - 1)) return false;
    this.prepareCache(this.nodes[base + pu]!);
    // Jobs between the blocks: cached forward from u's block or backward to it (built before
    // the accumulator is used, as building reuses it).
    const hasMid = pg - 1 >= pf + kf;
    const tbl = !hasMid ? null : pu === pf ? (ku === 1 ? this.fw1Table() : this.fw2Table()) : this.bwTable();
    this.accPrefix(ru, pf - 1);
    for (let i = 0; i < kg; i++) this.accNode(G[i]!);
    if (tbl) this.accSeg(tbl, pu === pf ? pg - 1 : pf + kf, nodes[base + pf + kf]!, nodes[base + pg - 1]!);
    for (let i = 0; i < kf; i++) this.accNode(F[i]!);
    this.accSuffix(ru, pg + kg);
    if (!this.intraImproves(ru, delta, this.aTw)) return false;
    const win = this.win;
    let w = 0;
    for (let i = 0; i < kg; i++) win[w++] = G[i]!;
    for (let i = pf + kf; i < pg; i++) win[w++] = nodes[base + i]!;
    for (let i = 0; i < kf; i++) win[w++] = F[i]!;
    this.commitIntra(ru, pf, pg + kg - 1, w);
    return true;
  }

  /** Reverses positions pu+1..pv of route r. */
  private twoOpt(r: number, pu: number, pv: number): boolean {
    const base = r * this.stride;
    const nodes = this.nodes;
    const u = nodes[base + pu]!;
    const x = nodes[base + pu + 1]!;
    const v = nodes[base + pv]!;
    const y = nodes[base + pv + 1]!;
    let delta = this.d(u, v) + this.d(x, y) - this.d(u, x) - this.d(v, y);
    if (!this.symmetric) {
      for (let i = pu + 1; i < pv; i++)
        delta +=
          this.d(nodes[base + i + 1]!, nodes[base + i]!) - this.d(nodes[base + i]!, nodes[base + i + 1]!);
    }
    if (!this.intraPromising(r, delta, pu + 1, pv)) return false;
    this.prepareCache(u);
    const tbl = this.revTable();
    this.accPrefix(r, pu);
    this.accSeg(tbl, pv, v, x);
    this.accSuffix(r, pv + 1);
    if (!this.intraImproves(r, delta, this.aTw)) return false;
    let w = 0;
    for (let i = pv; i > pu; i--) this.win[w++] = nodes[base + i]!;
    this.commitIntra(r, pu + 1, pv, w);
    return true;
  }

  private d(a: number, b: number): number {
    return this.p.dist[a * this.S + b]!;
  }

  /** Whether an intra-route move changing the distance by delta could pay off (load is unchanged). */
  private intraPromising(r: number, delta: number, a: number, b: number): boolean {
    const last = r * this.stride + this.len[r]! - 1;
    const bound = this.costOf(this.fDist[last]! + delta, this.fLoad[last]!, this.twOutside(r, a, b));
    return bound < this.routeCost[r]! - 1e-9;
  }

  private intraImproves(r: number, delta: number, tw: number): boolean {
    const last = r * this.stride + this.len[r]! - 1;
    return this.costOf(this.fDist[last]! + delta, this.fLoad[last]!, tw) < this.routeCost[r]! - 1e-9;
  }

  private commitIntra(r: number, a: number, b: number, w: number): void {
    this.applyWindow(r, a, b, this.win, w);
    this.finish(r, r);
  }

  /** Penalised cost of route r without the k jobs from position pu (cached for the current job). */
  private removalCost(r: number, pu: number, k: number): number {
    if (k === 1 && this.rem1Ok) return this.rem1;
    if (k === 2 && this.rem2Ok) return this.rem2;
    const base = r * this.stride;
    const last = base + this.len[r]! - 1;
    const a = this.nodes[base + pu - 1]!;
    const b = this.nodes[base + pu + k]!;
    const dist = this.fDist[base + pu - 1]! + this.p.dist[a * this.S + b]! + this.bDist[base + pu + k]!;
    const load = this.fLoad[last]! - (this.fLoad[base + pu + k - 1]! - this.fLoad[base + pu - 1]!);
    this.accPrefix(r, pu - 1);
    this.accSuffix(r, pu + k);
    const c = this.costOf(dist, load, this.aTw);
    if (k === 1) {
      this.rem1 = c;
      this.rem1Ok = true;
    } else {
      this.rem2 = c;
      this.rem2Ok = true;
    }
    return c;
  }

  // ---- cached subsequences around the job u under examination -----------------------------------
  // fw1[j]: jobs pu+1..j; fw2[j]: jobs pu+2..j; bw[i]: jobs i..pu-1; rev[j]: jobs j..pu+1 (reversed).
  // Valid until the next move; each is built in O(route length) on first use.

  private prepareCache(u: number): void {
    if (this.cacheJob === u && this.cacheMoves === this.moves) return;
    this.cacheJob = u;
    this.cacheMoves = this.moves;
    this.fw1Ok = false;
    this.fw2Ok = false;
    this.bwOk = false;
    this.revOk = false;
    this.rem1Ok = false;
    this.rem2Ok = false;
  }

  private fw1Table(): Float64Array {
    if (!this.fw1Ok) this.buildForward(this.fw1, this.posOf[this.cacheJob]! + 1);
    this.fw1Ok = true;
    return this.fw1;
  }

  private fw2Table(): Float64Array {
    if (!this.fw2Ok) this.buildForward(this.fw2, this.posOf[this.cacheJob]! + 2);
    this.fw2Ok = true;
    return this.fw2;
  }

  private bwTable(): Float64Array {
    if (!this.bwOk) {
      const r = this.routeOf[this.cacheJob]!;
      const base = r * this.stride;
      const e = this.posOf[this.cacheJob]! - 1;
      const tbl = this.bw;
      for (let i = e; i >= 1; i--) {
        this.accStart(this.nodes[base + i]!);
        if (i < e) this.accSeg(tbl, i + 1, this.nodes[base + i + 1]!, this.nodes[base + e]!);
        this.store(tbl, i);
      }
      this.bwOk = true;
    }
    return this.bw;
  }

  private revTable(): Float64Array {
    if (!this.revOk) {
      const r = this.routeOf[this.cacheJob]!;
      const base = r * this.stride;
      const s = this.posOf[this.cacheJob]! + 1;
      const L = this.len[r]!;
      const tbl = this.rev;
      for (let j = s; j < L - 1; j++) {
        this.accStart(this.nodes[base + j]!);
        if (j > s) this.accSeg(tbl, j - 1, this.nodes[base + j - 1]!, this.nodes[base + s]!);
        this.store(tbl, j);
      }
      this.revOk = true;
    }
    return this.rev;
  }

  private buildForward(tbl: Float64Array, s: number): void {
    const r = this.routeOf[this.cacheJob]!;
    const base = r * this.stride;
    const L = this.len[r]!;
    for (let j = s; j < L - 1; j++) {
      if (j === s) this.accStart(this.nodes[base + j]!);
      else this.accNode(this.nodes[base + j]!);
      this.store(tbl, j);
    }
  }

  private accStart(j: number): void {
    const p = this.p;
    this.aDur = p.service[j]!;
    this.aTw = 0;
    this.aE = p.ready[j]!;
    this.aL = p.due[j]!;
    this.aLast = j;
  }

  private store(tbl: Float64Array, i: number): void {
    tbl[4 * i] = this.aDur;
    tbl[4 * i + 1] = this.aTw;
    tbl[4 * i + 2] = this.aE;
    tbl[4 * i + 3] = this.aL;
  }

  private accSeg(tbl: Float64Array, i: number, first: number, last: number): void {
    this.accMerge(tbl[4 * i]!, tbl[4 * i + 1]!, tbl[4 * i + 2]!, tbl[4 * i + 3]!, first, last);
  }

  /** Exchanges the tails after pu (route ru) and after pv (route rv). */
  private twoOptStar(ru: number, pu: number, rv: number, pv: number): boolean {
    const oldCost = this.routeCost[ru]! + this.routeCost[rv]!;
    const bu = ru * this.stride;
    const bv = rv * this.stride;
    const Lu = this.len[ru]!;
    const Lv = this.len[rv]!;
    if (pu === Lu - 2 && pv === Lv - 2) return false;
    const dist = this.p.dist;
    const S = this.S;
    const u = this.nodes[bu + pu]!;
    const x = this.nodes[bu + pu + 1]!;
    const v = this.nodes[bv + pv]!;
    const y = this.nodes[bv + pv + 1]!;
    const d1 = this.fDist[bu + pu]! + dist[u * S + y]! + this.bDist[bv + pv + 1]!;
    const d2 = this.fDist[bv + pv]! + dist[v * S + x]! + this.bDist[bu + pu + 1]!;
    const loadU = this.fLoad[bu + Lu - 1]!;
    const loadV = this.fLoad[bv + Lv - 1]!;
    const l1 = this.fLoad[bu + pu]! + (loadV - this.fLoad[bv + pv]!);
    const l2 = this.fLoad[bv + pv]! + (loadU - this.fLoad[bu + pu]!);
    const partial = this.costOf(d1, l1, 0) + this.costOf(d2, l2, 0);
    const lb = this.fTw[bu + pu]! + this.bTw[bv + pv + 1]! + this.fTw[bv + pv]! + this.bTw[bu + pu + 1]!;
    if (partial + this.wTime * lb >= oldCost - 1e-9) return false;
    this.accPrefix(ru, pu);
    this.accSuffix(rv, pv + 1);
    const tw1 = this.aTw;
    this.accPrefix(rv, pv);
    this.accSuffix(ru, pu + 1);
    const tw2 = this.aTw;
    if (partial + this.wTime * (tw1 + tw2) >= oldCost - 1e-9) return false;
    // Apply: build both new node sequences.
    const tailU = this.buf;
    let t = 0;
    for (let i = pu + 1; i < Lu; i++) tailU[t++] = this.nodes[bu + i]!;
    const nv = pv + 1 + (Lu - pu - 1);
    const nu = pu + 1 + (Lv - pv - 1);
    this.nodes.copyWithin(bu + pu + 1, bv + pv + 1, bv + Lv);
    this.nodes.set(tailU.subarray(0, t), bv + pv + 1);
    this.len[ru] = nu;
    this.len[rv] = nv;
    this.finish(ru, rv);
    return true;
  }

  /** Replaces positions a..b of route r with seq[0..k-1]. */
  private applyWindow(r: number, a: number, b: number, seq: Int32Array, k: number): void {
    const base = r * this.stride;
    const L = this.len[r]!;
    const shift = k - (b - a + 1);
    if (shift !== 0) this.nodes.copyWithin(base + b + 1 + shift, base + b + 1, base + L);
    for (let i = 0; i < k; i++) this.nodes[base + a + i] = seq[i]!;
    this.len[r] = L + shift;
  }

  private finish(ru: number, rv: number): void {
    this.moves++;
    this.updateRoute(ru);
    if (rv !== ru) this.updateRoute(rv);
  }

  /** Recomputes prefix/suffix data, cost and positions of route r. */
  updateRoute(r: number): void {
    this.cacheJob = -1;
    const p = this.p;
    const { ready, due, service, demand, dist } = p;
    const S = this.S;
    const base = r * this.stride;
    const L = this.len[r]!;
    const nodes = this.nodes;
    let prev = nodes[base]!;
    this.fDur[base] = service[prev]!;
    this.fTw[base] = 0;
    this.fE[base] = ready[prev]!;
    this.fL[base] = due[prev]!;
    this.fLoad[base] = 0;
    this.fDist[base] = 0;
    this.aDur = this.fDur[base]!;
    this.aTw = 0;
    this.aE = this.fE[base]!;
    this.aL = this.fL[base]!;
    this.aLast = prev;
    for (let i = 1; i < L; i++) {
      const j = nodes[base + i]!;
      this.accNode(j);
      const c = base + i;
      this.fDur[c] = this.aDur;
      this.fTw[c] = this.aTw;
      this.fE[c] = this.aE;
      this.fL[c] = this.aL;
      this.fLoad[c] = this.fLoad[c - 1]! + (i < L - 1 ? demand[j]! : 0);
      this.fDist[c] = this.fDist[c - 1]! + dist[prev * S + j]!;
      if (i < L - 1) {
        this.routeOf[j] = r;
        this.posOf[j] = i;
      }
      prev = j;
    }
    const last = base + L - 1;
    const end = nodes[last]!;
    this.bDur[last] = service[end]!;
    this.bTw[last] = 0;
    this.bE[last] = ready[end]!;
    this.bL[last] = due[end]!;
    this.bDist[last] = 0;
    for (let i = L - 2; i >= 0; i--) {
      const j = nodes[base + i]!;
      this.aDur = service[j]!;
      this.aTw = 0;
      this.aE = ready[j]!;
      this.aL = due[j]!;
      this.aLast = j;
      this.accSuffix(r, i + 1);
      const c = base + i;
      this.bDur[c] = this.aDur;
      this.bTw[c] = this.aTw;
      this.bE[c] = this.aE;
      this.bL[c] = this.aL;
      this.bDist[c] = this.bDist[c + 1]! + dist[j * S + nodes[c + 1]!]!;
    }
    this.routeCost[r] = this.costOf(this.fDist[last]!, this.fLoad[last]!, this.fTw[last]!);
    this.whenModified[r] = this.moves;
  }
}

/**
 * Γ nearest jobs of each job by a time-window-aware proximity (Vidal 2013): distance plus 0.2 ×
 * waiting and 1 × time warp incurred when going from one to the other, in the better direction.
 */
export function granularNeighbours(p: Problem, gamma: number): Int32Array {
  const { n, size: S, dist, time, ready, due, service } = p;
  const g = Math.min(gamma, n - 1);
  const out = new Int32Array(n * gamma).fill(-1);
  const cand: number[] = [];
  const score = new Float64Array(n);
  const oneWay = (i: number, j: number): number => {
    const arrive = ready[i]! + service[i]! + time[i * S + j]!;
    const wait = Math.max(ready[j]! - arrive, 0);
    const late = Math.max(arrive - due[j]!, 0);
    return dist[i * S + j]! + 0.2 * wait + late;
  };
  for (let i = 0; i < n; i++) {
    cand.length = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      score[j] = Math.min(oneWay(i, j), oneWay(j, i));
      cand.push(j);
    }
    cand.sort((a, b) => score[a]! - score[b]! || a - b);
    for (let k = 0; k < g; k++) out[i * gamma + k] = cand[k]!;
  }
  return out;
}

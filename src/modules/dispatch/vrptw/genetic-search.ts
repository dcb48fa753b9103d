/**
 * Hybrid Genetic Search (Vidal et al. 2012; Vidal 2022 "HGS-CVRP") with time windows, for the
 * fast path (identical vehicles, no pairs) and a fleet capped at `maxRoutes`: giant-tour OX
 * crossover, limited-fleet Split, granular local search on a penalised objective, feasible and
 * infeasible subpopulations ranked by biased fitness (cost rank + diversity rank by broken-pairs
 * distance), adaptive penalties aiming at 20 % feasible offspring, and a 50 % repair of
 * infeasible offspring with tenfold penalties.
 */
import type { Problem } from './compile-instance.js';
import { granularNeighbours, LocalSearch } from './local-search.js';
import type { Random } from './random.js';
import type { SearchClock } from './search-clock.js';
import { GiantTourSplit } from './split-giant-tour.js';

interface Individual {
  readonly tour: Int32Array;
  readonly routes: Int32Array[];
  readonly succ: Int32Array;
  readonly pred: Int32Array;
  readonly distance: number;
  readonly excessLoad: number;
  readonly timeWarp: number;
  readonly feasible: boolean;
  cost: number;
  fitness: number;
  /** Broken-pairs distances to the other members of its subpopulation, increasing. */
  prox: { d: number; other: Individual }[];
}

export interface GeneticParams {
  mu: number;
  lambda: number;
  elite: number;
  close: number;
  gamma: number;
  targetFeasible: number;
  repairRate: number;
  /** Offspring between penalty updates. */
  penaltyPeriod: number;
}

export const DEFAULT_GENETIC: GeneticParams = {
  mu: 12,
  lambda: 20,
  elite: 4,
  close: 5,
  gamma: 20,
  targetFeasible: 0.2,
  repairRate: 0.5,
  penaltyPeriod: 20,
};

export interface GeneticResult {
  /** Best feasible routes (fewest routes, then distance), or null if none was found. */
  routes: Int32Array[] | null;
  distance: number;
}

export class GeneticSearch {
  private readonly p: Problem;
  private readonly rng: Random;
  private readonly params: GeneticParams;
  private readonly ls: LocalSearch;
  private readonly splitter: GiantTourSplit;
  private readonly feasiblePop: Individual[] = [];
  private readonly infeasiblePop: Individual[] = [];
  private wLoad: number;
  private wTime = 5;
  private readonly loadOk: number[] = [];
  private readonly timeOk: number[] = [];
  private best: Individual | null = null;
  private bestRoutes = Infinity;
  readonly maxRoutes: number;

  constructor(p: Problem, maxRoutes: number, rng: Random, params: GeneticParams = DEFAULT_GENETIC) {
    this.p = p;
    this.rng = rng;
    this.params = params;
    this.maxRoutes = maxRoutes;
    this.ls = new LocalSearch(p, maxRoutes, granularNeighbours(p, params.gamma), params.gamma);
    this.splitter = new GiantTourSplit(p, maxRoutes);
    let maxDist = 0;
    let maxDemand = 0;
    for (let i = 0; i < p.size * p.size; i++) maxDist = Math.max(maxDist, p.dist[i]!);
    for (let j = 0; j < p.n; j++) maxDemand = Math.max(maxDemand, p.demand[j]!);
    this.wLoad = maxDemand > 0 ? Math.max(0.1, Math.min(1000, maxDist / maxDemand)) : 1;
  }

  /** Adds a known feasible plan (job lists) to the population, polished by a feasibility-keeping local search. */
  seed(routes: readonly ArrayLike<number>[]): void {
    const seen = new Uint8Array(this.p.n);
    let count = 0;
    for (const r of routes) {
      for (let i = 0; i < r.length; i++) {
        if (seen[r[i]!]) return;
        seen[r[i]!] = 1;
        count++;
      }
    }
    if (count !== this.p.n || routes.length > this.maxRoutes) return;
    this.ls.load(routes);
    this.ls.run(this.rng, this.wLoad * 1000, this.wTime * 1000);
    const ind = this.capture();
    if (ind.feasible) this.insert(ind);
  }

  /** Runs until the clock says stop; returns the best feasible plan. */
  run(clock: SearchClock, initialCount: number): GeneticResult {
    const n = this.p.n;
    const tour = new Int32Array(n);
    const weight = this.generationSteps();
    for (let i = 0; i < initialCount && clock.tick(weight); i++) {
      for (let j = 0; j < n; j++) tour[j] = j;
      this.rng.shuffle(tour);
      this.ls.load(this.splitter.split(tour, this.wLoad, this.wTime));
      this.educate();
    }
    let iter = 0;
    while (clock.tick(weight)) {
      this.refresh();
      const a = this.tournament();
      let b = this.tournament();
      for (let t = 0; t < 3 && b === a; t++) b = this.tournament();
      const child = this.crossover(a.tour, b.tour);
      this.ls.load(this.splitter.split(child, this.wLoad, this.wTime));
      this.educate();
      if (++iter % this.params.penaltyPeriod === 0) this.managePenalties();
    }
    if (!this.best) return { routes: null, distance: Infinity };
    return { routes: this.best.routes, distance: this.best.distance };
  }

  /** Steps charged per generation: a local search costs about as much as 4n ruin-and-recreate moves. */
  generationSteps(): number {
    return 4 * this.p.n;
  }

  /** Local search on the loaded plan, then insertion (and maybe a repair with tenfold penalties). */
  private educate(): void {
    this.ls.run(this.rng, this.wLoad, this.wTime);
    const ind = this.capture();
    this.loadOk.push(ind.excessLoad < 1e-9 ? 1 : 0);
    this.timeOk.push(ind.timeWarp < 1e-9 ? 1 : 0);
    this.insert(ind);
    if (!ind.feasible && this.rng.next() < this.params.repairRate) {
      this.ls.run(this.rng, this.wLoad * 10, this.wTime * 10);
      const fixed = this.capture();
      if (fixed.feasible) this.insert(fixed);
    }
  }

  private capture(): Individual {
    const p = this.p;
    const routes = this.ls.exportRoutes();
    const { distance, excessLoad, timeWarp } = this.ls.measure();
    // Order routes by the polar angle of their barycentre (as HGS) so the giant tour is stable.
    if (p.coords) {
      const c = p.coords;
      const dx = c[2 * p.n]!;
      const dy = c[2 * p.n + 1]!;
      const angle = (r: Int32Array): number => {
        let x = 0;
        let y = 0;
        for (const j of r) {
          x += c[2 * j]!;
          y += c[2 * j + 1]!;
        }
        return Math.atan2(y / r.length - dy, x / r.length - dx);
      };
      const keyed = routes.map((r) => ({ r, a: angle(r) }));
      keyed.sort((u, v) => u.a - v.a);
      for (let i = 0; i < routes.length; i++) routes[i] = keyed[i]!.r;
    }
    const tour = new Int32Array(p.n);
    const succ = new Int32Array(p.n);
    const pred = new Int32Array(p.n);
    let t = 0;
    for (const r of routes) {
      for (let i = 0; i < r.length; i++) {
        const j = r[i]!;
        tour[t++] = j;
        pred[j] = i > 0 ? r[i - 1]! : -1;
        succ[j] = i + 1 < r.length ? r[i + 1]! : -1;
      }
    }
    const feasible = excessLoad < 1e-9 && timeWarp < 1e-7;
    const ind: Individual = {
      tour,
      routes,
      succ,
      pred,
      distance,
      excessLoad,
      timeWarp,
      feasible,
      cost: 0,
      fitness: 0,
      prox: [],
    };
    ind.cost = this.costOf(ind);
    if (
      feasible &&
      (routes.length < this.bestRoutes ||
        (routes.length === this.bestRoutes && distance < this.best!.distance - 1e-9))
    ) {
      this.best = ind;
      this.bestRoutes = routes.length;
    }
    return ind;
  }

  private costOf(ind: Individual): number {
    return ind.distance + this.wLoad * ind.excessLoad + this.wTime * ind.timeWarp;
  }

  private brokenPairs(a: Individual, b: Individual): number {
    let d = 0;
    const n = this.p.n;
    for (let j = 0; j < n; j++) {
      if (a.succ[j] !== b.succ[j] && a.succ[j] !== b.pred[j]) d++;
      if (a.pred[j] === -1 && b.pred[j] !== -1 && b.succ[j] !== -1) d++;
    }
    return d / n;
  }

  private insert(ind: Individual): void {
    const pop = ind.feasible ? this.feasiblePop : this.infeasiblePop;
    for (const other of pop) {
      const d = this.brokenPairs(ind, other);
      insertSorted(other.prox, { d, other: ind });
      insertSorted(ind.prox, { d, other });
    }
    let at = pop.length;
    while (at > 0 && pop[at - 1]!.cost > ind.cost) at--;
    pop.splice(at, 0, ind);
    if (pop.length > this.params.mu + this.params.lambda) {
      while (pop.length > this.params.mu) this.removeWorst(pop);
    }
  }

  private avgClose(ind: Individual, k: number): number {
    const m = Math.min(k, ind.prox.length);
    if (m === 0) return 0;
    let s = 0;
    for (let i = 0; i < m; i++) s += ind.prox[i]!.d;
    return s / m;
  }

  private updateFitness(pop: Individual[]): void {
    const size = pop.length;
    if (size === 0) return;
    if (size === 1) {
      pop[0]!.fitness = 0;
      return;
    }
    const byDiversity = pop.map((ind, i) => ({ i, div: this.avgClose(ind, this.params.close) }));
    byDiversity.sort((a, b) => b.div - a.div || a.i - b.i);
    const eliteShare = size <= this.params.elite ? 0 : 1 - this.params.elite / size;
    byDiversity.forEach(({ i }, rank) => {
      pop[i]!.fitness = i / (size - 1) + eliteShare * (rank / (size - 1));
    });
  }

  private removeWorst(pop: Individual[]): void {
    this.updateFitness(pop);
    let worst = 1;
    let worstClone = false;
    let worstFit = -Infinity;
    for (let i = 1; i < pop.length; i++) {
      const ind = pop[i]!;
      const clone = this.avgClose(ind, 1) < 1e-9;
      if ((clone && !worstClone) || (clone === worstClone && ind.fitness > worstFit)) {
        worst = i;
        worstClone = clone;
        worstFit = ind.fitness;
      }
    }
    const gone = pop[worst]!;
    pop.splice(worst, 1);
    for (const other of pop) {
      const idx = other.prox.findIndex((e) => e.other === gone);
      if (idx >= 0) other.prox.splice(idx, 1);
    }
  }

  private tournament(): Individual {
    const nf = this.feasiblePop.length;
    const total = nf + this.infeasiblePop.length;
    const pick = (): Individual => {
      const i = this.rng.int(total);
      return i < nf ? this.feasiblePop[i]! : this.infeasiblePop[i - nf]!;
    };
    const a = pick();
    const b = pick();
    return a.fitness < b.fitness ? a : b;
  }

  private crossover(a: Int32Array, b: Int32Array): Int32Array {
    const n = this.p.n;
    const child = new Int32Array(n);
    const taken = new Uint8Array(n);
    const start = this.rng.int(n);
    let end = this.rng.int(n);
    while (n > 1 && end === start) end = this.rng.int(n);
    let j = start;
    for (;;) {
      child[j] = a[j]!;
      taken[a[j]!] = 1;
      if (j === end) break;
      j = (j + 1) % n;
    }
    let w = (end + 1) % n;
    for (let i = 1; i <= n; i++) {
      const c = b[(end + i) % n]!;
      if (taken[c]) continue;
      child[w] = c;
      w = (w + 1) % n;
    }
    return child;
  }

  private managePenalties(): void {
    const target = this.params.targetFeasible;
    const adjust = (w: number, hist: number[]): number => {
      const frac = hist.reduce((s, v) => s + v, 0) / Math.max(1, hist.length);
      hist.length = 0;
      if (frac < target - 0.05) return Math.min(w * 1.2, 100000);
      if (frac > target + 0.05) return Math.max(w * 0.85, 0.1);
      return w;
    };
    this.wLoad = adjust(this.wLoad, this.loadOk);
    this.wTime = adjust(this.wTime, this.timeOk);
    for (const ind of this.infeasiblePop) ind.cost = this.costOf(ind);
    this.infeasiblePop.sort((x, y) => x.cost - y.cost);
    this.updateFitness(this.feasiblePop);
    this.updateFitness(this.infeasiblePop);
  }

  /** Refreshes biased fitness of both subpopulations (call before tournaments). */
  refresh(): void {
    this.updateFitness(this.feasiblePop);
    this.updateFitness(this.infeasiblePop);
  }
}

function insertSorted(list: { d: number; other: Individual }[], e: { d: number; other: Individual }): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.d > e.d) i--;
  list.splice(i, 0, e);
}

/**
 * `solve(instance, { timeLimitMs, seed })`: the routing solver's entry point. Hierarchical
 * objective — jobs served, then vehicles, then distance. Phases: greedy construction, fleet
 * minimisation (ruin-and-recreate with absence counters), then distance annealing with the fleet
 * capped. Anytime: it returns the best plan found when the budget runs out.
 */
import { annealDistance } from './anneal-distance.js';
import { compileInstance, type Problem } from './compile-instance.js';
import { GeneticSearch } from './genetic-search.js';
import type { Route, RoutingInstance, RoutingSolution, SolveOptions, Stop } from './model.js';
import { Random } from './random.js';
import { minimiseRoutes } from './route-minimisation.js';
import { RoutePlan } from './route-plan.js';
import { RuinRecreate } from './ruin-recreate.js';
import { SearchClock } from './search-clock.js';

/** Share of the budget given to fleet minimisation (it stops earlier at the capacity bound). */
const FLEET_BUDGET = {
  minShare: 0.15,
  maxShare: 0.5,
  patience: 2.5,
};

export function solve(instance: RoutingInstance, options: SolveOptions): RoutingSolution {
  const p = compileInstance(instance);
  const clock = new SearchClock(options.timeLimitMs, options.maxIterations);
  const rng = new Random(options.seed ?? 1);
  const rr = new RuinRecreate(p, rng);
  const plan = new RoutePlan(p);
  rr.recreate(plan, p.nv);
  const initialVehicles = plan.usedRoutes();
  const initialDistance = plan.distance();

  minimiseRoutes(p, plan, rr, rng, clock, FLEET_BUDGET, capacityLowerBound(p));
  const fast =
    p.homogeneous && !p.hasPairs && p.n >= 4 && p.servable.every((v) => v === 1) && plan.nUnassigned === 0;
  const saEnd = fast ? clock.progress() + (1 - clock.progress()) * 0.05 : 1;
  const scale = averageArc(p, plan);
  const snapshots: number[][][] = [];
  annealDistance(p, plan, rr, rng, clock, { t0: 0.1 * scale, t1: 0.001 * scale }, saEnd, snapshots, 20);
  if (fast) improveWithGeneticSearch(p, plan, rng, clock, snapshots);

  return toSolution(p, plan, {
    iterations: clock.steps,
    elapsedMs: clock.elapsedMs(),
    initialVehicles,
    initialDistance,
  });
}

/** Fast path: HGS with the fleet capped at the vehicles reached, seeded with the current plan. */
function improveWithGeneticSearch(
  p: Problem,
  plan: RoutePlan,
  rng: Random,
  clock: SearchClock,
  snapshots: number[][][],
): void {
  const current: number[][] = [];
  for (let k = 0; k < p.nv; k++) if (plan.len[k]! > 2) current.push(plan.routeJobs(k));
  const hgs = new GeneticSearch(p, current.length, rng);
  hgs.seed(current);
  for (const s of snapshots) if (s.length <= current.length && clock.tick(hgs.generationSteps())) hgs.seed(s);
  const res = hgs.run(clock, 5);
  if (!res.routes) return;
  const before = plan.distance();
  const vehicles = current.length;
  if (res.routes.length > vehicles || (res.routes.length === vehicles && res.distance >= before)) return;
  const trial = new RoutePlan(p);
  if (trial.loadRoutes(res.routes) && trial.nUnassigned === 0) plan.copyAllFrom(trial);
}

/** Vehicles needed by capacity alone (delivery demand over the largest capacity). */
function capacityLowerBound(p: Problem): number {
  let total = 0;
  for (let j = 0; j < p.n; j++) if (p.servable[j]) total += p.demand[j]!;
  let cap = 0;
  for (let k = 0; k < p.nv; k++) cap = Math.max(cap, p.capacity[k]!);
  if (total === 0) return 1;
  return cap > 0 && Number.isFinite(cap) ? Math.max(1, Math.ceil(total / cap - 1e-9)) : 1;
}

/** Average arc length of a plan: the unit of the annealing temperature. */
function averageArc(p: Problem, plan: RoutePlan): number {
  let arcs = 0;
  for (let k = 0; k < p.nv; k++) if (plan.len[k]! > 2) arcs += plan.len[k]! - 1;
  return arcs > 0 ? plan.distance() / arcs : 1;
}

function toSolution(p: Problem, plan: RoutePlan, stats: RoutingSolution['stats']): RoutingSolution {
  const routes: Route[] = [];
  const S = p.size;
  for (let k = 0; k < p.nv; k++) {
    const L = plan.len[k]!;
    if (L <= 2) continue;
    const b = k * plan.stride;
    const stops: Stop[] = [];
    let prev = plan.nodes[b]!;
    let leave = plan.est[b]!;
    for (let i = 1; i < L - 1; i++) {
      const j = plan.nodes[b + i]!;
      const arrival = leave + p.time[prev * S + j]!;
      const start = Math.max(arrival, p.ready[j]!);
      leave = start + p.service[j]!;
      stops.push({ job: j, arrival, start, departure: leave });
      prev = j;
    }
    const end = plan.nodes[b + L - 1]!;
    routes.push({
      vehicle: k,
      stops,
      departure: plan.est[b]!,
      returnTime: leave + p.time[prev * S + end]!,
      distance: plan.routeDist[k]!,
    });
  }
  const unassigned: number[] = [];
  for (let j = 0; j < p.n; j++) if (plan.routeOf[j]! < 0) unassigned.push(j);
  return { routes, unassigned, vehicles: routes.length, distance: plan.distance(), stats };
}

/**
 * Distance phase: simulated annealing over ruin-and-recreate moves with the fleet capped at the
 * vehicles already reached. A candidate that leaves more jobs out is never accepted; fewer jobs out
 * always is. The temperature falls geometrically with the search progress.
 */
import type { Problem } from './compile-instance.js';
import type { Random } from './random.js';
import { RoutePlan } from './route-plan.js';
import type { RuinRecreate } from './ruin-recreate.js';
import type { SearchClock } from './search-clock.js';

export interface AnnealParams {
  /** Start and end temperatures, in distance units. */
  t0: number;
  t1: number;
}

export function annealDistance(
  p: Problem,
  plan: RoutePlan,
  rr: RuinRecreate,
  rng: Random,
  clock: SearchClock,
  params: AnnealParams,
  endProgress = 1,
  snapshots: number[][][] | null = null,
  snapshotCount = 0,
): void {
  const cur = plan;
  const cand = new RoutePlan(p);
  const best = new RoutePlan(p);
  cand.copyAllFrom(cur);
  best.copyAllFrom(cur);
  cur.clearDirty();
  let maxRoutes = cur.usedRoutes();
  let curCost = cur.distance();
  let bestCost = curCost;
  const start = clock.progress();
  const span = Math.max(1e-9, endProgress - start);
  const ratio = params.t1 / params.t0;
  while (clock.progress() < endProgress && clock.tick()) {
    const prog = (clock.progress() - start) / span;
    if (snapshots && snapshots.length < prog * snapshotCount - 1) snapshots.push(routesOf(cur));
    const temp = params.t0 * Math.pow(ratio, prog);
    rr.ruin(cand);
    rr.recreate(cand, maxRoutes);
    const cost = cand.distance();
    let accept: boolean;
    if (cand.nUnassigned !== cur.nUnassigned) accept = cand.nUnassigned < cur.nUnassigned;
    else accept = cost < curCost - temp * Math.log(rng.next());
    if (!accept) {
      cand.restoreDirtyFrom(cur);
      continue;
    }
    cand.publishDirtyTo(cur);
    curCost = cost;
    const routes = cur.usedRoutes();
    if (
      cur.nUnassigned < best.nUnassigned ||
      (cur.nUnassigned === best.nUnassigned && (routes < maxRoutes || cost < bestCost - 1e-9))
    ) {
      best.copyAllFrom(cur);
      bestCost = cost;
      if (routes < maxRoutes) maxRoutes = routes;
    }
  }
  plan.copyAllFrom(best);
}

function routesOf(plan: RoutePlan): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < plan.p.nv; k++) if (plan.len[k]! > 2) out.push(plan.routeJobs(k));
  return out;
}

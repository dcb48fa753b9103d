/**
 * Fleet minimisation by ruin-and-recreate with absence counters (SISR §6): empty one route, then
 * search solutions that leave fewer jobs out — or jobs that were left out less often — until every
 * job fits again with one vehicle fewer; repeat. The best complete plan is kept.
 */
import type { Problem } from './compile-instance.js';
import type { Random } from './random.js';
import { RoutePlan } from './route-plan.js';
import type { RuinRecreate } from './ruin-recreate.js';
import type { SearchClock } from './search-clock.js';

export interface FleetBudget {
  /** Share of the search budget always granted (unless the lower bound is reached). */
  minShare: number;
  /** Share never exceeded. */
  maxShare: number;
  /** Stop once progress exceeds patience × progress at the last vehicle saved. */
  patience: number;
}

export function minimiseRoutes(
  p: Problem,
  plan: RoutePlan,
  rr: RuinRecreate,
  rng: Random,
  clock: SearchClock,
  budget: FleetBudget,
  lowerBound: number,
): void {
  if (plan.nUnassigned > 0) return;
  const best = new RoutePlan(p);
  best.copyAllFrom(plan);
  const cur = plan;
  const cand = new RoutePlan(p);
  const absences = new Float64Array(p.n);
  const sumAbsences = (s: RoutePlan): number => {
    let t = 0;
    for (let i = 0; i < s.nUnassigned; i++) t += absences[s.unassigned[i]!]!;
    return t;
  };
  let target = best.usedRoutes() - 1;
  if (target < lowerBound) return;
  removeRoute(cur, rng);
  cand.copyAllFrom(cur);
  cur.clearDirty();
  // Stop at maxShare, or earlier once no vehicle was saved for `patience` × the time of the last saving.
  let lastGain = 0;
  const endAt = (): number =>
    Math.min(budget.maxShare, Math.max(budget.minShare, budget.patience * lastGain));
  while (clock.progress() < endAt() && clock.tick()) {
    rr.ruin(cand);
    rr.recreate(cand, target);
    if (cand.nUnassigned < cur.nUnassigned || sumAbsences(cand) < sumAbsences(cur)) {
      cand.publishDirtyTo(cur);
      if (cur.nUnassigned === 0) {
        best.copyAllFrom(cur);
        lastGain = clock.progress();
        target = best.usedRoutes() - 1;
        if (target < lowerBound) break;
        removeRoute(cur, rng);
        cand.copyAllFrom(cur);
        cur.clearDirty();
      }
    } else {
      cand.restoreDirtyFrom(cur);
    }
    for (let i = 0; i < cur.nUnassigned; i++) absences[cur.unassigned[i]!]!++;
  }
  plan.copyAllFrom(best);
}

/** Empties a random non-empty route of the plan. */
function removeRoute(plan: RoutePlan, rng: Random): void {
  const nv = plan.p.nv;
  let pick = rng.int(plan.usedRoutes());
  for (let k = 0; k < nv; k++) {
    if (plan.len[k]! <= 2) continue;
    if (pick-- === 0) {
      plan.clearRoute(k);
      return;
    }
  }
}

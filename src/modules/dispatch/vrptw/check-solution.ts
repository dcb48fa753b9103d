/**
 * Independent feasibility checker: recomputes everything from the instance and the visit orders,
 * sharing no code with the solver's evaluation. Checks that each job is served exactly once (or is
 * declared unassigned), vehicles exist and are used once, capacity along the route, time windows
 * (waiting allowed), the return by the shift end, pickup-before-delivery on the same vehicle, and
 * recomputes the total distance (optionally compared with a claimed figure).
 */
import type { PlannedRoute, RoutingInstance } from './model.js';

export type ViolationKind =
  | 'unknown-job'
  | 'duplicate-job'
  | 'missing-job'
  | 'unknown-vehicle'
  | 'vehicle-reused'
  | 'capacity'
  | 'time-window'
  | 'shift-end'
  | 'pair-split'
  | 'pair-order'
  | 'distance-mismatch';

export interface Violation {
  readonly kind: ViolationKind;
  readonly message: string;
}

export interface CheckReport {
  readonly ok: boolean;
  readonly violations: readonly Violation[];
  /** Total distance recomputed from scratch. */
  readonly distance: number;
  /** Routes with at least one job. */
  readonly vehicles: number;
}

export interface CheckOptions {
  /** Jobs the solution declares unserved; any other job must be routed. */
  readonly unassigned?: readonly number[];
  /** Distance the solver reported; flagged when it differs by more than 1e-6 relative. */
  readonly claimedDistance?: number;
  /** Slack allowed on times and loads (floating point). Default 1e-6. */
  readonly tolerance?: number;
}

export function checkSolution(
  instance: RoutingInstance,
  routes: readonly PlannedRoute[],
  options: CheckOptions = {},
): CheckReport {
  const tol = options.tolerance ?? 1e-6;
  const violations: Violation[] = [];
  const flag = (kind: ViolationKind, message: string): void => {
    violations.push({ kind, message });
  };
  const jobs = instance.jobs;

  const between = (from: number, to: number, matrix: RoutingInstance['travelTime']): number => {
    if (from === to) return 0;
    if (matrix) return matrix[from]![to]!;
    const a = instance.locations![from]!;
    const b = instance.locations![to]!;
    return Math.hypot(a.x - b.x, a.y - b.y);
  };
  const travel = (from: number, to: number): number => between(from, to, instance.travelTime);
  const length = (from: number, to: number): number =>
    between(from, to, instance.distance ?? instance.travelTime);

  const pairOf = new Map<number, { mate: number; pickup: boolean; load: number }>();
  for (const pr of instance.pairs ?? []) {
    pairOf.set(pr.pickup, { mate: pr.delivery, pickup: true, load: pr.load ?? 0 });
    pairOf.set(pr.delivery, { mate: pr.pickup, pickup: false, load: pr.load ?? 0 });
  }

  const seen = new Map<number, { vehicle: number; index: number }>();
  const vehiclesUsed = new Set<number>();
  let total = 0;
  let used = 0;

  for (const route of routes) {
    const v = instance.vehicles[route.vehicle];
    if (!Number.isInteger(route.vehicle) || !v) {
      flag('unknown-vehicle', `route uses vehicle ${route.vehicle}, which does not exist`);
      continue;
    }
    if (vehiclesUsed.has(route.vehicle)) flag('vehicle-reused', `vehicle ${route.vehicle} has two routes`);
    vehiclesUsed.add(route.vehicle);
    if (route.jobs.length === 0) continue;
    used++;

    const valid = route.jobs.filter((j, index) => {
      if (!Number.isInteger(j) || j < 0 || j >= jobs.length) {
        flag('unknown-job', `vehicle ${route.vehicle} visits unknown job ${j}`);
        return false;
      }
      const before = seen.get(j);
      if (before)
        flag('duplicate-job', `job ${j} is visited by vehicle ${before.vehicle} and ${route.vehicle}`);
      else seen.set(j, { vehicle: route.vehicle, index });
      return true;
    });

    // Load: everything to deliver is on board when leaving the depot; pairs add load in between.
    let load = 0;
    for (const j of valid) load += jobs[j]!.demand ?? 0;
    if (load > v.capacity + tol) {
      flag('capacity', `vehicle ${route.vehicle} leaves with ${load} > capacity ${v.capacity}`);
    }
    let clock = v.shiftStart ?? 0;
    let here = v.startLocation;
    let dist = 0;
    let prevJob = -1;
    for (const j of valid) {
      const job = jobs[j]!;
      dist += length(here, job.location);
      const arrival =
        clock + (prevJob >= 0 ? (jobs[prevJob]!.serviceTime ?? 0) : 0) + travel(here, job.location);
      const start = Math.max(arrival, job.ready ?? 0);
      if (start > (job.due ?? Infinity) + tol) {
        flag(
          'time-window',
          `job ${j} (vehicle ${route.vehicle}) starts at ${start} after its due ${job.due}`,
        );
      }
      load -= job.demand ?? 0;
      const pr = pairOf.get(j);
      if (pr) load += pr.pickup ? pr.load : -pr.load;
      if (load > v.capacity + tol) {
        flag('capacity', `vehicle ${route.vehicle} carries ${load} > capacity ${v.capacity} after job ${j}`);
      }
      clock = start;
      here = job.location;
      prevJob = j;
    }
    dist += length(here, v.endLocation);
    const back = clock + (prevJob >= 0 ? (jobs[prevJob]!.serviceTime ?? 0) : 0) + travel(here, v.endLocation);
    if (back > (v.shiftEnd ?? Infinity) + tol) {
      flag('shift-end', `vehicle ${route.vehicle} is back at ${back} after its shift end ${v.shiftEnd}`);
    }
    total += dist;
  }

  const declared = new Set(options.unassigned ?? []);
  for (let j = 0; j < jobs.length; j++) {
    if (seen.has(j) && declared.has(j)) flag('duplicate-job', `job ${j} is routed and declared unassigned`);
    if (!seen.has(j) && !declared.has(j)) flag('missing-job', `job ${j} is not visited`);
  }

  for (const pr of instance.pairs ?? []) {
    const a = seen.get(pr.pickup);
    const b = seen.get(pr.delivery);
    if (!a && !b) continue;
    if (!a || !b || a.vehicle !== b.vehicle) {
      flag('pair-split', `pickup ${pr.pickup} and delivery ${pr.delivery} are not on one vehicle`);
    } else if (a.index > b.index) {
      flag('pair-order', `delivery ${pr.delivery} comes before pickup ${pr.pickup}`);
    }
  }

  if (options.claimedDistance !== undefined) {
    const diff = Math.abs(options.claimedDistance - total);
    if (diff > 1e-6 * Math.max(1, total)) {
      flag('distance-mismatch', `claimed distance ${options.claimedDistance}, recomputed ${total}`);
    }
  }
  return { ok: violations.length === 0, violations, distance: total, vehicles: used };
}

/**
 * Incremental assignment of a walk-in job (pure).
 *
 * `placeWalkIn` leaves every placed job where it is and puts the walk-in at its cheapest feasible
 * (technician, start): exact for that rule, since it is one job against a list of candidates.
 * `reoptimiseWithWalkIn` re-plans the movable placed jobs together with the walk-in (batch method, with a
 * bonus for keeping a placement) and accepts the result only if it keeps every placed job and is better
 * than `placeWalkIn`: re-optimising can never lose a booked job or cost more.
 */
import { missingSkills, noFreeTimeMessage, planJobs } from './assign-jobs.js';
import { costContext, costReasons, jobCost } from './job-costs.js';
import { candidateStarts, isQualified, remainingFreeTime, validateInputs } from './slot-candidates.js';
import type {
  AssignOptions,
  AssignmentPlan,
  DispatchJob,
  Interval,
  JobAssignment,
  PlacedJob,
  Technician,
  UnassignedJob,
} from './types.js';

/** The walk-in's placement, or why there is none. */
export type WalkInResult =
  | { readonly placed: true; readonly assignment: JobAssignment }
  | { readonly placed: false; readonly unassigned: UnassignedJob };

/** Places `walkIn` at least cost in the free time left by `placed`, moving nothing. */
export function placeWalkIn(
  walkIn: DispatchJob,
  technicians: readonly Technician[],
  placed: readonly PlacedJob[],
  options: AssignOptions = {},
): WalkInResult {
  const ctx = costContext(options);
  validateInputs([walkIn], technicians, ctx.slot, placed);
  const ts = [...technicians].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const free = remainingFreeTime(ts, placed);
  const qualified = ts.map((tech) => isQualified(walkIn, tech));
  if (!qualified.includes(true)) return { placed: false, unassigned: missingSkills(walkIn, ts) };

  let best: { tech: Technician; start: number; total: number } | null = null;
  for (let t = 0; t < ts.length; t++) {
    const tech = ts[t] as Technician;
    if (!qualified[t]) continue;
    for (const start of candidateStarts(walkIn, free[t] as Interval[], ctx.slot)) {
      const total = jobCost(walkIn, tech, start, ctx).total;
      // Ties: the earlier start, then the technician first by id (iteration order).
      if (best === null || total < best.total || (total === best.total && start < best.start)) {
        best = { tech, start, total };
      }
    }
  }
  if (best === null) {
    return {
      placed: false,
      unassigned: { jobId: walkIn.id, code: 'no_free_time', message: noFreeTimeMessage(walkIn) },
    };
  }
  const { tech, start } = best;
  const cost = jobCost(walkIn, tech, start, ctx);
  return {
    placed: true,
    assignment: {
      jobId: walkIn.id,
      technicianId: tech.id,
      start,
      end: start + walkIn.durationMin,
      cost,
      reasons: costReasons(walkIn, tech, start, cost, ctx),
    },
  };
}

/** Options of {@link reoptimiseWithWalkIn}. */
export interface ReoptimiseOptions extends AssignOptions {
  /** Bonus for a placed job that keeps its technician and start (default 30). */
  readonly stabilityBonus?: number;
  /** Placed jobs that must not move (e.g. already started). Placed jobs without a definition never move. */
  readonly pinnedJobIds?: readonly string[];
}

/** A placed job that the re-optimisation moved. */
export interface MovedJob {
  readonly jobId: string;
  readonly from: PlacedJob;
  readonly to: PlacedJob;
}

/** Result of {@link reoptimiseWithWalkIn}. */
export interface ReoptimiseResult {
  /** `reoptimised` when the re-plan was adopted, `kept` when placing the walk-in alone was as good. */
  readonly strategy: 'reoptimised' | 'kept';
  /** The movable placed jobs and the walk-in, as planned (pinned jobs are not listed). */
  readonly plan: AssignmentPlan;
  readonly moved: readonly MovedJob[];
}

/**
 * Re-plans the movable placed jobs (those with a definition in `placedJobs` and not pinned) together
 * with `walkIn`; falls back to {@link placeWalkIn} unless that keeps every placed job and is better.
 */
export function reoptimiseWithWalkIn(
  walkIn: DispatchJob,
  technicians: readonly Technician[],
  placed: readonly PlacedJob[],
  placedJobs: readonly DispatchJob[],
  options: ReoptimiseOptions = {},
): ReoptimiseResult {
  const ctx = costContext(options);
  const bonus = options.stabilityBonus ?? 30;
  const defs = new Map(placedJobs.map((j) => [j.id, j]));
  const pinned = new Set(options.pinnedJobIds ?? []);
  const movable = placed.filter((p) => defs.has(p.jobId) && !pinned.has(p.jobId));
  const busy = placed.filter((p) => !movable.includes(p));
  const current = new Map(movable.map((p) => [p.jobId, p]));
  const techById = new Map(technicians.map((t) => [t.id, t]));

  // Baseline: everything stays, the walk-in goes where it fits best.
  const single = placeWalkIn(walkIn, technicians, placed, options);
  const keptAssignments: JobAssignment[] = movable.map((p) => {
    const job = defs.get(p.jobId) as DispatchJob;
    const tech = techById.get(p.technicianId) as Technician;
    const cost = jobCost(job, tech, p.start, ctx, bonus);
    return { ...p, cost, reasons: costReasons(job, tech, p.start, cost, ctx) };
  });
  if (single.placed) keptAssignments.push(single.assignment);
  keptAssignments.sort(
    (a, b) =>
      (a.technicianId < b.technicianId ? -1 : a.technicianId > b.technicianId ? 1 : 0) || a.start - b.start,
  );
  const keptCost = keptAssignments.reduce((s, a) => s + a.cost.total, 0);
  const keptPlan: AssignmentPlan = {
    assignments: keptAssignments,
    unassigned: single.placed ? [] : [single.unassigned],
    totalCost: keptCost,
    quality: {
      relaxationAssigned: keptAssignments.length,
      relaxationCost: keptCost,
      provenOptimal: false,
      rounds: 0,
    },
  };

  const plan = planJobs(
    [...movable.map((p) => defs.get(p.jobId) as DispatchJob), walkIn],
    technicians,
    options,
    {
      busy,
      current,
      stabilityBonus: bonus,
    },
  );
  const placedIds = new Set(plan.assignments.map((a) => a.jobId));
  const keepsAll = movable.every((p) => placedIds.has(p.jobId));
  const better =
    plan.assignments.length > keptAssignments.length ||
    (plan.assignments.length === keptAssignments.length && plan.totalCost < keptCost);
  if (!keepsAll || !better) return { strategy: 'kept', plan: keptPlan, moved: [] };

  const moved: MovedJob[] = [];
  for (const a of plan.assignments) {
    const from = current.get(a.jobId);
    if (from !== undefined && (from.technicianId !== a.technicianId || from.start !== a.start)) {
      moved.push({
        jobId: a.jobId,
        from,
        to: { jobId: a.jobId, technicianId: a.technicianId, start: a.start, end: a.end },
      });
    }
  }
  return { strategy: 'reoptimised', plan, moved };
}

/**
 * Batch assignment of waiting jobs to technicians' free time (pure).
 *
 * Approach: "relax, solve, repair".
 * 1. Every (technician, grid start) where some pending job fits is a column; a job's row allows the
 *    columns of qualified technicians whose free time holds the whole job within its start window
 *    (skills, certifications, windows and free time are hard constraints: forbidden entries).
 * 2. The linear assignment solver (JV) finds the most jobs that can be placed, then the least total cost.
 *    That problem only forbids two jobs on the same start slot, not overlapping ones: it is a relaxation.
 * 3. Per technician, the largest, then cheapest, set of non-overlapping picks is kept (weighted interval
 *    scheduling) and committed; its time leaves the free time; the other jobs are solved again.
 *
 * What "optimal" means: objective = (most jobs placed, then least total cost). The first round's
 * optimum bounds every plan; when no technician got overlapping picks in that round (typical when jobs
 * are short against free time) the plan *is* that optimum and `quality.provenOptimal` is true.
 * Otherwise the repair rounds are a heuristic (the exact problem, parallel-machine scheduling with
 * time windows, is NP-hard) and `quality` shows the bound to compare with.
 *
 * Costs are static per (job, technician, start): the load term uses the load given on input, not the
 * load this batch adds, and travel is from the technician's given location, not from the previous job.
 */
import { solveLapJv } from './lap-jv.js';
import { costContext, costReasons, jobCost, type CostContext } from './job-costs.js';
import {
  candidateStarts,
  isQualified,
  remainingFreeTime,
  subtractInterval,
  validateInputs,
} from './slot-candidates.js';
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

/** Assigns `jobs` to the technicians' free time; see the module comment for the method. */
export function assignJobs(
  jobs: readonly DispatchJob[],
  technicians: readonly Technician[],
  options: AssignOptions = {},
): AssignmentPlan {
  return planJobs(jobs, technicians, options, {});
}

/** Extra inputs of the re-optimisation entry. */
export interface PlanContext {
  /** Jobs that stay where they are: their time is taken out of the free time. */
  readonly busy?: readonly PlacedJob[];
  /** Previous placements, by job id, rewarded with `stabilityBonus` when kept exactly. */
  readonly current?: ReadonlyMap<string, PlacedJob>;
  readonly stabilityBonus?: number;
}

interface Pick {
  readonly job: number;
  readonly tech: number;
  readonly start: number;
  readonly end: number;
  readonly cost: number;
}

/** {@link assignJobs} with busy time and a bonus for keeping previous placements. */
export function planJobs(
  jobs: readonly DispatchJob[],
  technicians: readonly Technician[],
  options: AssignOptions,
  context: PlanContext,
): AssignmentPlan {
  const ctx = costContext(options);
  validateInputs(jobs, technicians, ctx.slot, context.busy ?? []);
  // Sorting by id makes the plan independent of input order.
  const js = [...jobs].sort((a, b) => cmp(a.id, b.id));
  const ts = [...technicians].sort((a, b) => cmp(a.id, b.id));
  const free = remainingFreeTime(ts, context.busy ?? []);
  const stability = (job: DispatchJob, tech: Technician, start: number): number => {
    const cur = context.current?.get(job.id);
    return cur !== undefined && cur.technicianId === tech.id && cur.start === start
      ? (context.stabilityBonus ?? 0)
      : 0;
  };
  const costOf = (j: number, t: number, start: number): number => {
    const job = js[j] as DispatchJob;
    const tech = ts[t] as Technician;
    return jobCost(job, tech, start, ctx, stability(job, tech, start)).total;
  };

  const unassigned: UnassignedJob[] = [];
  const qualified: number[][] = js.map((job) => ts.flatMap((tech, t) => (isQualified(job, tech) ? [t] : [])));
  let pending: number[] = [];
  js.forEach((job, j) => {
    if ((qualified[j] as number[]).length === 0) unassigned.push(missingSkills(job, ts));
    else pending.push(j);
  });

  const committed: Pick[] = [];
  let relaxationAssigned = 0;
  let relaxationCost = 0;
  let rounds = 0;
  let conflictFree = true;
  while (pending.length > 0) {
    rounds++;
    const round = solveRound(pending, qualified, js, free, ctx.slot, costOf);
    for (const j of round.noCandidates) {
      const job = js[j] as DispatchJob;
      unassigned.push(
        rounds === 1
          ? { jobId: job.id, code: 'no_free_time', message: noFreeTimeMessage(job) }
          : { jobId: job.id, code: 'capacity', message: capacityMessage(job) },
      );
    }
    if (rounds === 1) {
      relaxationAssigned = round.picks.length;
      relaxationCost = round.picks.reduce((s, p) => s + p.cost, 0);
    }
    const kept = keepNonOverlapping(round.picks);
    for (const p of kept) {
      committed.push(p);
      free[p.tech] = subtractInterval(free[p.tech] as Interval[], p);
    }
    const keptJobs = new Set(kept.map((p) => p.job));
    const stillPending = round.solvable.filter((j) => !keptJobs.has(j));
    if (kept.length === round.picks.length) {
      // No overlap: jobs the relaxation left out cannot fit any later round either (their columns were
      // all taken by the committed picks, or adding one would have enlarged the assignment).
      for (const j of stillPending) {
        const job = js[j] as DispatchJob;
        unassigned.push({ jobId: job.id, code: 'capacity', message: capacityMessage(job) });
      }
      pending = [];
    } else {
      conflictFree = false;
      pending = stillPending;
    }
  }

  const assignments = committed
    .map((p) => toAssignment(p, js, ts, ctx, stability))
    .sort((a, b) => cmp(a.technicianId, b.technicianId) || a.start - b.start);
  const totalCost = assignments.reduce((s, a) => s + a.cost.total, 0);
  unassigned.sort((a, b) => cmp(a.jobId, b.jobId));
  const meetsBound = assignments.length === relaxationAssigned && totalCost === relaxationCost;
  return {
    assignments,
    unassigned,
    totalCost,
    quality: {
      relaxationAssigned,
      relaxationCost,
      provenOptimal: conflictFree || meetsBound,
      rounds,
    },
  };
}

interface RoundResult {
  /** Jobs with at least one column this round. */
  readonly solvable: number[];
  /** Jobs with none (final). */
  readonly noCandidates: number[];
  /** The assignment's picks (a job at most once, a column at most once). */
  readonly picks: Pick[];
}

/** Builds the jobs × (technician, start) matrix for `pending` and solves it. */
function solveRound(
  pending: readonly number[],
  qualified: readonly number[][],
  js: readonly DispatchJob[],
  free: readonly Interval[][],
  slot: number,
  costOf: (j: number, t: number, start: number) => number,
): RoundResult {
  // Candidate starts per (job, technician), and the union per technician as columns, in a fixed order.
  const starts = new Map<number, Map<number, number[]>>();
  const perTech = new Map<number, Set<number>>();
  for (const j of pending) {
    const byTech = new Map<number, number[]>();
    for (const t of qualified[j] as number[]) {
      const ss = candidateStarts(js[j] as DispatchJob, free[t] as Interval[], slot);
      if (ss.length === 0) continue;
      byTech.set(t, ss);
      let set = perTech.get(t);
      if (set === undefined) perTech.set(t, (set = new Set()));
      for (const s of ss) set.add(s);
    }
    starts.set(j, byTech);
  }
  const columns: { tech: number; start: number }[] = [];
  const colIndex = new Map<number, Map<number, number>>();
  for (const t of [...perTech.keys()].sort((a, b) => a - b)) {
    const idx = new Map<number, number>();
    for (const s of [...(perTech.get(t) as Set<number>)].sort((a, b) => a - b)) {
      idx.set(s, columns.length);
      columns.push({ tech: t, start: s });
    }
    colIndex.set(t, idx);
  }

  const solvable = pending.filter((j) => (starts.get(j) as Map<number, number[]>).size > 0);
  const noCandidates = pending.filter((j) => (starts.get(j) as Map<number, number[]>).size === 0);
  const n = solvable.length;
  const m = Math.max(columns.length, n);
  if (n === 0) return { solvable, noCandidates, picks: [] };
  const costs = new Float64Array(n * m).fill(Infinity);
  solvable.forEach((j, r) => {
    for (const [t, ss] of starts.get(j) as Map<number, number[]>) {
      const idx = colIndex.get(t) as Map<number, number>;
      for (const s of ss) costs[r * m + (idx.get(s) as number)] = costOf(j, t, s);
    }
  });
  const sol = solveLapJv(costs, n, m, { strategy: 'dense' });
  const picks: Pick[] = [];
  solvable.forEach((j, r) => {
    const c = sol.rowToCol[r] as number;
    if (c < 0) return;
    const col = columns[c] as { tech: number; start: number };
    picks.push({
      job: j,
      tech: col.tech,
      start: col.start,
      end: col.start + (js[j] as DispatchJob).durationMin,
      cost: costs[r * m + c] as number,
    });
  });
  return { solvable, noCandidates, picks };
}

/**
 * Per technician, the non-overlapping subset of `picks` with the most jobs, then the least cost
 * (weighted interval scheduling by dynamic programming over picks sorted by end).
 */
export function keepNonOverlapping(picks: readonly Pick[]): Pick[] {
  const byTech = new Map<number, Pick[]>();
  for (const p of picks) {
    let list = byTech.get(p.tech);
    if (list === undefined) byTech.set(p.tech, (list = []));
    list.push(p);
  }
  const kept: Pick[] = [];
  for (const list of byTech.values()) {
    list.sort((a, b) => a.end - b.end || a.start - b.start || a.job - b.job);
    // best[k]: best subset of the first k picks, as (count, cost, chosen-at-k flag, predecessor length).
    const count = new Array<number>(list.length + 1).fill(0);
    const cost = new Array<number>(list.length + 1).fill(0);
    const take = new Array<boolean>(list.length + 1).fill(false);
    const prev = new Array<number>(list.length + 1).fill(0);
    for (let k = 1; k <= list.length; k++) {
      const p = list[k - 1] as Pick;
      // Largest q < k whose pick ends by p's start (ends are sorted).
      let q = k - 1;
      while (q > 0 && (list[q - 1] as Pick).end > p.start) q--;
      const withCount = (count[q] as number) + 1;
      const withCost = (cost[q] as number) + p.cost;
      const better =
        withCount > (count[k - 1] as number) ||
        (withCount === count[k - 1] && withCost < (cost[k - 1] as number));
      count[k] = better ? withCount : (count[k - 1] as number);
      cost[k] = better ? withCost : (cost[k - 1] as number);
      take[k] = better;
      prev[k] = q;
    }
    for (let k = list.length; k > 0;) {
      if (take[k]) {
        kept.push(list[k - 1] as Pick);
        k = prev[k] as number;
      } else {
        k--;
      }
    }
  }
  return kept;
}

function toAssignment(
  p: Pick,
  js: readonly DispatchJob[],
  ts: readonly Technician[],
  ctx: CostContext,
  stability: (job: DispatchJob, tech: Technician, start: number) => number,
): JobAssignment {
  const job = js[p.job] as DispatchJob;
  const tech = ts[p.tech] as Technician;
  const cost = jobCost(job, tech, p.start, ctx, stability(job, tech, p.start));
  return {
    jobId: job.id,
    technicianId: tech.id,
    start: p.start,
    end: p.end,
    cost,
    reasons: costReasons(job, tech, p.start, cost, ctx),
  };
}

/** The `missing_skills` entry: names requirements nobody has, or says none has them all. */
export function missingSkills(job: DispatchJob, ts: readonly Technician[]): UnassignedJob {
  const skills = new Set(ts.flatMap((t) => t.skills));
  const certs = new Set(ts.flatMap((t) => t.certs ?? []));
  const missing = [
    ...(job.requiredSkills ?? []).filter((s) => !skills.has(s)).map((s) => `skill ${s}`),
    ...(job.requiredCerts ?? []).filter((c) => !certs.has(c)).map((c) => `certification ${c}`),
  ];
  const message =
    missing.length > 0
      ? `Job ${job.id}: no technician has ${missing.join(', ')}`
      : `Job ${job.id}: no single technician has all of its required skills and certifications`;
  return { jobId: job.id, code: 'missing_skills', message };
}

export function noFreeTimeMessage(job: DispatchJob): string {
  return `Job ${job.id}: no qualified technician has ${job.durationMin} free minutes starting between ${job.earliestStart} and ${job.latestStart}`;
}

function capacityMessage(job: DispatchJob): string {
  return `Job ${job.id}: every slot where it fits went to other jobs`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

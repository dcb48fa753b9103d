/** Test data for the assignment tests: factories and a fast-check world generator (test-only). */
import fc from 'fast-check';
import { isQualified, normalizeIntervals } from './slot-candidates.js';
import type { AssignmentPlan, DispatchJob, Interval, Technician } from './types.js';

/** 2025-01-06 08:00 UTC in minutes since the epoch (a multiple of 15). */
export const DAY_8AM = 28_935_840;

export function newTechnician(overrides: Partial<Technician> & { id: string }): Technician {
  return {
    skills: ['general'],
    certs: [],
    rating: 4,
    loadMin: 0,
    free: [{ start: DAY_8AM, end: DAY_8AM + 8 * 60 }],
    ...overrides,
  };
}

export function newJob(overrides: Partial<DispatchJob> & { id: string }): DispatchJob {
  return {
    requiredSkills: ['general'],
    durationMin: 60,
    earliestStart: DAY_8AM,
    latestStart: DAY_8AM + 8 * 60,
    ...overrides,
  };
}

const SKILLS = ['brakes', 'ev', 'tyres'] as const;

/** Small random worlds: up to `maxTechs` technicians and `maxJobs` jobs within a few hours. */
export function worldArbitrary(
  maxTechs: number,
  maxJobs: number,
  hours: number,
): fc.Arbitrary<{ techs: Technician[]; jobs: DispatchJob[] }> {
  const slots = hours * 4;
  const interval = fc
    .tuple(fc.integer({ min: 0, max: slots - 1 }), fc.integer({ min: 1, max: slots }))
    .map(([a, len]): Interval => ({ start: DAY_8AM + a * 15, end: DAY_8AM + Math.min(slots, a + len) * 15 }));
  const tech = fc.record({
    skills: fc.subarray([...SKILLS]),
    certs: fc.subarray(['hv']),
    rating: fc.integer({ min: 0, max: 10 }).map((r) => r / 2),
    loadMin: fc.integer({ min: 0, max: 8 }).map((h) => h * 60),
    free: fc.array(interval, { minLength: 0, maxLength: 2 }),
  });
  const job = fc.record({
    requiredSkills: fc.subarray([...SKILLS], { maxLength: 2 }),
    requiredCerts: fc.subarray(['hv']),
    durationMin: fc.constantFrom(15, 30, 40, 60, 90),
    earliest: fc.integer({ min: 0, max: slots * 15 }),
    window: fc.integer({ min: 0, max: 120 }),
    preferred: fc.integer({ min: -1, max: maxTechs - 1 }),
  });
  return fc
    .record({
      techs: fc.array(tech, { minLength: 1, maxLength: maxTechs }),
      jobs: fc.array(job, { minLength: 0, maxLength: maxJobs }),
    })
    .map(({ techs, jobs }) => ({
      techs: techs.map((t, k) => newTechnician({ id: `tc_${k}`, ...t })),
      jobs: jobs.map((j, k) =>
        newJob({
          id: `jb_${k}`,
          requiredSkills: j.requiredSkills,
          requiredCerts: j.requiredCerts,
          durationMin: j.durationMin,
          earliestStart: DAY_8AM + j.earliest,
          latestStart: DAY_8AM + j.earliest + j.window,
          ...(j.preferred >= 0 ? { preferredTechnicianId: `tc_${j.preferred}` } : {}),
        }),
      ),
    }));
}

/** Throws unless every hard constraint of the plan holds (skills, windows, free time, no overlap). */
export function checkPlanFeasible(
  plan: AssignmentPlan,
  jobs: readonly DispatchJob[],
  techs: readonly Technician[],
): void {
  const jobById = new Map(jobs.map((j) => [j.id, j]));
  const techById = new Map(techs.map((t) => [t.id, t]));
  const seen = new Set<string>();
  for (const a of plan.assignments) {
    const job = jobById.get(a.jobId);
    const tech = techById.get(a.technicianId);
    if (job === undefined || tech === undefined) throw new Error(`unknown job or technician in ${a.jobId}`);
    if (seen.has(a.jobId)) throw new Error(`job ${a.jobId} placed twice`);
    seen.add(a.jobId);
    if (!isQualified(job, tech)) throw new Error(`job ${a.jobId} on unqualified ${tech.id}`);
    if (a.start < job.earliestStart || a.start > job.latestStart)
      throw new Error(`job ${a.jobId} outside window`);
    if (a.start % 15 !== 0) throw new Error(`job ${a.jobId} off the grid`);
    if (a.end !== a.start + job.durationMin) throw new Error(`job ${a.jobId} has the wrong end`);
    const inside = normalizeIntervals(tech.free).some((iv) => iv.start <= a.start && a.end <= iv.end);
    if (!inside) throw new Error(`job ${a.jobId} outside ${tech.id}'s free time`);
  }
  for (const u of plan.unassigned) {
    if (seen.has(u.jobId)) throw new Error(`job ${u.jobId} both placed and unassigned`);
    seen.add(u.jobId);
  }
  if (seen.size !== jobs.length) throw new Error(`plan covers ${seen.size} of ${jobs.length} jobs`);
  const byTech = new Map<string, { start: number; end: number }[]>();
  for (const a of plan.assignments) {
    const list = byTech.get(a.technicianId) ?? [];
    list.push(a);
    byTech.set(a.technicianId, list);
  }
  for (const [tech, list] of byTech) {
    list.sort((p, q) => p.start - q.start);
    for (let k = 1; k < list.length; k++) {
      if ((list[k] as Interval).start < (list[k - 1] as Interval).end) throw new Error(`overlap on ${tech}`);
    }
  }
}

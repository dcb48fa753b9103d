import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignJobs, keepNonOverlapping } from './assign-jobs.js';
import { costContext, jobCost } from './job-costs.js';
import { candidateStarts, isQualified, normalizeIntervals } from './slot-candidates.js';
import { checkPlanFeasible, DAY_8AM, newJob, newTechnician, worldArbitrary } from './test-factories.js';
import type { DispatchJob, Technician } from './types.js';

/** Exhaustive best (most jobs, then least cost) over all feasible plans of a tiny world. */
function bruteForcePlan(
  jobs: readonly DispatchJob[],
  techs: readonly Technician[],
): { count: number; cost: number } {
  const ctx = costContext({});
  const options = jobs.map((job) =>
    techs.flatMap((tech) =>
      isQualified(job, tech)
        ? candidateStarts(job, normalizeIntervals(tech.free), 15).map((start) => ({
            tech: tech.id,
            start,
            end: start + job.durationMin,
            cost: jobCost(job, tech, start, ctx).total,
          }))
        : [],
    ),
  );
  let best = { count: -1, cost: Infinity };
  const chosen: { tech: string; start: number; end: number }[] = [];
  const walk = (k: number, count: number, cost: number): void => {
    if (k === jobs.length) {
      if (count > best.count || (count === best.count && cost < best.cost)) best = { count, cost };
      return;
    }
    walk(k + 1, count, cost);
    for (const o of options[k] ?? []) {
      if (chosen.some((c) => c.tech === o.tech && c.start < o.end && o.start < c.end)) continue;
      chosen.push(o);
      walk(k + 1, count + 1, cost + o.cost);
      chosen.pop();
    }
  };
  walk(0, 0, 0);
  return best;
}

describe('assignJobs', () => {
  it('places jobs by skills and explains the choice', () => {
    const techs = [
      newTechnician({ id: 'tc_ann', skills: ['brakes', 'ev'], certs: ['hv'], rating: 4.5, loadMin: 120 }),
      newTechnician({ id: 'tc_bob', skills: ['brakes'], rating: 5 }),
    ];
    const jobs = [
      newJob({ id: 'jb_ev', requiredSkills: ['ev'], requiredCerts: ['hv'], durationMin: 90 }),
      newJob({
        id: 'jb_brake',
        requiredSkills: ['brakes'],
        durationMin: 60,
        preferredTechnicianId: 'tc_ann',
      }),
      newJob({ id: 'jb_paint', requiredSkills: ['paint'] }),
    ];
    const plan = assignJobs(jobs, techs);
    checkPlanFeasible(plan, jobs, techs);
    // Continuity (−40) outweighs Ann's rating and load (+30): the brake job follows its customer's
    // technician at 08:00, and the EV job (Ann alone is qualified) waits until 09:00.
    expect(plan.assignments.map((a) => [a.jobId, a.technicianId, a.start - DAY_8AM])).toEqual([
      ['jb_brake', 'tc_ann', 0],
      ['jb_ev', 'tc_ann', 60],
    ]);
    const ev = plan.assignments[1];
    expect(ev?.cost).toEqual({
      rating: 10,
      load: 20,
      delay: 8,
      continuity: 0,
      travel: 0,
      stability: 0,
      total: 38,
    });
    expect(ev?.reasons).toEqual([
      'has the required skills and certifications',
      'rating 4.5/5: +10',
      'current load 2.0 h: +20',
      'starts 60 min after earliest start: +8',
    ]);
    expect(plan.totalCost).toBe(28);
    expect(plan.unassigned).toEqual([
      { jobId: 'jb_paint', code: 'missing_skills', message: 'Job jb_paint: no technician has skill paint' },
    ]);
    // Round 1 put both on Ann at 08:00 and 08:15 (cost 22): overlapping, so a repair round was needed and
    // optimality is not claimed (28 is in fact optimal here: the alternatives cost 30 and 32).
    expect(plan.quality).toEqual({
      relaxationAssigned: 2,
      relaxationCost: 22,
      provenOptimal: false,
      rounds: 2,
    });
  });

  it('proves optimality when the first round has no overlap', () => {
    const techs = [newTechnician({ id: 'tc_1' }), newTechnician({ id: 'tc_2', rating: 5 })];
    const jobs = [
      newJob({ id: 'jb_1', latestStart: DAY_8AM }),
      newJob({ id: 'jb_2', earliestStart: DAY_8AM + 120, latestStart: DAY_8AM + 120 }),
    ];
    const plan = assignJobs(jobs, techs);
    expect(plan.assignments.map((a) => a.technicianId)).toEqual(['tc_2', 'tc_2']);
    expect(plan.quality).toEqual({
      relaxationAssigned: 2,
      relaxationCost: 0,
      provenOptimal: true,
      rounds: 1,
    });
  });

  it('never overlaps two jobs on one technician, and says why a job is left out', () => {
    const techs = [newTechnician({ id: 'tc_1', free: [{ start: DAY_8AM, end: DAY_8AM + 120 }] })];
    const jobs = ['a', 'b', 'c'].map((k) =>
      newJob({ id: `jb_${k}`, durationMin: 60, latestStart: DAY_8AM + 60 }),
    );
    const plan = assignJobs(jobs, techs);
    checkPlanFeasible(plan, jobs, techs);
    expect(plan.assignments.map((a) => a.start)).toEqual([DAY_8AM, DAY_8AM + 60]);
    expect(plan.unassigned).toHaveLength(1);
    expect(plan.unassigned[0]?.code).toBe('capacity');
  });

  it('reports no_free_time when qualified technicians have no fitting window', () => {
    const techs = [newTechnician({ id: 'tc_1', free: [{ start: DAY_8AM, end: DAY_8AM + 45 }] })];
    const plan = assignJobs([newJob({ id: 'jb_long', durationMin: 60 })], techs);
    expect(plan.unassigned[0]?.code).toBe('no_free_time');
  });

  it('uses travel minutes when both locations are known', () => {
    const techs = [
      newTechnician({ id: 'tc_far', rating: 5, location: { lon: 121.6, lat: 31.2 } }),
      newTechnician({ id: 'tc_near', rating: 5, location: { lon: 121.47, lat: 31.23 } }),
    ];
    const job = newJob({ id: 'jb_1', location: { lon: 121.48, lat: 31.23 } });
    const plan = assignJobs([job], techs);
    expect(plan.assignments[0]?.technicianId).toBe('tc_near');
    expect(plan.assignments[0]?.reasons.some((r) => r.startsWith('travel 2 min'))).toBe(true);
  });

  it('rejects malformed input with dispatch.invalid_input', () => {
    const tech = newTechnician({ id: 'tc_1' });
    expect(() => assignJobs([newJob({ id: 'jb_1', durationMin: 0 })], [tech])).toThrow(/duration/);
    expect(() => assignJobs([newJob({ id: 'jb_1' }), newJob({ id: 'jb_1' })], [tech])).toThrow(/twice/);
    expect(() =>
      assignJobs([], [newTechnician({ id: 'tc_2', free: [{ start: DAY_8AM + 5, end: DAY_8AM + 60 }] })]),
    ).toThrow(/grid/);
    expect(() => assignJobs([], [newTechnician({ id: 'tc_3', rating: 6 })])).toThrow(/rating/);
  });

  it('keeps the most, then cheapest, non-overlapping picks per technician', () => {
    const kept = keepNonOverlapping([
      { job: 0, tech: 0, start: 0, end: 90, cost: 1 },
      { job: 1, tech: 0, start: 15, end: 45, cost: 5 },
      { job: 2, tech: 0, start: 45, end: 75, cost: 5 },
      { job: 3, tech: 1, start: 0, end: 60, cost: 3 },
    ]);
    expect(kept.map((p) => p.job).sort()).toEqual([1, 2, 3]);
  });

  it('respects every hard constraint on random worlds', () => {
    fc.assert(
      fc.property(worldArbitrary(4, 10, 6), ({ techs, jobs }) => {
        const plan = assignJobs(jobs, techs);
        checkPlanFeasible(plan, jobs, techs);
        for (const u of plan.unassigned) {
          const job = jobs.find((j) => j.id === u.jobId) as DispatchJob;
          const qualified = techs.filter((t) => isQualified(job, t));
          const fits = qualified.some((t) => candidateStarts(job, normalizeIntervals(t.free), 15).length > 0);
          if (u.code === 'missing_skills') expect(qualified).toHaveLength(0);
          if (u.code === 'no_free_time') expect(qualified.length > 0 && !fits).toBe(true);
          if (u.code === 'capacity') expect(fits).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic and independent of input order', () => {
    fc.assert(
      fc.property(worldArbitrary(4, 8, 6), fc.integer(), ({ techs, jobs }, salt) => {
        const plan = assignJobs(jobs, techs);
        expect(assignJobs(jobs, techs)).toEqual(plan);
        const shuffle = <T>(xs: readonly T[]): T[] =>
          xs
            .map((x, k) => ({ x, key: Math.imul(k + 1, 2654435761 ^ salt) >>> 0 }))
            .sort((a, b) => a.key - b.key)
            .map((e) => e.x);
        expect(assignJobs(shuffle(jobs), shuffle(techs))).toEqual(plan);
      }),
      { numRuns: 100 },
    );
  });

  it('is optimal whenever it says so, and its bound is never beaten (brute force)', () => {
    fc.assert(
      fc.property(worldArbitrary(3, 4, 3), ({ techs, jobs }) => {
        const plan = assignJobs(jobs, techs);
        const best = bruteForcePlan(jobs, techs);
        const q = plan.quality;
        // The relaxation bound is at least as good as the true optimum, which is at least as good as the plan.
        expect(
          q.relaxationAssigned > best.count ||
            (q.relaxationAssigned === best.count && q.relaxationCost <= best.cost),
        ).toBe(true);
        const count = plan.assignments.length;
        expect(best.count > count || (best.count === count && best.cost <= plan.totalCost)).toBe(true);
        if (q.provenOptimal) expect({ count, cost: plan.totalCost }).toEqual(best);
      }),
      { numRuns: 150 },
    );
  });
});

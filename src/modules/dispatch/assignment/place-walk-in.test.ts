import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignJobs } from './assign-jobs.js';
import { costContext, jobCost } from './job-costs.js';
import { placeWalkIn, reoptimiseWithWalkIn } from './place-walk-in.js';
import { candidateStarts, isQualified, remainingFreeTime } from './slot-candidates.js';
import { checkPlanFeasible, DAY_8AM, newJob, newTechnician, worldArbitrary } from './test-factories.js';
import type { AssignmentPlan, DispatchJob, PlacedJob, Technician } from './types.js';

const toPlaced = (plan: AssignmentPlan): PlacedJob[] =>
  plan.assignments.map(({ jobId, technicianId, start, end }) => ({ jobId, technicianId, start, end }));

const overlaps = (a: PlacedJob, b: PlacedJob): boolean =>
  a.technicianId === b.technicianId && a.start < b.end && b.start < a.end;

describe('placeWalkIn', () => {
  it('takes the cheapest slot left free by the placed jobs', () => {
    const techs = [newTechnician({ id: 'tc_1', rating: 5 }), newTechnician({ id: 'tc_2', rating: 3 })];
    const placed: PlacedJob[] = [
      { jobId: 'jb_old', technicianId: 'tc_1', start: DAY_8AM, end: DAY_8AM + 60 },
    ];
    const result = placeWalkIn(newJob({ id: 'jb_walk', durationMin: 30 }), techs, placed);
    // tc_1 at 09:00 costs 8 (delay), tc_2 at 08:00 costs 40 (rating).
    expect(result).toMatchObject({
      placed: true,
      assignment: { technicianId: 'tc_1', start: DAY_8AM + 60, end: DAY_8AM + 90 },
    });
  });

  it('says why when it cannot place the walk-in', () => {
    const techs = [newTechnician({ id: 'tc_1', free: [{ start: DAY_8AM, end: DAY_8AM + 60 }] })];
    const placed: PlacedJob[] = [
      { jobId: 'jb_old', technicianId: 'tc_1', start: DAY_8AM, end: DAY_8AM + 30 },
    ];
    expect(placeWalkIn(newJob({ id: 'jb_w', durationMin: 45 }), techs, placed)).toMatchObject({
      placed: false,
      unassigned: { code: 'no_free_time' },
    });
    expect(placeWalkIn(newJob({ id: 'jb_w', requiredSkills: ['ev'] }), techs, placed)).toMatchObject({
      placed: false,
      unassigned: { code: 'missing_skills' },
    });
  });

  it('never overlaps placed jobs and is the cheapest candidate (random worlds)', () => {
    fc.assert(
      fc.property(worldArbitrary(4, 8, 6), ({ techs, jobs }) => {
        const [walkIn, ...rest] = jobs;
        if (walkIn === undefined) return;
        const placed = toPlaced(assignJobs(rest, techs));
        const result = placeWalkIn(walkIn, techs, placed);
        const ctx = costContext({});
        const free = remainingFreeTime(techs, placed);
        const costs = techs.flatMap((t, k) =>
          isQualified(walkIn, t)
            ? candidateStarts(walkIn, free[k] ?? [], 15).map((s) => jobCost(walkIn, t, s, ctx).total)
            : [],
        );
        if (!result.placed) {
          expect(costs).toHaveLength(0);
          return;
        }
        const a = result.assignment;
        expect(placed.some((p) => overlaps(p, a))).toBe(false);
        expect(a.cost.total).toBe(Math.min(...costs));
        checkPlanFeasible(
          {
            assignments: [a],
            unassigned: [],
            totalCost: a.cost.total,
            quality: assignJobs([], techs).quality,
          },
          [walkIn],
          techs,
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('reoptimiseWithWalkIn', () => {
  it('moves a placed job to make room when that places the walk-in', () => {
    const techs = [
      newTechnician({
        id: 'tc_ev',
        skills: ['general', 'ev'],
        free: [{ start: DAY_8AM, end: DAY_8AM + 60 }],
      }),
      newTechnician({ id: 'tc_gen', free: [{ start: DAY_8AM, end: DAY_8AM + 60 }] }),
    ];
    const oldJob = newJob({ id: 'jb_old', latestStart: DAY_8AM });
    const placed: PlacedJob[] = [
      { jobId: 'jb_old', technicianId: 'tc_ev', start: DAY_8AM, end: DAY_8AM + 60 },
    ];
    const walkIn = newJob({ id: 'jb_ev', requiredSkills: ['ev'], latestStart: DAY_8AM });
    expect(placeWalkIn(walkIn, techs, placed).placed).toBe(false);
    const result = reoptimiseWithWalkIn(walkIn, techs, placed, [oldJob]);
    expect(result.strategy).toBe('reoptimised');
    expect(result.moved).toEqual([
      {
        jobId: 'jb_old',
        from: placed[0],
        to: { jobId: 'jb_old', technicianId: 'tc_gen', start: DAY_8AM, end: DAY_8AM + 60 },
      },
    ]);
    expect(result.plan.assignments.map((a) => a.jobId).sort()).toEqual(['jb_ev', 'jb_old']);
  });

  it('does not move pinned jobs', () => {
    const techs = [
      newTechnician({
        id: 'tc_ev',
        skills: ['general', 'ev'],
        free: [{ start: DAY_8AM, end: DAY_8AM + 60 }],
      }),
      newTechnician({ id: 'tc_gen', free: [{ start: DAY_8AM, end: DAY_8AM + 60 }] }),
    ];
    const placed: PlacedJob[] = [
      { jobId: 'jb_old', technicianId: 'tc_ev', start: DAY_8AM, end: DAY_8AM + 60 },
    ];
    const walkIn = newJob({ id: 'jb_ev', requiredSkills: ['ev'], latestStart: DAY_8AM });
    const result = reoptimiseWithWalkIn(walkIn, techs, placed, [newJob({ id: 'jb_old' })], {
      pinnedJobIds: ['jb_old'],
    });
    expect(result.strategy).toBe('kept');
    expect(result.moved).toEqual([]);
    expect(result.plan.unassigned[0]?.code).toBe('no_free_time');
  });

  it('never drops a placed job, never costs more than placing alone, never overlaps (random worlds)', () => {
    fc.assert(
      fc.property(worldArbitrary(4, 8, 6), fc.integer({ min: 0, max: 3 }), ({ techs, jobs }, pinCount) => {
        const [walkIn, ...rest] = jobs;
        if (walkIn === undefined) return;
        const placed = toPlaced(assignJobs(rest, techs));
        const pinnedJobIds = placed.slice(0, pinCount).map((p) => p.jobId);
        const result = reoptimiseWithWalkIn(walkIn, techs, placed, rest, { pinnedJobIds });
        const movable = placed.filter((p) => !pinnedJobIds.includes(p.jobId));
        const planned = toPlaced(result.plan);
        for (const p of movable) expect(planned.some((a) => a.jobId === p.jobId)).toBe(true);
        const pinned = placed.filter((p) => pinnedJobIds.includes(p.jobId));
        const all = [...planned, ...pinned];
        for (let a = 0; a < all.length; a++) {
          for (let b = a + 1; b < all.length; b++)
            expect(overlaps(all[a] as PlacedJob, all[b] as PlacedJob)).toBe(false);
        }
        const movableJobs = rest.filter((j) => movable.some((p) => p.jobId === j.id));
        checkPlanFeasible(result.plan, [...movableJobs, walkIn], techs);
        const alone = placeWalkIn(walkIn, techs, placed);
        if (result.strategy === 'reoptimised') {
          // Strictly better than keeping everything (placed jobs earn their stability bonus, 30, there).
          const ctx = costContext({});
          const baseline =
            movable.reduce((s, p) => {
              const job = rest.find((j) => j.id === p.jobId) as DispatchJob;
              const tech = techs.find((t) => t.id === p.technicianId) as Technician;
              return s + jobCost(job, tech, p.start, ctx, 30).total;
            }, 0) + (alone.placed ? alone.assignment.cost.total : 0);
          const baseCount = movable.length + (alone.placed ? 1 : 0);
          const count = result.plan.assignments.length;
          expect(count > baseCount || (count === baseCount && result.plan.totalCost < baseline)).toBe(true);
        } else {
          expect(result.moved).toEqual([]);
          expect(result.plan.assignments.some((a) => a.jobId === walkIn.id)).toBe(alone.placed);
        }
      }),
      { numRuns: 150 },
    );
  });
});

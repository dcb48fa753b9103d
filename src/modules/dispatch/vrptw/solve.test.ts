import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSolution } from './check-solution.js';
import { vrptwCommand } from './index.js';
import type { Job, PickupDelivery, RoutingInstance, RoutingSolution, Vehicle } from './model.js';
import { solomonI1 } from './solomon-i1.js';
import { solve } from './solve.js';

const planned = (sol: RoutingSolution) =>
  sol.routes.map((r) => ({ vehicle: r.vehicle, jobs: r.stops.map((s) => s.job) }));

/** Independent test of "can some vehicle do this job (or pair) on its own?". */
function servableAlone(inst: RoutingInstance, seq: number[]): boolean {
  const pts = inst.locations!;
  const tt = (a: number, b: number) => Math.hypot(pts[a]!.x - pts[b]!.x, pts[a]!.y - pts[b]!.y);
  const pairLoad = inst.pairs?.find((p) => p.pickup === seq[0])?.load ?? 0;
  return inst.vehicles.some((v) => {
    if (seq.reduce((s, j) => s + (inst.jobs[j]!.demand ?? 0), 0) > v.capacity || pairLoad > v.capacity)
      return false;
    let t = v.shiftStart ?? 0;
    let at = v.startLocation;
    let svc = 0;
    for (const j of seq) {
      const job = inst.jobs[j]!;
      t = Math.max(job.ready ?? 0, t + svc + tt(at, job.location));
      if (t > (job.due ?? Infinity)) return false;
      at = job.location;
      svc = job.serviceTime ?? 0;
    }
    return t + svc + tt(at, v.endLocation) <= (v.shiftEnd ?? Infinity);
  });
}

/** Asserts the plan passes the checker and that every job that fits on its own was served. */
function expectSound(inst: RoutingInstance, sol: RoutingSolution): void {
  const report = checkSolution(inst, planned(sol), {
    unassigned: sol.unassigned,
    claimedDistance: sol.distance,
  });
  expect(report.violations).toEqual([]);
  expect(sol.vehicles).toBe(report.vehicles);
  const mate = new Map<number, number>();
  for (const p of inst.pairs ?? []) mate.set(p.pickup, p.delivery).set(p.delivery, p.pickup);
  for (const j of sol.unassigned) {
    const pair = inst.pairs?.find((p) => p.pickup === j || p.delivery === j);
    const seq = pair ? [pair.pickup, pair.delivery] : [j];
    expect(servableAlone(inst, seq), `job ${j} could have been served`).toBe(false);
  }
  for (const r of sol.routes) {
    for (const s of r.stops) {
      const job = inst.jobs[s.job]!;
      expect(s.start).toBeGreaterThanOrEqual(Math.max(s.arrival, job.ready ?? 0) - 1e-9);
      expect(s.start).toBeLessThanOrEqual((job.due ?? Infinity) + 1e-6);
    }
  }
}

const point = fc.record({ x: fc.integer({ min: 0, max: 100 }), y: fc.integer({ min: 0, max: 100 }) });

/** Random instances: one depot, identical vehicles, windows of random width (some jobs may not fit). */
const solomonLike = fc
  .record({
    depot: point,
    jobs: fc.array(
      fc.record({
        at: point,
        demand: fc.integer({ min: 0, max: 30 }),
        service: fc.integer({ min: 0, max: 20 }),
        ready: fc.integer({ min: 0, max: 400 }),
        width: fc.integer({ min: 0, max: 300 }),
      }),
      { minLength: 1, maxLength: 25 },
    ),
    capacity: fc.integer({ min: 30, max: 120 }),
    horizon: fc.integer({ min: 300, max: 900 }),
    vehicles: fc.integer({ min: 1, max: 25 }),
  })
  .map(({ depot, jobs, capacity, horizon, vehicles }): RoutingInstance => {
    const vehicle: Vehicle = { startLocation: 0, endLocation: 0, capacity, shiftStart: 0, shiftEnd: horizon };
    return {
      locations: [depot, ...jobs.map((j) => j.at)],
      jobs: jobs.map((j, i): Job => ({
        location: i + 1,
        demand: j.demand,
        serviceTime: j.service,
        ready: j.ready,
        due: j.ready + j.width,
      })),
      // At least one vehicle per job, so every job that fits alone must be served.
      vehicles: Array.from({ length: Math.max(vehicles, jobs.length) }, () => vehicle),
    };
  });

/** Like `solomonLike`, but every job fits on its own: these take the fast (genetic search) path. */
const servableSolomonLike = fc
  .record({
    depot: point,
    jobs: fc.array(
      fc.record({
        at: point,
        demand: fc.integer({ min: 0, max: 30 }),
        service: fc.integer({ min: 0, max: 20 }),
        ready: fc.integer({ min: 0, max: 400 }),
        width: fc.integer({ min: 0, max: 300 }),
      }),
      { minLength: 4, maxLength: 30 },
    ),
    capacity: fc.integer({ min: 30, max: 120 }),
  })
  .map(({ depot, jobs, capacity }): RoutingInstance => {
    const vehicle: Vehicle = { startLocation: 0, endLocation: 0, capacity, shiftStart: 0, shiftEnd: 1000 };
    return {
      locations: [depot, ...jobs.map((j) => j.at)],
      jobs: jobs.map((j, i) => ({
        location: i + 1,
        demand: j.demand,
        serviceTime: j.service,
        ready: j.ready,
        due: Math.max(j.ready + j.width, Math.ceil(Math.hypot(j.at.x - depot.x, j.at.y - depot.y))),
      })),
      vehicles: Array.from({ length: jobs.length }, () => vehicle),
    };
  });

/** Technician-fleet-like instances: own start/end and shifts per vehicle, some pickup-and-delivery pairs. */
const liveLike = fc
  .record({
    places: fc.array(point, { minLength: 4, maxLength: 12 }),
    jobs: fc.array(
      fc.record({
        place: fc.nat(),
        demand: fc.integer({ min: 0, max: 3 }),
        service: fc.integer({ min: 5, max: 30 }),
        ready: fc.integer({ min: 0, max: 300 }),
        width: fc.integer({ min: 30, max: 400 }),
      }),
      { minLength: 2, maxLength: 20 },
    ),
    vehicles: fc.array(
      fc.record({
        start: fc.nat(),
        end: fc.nat(),
        capacity: fc.integer({ min: 1, max: 6 }),
        shiftStart: fc.integer({ min: 0, max: 100 }),
        shiftLength: fc.integer({ min: 200, max: 700 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    pairCount: fc.nat({ max: 4 }),
    pairLoad: fc.integer({ min: 1, max: 2 }),
  })
  .map(({ places, jobs, vehicles, pairCount, pairLoad }): RoutingInstance => {
    const nPairs = Math.min(pairCount, Math.floor(jobs.length / 2));
    const pairs: PickupDelivery[] = Array.from({ length: nPairs }, (_, i) => ({
      pickup: 2 * i,
      delivery: 2 * i + 1,
      load: pairLoad,
    }));
    return {
      locations: places,
      jobs: jobs.map((j, i) => ({
        location: j.place % places.length,
        demand: i < 2 * nPairs ? 0 : j.demand,
        serviceTime: j.service,
        ready: j.ready,
        due: j.ready + j.width,
      })),
      // Each vehicle type repeated once per job, so every job that fits alone must be served.
      vehicles: jobs.flatMap(() =>
        vehicles.map((v) => ({
          startLocation: v.start % places.length,
          endLocation: v.end % places.length,
          capacity: v.capacity,
          shiftStart: v.shiftStart,
          shiftEnd: v.shiftStart + v.shiftLength,
        })),
      ),
      pairs,
    };
  });

describe('solve', () => {
  it('returns checker-clean plans on random Solomon-like instances', () => {
    fc.assert(
      fc.property(solomonLike, fc.nat(), (inst, seed) => {
        expectSound(inst, solve(inst, { timeLimitMs: 20_000, maxIterations: 300, seed }));
      }),
      { numRuns: 40, seed: 1 },
    );
  });

  it('returns checker-clean plans when every job fits (genetic search path)', () => {
    fc.assert(
      fc.property(servableSolomonLike, fc.nat(), (inst, seed) => {
        const sol = solve(inst, { timeLimitMs: 20_000, maxIterations: 400, seed });
        expectSound(inst, sol);
        expect(sol.unassigned).toEqual([]);
      }),
      { numRuns: 30, seed: 5 },
    );
  });

  it('honours pickup-and-delivery pairs, own depots and shifts', () => {
    fc.assert(
      fc.property(liveLike, fc.nat(), (inst, seed) => {
        const sol = solve(inst, { timeLimitMs: 20_000, maxIterations: 300, seed });
        expectSound(inst, sol);
        for (const p of inst.pairs ?? []) {
          const route = sol.routes.find((r) => r.stops.some((s) => s.job === p.pickup));
          if (!route) continue;
          const order = route.stops.map((s) => s.job);
          expect(order.indexOf(p.delivery)).toBeGreaterThan(order.indexOf(p.pickup));
        }
      }),
      { numRuns: 40, seed: 2 },
    );
  });

  it('is deterministic for a seed and an iteration budget', () => {
    fc.assert(
      fc.property(fc.oneof(solomonLike, servableSolomonLike, liveLike), fc.nat(), (inst, seed) => {
        const a = solve(inst, { timeLimitMs: 20_000, maxIterations: 200, seed });
        const b = solve(inst, { timeLimitMs: 20_000, maxIterations: 200, seed });
        expect(planned(b)).toEqual(planned(a));
        expect(b.distance).toBe(a.distance);
      }),
      { numRuns: 15, seed: 3 },
    );
  });

  it('serves a car collection and its return trip on one vehicle, pickup first', () => {
    // Customer at (50,0): collect the car (pickup) and bring it to the store at (0,0) (delivery);
    // later collect it at the store and return it. The tow vehicle carries one car at a time.
    const inst: RoutingInstance = {
      locations: [
        { x: 0, y: 0 },
        { x: 50, y: 0 },
        { x: 10, y: 10 },
      ],
      jobs: [
        { location: 1, serviceTime: 10, ready: 0, due: 100 }, // 0: collect at customer
        { location: 0, serviceTime: 10, ready: 0, due: 300 }, // 1: drop at store
        { location: 0, serviceTime: 10, ready: 300, due: 400 }, // 2: collect at store
        { location: 1, serviceTime: 10, ready: 300, due: 600 }, // 3: return to customer
        { location: 2, serviceTime: 20, demand: 1 }, // 4: an ordinary visit
      ],
      vehicles: [
        { startLocation: 2, endLocation: 2, capacity: 1, shiftStart: 0, shiftEnd: 800 },
        { startLocation: 2, endLocation: 0, capacity: 1, shiftStart: 0, shiftEnd: 800 },
      ],
      pairs: [
        { pickup: 0, delivery: 1, load: 1 },
        { pickup: 2, delivery: 3, load: 1 },
      ],
    };
    const sol = solve(inst, { timeLimitMs: 5_000, maxIterations: 500, seed: 7 });
    expectSound(inst, sol);
    expect(sol.unassigned).toEqual([]);
    expect(sol.vehicles).toBe(1);
  });

  it('reports jobs no vehicle can serve and keeps the rest feasible when the fleet is short', () => {
    const inst: RoutingInstance = {
      locations: [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
        { x: 5, y: 0 },
        { x: 0, y: 5 },
      ],
      jobs: [
        { location: 1, due: 50 }, // unreachable in time
        { location: 2, ready: 0, due: 10, serviceTime: 50 },
        { location: 3, ready: 0, due: 10, serviceTime: 50 },
      ],
      vehicles: [{ startLocation: 0, endLocation: 0, capacity: 10, shiftEnd: 200 }],
    };
    const sol = solve(inst, { timeLimitMs: 5_000, maxIterations: 200, seed: 1 });
    const report = checkSolution(inst, planned(sol), { unassigned: sol.unassigned });
    expect(report.ok).toBe(true);
    expect(sol.unassigned).toContain(0);
    expect(sol.unassigned).toHaveLength(2); // one of the two close jobs cannot wait for the other
  });

  it('follows a given asymmetric travel-time matrix', () => {
    const inst: RoutingInstance = {
      travelTime: [
        [0, 5, 50],
        [50, 0, 5],
        [5, 50, 0],
      ],
      jobs: [{ location: 1 }, { location: 2 }],
      vehicles: [{ startLocation: 0, endLocation: 0, capacity: 5 }],
    };
    const sol = solve(inst, { timeLimitMs: 5_000, maxIterations: 100, seed: 1 });
    expectSoundMatrix(inst, sol);
    expect(planned(sol)).toEqual([{ vehicle: 0, jobs: [0, 1] }]);
    expect(sol.distance).toBe(15);
  });

  it('the I1 baseline builds feasible plans', () => {
    fc.assert(
      fc.property(solomonLike, (inst) => {
        const base = solomonI1(inst);
        const served = new Set(base.routes.flatMap((r) => r.jobs));
        const unassigned = inst.jobs.map((_, j) => j).filter((j) => !served.has(j));
        const report = checkSolution(inst, base.routes, { unassigned, claimedDistance: base.distance });
        expect(report.violations).toEqual([]);
      }),
      { numRuns: 25, seed: 4 },
    );
  });
});

function expectSoundMatrix(inst: RoutingInstance, sol: RoutingSolution): void {
  const report = checkSolution(inst, planned(sol), {
    unassigned: sol.unassigned,
    claimedDistance: sol.distance,
  });
  expect(report.violations).toEqual([]);
}

const c101 = '/work/shared/bench/solomon/C101.txt';
const r101 = '/work/shared/bench/solomon/R101.txt';

describe('vrptwCommand', () => {
  it.runIf(existsSync(c101) && existsSync(r101))(
    'solves Solomon files feasibly within a short time limit',
    async () => {
      const c = await vrptwCommand(c101, { seconds: 1, seed: 1 });
      expect(c.instance).toBe('C101');
      expect(c.vehicles).toBe(c.routes.length);
      expect(c.routes.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(c.vehicles).toBeLessThanOrEqual(12);
      const r = await vrptwCommand(r101, { seconds: 1, seed: 1 });
      expect(r.routes.flat()).toHaveLength(100);
      expect(r.distance).toBeGreaterThan(1600);
    },
  );
});

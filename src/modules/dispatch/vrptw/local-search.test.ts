import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileInstance } from './compile-instance.js';
import { granularNeighbours, LocalSearch } from './local-search.js';
import { Random } from './random.js';
import type { RoutingInstance } from './model.js';
import { GiantTourSplit } from './split-giant-tour.js';

const point = fc.record({ x: fc.integer({ min: 0, max: 100 }), y: fc.integer({ min: 0, max: 100 }) });

/** Small Solomon-like instances in which every job fits on its own. */
const instances = fc
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
      { minLength: 2, maxLength: 30 },
    ),
    capacity: fc.integer({ min: 30, max: 120 }),
  })
  .map(({ depot, jobs, capacity }): RoutingInstance => ({
    locations: [depot, ...jobs.map((j) => j.at)],
    jobs: jobs.map((j, i) => ({
      location: i + 1,
      demand: j.demand,
      serviceTime: j.service,
      ready: j.ready,
      due: Math.max(j.ready + j.width, Math.ceil(Math.hypot(j.at.x - depot.x, j.at.y - depot.y))),
    })),
    vehicles: [{ startLocation: 0, endLocation: 0, capacity, shiftStart: 0, shiftEnd: 1000 }],
  }));

describe('LocalSearch', () => {
  it('never worsens the penalised cost, keeps every job once, and reports what an independent replay finds', () => {
    fc.assert(
      fc.property(
        instances,
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(0.5, 5, 50),
        fc.constantFrom(0.3, 3, 30),
        fc.nat(),
        (inst, m, wLoad, wTime, seed) => {
          const p = compileInstance(inst);
          const rng = new Random(seed);
          // Independent replay: distance, excess load and time warp (late arrivals jump back to the due time).
          const replay = (routes: ArrayLike<number>[]) => {
            let distance = 0;
            let excess = 0;
            let warp = 0;
            for (const r of routes) {
              let t = p.ready[p.n]!;
              let prev = p.n;
              let load = 0;
              for (const j of [...Array.from(r), p.n + 1]) {
                distance += p.dist[prev * p.size + j]!;
                t = Math.max(p.ready[j]!, t + p.service[prev]! + p.time[prev * p.size + j]!);
                if (t > p.due[j]!) {
                  warp += t - p.due[j]!;
                  t = p.due[j]!;
                }
                if (j < p.n) load += p.demand[j]!;
                prev = j;
              }
              excess += Math.max(0, load - p.capacity[0]!);
            }
            return { distance, excess, warp, cost: distance + wLoad * excess + wTime * warp };
          };
          const tour = Int32Array.from({ length: p.n }, (_, i) => i);
          rng.shuffle(tour);
          const start = new GiantTourSplit(p, m).split(tour, wLoad, wTime);
          const ls = new LocalSearch(p, m, granularNeighbours(p, 8), 8);
          ls.load(start);
          ls.run(rng, wLoad, wTime);
          const routes = ls.exportRoutes();
          const jobs = routes.flatMap((r) => Array.from(r)).sort((a, b) => a - b);
          expect(jobs).toEqual(Array.from({ length: p.n }, (_, i) => i));
          expect(routes.length).toBeLessThanOrEqual(m);
          const after = replay(routes);
          const measured = ls.measure();
          expect(measured.distance).toBeCloseTo(after.distance, 6);
          expect(measured.excessLoad).toBeCloseTo(after.excess, 6);
          expect(measured.timeWarp).toBeCloseTo(after.warp, 6);
          expect(after.cost).toBeLessThanOrEqual(replay(start).cost + 1e-6);
        },
      ),
      { numRuns: 60, seed: 6 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { checkSolution, type ViolationKind } from './check-solution.js';
import type { PlannedRoute, RoutingInstance } from './model.js';

// Depot at (0,0); jobs on the x axis at 10, 20, 30 and a pickup/delivery pair at (0,10) → (0,20).
const instance: RoutingInstance = {
  locations: [
    { x: 0, y: 0 },
    { x: 10, y: 0 },
    { x: 20, y: 0 },
    { x: 30, y: 0 },
    { x: 0, y: 10 },
    { x: 0, y: 20 },
  ],
  jobs: [
    { location: 1, demand: 3, serviceTime: 5, ready: 0, due: 100 },
    { location: 2, demand: 3, serviceTime: 5, ready: 30, due: 40 },
    { location: 3, demand: 3, serviceTime: 5, ready: 0, due: 100 },
    { location: 4, serviceTime: 2 },
    { location: 5, serviceTime: 2, due: 200 },
  ],
  vehicles: [
    { startLocation: 0, endLocation: 0, capacity: 10, shiftStart: 0, shiftEnd: 200 },
    { startLocation: 0, endLocation: 0, capacity: 10, shiftStart: 0, shiftEnd: 200 },
  ],
  pairs: [{ pickup: 3, delivery: 4, load: 6 }],
};

const good: PlannedRoute[] = [
  { vehicle: 0, jobs: [0, 1, 2] }, // 10 → 20 (waits until 30) → 30, back at 75
  { vehicle: 1, jobs: [3, 4] },
];

const kinds = (
  routes: PlannedRoute[],
  inst: RoutingInstance = instance,
  unassigned?: number[],
): ViolationKind[] => checkSolution(inst, routes, { unassigned }).violations.map((v) => v.kind);

describe('checkSolution', () => {
  it('accepts a feasible plan and recomputes its distance', () => {
    const report = checkSolution(instance, good, { claimedDistance: 60 + 40 });
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.distance).toBeCloseTo(100, 9);
    expect(report.vehicles).toBe(2);
  });

  it('catches unknown, duplicate and missing jobs', () => {
    expect(kinds([{ vehicle: 0, jobs: [0, 1, 2, 9] }, good[1]!])).toContain('unknown-job');
    expect(
      kinds([
        { vehicle: 0, jobs: [0, 1, 2] },
        { vehicle: 1, jobs: [3, 0, 4] },
      ]),
    ).toContain('duplicate-job');
    expect(kinds([{ vehicle: 0, jobs: [0, 2] }, good[1]!])).toEqual(['missing-job']);
    // declared unassigned is fine; routed and declared is not
    expect(kinds([{ vehicle: 0, jobs: [0, 2] }, good[1]!], instance, [1])).toEqual([]);
    expect(kinds(good, instance, [1])).toContain('duplicate-job');
  });

  it('catches unknown and reused vehicles', () => {
    expect(
      kinds([
        { vehicle: 0, jobs: [0, 1, 2] },
        { vehicle: 7, jobs: [3, 4] },
      ]),
    ).toContain('unknown-vehicle');
    expect(
      kinds([
        { vehicle: 0, jobs: [0, 1, 2] },
        { vehicle: 0, jobs: [3, 4] },
      ]),
    ).toContain('vehicle-reused');
  });

  it('catches capacity overflow, both at departure and from pair loads', () => {
    const tight = { ...instance, vehicles: instance.vehicles.map((v) => ({ ...v, capacity: 8 })) };
    expect(kinds(good, tight)).toEqual(['capacity']); // 9 units leave the depot on vehicle 0
    const small = { ...instance, pairs: [{ pickup: 3, delivery: 4, load: 11 }] };
    expect(kinds(good, small)).toEqual(['capacity']);
  });

  it('catches a missed time window, but allows waiting', () => {
    expect(kinds([{ vehicle: 0, jobs: [2, 0, 1] }, good[1]!])).toEqual(['time-window']);
    expect(kinds(good)).toEqual([]); // job 1 is reached at 25 and waits until 30
  });

  it('catches a late return to the depot', () => {
    const short = {
      ...instance,
      vehicles: [instance.vehicles[0]!, { ...instance.vehicles[1]!, shiftEnd: 40 }],
    };
    expect(kinds(good, short)).toEqual(['shift-end']);
  });

  it('catches pairs split across vehicles or in the wrong order', () => {
    expect(
      kinds([
        { vehicle: 0, jobs: [0, 1, 2, 3] },
        { vehicle: 1, jobs: [4] },
      ]),
    ).toContain('pair-split');
    expect(
      kinds([
        { vehicle: 0, jobs: [0, 1, 2] },
        { vehicle: 1, jobs: [4, 3] },
      ]),
    ).toContain('pair-order');
    // Delivering before picking up also shows as a negative load, never as a capacity breach.
    expect(
      kinds([
        { vehicle: 0, jobs: [0, 1, 2] },
        { vehicle: 1, jobs: [4, 3] },
      ]),
    ).not.toContain('capacity');
  });

  it('catches a wrong claimed distance', () => {
    expect(checkSolution(instance, good, { claimedDistance: 99 }).violations.map((v) => v.kind)).toEqual([
      'distance-mismatch',
    ]);
  });

  it('uses the given matrices instead of coordinates', () => {
    const matrix = [
      [0, 1, 1],
      [9, 0, 1],
      [1, 1, 0],
    ];
    const inst: RoutingInstance = {
      travelTime: matrix,
      distance: [
        [0, 2, 2],
        [2, 0, 2],
        [2, 2, 0],
      ],
      jobs: [{ location: 1, due: 1 }, { location: 2 }],
      vehicles: [{ startLocation: 0, endLocation: 0, capacity: 1, shiftEnd: 5 }],
    };
    const ok = checkSolution(inst, [{ vehicle: 0, jobs: [0, 1] }]);
    expect(ok.ok).toBe(true);
    expect(ok.distance).toBe(6);
    expect(kinds([{ vehicle: 0, jobs: [1, 0] }], inst)).toEqual(['time-window', 'shift-end']);
  });
});

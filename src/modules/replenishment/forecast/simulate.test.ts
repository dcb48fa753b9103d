import { describe, expect, it } from 'vitest';
import { poolSimulations, simulatePolicy } from './simulate.js';

describe('simulatePolicy', () => {
  it('follows the (R, S) lost-sales timeline by hand', () => {
    // S = 3, L = 1: t0 no order, sells 2 → 1; t1 orders 2, sells 1 of 2 → 0; t2 receives 2, orders 1,
    // sells 2 of 5 → 0; t3 receives 1, orders 2, no demand → 1.
    const r = simulatePolicy({ demand: [2, 2, 5, 0], orderUpTo: 3, leadTime: 1, reviewPeriod: 1 });
    expect(r).toEqual({ demand: 9, satisfied: 5, endOnHand: [1, 0, 0, 1] });
  });

  it('with zero lead time refills before demand', () => {
    const r = simulatePolicy({ demand: [2, 2, 5], orderUpTo: 3, leadTime: 0, reviewPeriod: 1 });
    expect(r.satisfied).toBe(7);
  });

  it('pools fill over demand and stock over series', () => {
    const p = poolSimulations([
      { demand: 4, satisfied: 2, endOnHand: [1, 3] },
      { demand: 0, satisfied: 0, endOnHand: [0, 0] },
    ]);
    expect(p).toEqual({ fillRate: 0.5, avgStock: 1 });
  });
});

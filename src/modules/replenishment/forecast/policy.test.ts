import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compound, negBinomial, pointMass } from './distribution.js';
import {
  fillRateAt,
  protectionDemand,
  protectionFromMoments,
  policyForDemand,
  reorderPolicy,
} from './policy.js';

describe('reorder policy', () => {
  it('matches a hand computation (one unit with probability ½ per period, L = R = 1)', () => {
    const d = protectionDemand(compound(0.5, { pmf: [0, 1] }), 1, 1);
    // β(0) = 0, β(1) = 1 − (0.25 − 0) / 0.5 = 0.5, β(2) = 1
    expect(fillRateAt(d, 0)).toBeCloseTo(0, 12);
    expect(fillRateAt(d, 1)).toBeCloseTo(0.5, 12);
    expect(fillRateAt(d, 2)).toBeCloseTo(1, 12);
    expect(policyForDemand(d, 0.5).orderUpTo).toBe(1);
    expect(policyForDemand(d, 0.9).orderUpTo).toBe(2);
    const p = reorderPolicy({
      perPeriod: compound(0.5, { pmf: [0, 1] }),
      leadTime: 1,
      reviewPeriod: 1,
      fillRate: 0.9,
      minOrder: 2,
    });
    expect(p).toMatchObject({ orderUpTo: 2, reorderPoint: 0 });
  });

  it('stocks nothing for no expected demand', () => {
    expect(
      reorderPolicy({ perPeriod: pointMass(0), leadTime: 2, reviewPeriod: 1, fillRate: 0.95 }).orderUpTo,
    ).toBe(0);
  });

  it('adds known future demand through per-period distributions', () => {
    const base = negBinomial(0.5, 1.5);
    const withBooking = reorderPolicy({
      perPeriod: [{ pmf: [0, 0, 0, ...base.pmf] }, base],
      leadTime: 1,
      reviewPeriod: 1,
      fillRate: 0.9,
    });
    const without = reorderPolicy({ perPeriod: base, leadTime: 1, reviewPeriod: 1, fillRate: 0.9 });
    expect(withBooking.orderUpTo).toBeGreaterThanOrEqual(without.orderUpTo + 3);
  });

  it('S reaches the target, S − 1 does not, and S grows with the target', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 8, noNaN: true }),
        fc.double({ min: 1, max: 6, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (mean, dispersion, L, R, b1, b2) => {
          const d = protectionFromMoments(mean, mean * dispersion, L, R);
          const [lo, hi] = b1 <= b2 ? [b1, b2] : [b2, b1];
          const s = policyForDemand(d, lo).orderUpTo;
          const ok = fillRateAt(d, s) >= lo && (s === 0 || fillRateAt(d, s - 1) < lo);
          return ok && policyForDemand(d, hi).orderUpTo >= s;
        },
      ),
      { numRuns: 200 },
    );
  });
});

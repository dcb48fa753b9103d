import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifySeries, decompose } from './classify.js';

describe('classifySeries', () => {
  it('computes ADI from the start of the series and CV² of sizes', () => {
    // demands at t = 1 and t = 4: intervals 2 and 3 → ADI 2.5; sizes 2 and 4 → CV² = 2 / 9
    const c = classifySeries([0, 2, 0, 0, 4]);
    expect(c.adi).toBeCloseTo(2.5, 12);
    expect(c.cv2).toBeCloseTo(2 / 9, 12);
    expect(c.demandClass).toBe('intermittent');
    expect(decompose([0, 2, 0, 0, 4])).toEqual({ sizes: [2, 4], intervals: [2, 3] });
  });

  it('uses the Syntetos–Boylan cut-offs 1.32 and 0.49', () => {
    expect(classifySeries([3, 3, 3, 3]).demandClass).toBe('smooth');
    expect(classifySeries([1, 9, 1, 9]).demandClass).toBe('erratic'); // CV² = 32/25 ≥ 0.49
    expect(classifySeries([0, 1, 0, 9]).demandClass).toBe('lumpy');
    expect(classifySeries([0, 0, 0]).demandClass).toBe('none');
    // ADI of [0, 1, 0, 1] is exactly 2: intermittent at cut-off 2 (≥), smooth above it
    expect(classifySeries([0, 1, 0, 1], { adi: 2 }).demandClass).toBe('intermittent');
    expect(classifySeries([0, 1, 0, 1], { adi: 2.0001 }).demandClass).toBe('smooth');
    // CV² of sizes 1 and 2 is 0.5 / 1.5² = 2/9 (sample variance 0.5)
    expect(classifySeries([1, 2], { cv2: 2 / 9 }).demandClass).toBe('erratic');
    expect(classifySeries([1, 2], { cv2: 2 / 9 + 1e-9 }).demandClass).toBe('smooth');
  });

  it('has ADI ≥ 1 and CV² ≥ 0 for any series with demand', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(30), { minLength: 1, maxLength: 40 }), (y) => {
        const c = classifySeries(y);
        if (c.demands === 0) return c.demandClass === 'none';
        return c.adi >= 1 && c.cv2 >= 0;
      }),
    );
  });
});

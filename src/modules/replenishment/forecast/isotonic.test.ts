import { describe, expect, it } from 'vitest';
import { applyIsotonic, fitIsotonic } from './isotonic.js';

describe('isotonic calibration', () => {
  it('pools adjacent violators', () => {
    const c = fitIsotonic([1, 2, 3, 4], [1, 3, 2, 4]);
    expect(c.ys).toEqual([1, 2.5, 4]);
    expect(c.xs).toEqual([1, 2.5, 4]);
    expect(applyIsotonic(c, 0)).toBe(1);
    expect(applyIsotonic(c, 1.75)).toBeCloseTo(1.75, 12);
    expect(applyIsotonic(c, 9)).toBe(4);
  });
});

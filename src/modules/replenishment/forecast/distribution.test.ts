import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateEchelon,
  compound,
  convolve,
  expectedShortage,
  meanOf,
  negBinomial,
  pointMass,
  poisson,
  quantile,
  shift,
  sumOf,
  varianceOf,
} from './distribution.js';

const total = (pmf: readonly number[]): number => pmf.reduce((a, b) => a + b, 0);

describe('integer distributions', () => {
  it('Poisson and negative binomial have the requested moments', () => {
    const p = poisson(2.5);
    expect(total(p.pmf)).toBeCloseTo(1, 9);
    expect(meanOf(p)).toBeCloseTo(2.5, 8);
    const nb = negBinomial(0.4, 3);
    expect(total(nb.pmf)).toBeCloseTo(1, 9);
    expect(meanOf(nb)).toBeCloseTo(0.4, 6);
    expect(varianceOf(nb)).toBeCloseTo(3, 4);
    expect(negBinomial(1, 0.5).pmf).toEqual(poisson(1).pmf);
  });

  it('a sum of negative binomials is the negative binomial of the summed moments', () => {
    const two = sumOf(negBinomial(0.7, 2), 2);
    const direct = negBinomial(1.4, 4);
    direct.pmf.slice(0, 20).forEach((v, k) => expect(two.pmf[k] ?? 0).toBeCloseTo(v, 9));
  });

  it('expected shortage by hand', () => {
    const d = { pmf: [0.5, 0.25, 0.25] };
    expect(expectedShortage(d, 0)).toBeCloseTo(0.75, 12);
    expect(expectedShortage(d, 1)).toBeCloseTo(0.25, 12);
    expect(expectedShortage(d, 2)).toBe(0);
    expect(quantile(d, 0.5)).toBe(0);
    expect(quantile(d, 0.6)).toBe(1);
  });

  it('compound, shift and echelon aggregation', () => {
    const c = compound(0.2, shift(pointMass(0), 3));
    expect(c.pmf).toEqual([0.8, 0, 0, 0.2]);
    const e = aggregateEchelon([poisson(1), poisson(2)]);
    poisson(3)
      .pmf.slice(0, 15)
      .forEach((v, k) => expect(e.pmf[k] ?? 0).toBeCloseTo(v, 9));
    expect(meanOf(convolve(c, c))).toBeCloseTo(1.2, 12);
  });

  it('convolution adds means and keeps total mass', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        (a, b) => {
          const s = convolve(poisson(a), poisson(b));
          return Math.abs(total(s.pmf) - 1) < 1e-8 && Math.abs(meanOf(s) - (a + b)) < 1e-6;
        },
      ),
    );
  });
});

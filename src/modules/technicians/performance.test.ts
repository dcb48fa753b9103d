import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { performanceOf, PRIOR_WEIGHT, starRating } from './performance.js';

const now = new Date('2026-11-25T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('technician performance', () => {
  it('a technician with no reviews gets the store mean', () => {
    expect(starRating([], 4.3, now).stars).toBe(4.3);
  });
  it('shrinks a single perfect review toward the store mean', () => {
    const r = starRating([{ stars: 5, at: now }], 4.0, now);
    expect(r.stars).toBeCloseTo((5 + PRIOR_WEIGHT * 4) / (1 + PRIOR_WEIGHT), 1);
    expect(r.raw).toBe(5);
  });
  it('weights recent reviews more than old ones', () => {
    const recentGood = starRating(
      [
        { stars: 5, at: daysAgo(1) },
        { stars: 2, at: daysAgo(365) },
      ],
      3.5,
      now,
    );
    const recentBad = starRating(
      [
        { stars: 2, at: daysAgo(1) },
        { stars: 5, at: daysAgo(365) },
      ],
      3.5,
      now,
    );
    expect(recentGood.stars).toBeGreaterThan(recentBad.stars);
  });
  it('stays within 1–5 and between the sample and the prior (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 720 })), {
          maxLength: 60,
        }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (rs, mean) => {
          const reviews = rs.map(([s, d]) => ({ stars: s, at: daysAgo(d) }));
          const r = starRating(reviews, mean, now);
          expect(r.stars).toBeGreaterThanOrEqual(1);
          expect(r.stars).toBeLessThanOrEqual(5);
          if (r.raw !== null) {
            const lo = Math.min(r.raw, mean) - 0.051;
            const hi = Math.max(r.raw, mean) + 0.051;
            expect(r.stars).toBeGreaterThanOrEqual(lo);
            expect(r.stars).toBeLessThanOrEqual(hi);
          }
        },
      ),
    );
  });
  it('computes efficiency, first-time fix, comebacks and QC pass rate', () => {
    const p = performanceOf(
      {
        jobs: 20,
        standardMinutes: 900,
        actualMinutes: 1000,
        comebacks: 1,
        qcChecked: 20,
        qcFirstPass: 19,
        reviews: [],
      },
      4.5,
      now,
    );
    expect(p).toMatchObject({
      efficiency: 0.9,
      firstTimeFixRate: 0.95,
      comebackRate: 0.05,
      qcPassRate: 0.95,
      stars: 4.5,
    });
    expect(
      performanceOf(
        {
          jobs: 0,
          standardMinutes: 0,
          actualMinutes: 0,
          comebacks: 0,
          qcChecked: 0,
          qcFirstPass: 0,
          reviews: [],
        },
        4,
        now,
      ).efficiency,
    ).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dispatchRanking, travelMinutes, WEIGHTS } from './recommend.js';

const now = Date.UTC(2026, 5, 1, 2, 0); // 10:00 in Shanghai
const base = {
  distanceM: 3000,
  earliestStartMs: now + 3600_000,
  totalFen: 40_000,
  ratingAvg: 4.6,
  ratingCount: 50,
  certified: true,
  partsOnHand: 1,
};
const rank = dispatchRanking(8);

describe('store recommendation', () => {
  it('prefers nearer, sooner, better rated, cheaper, stocked — each reason says how much it weighed', () => {
    const r = rank(
      [
        { ...base, storeId: 'far', distanceM: 15_000 },
        { ...base, storeId: 'near' },
      ],
      now,
    );
    expect(r[0]!.facts.storeId).toBe('near');
    expect(r[0]!.reasons.map((x) => x.code)).toEqual(
      expect.arrayContaining(['travel', 'earliest', 'rating', 'price', 'parts', 'certified']),
    );
    const sum = r[0]!.reasons.reduce((s, x) => s + x.weight, 0);
    expect(Math.abs(sum - r[0]!.score)).toBeLessThan(0.01);
  });
  it('is monotone in each factor (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 48 }),
        (d, extra, h) => {
          const a = { ...base, storeId: 'a', distanceM: d, earliestStartMs: now + h * 3600_000 };
          const [x] = rank([a, { ...a, storeId: 'b', distanceM: d + extra }], now);
          expect(x!.facts.storeId).toBe('a');
          const [y] = rank(
            [a, { ...a, storeId: 'c', earliestStartMs: a.earliestStartMs + extra * 60_000 }],
            now,
          );
          expect(y!.facts.storeId).toBe('a');
          const [z] = rank([a, { ...a, storeId: 'd', totalFen: a.totalFen + extra }], now);
          expect(z!.facts.storeId).toBe('a');
        },
      ),
    );
  });
  it('estimates slower travel in the rush hour', () => {
    expect(travelMinutes(10_000, 8)).toBeGreaterThan(travelMinutes(10_000, 11));
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
});

import { describe, expect, it } from 'vitest';
import { mase, naiveMae, naiveMse, rmsse } from './metrics.js';

describe('MASE and RMSSE', () => {
  it('match hand computations', () => {
    const train = [1, 3, 2];
    expect(naiveMae(train)).toBeCloseTo(1.5, 12); // (2 + 1) / 2
    expect(naiveMse(train)).toBeCloseTo(2.5, 12); // (4 + 1) / 2
    expect(mase(train, [2, 2], 1)).toBeCloseTo(1 / 1.5, 12);
    expect(rmsse(train, [2, 2], 1)).toBeCloseTo(Math.sqrt(1 / 2.5), 12);
    expect(mase(train, [2, 4], [2, 2])).toBeCloseTo(1 / 1.5, 12);
    expect(rmsse(train, [2, 4], [2, 2])).toBeCloseTo(Math.sqrt(2 / 2.5), 12);
  });

  it('are null when the scale is zero', () => {
    expect(mase([0, 0, 0], [1], 0)).toBeNull();
    expect(rmsse([5, 5], [1], 0)).toBeNull();
    expect(mase([1], [1], 0)).toBeNull();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uniformCosts } from './instances.js';
import { solveLapAuction } from './lap-auction.js';
import { solveLapJv } from './lap-jv.js';

describe('solveLapAuction', () => {
  it('solves a textbook 3 × 3 instance', () => {
    const sol = solveLapAuction([4, 1, 3, 2, 0, 5, 3, 2, 2], 3);
    expect(sol.cost).toBe(5);
    expect([...sol.rowToCol]).toEqual([1, 0, 2]);
  });

  it('needs integer costs', () => {
    expect(() => solveLapAuction([0.5, 1, 2, 3], 2)).toThrow(/not an integer/);
    expect(() => solveLapAuction([1, 2, 3], 2)).toThrow(RangeError);
  });

  it('reports forbidden-only rows as unassigned', () => {
    const sol = solveLapAuction([1, Infinity, Infinity, 2, Infinity, Infinity, 5, 4, 3], 3);
    expect(sol.feasible).toBe(false);
    expect(sol.unassignedRows).toEqual([1]);
    expect(sol.cost).toBe(4);
  });

  it('matches the JV solver on random rectangular matrices with forbidden pairs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(3, 100, 1000),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        (rows, extra, seed, range, forbidShare) => {
          const cols = rows + extra;
          const costs = uniformCosts(rows, cols, range, seed);
          const mask = uniformCosts(rows, cols, 1000, seed + 1);
          for (let k = 0; k < costs.length; k++)
            if ((mask[k] as number) < forbidShare * 1000) costs[k] = Infinity;
          const a = solveLapAuction(costs, rows, cols);
          const b = solveLapJv(costs, rows, cols);
          expect(a.cost).toBe(b.cost);
          expect(a.unassignedRows.length).toBe(b.unassignedRows.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

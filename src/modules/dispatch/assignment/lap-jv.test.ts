import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cityTravelCosts, uniformCosts } from './instances.js';
import { solveLapAuction } from './lap-auction.js';
import { solveLapJv, type LapSolution } from './lap-jv.js';

/** Exhaustive optimum: most allowed pairs, then least cost (the solvers' contract). */
function bruteForce(
  costs: ArrayLike<number>,
  rows: number,
  cols: number,
): { assigned: number; cost: number } {
  let best = { assigned: -1, cost: Infinity };
  const used = new Array<boolean>(cols).fill(false);
  const walk = (i: number, assigned: number, cost: number): void => {
    if (i === rows) {
      if (assigned > best.assigned || (assigned === best.assigned && cost < best.cost))
        best = { assigned, cost };
      return;
    }
    walk(i + 1, assigned, cost);
    for (let j = 0; j < cols; j++) {
      const c = costs[i * cols + j] as number;
      if (used[j] || c === Infinity) continue;
      used[j] = true;
      walk(i + 1, assigned + 1, cost + c);
      used[j] = false;
    }
  };
  walk(0, 0, 0);
  return best;
}

/** Checks that the solution is an injective map consistent with its cost and status. */
function expectConsistent(sol: LapSolution, costs: ArrayLike<number>, rows: number, cols: number): void {
  const seen = new Set<number>();
  let cost = 0;
  for (let i = 0; i < rows; i++) {
    const j = sol.rowToCol[i] as number;
    if (j < 0) {
      expect(sol.unassignedRows).toContain(i);
      continue;
    }
    expect(j).toBeLessThan(cols);
    expect(seen.has(j)).toBe(false);
    seen.add(j);
    expect(sol.colToRow[j]).toBe(i);
    expect(costs[i * cols + j]).not.toBe(Infinity);
    cost += costs[i * cols + j] as number;
  }
  for (let j = 0; j < cols; j++) if (!seen.has(j)) expect(sol.colToRow[j]).toBe(-1);
  expect(sol.cost).toBe(cost);
  expect(sol.feasible).toBe(sol.unassignedRows.length === 0);
  expect(seen.size + sol.unassignedRows.length).toBe(rows);
}

/** Small integer matrices, rectangular (rows ≤ cols), some entries forbidden. */
const smallMatrix = fc
  .record({ rows: fc.integer({ min: 0, max: 6 }), extra: fc.integer({ min: 0, max: 2 }) })
  .chain(({ rows, extra }) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(rows + extra),
      costs: fc.array(
        fc.oneof(
          { weight: 5, arbitrary: fc.integer({ min: -20, max: 40 }) },
          { weight: 1, arbitrary: fc.constant(Infinity) },
        ),
        {
          minLength: rows * (rows + extra),
          maxLength: rows * (rows + extra),
        },
      ),
    }),
  );

describe('solveLapJv', () => {
  it('solves a textbook 3 × 3 instance', () => {
    const sol = solveLapJv([4, 1, 3, 2, 0, 5, 3, 2, 2], 3);
    expect(sol.cost).toBe(5);
    expect([...sol.rowToCol]).toEqual([1, 0, 2]);
    expect(sol.feasible).toBe(true);
  });

  it('assigns every row of a rectangular matrix and leaves columns free', () => {
    const sol = solveLapJv([9, 1, 9, 9, 9, 9, 9, 2], 2, 4);
    expect([...sol.rowToCol]).toEqual([1, 3]);
    expect(sol.cost).toBe(3);
    expect([...sol.colToRow]).toEqual([-1, 0, -1, 1]);
  });

  it('reports infeasible, with a maximum assignment, when rows compete for one allowed column', () => {
    const sol = solveLapJv([1, Infinity, Infinity, 2, Infinity, Infinity, 5, 4, 3], 3);
    // Rows 0 and 1 only allow column 0; one of them must stay out.
    expect(sol.feasible).toBe(false);
    expect(sol.unassignedRows).toEqual([1]);
    expect([...sol.rowToCol]).toEqual([0, -1, 2]);
    expect(sol.cost).toBe(1 + 3);
  });

  it('treats an all-forbidden matrix as nothing assignable', () => {
    const sol = solveLapJv([Infinity, Infinity, Infinity, Infinity], 2);
    expect(sol.feasible).toBe(false);
    expect(sol.unassignedRows).toEqual([0, 1]);
    expect(sol.cost).toBe(0);
  });

  it('handles empty and 1 × 1 problems', () => {
    expect(solveLapJv([], 0).cost).toBe(0);
    expect(solveLapJv([7], 1).cost).toBe(7);
    expect(solveLapJv([7, 3, 5], 1, 3).rowToCol[0]).toBe(1);
  });

  it('rejects NaN, −Infinity, bad shapes and rows > cols', () => {
    expect(() => solveLapJv([1, NaN, 2, 3], 2)).toThrow(RangeError);
    expect(() => solveLapJv([1, -Infinity, 2, 3], 2)).toThrow(RangeError);
    expect(() => solveLapJv([1, 2, 3], 2)).toThrow(/expected 2 × 2/);
    expect(() => solveLapJv([1, 2], 2, 1)).toThrow(/rows ≤ cols/);
    expect(() => solveLapJv([1, 2, 3, 4, 5, 6], 2, 3, { strategy: 'sparse' })).toThrow(/square/);
  });

  it('does not modify its input', () => {
    const costs = uniformCosts(80, 80, 100, 1);
    costs[5] = Infinity;
    const copy = costs.slice();
    solveLapJv(costs, 80);
    expect(costs).toEqual(copy);
  });

  it('matches brute force on small matrices, rectangular and with forbidden pairs', () => {
    fc.assert(
      fc.property(smallMatrix, ({ rows, cols, costs }) => {
        const best = bruteForce(costs, rows, cols);
        const sol = solveLapJv(costs, rows, cols);
        expectConsistent(sol, costs, rows, cols);
        expect(rows - sol.unassignedRows.length).toBe(best.assigned);
        expect(sol.cost).toBe(best.cost);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same optimum with the sparse and dense strategies (small candidate lists force repairs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(2, 10, 1000),
        fc.integer({ min: 2, max: 6 }),
        fc.boolean(),
        (n, seed, range, k, withForbidden) => {
          const costs = uniformCosts(n, n, range, seed);
          if (withForbidden)
            for (let t = 0; t < costs.length; t += 3) costs[(t * 7919) % costs.length] = Infinity;
          const sparse = solveLapJv(costs, n, n, { strategy: 'sparse', candidatesPerRow: k });
          const dense = solveLapJv(costs, n, n, { strategy: 'dense' });
          expectConsistent(sparse, costs, n, n);
          expect(sparse.cost).toBe(dense.cost);
          expect(sparse.unassignedRows.length).toBe(dense.unassignedRows.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with the auction solver on larger uniform and city instances', () => {
    for (const seed of [1, 2, 3]) {
      for (const costs of [uniformCosts(150, 150, 1000, seed), cityTravelCosts(150, 150, seed)]) {
        const jv = solveLapJv(costs, 150);
        expectConsistent(jv, costs, 150, 150);
        expect(jv.cost).toBe(solveLapAuction(costs, 150).cost);
      }
    }
  });

  it('stays exact on the sparse path with column offsets, forbidden pairs and NaN checks (n = 100)', () => {
    const n = 100;
    // Columns of very different price make raw-cost candidates useless: the reduced-cost reselection and
    // the dense certification must still find the optimum.
    const offsets = uniformCosts(n, n, 1000, 11).map((c, k) => c + (k % n) * 500);
    const jv = solveLapJv(offsets, n);
    expectConsistent(jv, offsets, n, n);
    expect(jv.cost).toBe(solveLapAuction(offsets, n).cost);
    expect(jv.cost).toBe(solveLapJv(offsets, n, n, { strategy: 'dense' }).cost);
    const forbidden = uniformCosts(n, n, 50, 12);
    for (let k = 0; k < forbidden.length; k += 2) forbidden[k] = Infinity;
    const withForbidden = solveLapJv(forbidden, n);
    expectConsistent(withForbidden, forbidden, n, n);
    expect(withForbidden.cost).toBe(solveLapAuction(forbidden, n).cost);
    forbidden[77] = NaN;
    expect(() => solveLapJv(forbidden, n)).toThrow(RangeError);
  });

  it('is exact on fractional costs too (against brute force)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const costs = uniformCosts(n, n, 1000, seed).map((c) => c / 7);
        const best = bruteForce(costs, n, n);
        expect(solveLapJv(costs, n).cost).toBeCloseTo(best.cost, 9);
      }),
      { numRuns: 100 },
    );
  });
});

describe('cost generators', () => {
  it('are deterministic per seed and in range', () => {
    expect(uniformCosts(20, 30, 1000, 7)).toEqual(uniformCosts(20, 30, 1000, 7));
    expect(uniformCosts(20, 30, 1000, 7)).not.toEqual(uniformCosts(20, 30, 1000, 8));
    const u = uniformCosts(50, 50, 1000, 3);
    expect(u.every((c) => Number.isInteger(c) && c >= 0 && c < 1000)).toBe(true);
    const city = cityTravelCosts(50, 60, 3);
    expect(city).toHaveLength(3000);
    // The diagonal of a 30 km square at 30 km/h is about 85 minutes.
    expect(city.every((c) => Number.isInteger(c) && c >= 0 && c <= 85)).toBe(true);
  });
});

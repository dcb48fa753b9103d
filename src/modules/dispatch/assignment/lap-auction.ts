/**
 * Independent cross-check for {@link solveLapJv}: Bertsekas' forward auction algorithm with ε-scaling,
 * exact on integer costs. It shares no code path with the JV solver (no shortest paths, no reductions).
 *
 * Integer costs are multiplied by (n + 1) and the last phase uses ε = 1 < (n + 1) / n, so the final
 * ε-complementary-slackness assignment is optimal (Bertsekas 1988). Everything stays integral, so the
 * arithmetic is exact while (n + 1) · max|cost| · n stays below 2^53.
 *
 * Rectangular problems are padded with zero-cost rows; forbidden pairs (+Infinity) get a cost large
 * enough that the optimum uses as few of them as possible, as in the JV solver's contract.
 */
import type { LapSolution } from './lap-jv.js';

/** Options of {@link solveLapAuction}. */
export interface AuctionOptions {
  /** ε is divided by this factor between scaling phases (default 6). */
  readonly scalingFactor?: number;
}

/** Solves the same problem as `solveLapJv` (rows ≤ cols, integer or +Infinity costs) by auction. */
export function solveLapAuction(
  costs: ArrayLike<number>,
  rows: number,
  cols: number = rows,
  options: AuctionOptions = {},
): LapSolution {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || rows > cols) {
    throw new RangeError(`auction: needs integers 0 ≤ rows ≤ cols, got ${rows} × ${cols}`);
  }
  if (costs.length !== rows * cols) {
    throw new RangeError(`auction: costs has ${costs.length} entries, expected ${rows * cols}`);
  }
  const n = cols;
  const rowToCol = new Int32Array(rows).fill(-1);
  const colToRow = new Int32Array(cols).fill(-1);
  if (rows === 0) return { feasible: true, cost: 0, rowToCol, colToRow, unassignedRows: [] };

  // Finite range, to price forbidden pairs above any mix of allowed ones.
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < costs.length; k++) {
    const c = costs[k] as number;
    if (c === Infinity) continue;
    if (!Number.isInteger(c))
      throw new RangeError(`auction: cost[${k}] = ${c} is not an integer or +Infinity`);
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  if (lo === Infinity) {
    return { feasible: false, cost: 0, rowToCol, colToRow, unassignedRows: [...Array(rows).keys()] };
  }
  const forbiddenCost = hi + (rows + 1) * (hi - lo + 1);
  const scale = n + 1;
  // Benefits (to maximise): a = −cost · scale; padding rows have benefit 0 everywhere.
  const a = new Float64Array(n * n);
  let maxAbs = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < n; j++) {
      const c = costs[i * cols + j] as number;
      const b = -(c === Infinity ? forbiddenCost : c) * scale;
      a[i * n + j] = b;
      if (Math.abs(b) > maxAbs) maxAbs = Math.abs(b);
    }
  }
  if (maxAbs * n * 4 > Number.MAX_SAFE_INTEGER) {
    throw new RangeError('auction: costs too large for exact integer arithmetic');
  }

  const owner = auction(a, n, maxAbs, options.scalingFactor ?? 6);
  let cost = 0;
  const unassignedRows: number[] = [];
  for (let j = 0; j < n; j++) {
    const i = owner[j] as number;
    if (i >= rows) continue;
    const c = costs[i * cols + j] as number;
    if (c === Infinity) {
      unassignedRows.push(i);
    } else {
      rowToCol[i] = j;
      colToRow[j] = i;
      cost += c;
    }
  }
  unassignedRows.sort((p, q) => p - q);
  return { feasible: unassignedRows.length === 0, cost, rowToCol, colToRow, unassignedRows };
}

/** Gauss–Seidel forward auction with ε-scaling on an n × n integer benefit matrix; returns column owners. */
function auction(a: Float64Array, n: number, maxAbs: number, theta: number): Int32Array {
  const price = new Float64Array(n);
  const owner = new Int32Array(n);
  const assigned = new Int32Array(n);
  const queue = new Int32Array(n);
  let eps = Math.max(1, Math.floor(maxAbs / theta));
  for (;;) {
    owner.fill(-1);
    assigned.fill(-1);
    for (let i = 0; i < n; i++) queue[i] = i;
    let size = n;
    while (size > 0) {
      const i = queue[--size] as number;
      const base = i * n;
      let w1 = -Infinity;
      let w2 = -Infinity;
      let j1 = 0;
      for (let j = 0; j < n; j++) {
        const w = (a[base + j] as number) - (price[j] as number);
        if (w > w2) {
          if (w > w1) {
            w2 = w1;
            w1 = w;
            j1 = j;
          } else {
            w2 = w;
          }
        }
      }
      // With one column the bid only needs to beat nobody.
      const increment = w2 === -Infinity ? eps : w1 - w2 + eps;
      price[j1] = (price[j1] as number) + increment;
      const prev = owner[j1] as number;
      owner[j1] = i;
      assigned[i] = j1;
      if (prev >= 0) {
        assigned[prev] = -1;
        queue[size++] = prev;
      }
    }
    if (eps === 1) return owner;
    eps = Math.max(1, Math.floor(eps / theta));
  }
}

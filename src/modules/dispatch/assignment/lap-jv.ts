/**
 * Dense linear assignment (LAP) solver after Jonker & Volgenant (1987): column reduction,
 * reduction transfer, augmenting row reduction and shortest augmenting paths, on typed arrays.
 *
 * Costs are a row-major `rows × cols` matrix with `rows ≤ cols`; every row gets a distinct column.
 * A pair whose cost is `+Infinity` is forbidden. When no assignment of every row to an allowed column
 * exists, the result is `feasible: false` and holds a maximum-cardinality assignment of least cost
 * (rows left out have `rowToCol[i] === -1`).
 */
import { jvSparseCore } from './lap-jv-sparse.js';

/** Result of {@link solveLapJv} and of the cross-check solver. */
export interface LapSolution {
  /** True when every row got an allowed (finite-cost) column. */
  readonly feasible: boolean;
  /** Sum of the costs of the assigned pairs (forbidden pairs are never counted). */
  readonly cost: number;
  /** Column assigned to each row, or -1 for a row left out (only when infeasible). */
  readonly rowToCol: Int32Array;
  /** Row assigned to each column, or -1 for an unused column. */
  readonly colToRow: Int32Array;
  /** Rows left out, ascending (empty when feasible). */
  readonly unassignedRows: readonly number[];
}

/** Throws a RangeError unless `costs` is a rows × cols matrix with 0 ≤ rows ≤ cols. */
function checkLapShape(costs: ArrayLike<number>, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`LAP: rows and cols must be non-negative integers, got ${rows} × ${cols}`);
  }
  if (rows > cols) {
    throw new RangeError(
      `LAP: needs rows ≤ cols, got ${rows} × ${cols} (transpose or pad with forbidden columns)`,
    );
  }
  if (costs.length !== rows * cols) {
    throw new RangeError(
      `LAP: costs has ${costs.length} entries, expected ${rows} × ${cols} = ${rows * cols}`,
    );
  }
}

/**
 * A finite stand-in M for forbidden pairs: any assignment with k ≥ 1 forbidden pairs then costs more than
 * any with k − 1, so the optimum first maximises the number of allowed pairs, then minimises their cost.
 * Returns a copy of `costs` with `+Infinity` replaced, or null when every entry is forbidden. Exact for
 * integer costs while rows · (max − min) stays well below 2^53.
 */
function replaceForbidden(costs: ArrayLike<number>, rows: number): Float64Array | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < costs.length; k++) {
    const c = costs[k] as number;
    if (c === Infinity) continue;
    if (!Number.isFinite(c))
      throw new RangeError(`LAP: cost[${k}] is ${c}; use +Infinity for forbidden pairs`);
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  if (lo === Infinity) return null;
  // Needed: M + (rows − k)·lo > (rows − k + 1)·hi, i.e. M > hi + (rows − k)·(hi − lo), for all k ≥ 1.
  const big = hi + rows * (hi - lo + 1);
  const out = new Float64Array(costs.length);
  for (let k = 0; k < costs.length; k++) {
    const c = costs[k] as number;
    out[k] = c === Infinity ? big : c;
  }
  return out;
}

/** Builds the public result from a complete assignment on (possibly substituted) costs. */
function finishLapSolution(
  original: ArrayLike<number>,
  rows: number,
  cols: number,
  x: Int32Array,
  y: Int32Array,
): LapSolution {
  let cost = 0;
  const unassignedRows: number[] = [];
  for (let i = 0; i < rows; i++) {
    const j = x[i] as number;
    const c = j < 0 ? Infinity : (original[i * cols + j] as number);
    if (c === Infinity) {
      unassignedRows.push(i);
      if (j >= 0) y[j] = -1;
      x[i] = -1;
    } else {
      cost += c;
    }
  }
  return { feasible: unassignedRows.length === 0, cost, rowToCol: x, colToRow: y, unassignedRows };
}

/** Tuning knobs of {@link solveLapJv}; the defaults suit dense matrices of any size. */
export interface LapJvOptions {
  /**
   * `dense`: textbook JV, O(n) work per scanned row. `sparse`: square only; solve on each row's cheapest
   * candidates, then certify optimality on the full matrix and repair (exact, much faster on large
   * matrices). `auto` (default): `sparse` for square matrices from 64 rows, else `dense`.
   */
  readonly strategy?: 'auto' | 'dense' | 'sparse';
  /** Typical number of candidates kept per row by the sparse strategy (default 32). */
  readonly candidatesPerRow?: number;
}

/**
 * Solves min Σ costs[i·cols + rowToCol[i]] over injective row → column maps (rows ≤ cols).
 * `costs` may be any numeric array; a Float64Array with only finite entries is used in place (not copied).
 */
export function solveLapJv(
  costs: ArrayLike<number>,
  rows: number,
  cols: number = rows,
  options: LapJvOptions = {},
): LapSolution {
  checkLapShape(costs, rows, cols);
  const strategy = options.strategy ?? 'auto';
  if (strategy === 'sparse' && rows !== cols) {
    throw new RangeError(`LAP: the sparse strategy needs a square matrix, got ${rows} × ${cols}`);
  }
  const sparse = strategy === 'sparse' || (strategy === 'auto' && rows === cols && rows >= 64);
  const x = new Int32Array(rows).fill(-1);
  const y = new Int32Array(cols).fill(-1);
  if (rows === 0) return { feasible: true, cost: 0, rowToCol: x, colToRow: y, unassignedRows: [] };

  let work: Float64Array | null = costs instanceof Float64Array ? costs : Float64Array.from(costs);
  // The sparse core checks finiteness in its first pass, saving a pass on the common all-finite input.
  if (sparse && jvSparseCore(work, rows, options.candidatesPerRow ?? 32, x, y)) {
    return finishLapSolution(costs, rows, cols, x, y);
  }
  if (sparse || !allFinite(work)) {
    work = replaceForbidden(work, rows);
    if (work === null) return finishLapSolution(costs, rows, cols, x, y);
  }
  if (sparse) jvSparseCore(work, rows, options.candidatesPerRow ?? 32, x, y);
  else jvCore(work, rows, cols, x, y);
  return finishLapSolution(costs, rows, cols, x, y);
}

/** True when no entry is ±Infinity or NaN (one pass, sum trick with an exact fallback). */
function allFinite(c: Float64Array): boolean {
  let s = 0;
  for (let k = 0; k < c.length; k++) s += c[k] as number;
  if (Number.isFinite(s)) return true;
  for (let k = 0; k < c.length; k++) if (!Number.isFinite(c[k] as number)) return false;
  return true; // the sum overflowed on large finite values
}

/**
 * The JV algorithm on a finite cost matrix. Fills `x` (row → col) and `y` (col → row) and returns the
 * column prices `v`; reduced costs c[i][j] − v[j] are minimal at x[i] for every row.
 *
 * Square matrices get column reduction and reduction transfer; rectangular ones start from v = 0 so that
 * unused columns keep price 0 (the LP optimality condition when some columns stay free).
 */
function jvCore(c: Float64Array, n: number, m: number, x: Int32Array, y: Int32Array): Float64Array {
  const v = new Float64Array(m);
  const free = new Int32Array(n);
  let numFree = 0;

  if (n === m) {
    // Column reduction: v[j] = min_i c[i][j], scanned row by row for cache locality.
    const colArg = new Int32Array(m).fill(-1);
    v.fill(Infinity);
    for (let i = 0; i < n; i++) {
      const base = i * m;
      for (let j = 0; j < m; j++) {
        const h = c[base + j] as number;
        if (h < (v[j] as number)) {
          v[j] = h;
          colArg[j] = i;
        }
      }
    }
    const matches = new Int32Array(n);
    for (let j = m - 1; j >= 0; j--) {
      const i = colArg[j] as number;
      const cnt = matches[i] as number;
      matches[i] = cnt + 1;
      if (cnt === 0) {
        x[i] = j;
        y[j] = i;
      }
    }
    // Reduction transfer: a row matched once passes its slack to its column.
    for (let i = 0; i < n; i++) {
      const cnt = matches[i] as number;
      if (cnt === 0) {
        free[numFree++] = i;
      } else if (cnt === 1) {
        const j1 = x[i] as number;
        const base = i * m;
        let min = Infinity;
        for (let j = 0; j < m; j++) {
          if (j === j1) continue;
          const h = (c[base + j] as number) - (v[j] as number);
          if (h < min) min = h;
        }
        if (min !== Infinity) v[j1] = (v[j1] as number) - min;
      }
    }
  } else {
    for (let i = 0; i < n; i++) free[i] = i;
    numFree = n;
  }

  if (m >= 2) numFree = augmentingRowReduction(c, n, m, x, y, v, free, numFree);
  shortestAugmentingPaths(c, m, x, y, v, free, numFree);
  return v;
}

/** Two passes of augmenting row reduction (an auction with zero increment). Returns the new free count. */
function augmentingRowReduction(
  c: Float64Array,
  n: number,
  m: number,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  free: Int32Array,
  numFree: number,
): number {
  // Bound the work so that near-ties in floating-point costs cannot make a long price war.
  let budget = 8 * n + 64;
  for (let pass = 0; pass < 2; pass++) {
    let k = 0;
    const prev = numFree;
    numFree = 0;
    while (k < prev) {
      const i = free[k++] as number;
      if (budget-- <= 0) {
        free[numFree++] = i;
        continue;
      }
      const base = i * m;
      let u1 = (c[base] as number) - (v[0] as number);
      let j1 = 0;
      let u2 = Infinity;
      let j2 = -1;
      for (let j = 1; j < m; j++) {
        const h = (c[base + j] as number) - (v[j] as number);
        if (h < u2) {
          if (h >= u1) {
            u2 = h;
            j2 = j;
          } else {
            u2 = u1;
            u1 = h;
            j2 = j1;
            j1 = j;
          }
        }
      }
      let i0 = y[j1] as number;
      if (u1 < u2) {
        v[j1] = (v[j1] as number) - (u2 - u1);
      } else if (i0 >= 0) {
        j1 = j2;
        i0 = y[j2] as number;
      }
      x[i] = j1;
      y[j1] = i;
      if (i0 >= 0) {
        x[i0] = -1;
        if (u1 < u2) free[--k] = i0;
        else free[numFree++] = i0;
      }
    }
  }
  return numFree;
}

/** Dijkstra-like shortest augmenting path from each free row, updating prices of scanned columns. */
function shortestAugmentingPaths(
  c: Float64Array,
  m: number,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  free: Int32Array,
  numFree: number,
): void {
  const d = new Float64Array(m);
  const pred = new Int32Array(m);
  const col = new Int32Array(m);
  for (let f = 0; f < numFree; f++) {
    const start = free[f] as number;
    const sBase = start * m;
    for (let j = 0; j < m; j++) {
      d[j] = (c[sBase + j] as number) - (v[j] as number);
      pred[j] = start;
      col[j] = j;
    }
    // col[0..low) scanned, col[low..up) at the current minimum distance, col[up..m) the rest.
    let low = 0;
    let up = 0;
    let minD = 0;
    let end = -1;
    while (end < 0) {
      if (up === low) {
        minD = d[col[up++] as number] as number;
        for (let k = up; k < m; k++) {
          const j = col[k] as number;
          const h = d[j] as number;
          if (h <= minD) {
            if (h < minD) {
              up = low;
              minD = h;
            }
            col[k] = col[up] as number;
            col[up++] = j;
          }
        }
        for (let k = low; k < up; k++) {
          const j = col[k] as number;
          if ((y[j] as number) < 0) {
            end = j;
            break;
          }
        }
        if (end >= 0) break;
      }
      const j1 = col[low++] as number;
      const i = y[j1] as number;
      const base = i * m;
      const h = (c[base + j1] as number) - (v[j1] as number) - minD;
      for (let k = up; k < m; k++) {
        const j = col[k] as number;
        const dj = (c[base + j] as number) - (v[j] as number) - h;
        if (dj < (d[j] as number)) {
          pred[j] = i;
          if (dj === minD) {
            if ((y[j] as number) < 0) {
              end = j;
              break;
            }
            col[k] = col[up] as number;
            col[up++] = j;
          }
          d[j] = dj;
        }
      }
    }
    // Scanned columns get cheaper by their slack to the path length.
    for (let k = 0; k < low; k++) {
      const j = col[k] as number;
      v[j] = (v[j] as number) + (d[j] as number) - minD;
    }
    // Flip the alternating path back to the start row.
    let j = end;
    for (;;) {
      const i = pred[j] as number;
      y[j] = i;
      const next = x[i] as number;
      x[i] = j;
      if (i === start) break;
      j = next;
    }
  }
}

/**
 * Exact JV on a dense square matrix through a sparse candidate graph: solve sparse, certify dense.
 *
 * 1. One pass over the matrix: each row keeps the columns within δ of its cheapest (δ sampled so that a
 *    typical row keeps about k; on reduced costs c[i][j] − v[j] in a second pass when column prices
 *    differ widely). Column reduction uses the least listed cost of each column, v[j], and every column
 *    joins the list of the row attaining it.
 * 2. Reduction transfer, augmenting row reduction and Dijkstra shortest augmenting paths run on the lists
 *    only: O(list) per scanned row instead of O(n).
 * 3. A dense pass certifies LP optimality: with u[i] = c[i][x[i]] − v[x[i]], every entry must satisfy
 *    c[i][j] − v[j] ≥ u[i]. A row whose u is at most its floor (a bound, fixed at selection, on what it
 *    left out; prices only fall) passes without reading its dense row. Violating entries join their
 *    row's list, the row is freed and re-augmented; later passes re-check only rows whose u may have
 *    grown. A search that reaches no free column gives its start row every column.
 *
 * The result is an optimum of the full matrix, not just of the candidate graph.
 */

/**
 * Growable per-row candidate lists in one pool: column indices and, alongside, their costs, so that a
 * scan reads one contiguous stretch instead of scattered entries of the dense matrix.
 */
class CandidateLists {
  start: Int32Array;
  len: Int32Array;
  cap: Int32Array;
  pool: Int32Array;
  cost: Float64Array;
  /**
   * Per row, a lower bound on c[i][j] − v[j] over the columns j not in its list. It stays valid because
   * prices v only fall and lists only grow, so a row whose u is at most this bound needs no dense check.
   */
  floor: Float64Array;
  used = 0;

  constructor(rows: number, perRow: number) {
    this.floor = new Float64Array(rows).fill(-Infinity);
    this.start = new Int32Array(rows);
    this.len = new Int32Array(rows);
    this.cap = new Int32Array(rows);
    this.pool = new Int32Array(Math.max(16, rows * perRow));
    this.cost = new Float64Array(this.pool.length);
  }

  add(i: number, j: number, cost: number): void {
    const len = this.len[i] as number;
    if (len === this.cap[i]) this.grow(i, Math.max(8, len * 2));
    const at = (this.start[i] as number) + len;
    this.pool[at] = j;
    this.cost[at] = cost;
    this.len[i] = len + 1;
  }

  /** Room for `extra` more entries at the end of the pool. */
  reserve(extra: number): void {
    if (this.used + extra <= this.pool.length) return;
    const size = Math.max(this.pool.length * 2, this.used + extra);
    const pool = new Int32Array(size);
    pool.set(this.pool.subarray(0, this.used));
    this.pool = pool;
    const cost = new Float64Array(size);
    cost.set(this.cost.subarray(0, this.used));
    this.cost = cost;
  }

  /** Moves row i's list to the end of the pool with room for `cap` entries. */
  grow(i: number, cap: number): void {
    this.reserve(cap);
    const s = this.start[i] as number;
    const e = s + (this.len[i] as number);
    this.pool.copyWithin(this.used, s, e);
    this.cost.copyWithin(this.used, s, e);
    this.start[i] = this.used;
    this.cap[i] = cap;
    this.used += cap;
  }
}

/** Binary min-heap of (distance, column) pairs with lazy deletion. */
class DistHeap {
  keys = new Float64Array(1024);
  vals = new Int32Array(1024);
  size = 0;

  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const v = new Int32Array(this.size * 2);
      v.set(this.vals);
      this.vals = v;
    }
    const keys = this.keys;
    const vals = this.vals;
    let p = this.size++;
    while (p > 0) {
      const q = (p - 1) >> 1;
      const kq = keys[q] as number;
      if (kq <= key) break;
      keys[p] = kq;
      vals[p] = vals[q] as number;
      p = q;
    }
    keys[p] = key;
    vals[p] = val;
  }

  /** Removes the minimum; read `topKey`/`topVal` first. */
  pop(): void {
    const keys = this.keys;
    const vals = this.vals;
    const n = --this.size;
    if (n === 0) return;
    const key = keys[n] as number;
    const val = vals[n] as number;
    let p = 0;
    for (;;) {
      let q = 2 * p + 1;
      if (q >= n) break;
      if (q + 1 < n && (keys[q + 1] as number) < (keys[q] as number)) q++;
      const kq = keys[q] as number;
      if (kq >= key) break;
      keys[p] = kq;
      vals[p] = vals[q] as number;
      p = q;
    }
    keys[p] = key;
    vals[p] = val;
  }
}

/**
 * Solves the square n × n problem; fills x (row → col) and y (col → row). Returns false, touching
 * nothing, when an entry is not finite (the caller then substitutes forbidden pairs and calls again).
 */
export function jvSparseCore(c: Float64Array, n: number, k: number, x: Int32Array, y: Int32Array): boolean {
  const m = n;
  const v = new Float64Array(m).fill(Infinity);
  const colArg = new Int32Array(m).fill(-1);
  const lists = new CandidateLists(n, Math.max(2, Math.min(k, m)) + 2);
  if (!selectCandidates(c, n, Math.max(2, Math.min(k, m)), lists, v, colArg)) return false;

  // Column reduction and reduction transfer (as in dense JV, transfer over the lists).
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
  const freeRows: number[] = [];
  for (let i = 0; i < n; i++) {
    const cnt = matches[i] as number;
    if (cnt === 0) {
      freeRows.push(i);
    } else if (cnt === 1) {
      const j1 = x[i] as number;
      const s = lists.start[i] as number;
      const e = s + (lists.len[i] as number);
      const pool = lists.pool;
      const lcost = lists.cost;
      let min = Infinity;
      for (let p = s; p < e; p++) {
        const j = pool[p] as number;
        if (j === j1) continue;
        const h = (lcost[p] as number) - (v[j] as number);
        if (h < min) min = h;
      }
      if (min !== Infinity) v[j1] = (v[j1] as number) - min;
    }
  }

  let pending = sparseRowReduction(lists, x, y, v, freeRows);
  const sap = new SparseAugmenter(c, m, lists, x, y, v);
  const stamp = new Int32Array(m).fill(-1);
  for (let round = 0; ; round++) {
    for (const r of pending) sap.augment(r);
    pending = certify(c, n, lists, x, y, v, stamp, round === 0 ? null : sap.dirty);
    if (pending.length === 0) return true;
  }
}

/**
 * Candidate selection in one pass: per row, the entries whose cost minus `offset[j]` is within `delta`
 * of the row's smallest such value (at least `kmin` of them); the row's `floor` becomes the bound on the
 * offset costs left out. Entries are kept against the running minimum and filtered at the row's end, so
 * each entry is read once. With `offset` null (raw costs) the pass also returns false when an entry is
 * not finite.
 */
function selectRows(
  c: Float64Array,
  n: number,
  delta: number,
  kmin: number,
  lists: CandidateLists,
  offset: Float64Array | null,
): boolean {
  const m = n;
  const bv = new Float64Array(kmin);
  const bj = new Int32Array(kmin);
  const zero = new Float64Array(m);
  let finite = true;
  lists.used = 0;
  for (let i = 0; i < n; i++) {
    const base = i * m;
    lists.reserve(m);
    const pool = lists.pool;
    const lcost = lists.cost;
    const start = lists.used;
    let used = start;
    let rowMin = Infinity;
    let limit = Infinity;
    if (offset === null) {
      for (let j = 0; j < m; j++) {
        const h = c[base + j] as number;
        // h − h is NaN exactly when h is ±Infinity or NaN; no loop-carried dependency, unlike a sum.
        if (h - h !== 0) finite = false;
        if (h <= limit) {
          if (h < rowMin) {
            rowMin = h;
            limit = h + delta;
          }
          pool[used] = j;
          lcost[used++] = h;
        }
      }
      let w = start;
      for (let p = start; p < used; p++) {
        const h = lcost[p] as number;
        if (h <= limit) {
          pool[w] = pool[p] as number;
          lcost[w++] = h;
        }
      }
      used = w;
    } else {
      for (let j = 0; j < m; j++) {
        const h = c[base + j] as number;
        const r = h - (offset[j] as number);
        if (r <= limit) {
          if (r < rowMin) {
            rowMin = r;
            limit = r + delta;
          }
          pool[used] = j;
          lcost[used++] = h;
        }
      }
      let w = start;
      for (let p = start; p < used; p++) {
        const j = pool[p] as number;
        const h = lcost[p] as number;
        if (h - (offset[j] as number) <= limit) {
          pool[w] = j;
          lcost[w++] = h;
        }
      }
      used = w;
    }
    lists.floor[i] = limit;
    if (used - start < kmin) {
      used = start;
      smallest(c, base, m, kmin, bv, bj, offset ?? zero);
      for (let p = 0; p < kmin; p++) {
        const j = bj[p] as number;
        pool[used] = j;
        lcost[used++] = c[base + j] as number;
      }
      lists.floor[i] = bv[kmin - 1] as number;
    }
    lists.start[i] = start;
    lists.len[i] = used - start;
    lists.cap[i] = used - start;
    lists.used = used;
  }
  return finite;
}

/**
 * Fills `lists` and the column minima (over the lists). One pass selects on raw costs; when the minima
 * spread wider than the selection window (columns of very different price, as in a city with empty
 * districts), a second pass selects on reduced costs c[i][j] − colMin[j] instead, which follows where
 * columns are scarce. Every column also joins the list of the row attaining its minimum. False when an
 * entry is not finite.
 */
function selectCandidates(
  c: Float64Array,
  n: number,
  k: number,
  lists: CandidateLists,
  colMin: Float64Array,
  colArg: Int32Array,
): boolean {
  const m = n;
  const kmin = Math.min(4, m);
  const rawDelta = sampleDelta(c, n, k, new Float64Array(m));
  if (!selectRows(c, n, rawDelta, kmin, lists, null)) return false;
  columnMinima(c, n, lists, colMin, colArg);
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < m; j++) {
    const h = colMin[j] as number;
    if (h < lo) lo = h;
    if (h > hi) hi = h;
  }
  if (hi - lo > rawDelta) {
    // Left-out entries have c − colMin above the floor, and v ≤ colMin from here on.
    selectRows(c, n, sampleDelta(c, n, k, colMin), kmin, lists, colMin);
    // Lower the minima to the new lists' (prices only fall, so the floors stay valid).
    columnMinima(c, n, lists, colMin, colArg);
  } else {
    // Left-out entries have raw cost above the floor, and v ≤ colMin ≤ hi from here on.
    for (let i = 0; i < n; i++) lists.floor[i] = (lists.floor[i] as number) - hi;
  }
  for (let j = 0; j < m; j++) {
    const i = colArg[j] as number;
    if (!inList(lists, i, j)) lists.add(i, j, colMin[j] as number);
  }
  return true;
}

/**
 * Column "minima" for the column reduction: the least listed cost of each column (a column in no list
 * gets its true minimum by a column scan). Listed entries then have reduced cost ≥ 0, which is all the
 * sparse phases need; entries left out are covered by the dense certification.
 */
function columnMinima(
  c: Float64Array,
  n: number,
  lists: CandidateLists,
  colMin: Float64Array,
  colArg: Int32Array,
): void {
  const m = n;
  for (let i = 0; i < n; i++) {
    const e = (lists.start[i] as number) + (lists.len[i] as number);
    for (let p = lists.start[i] as number; p < e; p++) {
      const j = lists.pool[p] as number;
      const h = lists.cost[p] as number;
      if (h < (colMin[j] as number)) {
        colMin[j] = h;
        colArg[j] = i;
      }
    }
  }
  for (let j = 0; j < m; j++) {
    if (colArg[j] !== -1) continue;
    for (let i = 0; i < n; i++) {
      const h = c[i * m + j] as number;
      if (h < (colMin[j] as number)) {
        colMin[j] = h;
        colArg[j] = i;
      }
    }
  }
}

/** The `kk` smallest reduced entries c[base + j] − v[j] into bv/bj, ascending. */
function smallest(
  c: Float64Array,
  base: number,
  m: number,
  kk: number,
  bv: Float64Array,
  bj: Int32Array,
  v: Float64Array,
): void {
  bv.fill(Infinity);
  for (let j = 0; j < m; j++) {
    const h = (c[base + j] as number) - (v[j] as number);
    if (h < (bv[kk - 1] as number)) {
      let p = kk - 1;
      while (p > 0 && (bv[p - 1] as number) > h) {
        bv[p] = bv[p - 1] as number;
        bj[p] = bj[p - 1] as number;
        p--;
      }
      bv[p] = h;
      bj[p] = j;
    }
  }
}

/** Median, over up to 16 evenly spaced rows, of (k-th smallest − smallest) reduced cost of the row. */
function sampleDelta(c: Float64Array, n: number, k: number, v: Float64Array): number {
  const m = n;
  const kk = Math.min(k, m);
  const samples = Math.min(16, n);
  const bv = new Float64Array(kk);
  const bj = new Int32Array(kk);
  const gaps: number[] = [];
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(((s + 0.5) * n) / samples);
    smallest(c, i * m, m, kk, bv, bj, v);
    gaps.push((bv[kk - 1] as number) - (bv[0] as number));
  }
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1] as number;
}

function inList(lists: CandidateLists, i: number, j: number): boolean {
  const s = lists.start[i] as number;
  const e = s + (lists.len[i] as number);
  for (let p = s; p < e; p++) if (lists.pool[p] === j) return true;
  return false;
}

/** Augmenting row reduction over the lists; returns the rows still free. */
function sparseRowReduction(
  lists: CandidateLists,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  freeRows: number[],
): number[] {
  let current = freeRows;
  let budget = 8 * current.length + 64;
  for (let pass = 0; pass < 2; pass++) {
    const next: number[] = [];
    // A stack: a row displaced by a strict price increase is retried at once, as in JV.
    const stack = current.reverse();
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (budget-- <= 0) {
        next.push(i);
        continue;
      }
      const pool = lists.pool;
      const lcost = lists.cost;
      const s = lists.start[i] as number;
      const e = s + (lists.len[i] as number);
      let u1 = Infinity;
      let u2 = Infinity;
      let j1 = -1;
      let j2 = -1;
      for (let p = s; p < e; p++) {
        const j = pool[p] as number;
        const h = (lcost[p] as number) - (v[j] as number);
        if (h < u2) {
          if (h >= u1) {
            u2 = h;
            j2 = j;
          } else {
            u2 = u1;
            j2 = j1;
            u1 = h;
            j1 = j;
          }
        }
      }
      if (u2 === Infinity) {
        next.push(i);
        continue;
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
        if (u1 < u2) stack.push(i0);
        else next.push(i0);
      }
    }
    current = next;
  }
  return current;
}

/** Dijkstra shortest augmenting paths on the candidate lists, with reusable scratch arrays. */
class SparseAugmenter {
  private readonly d: Float64Array;
  private readonly pred: Int32Array;
  /** 0 = untouched, 1 = labelled, 2 = scanned, 3 = at the current minimum, waiting to be scanned. */
  private readonly state: Uint8Array;
  private readonly touched: Int32Array;
  private readonly scanned: Int32Array;
  private readonly level: Int32Array;
  private readonly heap = new DistHeap();
  /** Rows whose u may have grown since the last certification. */
  readonly dirty: Uint8Array;

  constructor(
    private readonly c: Float64Array,
    private readonly m: number,
    private readonly lists: CandidateLists,
    private readonly x: Int32Array,
    private readonly y: Int32Array,
    private readonly v: Float64Array,
  ) {
    this.d = new Float64Array(m);
    this.pred = new Int32Array(m);
    this.state = new Uint8Array(m);
    this.touched = new Int32Array(m);
    this.scanned = new Int32Array(m);
    this.level = new Int32Array(m);
    this.dirty = new Uint8Array(m);
  }

  /** Assigns the free row `start`. */
  augment(start: number): void {
    while (!this.search(start)) {
      // Nothing reachable from `start` is free: give it every column and search again.
      const lists = this.lists;
      lists.grow(start, this.m);
      lists.len[start] = this.m;
      lists.floor[start] = Infinity;
      const s = lists.start[start] as number;
      const base = start * this.m;
      for (let j = 0; j < this.m; j++) {
        lists.pool[s + j] = j;
        lists.cost[s + j] = this.c[base + j] as number;
      }
    }
  }

  /** One search from `start`; false when it reaches no free column (nothing changed then). */
  private search(start: number): boolean {
    const { c, m, x, y, v, d, pred, state, touched, scanned, level, heap, dirty } = this;
    const pool = this.lists.pool;
    const lcost = this.lists.cost;
    const lstart = this.lists.start;
    const llen = this.lists.len;
    let nTouched = 0;
    let nScanned = 0;
    heap.size = 0;

    const sEnd = (lstart[start] as number) + (llen[start] as number);
    for (let p = lstart[start] as number; p < sEnd; p++) {
      const j = pool[p] as number;
      const dj = (lcost[p] as number) - (v[j] as number);
      if (state[j] === 0) {
        state[j] = 1;
        touched[nTouched++] = j;
      } else if (dj >= (d[j] as number)) continue;
      d[j] = dj;
      pred[j] = start;
      heap.push(dj, j);
    }

    // Columns at the current minimum distance wait in `level` and are scanned without the heap; with
    // integer costs most relaxations land there.
    let end = -1;
    let dmin = 0;
    let head = 0;
    let tail = 0;
    for (;;) {
      if (head === tail) {
        head = 0;
        tail = 0;
        let opened = false;
        while (heap.size > 0) {
          const key = heap.keys[0] as number;
          const j = heap.vals[0] as number;
          heap.pop();
          if (state[j] !== 1 || key !== d[j]) continue;
          opened = true;
          dmin = key;
          if ((y[j] as number) < 0) end = j;
          else {
            state[j] = 3;
            level[tail++] = j;
          }
          break;
        }
        if (!opened || end >= 0) break;
        while (heap.size > 0 && heap.keys[0] === dmin) {
          const j = heap.vals[0] as number;
          heap.pop();
          if (state[j] !== 1 || d[j] !== dmin) continue;
          if ((y[j] as number) < 0) {
            end = j;
            break;
          }
          state[j] = 3;
          level[tail++] = j;
        }
        if (end >= 0) break;
      }
      const j1 = level[head++] as number;
      state[j1] = 2;
      scanned[nScanned++] = j1;
      const i = y[j1] as number;
      const h = (c[i * m + j1] as number) - (v[j1] as number) - dmin;
      const e = (lstart[i] as number) + (llen[i] as number);
      for (let p = lstart[i] as number; p < e; p++) {
        const j = pool[p] as number;
        const st = state[j] as number;
        if (st >= 2) continue;
        const dj = (lcost[p] as number) - (v[j] as number) - h;
        if (st === 0) {
          state[j] = 1;
          touched[nTouched++] = j;
        } else if (dj >= (d[j] as number)) continue;
        d[j] = dj;
        pred[j] = i;
        if (dj <= dmin) {
          if ((y[j] as number) < 0) {
            // A free column at the current minimum ends the search at once.
            end = j;
            break;
          }
          state[j] = 3;
          level[tail++] = j;
        } else {
          heap.push(dj, j);
        }
      }
      if (end >= 0) break;
    }
    for (let t = 0; t < nTouched; t++) state[touched[t] as number] = 0;
    if (end < 0) return false;

    // Scanned columns get cheaper by their slack to the path length; their rows' u grow.
    for (let t = 0; t < nScanned; t++) {
      const j = scanned[t] as number;
      const dj = d[j] as number;
      if (dj < dmin) {
        v[j] = (v[j] as number) + dj - dmin;
        dirty[y[j] as number] = 1;
      }
    }
    // Flip the alternating path back to the start row.
    let j = end;
    for (;;) {
      const i = pred[j] as number;
      y[j] = i;
      const next = x[i] as number;
      x[i] = j;
      dirty[i] = 1;
      if (i === start) break;
      j = next;
    }
    return true;
  }
}

/**
 * Dense optimality check of every row (dirty = null) or of the rows flagged dirty: their u may have grown
 * since they were last checked, while the others' u did not and prices only fall. A row passes at once
 * when u is at most its floor; a full check raises the floor to the least reduced cost left out. Adds
 * violating entries to their rows' lists and frees those rows (returned). Entries already listed are
 * skipped, so rounding noise cannot loop forever.
 */
function certify(
  c: Float64Array,
  n: number,
  lists: CandidateLists,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  stamp: Int32Array,
  dirty: Uint8Array | null,
): number[] {
  const m = n;
  const freed: number[] = [];
  for (let i = 0; i < n; i++) {
    if (dirty !== null) {
      if (dirty[i] === 0) continue;
      dirty[i] = 0;
    }
    const base = i * m;
    const xi = x[i] as number;
    const ui = (c[base + xi] as number) - (v[xi] as number);
    if (ui <= (lists.floor[i] as number)) continue;
    const s = lists.start[i] as number;
    const e = s + (lists.len[i] as number);
    for (let p = s; p < e; p++) stamp[lists.pool[p] as number] = i;
    // Least reduced cost left out of the list (the stamp is only read for new minima).
    let min = Infinity;
    for (let j = 0; j < m; j++) {
      const h = (c[base + j] as number) - (v[j] as number);
      if (h < min && stamp[j] !== i) min = h;
    }
    if (min >= ui) {
      lists.floor[i] = min;
      continue;
    }
    let rest = Infinity;
    for (let j = 0; j < m; j++) {
      if (stamp[j] === i) continue;
      const h = (c[base + j] as number) - (v[j] as number);
      if (h < ui) lists.add(i, j, c[base + j] as number);
      else if (h < rest) rest = h;
    }
    lists.floor[i] = rest;
    y[xi] = -1;
    x[i] = -1;
    freed.push(i);
  }
  return freed;
}

/**
 * Validates a `RoutingInstance` and compiles it into the flat typed arrays the search uses.
 * Node numbering: jobs are 0..n-1; vehicle k has a start node n+2k and an end node n+2k+1, so every
 * node owns its time window, service time and row of the node-to-node matrices.
 */
import type { RoutingInstance } from './model.js';

export class RoutingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoutingInputError';
  }
}

export interface Problem {
  /** Number of jobs. */
  readonly n: number;
  /** Number of vehicles. */
  readonly nv: number;
  /** Number of nodes: n + 2·nv. */
  readonly size: number;
  readonly ready: Float64Array;
  readonly due: Float64Array;
  readonly service: Float64Array;
  /** Delivered from the start depot (drops the load by this amount at the node). */
  readonly demand: Float64Array;
  /** Pair load change at the node: +load at a pickup, −load at a delivery, 0 otherwise. */
  readonly pairDelta: Float64Array;
  /** Partner job of a paired job, −1 otherwise. */
  readonly partner: Int32Array;
  readonly isPickup: Uint8Array;
  readonly capacity: Float64Array;
  /** size×size travel times between nodes. */
  readonly time: Float64Array;
  /** size×size distances between nodes (may be the same array as `time`). */
  readonly dist: Float64Array;
  /** For each job, the other jobs by increasing distance (n-1 entries per job). */
  readonly neighbours: Int32Array;
  /** 1 when the job can be served by at least one vehicle on its own (pairs: together). */
  readonly servable: Uint8Array;
  /** x, y of each node when the instance has coordinates (used to order routes by angle). */
  readonly coords: Float64Array | null;
  /** All vehicles share start, end, shift and capacity. */
  readonly homogeneous: boolean;
  readonly hasPairs: boolean;
}

const finiteOr = (v: number | undefined, fallback: number, what: string): number => {
  if (v === undefined) return fallback;
  if (Number.isNaN(v)) throw new RoutingInputError(`${what} is NaN`);
  return v;
};

export function compileInstance(inst: RoutingInstance): Problem {
  const n = inst.jobs.length;
  const nv = inst.vehicles.length;
  if (nv === 0) throw new RoutingInputError('at least one vehicle is required');
  const nLoc = inst.travelTime?.length ?? inst.locations?.length ?? 0;
  if (nLoc === 0) throw new RoutingInputError('either locations or a travelTime matrix is required');
  const checkMatrix = (m: RoutingInstance['travelTime'], what: string): void => {
    if (!m) return;
    if (m.length !== nLoc) throw new RoutingInputError(`${what} has ${m.length} rows, expected ${nLoc}`);
    for (const row of m) {
      if (row.length !== nLoc) throw new RoutingInputError(`${what} is not square (${nLoc} rows)`);
    }
  };
  checkMatrix(inst.travelTime, 'travelTime');
  checkMatrix(inst.distance, 'distance');
  if (inst.locations && inst.locations.length !== nLoc) {
    throw new RoutingInputError(`locations has ${inst.locations.length} entries, matrix has ${nLoc}`);
  }
  const checkLoc = (l: number, what: string): void => {
    if (!Number.isInteger(l) || l < 0 || l >= nLoc) throw new RoutingInputError(`${what}: bad location ${l}`);
  };

  const size = n + 2 * nv;
  const loc = new Int32Array(size);
  const ready = new Float64Array(size);
  const due = new Float64Array(size);
  const service = new Float64Array(size);
  const demand = new Float64Array(size);
  const pairDelta = new Float64Array(size);
  const partner = new Int32Array(n).fill(-1);
  const isPickup = new Uint8Array(n);
  const capacity = new Float64Array(nv);

  inst.jobs.forEach((j, i) => {
    checkLoc(j.location, `job ${i}`);
    loc[i] = j.location;
    ready[i] = finiteOr(j.ready, 0, `job ${i} ready`);
    due[i] = finiteOr(j.due, Infinity, `job ${i} due`);
    service[i] = finiteOr(j.serviceTime, 0, `job ${i} serviceTime`);
    demand[i] = finiteOr(j.demand, 0, `job ${i} demand`);
    if (service[i]! < 0 || demand[i]! < 0)
      throw new RoutingInputError(`job ${i}: negative service or demand`);
  });
  inst.vehicles.forEach((v, k) => {
    checkLoc(v.startLocation, `vehicle ${k} start`);
    checkLoc(v.endLocation, `vehicle ${k} end`);
    const s = n + 2 * k;
    loc[s] = v.startLocation;
    loc[s + 1] = v.endLocation;
    const from = finiteOr(v.shiftStart, 0, `vehicle ${k} shiftStart`);
    const to = finiteOr(v.shiftEnd, Infinity, `vehicle ${k} shiftEnd`);
    ready[s] = from;
    due[s] = to;
    ready[s + 1] = from;
    due[s + 1] = to;
    capacity[k] = finiteOr(v.capacity, Infinity, `vehicle ${k} capacity`);
    if (capacity[k]! < 0) throw new RoutingInputError(`vehicle ${k}: negative capacity`);
  });
  for (const [i, pr] of (inst.pairs ?? []).entries()) {
    const { pickup: a, delivery: b } = pr;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n || a === b) {
      throw new RoutingInputError(`pair ${i}: bad job indices ${a}, ${b}`);
    }
    if (partner[a] !== -1 || partner[b] !== -1) throw new RoutingInputError(`pair ${i}: job already paired`);
    if (demand[a] !== 0 || demand[b] !== 0)
      throw new RoutingInputError(`pair ${i}: paired jobs need demand 0`);
    const q = finiteOr(pr.load, 0, `pair ${i} load`);
    partner[a] = b;
    partner[b] = a;
    isPickup[a] = 1;
    pairDelta[a] = q;
    pairDelta[b] = -q;
  }

  const locTime = (a: number, b: number): number => {
    if (inst.travelTime) return inst.travelTime[a]![b]!;
    const p = inst.locations![a]!;
    const q = inst.locations![b]!;
    return Math.sqrt((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y));
  };
  const time = new Float64Array(size * size);
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) time[a * size + b] = a === b ? 0 : locTime(loc[a]!, loc[b]!);
  }
  let dist = time;
  if (inst.distance) {
    const dm = inst.distance;
    dist = new Float64Array(size * size);
    for (let a = 0; a < size; a++) {
      for (let b = 0; b < size; b++) dist[a * size + b] = a === b ? 0 : dm[loc[a]!]![loc[b]!]!;
    }
  }
  for (let i = 0; i < size * size; i++) {
    if (!(time[i]! >= 0) || !(dist[i]! >= 0))
      throw new RoutingInputError('matrices need non-negative numbers');
  }

  const neighbours = new Int32Array(n * Math.max(0, n - 1));
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    order.length = 0;
    for (let j = 0; j < n; j++) if (j !== i) order.push(j);
    order.sort((x, y) => dist[i * size + x]! - dist[i * size + y]! || x - y);
    neighbours.set(order, i * (n - 1));
  }

  let homogeneous = true;
  for (let k = 1; k < nv; k++) {
    const s = n + 2 * k;
    if (
      loc[s] !== loc[n] ||
      loc[s + 1] !== loc[n + 1] ||
      ready[s] !== ready[n] ||
      due[s] !== due[n] ||
      capacity[k] !== capacity[0]
    ) {
      homogeneous = false;
    }
  }

  const problem: Problem = {
    n,
    nv,
    size,
    ready,
    due,
    service,
    demand,
    pairDelta,
    partner,
    isPickup,
    capacity,
    time,
    dist,
    neighbours,
    servable: new Uint8Array(n),
    coords: inst.locations ? nodeCoords(inst.locations, loc) : null,
    homogeneous,
    hasPairs: (inst.pairs?.length ?? 0) > 0,
  };
  markServable(problem);
  return problem;
}

function nodeCoords(points: NonNullable<RoutingInstance['locations']>, loc: Int32Array): Float64Array {
  const out = new Float64Array(loc.length * 2);
  loc.forEach((l, i) => {
    out[2 * i] = points[l]!.x;
    out[2 * i + 1] = points[l]!.y;
  });
  return out;
}

/** A job (or pair) is servable when some vehicle can do it alone: start → job(s) → end. */
function markServable(p: Problem): void {
  const { n, nv, size, time, ready, due, service, demand, pairDelta, partner, isPickup, capacity } = p;
  const visit = (k: number, seq: readonly number[]): boolean => {
    const s = n + 2 * k;
    let t = ready[s]!;
    let prev = s;
    let load = 0;
    for (const j of seq) load += demand[j]!;
    if (load > capacity[k]!) return false;
    for (const j of [...seq, s + 1]) {
      t = Math.max(ready[j]!, t + service[prev]! + time[prev * size + j]!);
      if (t > due[j]!) return false;
      load += pairDelta[j]! - demand[j]!;
      if (load > capacity[k]!) return false;
      prev = j;
    }
    return true;
  };
  for (let j = 0; j < n; j++) {
    const mate = partner[j]!;
    if (mate >= 0 && !isPickup[j]) continue;
    const seq = mate >= 0 ? [j, mate] : [j];
    let ok = false;
    for (let k = 0; k < nv && !ok; k++) ok = visit(k, seq);
    if (ok) {
      p.servable[j] = 1;
      if (mate >= 0) p.servable[mate] = 1;
    }
  }
}

/**
 * Public data model of the door-to-door routing solver (VRPTW with optional pickup-and-delivery pairs).
 * Plain data, no framework imports: the live dispatcher and the Solomon reader both build a
 * `RoutingInstance`; `solve()` returns a `RoutingSolution`.
 *
 * Conventions: a job's time window bounds the START of its service (waiting is allowed, arriving
 * late is not); a vehicle leaves its start location no earlier than `shiftStart` and must be back
 * at its end location by `shiftEnd`. Travel time between locations comes from `travelTime` when
 * given, else from the Euclidean distance (double precision, 1 unit of distance = 1 unit of time).
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Job {
  /** Index into `locations` (and into the matrices when given). */
  readonly location: number;
  /** Amount delivered from the vehicle's start depot to this job (Solomon "demand"). Default 0. */
  readonly demand?: number;
  /** Service duration spent at the job. Default 0. */
  readonly serviceTime?: number;
  /** Earliest service start. Default 0. */
  readonly ready?: number;
  /** Latest service start. Default +Infinity. */
  readonly due?: number;
}

export interface Vehicle {
  readonly startLocation: number;
  readonly endLocation: number;
  readonly capacity: number;
  /** Earliest departure from the start location. Default 0. */
  readonly shiftStart?: number;
  /** Latest arrival at the end location. Default +Infinity. */
  readonly shiftEnd?: number;
}

/**
 * A pickup-and-delivery pair: both jobs on the same vehicle, the pickup served before the delivery;
 * `load` is carried between them. Jobs of a pair must have `demand` 0 and belong to one pair only.
 */
export interface PickupDelivery {
  readonly pickup: number;
  readonly delivery: number;
  readonly load?: number;
}

export interface RoutingInstance {
  readonly name?: string;
  /** Coordinates of each location (needed when no `travelTime` matrix is given). */
  readonly locations?: readonly Point[];
  /** Travel time between locations, `travelTime[a][b]`; default Euclidean. */
  readonly travelTime?: readonly (readonly number[])[];
  /** Distance between locations for the objective; default `travelTime` (or Euclidean). */
  readonly distance?: readonly (readonly number[])[];
  readonly jobs: readonly Job[];
  readonly vehicles: readonly Vehicle[];
  readonly pairs?: readonly PickupDelivery[];
}

export interface SolveOptions {
  /** Wall-clock budget in milliseconds (the solver is anytime: it returns its best so far). */
  readonly timeLimitMs: number;
  /** Seed of the pseudo-random generator. Same seed + same iteration budget ⇒ same result. */
  readonly seed?: number;
  /**
   * Optional budget in search steps (one ruin-and-recreate move = 1 step; a genetic-search
   * generation on n jobs ≈ 4n steps). When it is reached before the time limit, the run is fully
   * deterministic (phase split and annealing schedule follow the step count).
   */
  readonly maxIterations?: number;
}

export interface Stop {
  readonly job: number;
  readonly arrival: number;
  /** Service start: max(arrival, ready). */
  readonly start: number;
  readonly departure: number;
}

export interface Route {
  readonly vehicle: number;
  readonly stops: readonly Stop[];
  readonly departure: number;
  /** Arrival time back at the vehicle's end location. */
  readonly returnTime: number;
  readonly distance: number;
}

export interface SolveStats {
  /** Search steps spent (see `SolveOptions.maxIterations`). */
  readonly iterations: number;
  readonly elapsedMs: number;
  /** Vehicles of the first solution found (construction), for context. */
  readonly initialVehicles: number;
  readonly initialDistance: number;
}

export interface RoutingSolution {
  /** Non-empty routes only. */
  readonly routes: readonly Route[];
  /** Jobs that could not be served (empty when every job fits). */
  readonly unassigned: readonly number[];
  readonly vehicles: number;
  readonly distance: number;
  readonly stats: SolveStats;
}

/** A solution reduced to what the independent checker needs. */
export interface PlannedRoute {
  readonly vehicle: number;
  readonly jobs: readonly number[];
}

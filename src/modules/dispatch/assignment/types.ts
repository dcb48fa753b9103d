/** Input and output types of technician assignment (pure domain, no I/O). */
import type { Coord } from '../../../platform/domain/index.js';

/** A half-open time interval [start, end) in minutes since the Unix epoch (UTC). */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** A job waiting for a technician. */
export interface DispatchJob {
  readonly id: string;
  /** Skills the technician must have, all of them (hard constraint). */
  readonly requiredSkills?: readonly string[];
  /** Certifications the technician must hold, all of them (hard constraint). */
  readonly requiredCerts?: readonly string[];
  /** Minutes of work, > 0. The job occupies [start, start + durationMin) of one technician. */
  readonly durationMin: number;
  /** Earliest allowed start, minutes since the epoch. */
  readonly earliestStart: number;
  /** Latest allowed start (inclusive), minutes since the epoch. */
  readonly latestStart: number;
  /** Technician who served this customer or vehicle before (continuity bonus). */
  readonly preferredTechnicianId?: string;
  /** Where the job is done (WGS-84); with the technician's location it adds a travel cost. */
  readonly location?: Coord;
}

/** A technician and the time they can still be given work. */
export interface Technician {
  readonly id: string;
  readonly skills: readonly string[];
  readonly certs?: readonly string[];
  /** Customer rating, 0 to 5. */
  readonly rating: number;
  /** Minutes already booked in the planning horizon (outside `free`). */
  readonly loadMin: number;
  /** Free time, on the slot grid (start and end multiples of the slot length). */
  readonly free: readonly Interval[];
  /** Base or current position (WGS-84). */
  readonly location?: Coord;
}

/** Integer cost weights; every component is rounded to an integer so that the optimum is exact. */
export interface CostWeights {
  /** Cost per rating star below 5. */
  readonly ratingPerStar: number;
  /** Cost per hour of current load. */
  readonly loadPerHour: number;
  /** Cost per slot of start after the job's earliest start. */
  readonly delayPerSlot: number;
  /** Bonus (subtracted) when the job goes to its preferred technician. */
  readonly continuityBonus: number;
  /** Cost per minute of travel from the technician's location to the job. */
  readonly travelPerMinute: number;
}

/** Options shared by the batch and walk-in entries. */
export interface AssignOptions {
  /** Slot grid in minutes (default 15). */
  readonly slotMinutes?: number;
  /** Overrides of {@link DEFAULT_WEIGHTS}. */
  readonly weights?: Partial<CostWeights>;
  /** Travel speed for straight-line distances, km/h (default 30). */
  readonly speedKmh?: number;
}

/** The cost of one job at one technician and start, by component; `total` is their sum. */
export interface CostBreakdown {
  readonly rating: number;
  readonly load: number;
  readonly delay: number;
  readonly continuity: number;
  readonly travel: number;
  /** Bonus for keeping a walk-in re-optimisation's previous placement (0 elsewhere). */
  readonly stability: number;
  readonly total: number;
}

/** A job placed on a technician. */
export interface JobAssignment {
  readonly jobId: string;
  readonly technicianId: string;
  readonly start: number;
  readonly end: number;
  readonly cost: CostBreakdown;
  /** The cost components in words, e.g. "rating 4.5/5: +10". */
  readonly reasons: readonly string[];
}

/** Why a job got no technician. */
export type UnassignedCode =
  /** No technician has every required skill and certification. */
  | 'missing_skills'
  /** Qualified technicians exist, but none has free time fitting the job's window and duration. */
  | 'no_free_time'
  /** Fitting slots existed, but other jobs took them (fewer jobs could be placed otherwise). */
  | 'capacity';

/** A job left without a technician, and why. */
export interface UnassignedJob {
  readonly jobId: string;
  readonly code: UnassignedCode;
  readonly message: string;
}

/** How good the plan is known to be. */
export interface PlanQuality {
  /** Jobs placed and least cost of the first round's assignment problem, which relaxes non-overlap. */
  readonly relaxationAssigned: number;
  readonly relaxationCost: number;
  /** True when the plan meets that bound: most jobs placed, then least total cost, over all plans. */
  readonly provenOptimal: boolean;
  /** Assignment rounds solved (1 when no technician got overlapping jobs in the first round). */
  readonly rounds: number;
}

/** Result of a batch assignment. */
export interface AssignmentPlan {
  /** Sorted by technician, then start. */
  readonly assignments: readonly JobAssignment[];
  /** Sorted by job id. */
  readonly unassigned: readonly UnassignedJob[];
  /** Sum of the assignments' total costs. */
  readonly totalCost: number;
  readonly quality: PlanQuality;
}

/** A job already on a technician's schedule. */
export interface PlacedJob {
  readonly jobId: string;
  readonly technicianId: string;
  readonly start: number;
  readonly end: number;
}

/** Default weights: a star of rating ≈ 20 min of travel, an hour of load ≈ 10, a slot of delay ≈ 2. */
export const DEFAULT_WEIGHTS: CostWeights = {
  ratingPerStar: 20,
  loadPerHour: 10,
  delayPerSlot: 2,
  continuityBonus: 40,
  travelPerMinute: 1,
};

/**
 * Dispatch — technician assignment: jobs onto technicians' free time (skills and certifications as
 * hard constraints; rating, load, delay, continuity and travel as costs), on an exact linear assignment
 * core (Jonker–Volgenant) with an independent auction solver to cross-check it.
 */
export { assignJobs } from './assign-jobs.js';
export { placeWalkIn, reoptimiseWithWalkIn } from './place-walk-in.js';
export type { WalkInResult, ReoptimiseOptions, ReoptimiseResult, MovedJob } from './place-walk-in.js';
export { costContext, jobCost, costReasons, travelMinutes } from './job-costs.js';
export type { CostContext } from './job-costs.js';
export { solveLapJv } from './lap-jv.js';
export type { LapSolution, LapJvOptions } from './lap-jv.js';
export { solveLapAuction } from './lap-auction.js';
export type { AuctionOptions } from './lap-auction.js';
export { uniformCosts, cityTravelCosts } from './instances.js';
export type { CityOptions } from './instances.js';
export { DEFAULT_WEIGHTS } from './types.js';
export type {
  Interval,
  DispatchJob,
  Technician,
  CostWeights,
  AssignOptions,
  CostBreakdown,
  JobAssignment,
  UnassignedCode,
  UnassignedJob,
  PlanQuality,
  AssignmentPlan,
  PlacedJob,
} from './types.js';

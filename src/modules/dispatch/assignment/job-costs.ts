/** The cost of a job at a technician and start time, by component, with reasons in words (pure). */
import { haversineMeters } from '../../../platform/domain/index.js';
import { DEFAULT_WEIGHTS } from './types.js';
import type { AssignOptions, CostBreakdown, CostWeights, DispatchJob, Technician } from './types.js';

/** Everything a cost needs besides the job, technician and start. */
export interface CostContext {
  readonly weights: CostWeights;
  readonly slot: number;
  readonly speedKmh: number;
}

/** Options with defaults filled in. */
export function costContext(options: AssignOptions): CostContext {
  const speedKmh = options.speedKmh ?? 30;
  if (!(speedKmh > 0)) throw new RangeError(`speedKmh must be > 0, got ${speedKmh}`);
  return { weights: { ...DEFAULT_WEIGHTS, ...options.weights }, slot: options.slotMinutes ?? 15, speedKmh };
}

/** Straight-line travel minutes from the technician to the job, or null without both locations. */
export function travelMinutes(job: DispatchJob, tech: Technician, speedKmh: number): number | null {
  if (job.location === undefined || tech.location === undefined) return null;
  return Math.round((haversineMeters(tech.location, job.location) / 1000 / speedKmh) * 60);
}

/** Integer cost components; `stabilityBonus` applies when the placement is kept in a re-optimisation. */
export function jobCost(
  job: DispatchJob,
  tech: Technician,
  start: number,
  ctx: CostContext,
  stabilityBonus = 0,
): CostBreakdown {
  const w = ctx.weights;
  const rating = Math.round((5 - tech.rating) * w.ratingPerStar);
  const load = Math.round((tech.loadMin / 60) * w.loadPerHour);
  const delay = Math.round(((start - job.earliestStart) / ctx.slot) * w.delayPerSlot);
  const continuity = job.preferredTechnicianId === tech.id ? -Math.round(w.continuityBonus) : 0;
  const minutes = travelMinutes(job, tech, ctx.speedKmh);
  const travel = minutes === null ? 0 : Math.round(minutes * w.travelPerMinute);
  const stability = stabilityBonus === 0 ? 0 : -Math.round(stabilityBonus);
  return {
    rating,
    load,
    delay,
    continuity,
    travel,
    stability,
    total: rating + load + delay + continuity + travel + stability,
  };
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0';
}

/** The non-zero cost components in words, e.g. "rating 4.5/5: +10". */
export function costReasons(
  job: DispatchJob,
  tech: Technician,
  start: number,
  cost: CostBreakdown,
  ctx: CostContext,
): string[] {
  const out: string[] = [];
  out.push('has the required skills and certifications');
  if (cost.rating !== 0) out.push(`rating ${tech.rating}/5: ${signed(cost.rating)}`);
  if (cost.load !== 0) out.push(`current load ${(tech.loadMin / 60).toFixed(1)} h: ${signed(cost.load)}`);
  if (cost.delay !== 0)
    out.push(`starts ${start - job.earliestStart} min after earliest start: ${signed(cost.delay)}`);
  if (cost.continuity !== 0) out.push(`preferred technician (continuity): ${signed(cost.continuity)}`);
  const minutes = travelMinutes(job, tech, ctx.speedKmh);
  if (minutes !== null) out.push(`travel ${minutes} min: ${signed(cost.travel)}`);
  if (cost.stability !== 0) out.push(`keeps its previous placement: ${signed(cost.stability)}`);
  return out;
}

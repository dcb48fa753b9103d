import { expectedShortage, meanOf, negBinomial, sumAll, sumOf } from './distribution.js';
import type { IntDist } from './types.js';

/** The demand distributions an (R, S) policy needs, for periodic review R and lead time L. */
export interface ProtectionDemand {
  /** Demand over the lead time L (a point mass at 0 for L = 0). */
  readonly leadTimeDemand: IntDist;
  /** Demand over the protection interval L + R. */
  readonly protectionDemand: IntDist;
  /** Expected demand over one review period R. */
  readonly reviewDemandMean: number;
}

export interface Policy {
  /** Order-up-to level S: at each review, order S − inventory position. */
  readonly orderUpTo: number;
  /** Reorder point s = S − minOrder: order at a review only when the position is at or below s. */
  readonly reorderPoint: number;
  /** The fill rate S gives under the model (≥ the target unless no finite S reaches it). */
  readonly expectedFillRate: number;
  /** S minus the mean demand over the protection interval. */
  readonly safetyStock: number;
}

/**
 * The fill rate of an order-up-to level S under periodic review with backorders
 * (Silver, Pyke & Peterson): β(S) = 1 − (E[(D_{L+R} − S)⁺] − E[(D_L − S)⁺]) / E[D_R],
 * computed exactly on integer distributions. 1 when no demand is expected.
 */
export function fillRateAt(demand: ProtectionDemand, orderUpTo: number): number {
  if (!(demand.reviewDemandMean > 0)) return 1;
  const short =
    expectedShortage(demand.protectionDemand, orderUpTo) - expectedShortage(demand.leadTimeDemand, orderUpTo);
  return Math.min(1, Math.max(0, 1 - short / demand.reviewDemandMean));
}

/**
 * The smallest integer S ≥ 0 whose fill rate reaches `fillRate` (β is non-decreasing in S, so a
 * binary search over the support of the protection-interval demand is exact).
 */
export function policyForDemand(demand: ProtectionDemand, fillRate: number, minOrder = 1): Policy {
  let lo = 0;
  let hi = Math.max(0, demand.protectionDemand.pmf.length - 1);
  if (fillRateAt(demand, lo) >= fillRate) hi = lo;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fillRateAt(demand, mid) >= fillRate) hi = mid;
    else lo = mid;
  }
  const orderUpTo = hi;
  return {
    orderUpTo,
    reorderPoint: orderUpTo - Math.max(1, Math.round(minOrder)),
    expectedFillRate: fillRateAt(demand, orderUpTo),
    safetyStock: orderUpTo - meanOf(demand.protectionDemand),
  };
}

export interface ReorderPolicyInput {
  /**
   * Demand per period: one distribution for every period, or one per future period starting
   * with the period after the review (the last one repeats), assumed independent.
   */
  readonly perPeriod: IntDist | readonly IntDist[];
  /** Lead time L in whole periods (≥ 0). */
  readonly leadTime: number;
  /** Review period R in whole periods (≥ 1). */
  readonly reviewPeriod: number;
  /** Target fill rate β, the share of demand met from stock, in (0, 1). */
  readonly fillRate: number;
  /** Smallest order quantity (default 1); sets the reorder point s = S − minOrder. */
  readonly minOrder?: number;
}

/** Builds the lead-time and protection-interval demand from per-period distributions. */
export function protectionDemand(
  perPeriod: IntDist | readonly IntDist[],
  leadTime: number,
  reviewPeriod: number,
): ProtectionDemand {
  const L = Math.max(0, Math.round(leadTime));
  const R = Math.max(1, Math.round(reviewPeriod));
  if (!Array.isArray(perPeriod)) {
    const one = perPeriod as IntDist;
    const lead = sumOf(one, L);
    return { leadTimeDemand: lead, protectionDemand: sumOf(one, L + R), reviewDemandMean: R * meanOf(one) };
  }
  const list = perPeriod as readonly IntDist[];
  if (list.length === 0) throw new RangeError('perPeriod needs at least one distribution');
  const period = (i: number): IntDist => list[Math.min(i, list.length - 1)] as IntDist;
  const lead = sumAll(Array.from({ length: L }, (_, i) => period(i)));
  const review = Array.from({ length: R }, (_, i) => period(L + i));
  return {
    leadTimeDemand: lead,
    protectionDemand: sumAll([lead, ...review]),
    reviewDemandMean: review.reduce((s, d) => s + meanOf(d), 0),
  };
}

/**
 * Reorder point and order-up-to level for a target fill rate, lead time and review period:
 * S is the smallest level whose fill rate (backorder formula, exact on integers) reaches the target.
 */
export function reorderPolicy(input: ReorderPolicyInput): Policy {
  if (!(input.fillRate > 0 && input.fillRate < 1)) throw new RangeError('fillRate must be in (0, 1)');
  return policyForDemand(
    protectionDemand(input.perPeriod, input.leadTime, input.reviewPeriod),
    input.fillRate,
    input.minOrder,
  );
}

/**
 * Protection demand for a per-period demand with the given mean and variance, modelled as
 * negative binomial (Poisson when not over-dispersed) and independent across periods: the
 * common recipe for every baseline method (mean = its forecast, variance = its in-sample
 * one-step mean squared error, at least the mean).
 */
export function protectionFromMoments(
  mean: number,
  variance: number,
  leadTime: number,
  reviewPeriod: number,
): ProtectionDemand {
  const L = Math.max(0, Math.round(leadTime));
  const R = Math.max(1, Math.round(reviewPeriod));
  const m = Math.max(0, mean);
  const v = Math.max(m, variance);
  return {
    leadTimeDemand: negBinomial(L * m, L * v),
    protectionDemand: negBinomial((L + R) * m, (L + R) * v),
    reviewDemandMean: R * m,
  };
}

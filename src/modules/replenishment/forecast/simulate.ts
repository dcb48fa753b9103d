import type { Series } from './types.js';

export interface SimulationInput {
  /** Realised demand per period. */
  readonly demand: Series;
  /** Order-up-to level S, fixed over the horizon. */
  readonly orderUpTo: number;
  /** Lead time in whole periods (≥ 0); an order placed at the start of period t arrives at the start of t + L. */
  readonly leadTime: number;
  /** Review every R periods (≥ 1), starting with the first period. */
  readonly reviewPeriod: number;
  /** Starting on-hand stock; default S. */
  readonly initialStock?: number;
}

export interface SimulationResult {
  readonly demand: number;
  /** Units met from stock. */
  readonly satisfied: number;
  /** End-of-period on-hand stock, one per period. */
  readonly endOnHand: readonly number[];
}

/**
 * Simulates an (R, S) policy with lost sales. Each period: (1) receive the orders due, (2) at a
 * review, order S minus the inventory position (on hand + on order), (3) meet demand from on
 * hand, any unmet demand is lost, (4) record the end-of-period on hand.
 */
export function simulatePolicy(input: SimulationInput): SimulationResult {
  const L = Math.max(0, Math.round(input.leadTime));
  const R = Math.max(1, Math.round(input.reviewPeriod));
  let onHand = input.initialStock ?? input.orderUpTo;
  const arrivals = new Array<number>(input.demand.length + L + 1).fill(0);
  let onOrder = 0;
  let total = 0;
  let satisfied = 0;
  const endOnHand: number[] = [];
  input.demand.forEach((d, t) => {
    const arriving = arrivals[t] ?? 0;
    onHand += arriving;
    onOrder -= arriving;
    if (t % R === 0) {
      const q = Math.max(0, input.orderUpTo - onHand - onOrder);
      if (q > 0) {
        if (L === 0) onHand += q;
        else {
          arrivals[t + L] = (arrivals[t + L] ?? 0) + q;
          onOrder += q;
        }
      }
    }
    const met = Math.min(onHand, d);
    onHand -= met;
    total += d;
    satisfied += met;
    endOnHand.push(onHand);
  });
  return { demand: total, satisfied, endOnHand };
}

/** Pooled results over many series: fill rate = Σ satisfied / Σ demand; avg stock = mean over series of mean end-of-period on hand. */
export function poolSimulations(results: readonly SimulationResult[]): {
  fillRate: number;
  avgStock: number;
} {
  let demand = 0;
  let satisfied = 0;
  let stock = 0;
  for (const r of results) {
    demand += r.demand;
    satisfied += r.satisfied;
    stock += r.endOnHand.length ? r.endOnHand.reduce((a, b) => a + b, 0) / r.endOnHand.length : 0;
  }
  return {
    fillRate: demand > 0 ? satisfied / demand : 1,
    avgStock: results.length ? stock / results.length : 0,
  };
}

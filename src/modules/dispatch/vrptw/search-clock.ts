/**
 * Search budget: a wall-clock limit and an optional step limit. Progress (0..1) drives the phase
 * split and the annealing schedule; with a step limit it counts steps only, so a run with a seed
 * and a step budget is reproducible on any machine (the time limit then only stops it early).
 * One ruin-and-recreate move is one step; a genetic-search generation (crossover + local search)
 * is charged as several, roughly in proportion to its cost.
 */
export class SearchClock {
  private readonly t0: number;
  /** Steps spent (weighted). */
  steps = 0;

  constructor(
    readonly timeLimitMs: number,
    readonly maxSteps: number | undefined,
  ) {
    this.t0 = performance.now();
  }

  elapsedMs(): number {
    return performance.now() - this.t0;
  }

  /** Charges `weight` steps; returns false once the budget is spent. */
  tick(weight = 1): boolean {
    this.steps += weight;
    if (this.maxSteps !== undefined && this.steps >= this.maxSteps) return false;
    return this.elapsedMs() < this.timeLimitMs;
  }

  progress(): number {
    if (this.maxSteps !== undefined) return Math.min(1, this.steps / this.maxSteps);
    return Math.min(1, this.elapsedMs() / this.timeLimitMs);
  }

  done(): boolean {
    if (this.maxSteps !== undefined && this.steps >= this.maxSteps) return true;
    return this.elapsedMs() >= this.timeLimitMs;
  }
}

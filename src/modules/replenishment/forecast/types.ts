/** A demand history: one non-negative count per period, oldest first. */
export type Series = readonly number[];

/** Syntetos–Boylan demand classes, plus `none` for a series without any demand. */
export type DemandClass = 'smooth' | 'erratic' | 'intermittent' | 'lumpy' | 'none';

/**
 * A point-forecast fit: a flat forecast per future period and the in-sample one-step-ahead
 * forecasts (`fitted[t]` forecasts `y[t]` from `y[0..t-1]`; NaN where the method has none).
 */
export interface PointFit {
  readonly forecast: number;
  readonly fitted: readonly number[];
}

/**
 * A distribution on the integers 0..pmf.length-1 (`pmf[k] = P(D = k)`). The tail beyond the
 * array is below the truncation tolerance and is ignored.
 */
export interface IntDist {
  readonly pmf: readonly number[];
}

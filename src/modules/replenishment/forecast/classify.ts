import type { DemandClass, Series } from './types.js';

/** Syntetos–Boylan–Croston cut-offs (Syntetos, Boylan & Croston 2005). */
export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

export interface Classification {
  /** Average inter-demand interval; the first interval counts from the start of the series. */
  readonly adi: number;
  /** Squared coefficient of variation of the non-zero demand sizes (sample variance; 0 for one size). */
  readonly cv2: number;
  readonly demandClass: DemandClass;
  /** Number of periods with non-zero demand. */
  readonly demands: number;
}

/** Non-zero demand sizes and the intervals between them (first interval from period 0). */
export function decompose(y: Series): { sizes: number[]; intervals: number[] } {
  const sizes: number[] = [];
  const intervals: number[] = [];
  let last = -1;
  y.forEach((v, t) => {
    if (v > 0) {
      sizes.push(v);
      intervals.push(t - last);
      last = t;
    }
  });
  return { sizes, intervals };
}

/**
 * Classifies a series as smooth (ADI < 1.32, CV² < 0.49), erratic (ADI < 1.32, CV² ≥ 0.49),
 * intermittent (ADI ≥ 1.32, CV² < 0.49) or lumpy (ADI ≥ 1.32, CV² ≥ 0.49); `none` without demand.
 */
export function classifySeries(y: Series, cutoffs: { adi?: number; cv2?: number } = {}): Classification {
  const adiCut = cutoffs.adi ?? ADI_CUTOFF;
  const cv2Cut = cutoffs.cv2 ?? CV2_CUTOFF;
  const { sizes, intervals } = decompose(y);
  const n = sizes.length;
  if (n === 0) return { adi: Number.POSITIVE_INFINITY, cv2: 0, demandClass: 'none', demands: 0 };
  const adi = intervals.reduce((a, b) => a + b, 0) / n;
  const mean = sizes.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const cv2 = variance / (mean * mean);
  const intermittent = adi >= adiCut;
  const variable = cv2 >= cv2Cut;
  const demandClass: DemandClass = intermittent
    ? variable
      ? 'lumpy'
      : 'intermittent'
    : variable
      ? 'erratic'
      : 'smooth';
  return { adi, cv2, demandClass, demands: n };
}

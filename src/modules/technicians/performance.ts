/**
 * Technician performance from real work: efficiency (standard vs clocked minutes), first-time-fix
 * and comeback rates, QC first-pass rate, and a star rating that weights recent reviews more
 * (half-life 90 days) and shrinks small samples toward the store's mean.
 */
export interface WorkFacts {
  jobs: number;
  standardMinutes: number;
  actualMinutes: number;
  comebacks: number;
  qcChecked: number;
  qcFirstPass: number;
  reviews: ReadonlyArray<{ stars: number; at: Date }>;
}

export interface Performance {
  jobs: number;
  /** Standard minutes ÷ clocked minutes (1 = on standard, > 1 faster). Null without timed steps. */
  efficiency: number | null;
  firstTimeFixRate: number | null;
  comebackRate: number | null;
  qcPassRate: number | null;
  reviewCount: number;
  /** Recency-weighted raw average of reviews. */
  ratingRaw: number | null;
  /** The star rating used by dispatch (1–5, one decimal). */
  stars: number;
}

export const HALF_LIFE_DAYS = 90;
/** Weight of the prior (the store mean), in "reviews". */
export const PRIOR_WEIGHT = 5;

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export function recencyWeight(at: Date, now: Date): number {
  const days = Math.max(0, (now.getTime() - at.getTime()) / 86_400_000);
  return 0.5 ** (days / HALF_LIFE_DAYS);
}

/** Shrunk, recency-weighted star rating. */
export function starRating(
  reviews: ReadonlyArray<{ stars: number; at: Date }>,
  storeMean: number,
  now: Date,
): { stars: number; raw: number | null } {
  let w = 0;
  let sum = 0;
  for (const r of reviews) {
    const k = recencyWeight(r.at, now);
    w += k;
    sum += k * r.stars;
  }
  const stars = (sum + PRIOR_WEIGHT * storeMean) / (w + PRIOR_WEIGHT);
  return {
    stars: Math.round(Math.min(5, Math.max(1, stars)) * 10) / 10,
    raw: w > 0 ? round(sum / w, 2) : null,
  };
}

export function performanceOf(f: WorkFacts, storeMean: number, now: Date): Performance {
  const { stars, raw } = starRating(f.reviews, storeMean, now);
  return {
    jobs: f.jobs,
    efficiency: f.actualMinutes > 0 ? round(f.standardMinutes / f.actualMinutes) : null,
    firstTimeFixRate: f.jobs ? round(1 - f.comebacks / f.jobs) : null,
    comebackRate: f.jobs ? round(f.comebacks / f.jobs) : null,
    qcPassRate: f.qcChecked ? round(f.qcFirstPass / f.qcChecked) : null,
    reviewCount: f.reviews.length,
    ratingRaw: raw,
    stars,
  };
}

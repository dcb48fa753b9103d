/** Seeded cost-matrix generators for tests and the `assign` benchmark (no Math.random). */
import { randomInt, seededRng } from '../../../platform/domain/index.js';

/** Row-major `rows × cols` matrix of integers uniform in [0, maxExclusive). */
export function uniformCosts(rows: number, cols: number, maxExclusive: number, seed: number): Float64Array {
  const rng = seededRng(seed);
  const out = new Float64Array(rows * cols);
  for (let k = 0; k < out.length; k++) out[k] = randomInt(rng, maxExclusive);
  return out;
}

/** Options of {@link cityTravelCosts}. */
export interface CityOptions {
  /** Side of the square city in km (default 30). */
  readonly sizeKm?: number;
  /** Travel speed in km/h (default 30). */
  readonly speedKmh?: number;
}

/**
 * Travel minutes from `rows` random points (technicians) to `cols` random points (jobs) in a square city:
 * straight-line km / speed × 60, rounded to whole minutes.
 */
export function cityTravelCosts(
  rows: number,
  cols: number,
  seed: number,
  options: CityOptions = {},
): Float64Array {
  const size = options.sizeKm ?? 30;
  const speed = options.speedKmh ?? 30;
  const rng = seededRng(seed);
  const rx = new Float64Array(rows);
  const ry = new Float64Array(rows);
  const cx = new Float64Array(cols);
  const cy = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    rx[i] = rng() * size;
    ry[i] = rng() * size;
  }
  for (let j = 0; j < cols; j++) {
    cx[j] = rng() * size;
    cy[j] = rng() * size;
  }
  const out = new Float64Array(rows * cols);
  const minutesPerKm = 60 / speed;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      out[i * cols + j] = Math.round(
        Math.hypot((rx[i] as number) - (cx[j] as number), (ry[i] as number) - (cy[j] as number)) *
          minutesPerKm,
      );
    }
  }
  return out;
}

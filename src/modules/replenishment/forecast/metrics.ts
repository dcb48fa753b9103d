import type { Series } from './types.js';

/** Mean absolute one-step naive error in-sample; NaN for fewer than two points. */
export function naiveMae(train: Series): number {
  let s = 0;
  for (let t = 1; t < train.length; t++) s += Math.abs((train[t] ?? 0) - (train[t - 1] ?? 0));
  return train.length > 1 ? s / (train.length - 1) : Number.NaN;
}

/** Mean squared one-step naive error in-sample; NaN for fewer than two points. */
export function naiveMse(train: Series): number {
  let s = 0;
  for (let t = 1; t < train.length; t++) s += ((train[t] ?? 0) - (train[t - 1] ?? 0)) ** 2;
  return train.length > 1 ? s / (train.length - 1) : Number.NaN;
}

const at = (forecast: number | Series, h: number): number =>
  typeof forecast === 'number' ? forecast : (forecast[h] ?? Number.NaN);

/**
 * Mean absolute scaled error (Hyndman & Koehler 2006): the test MAE over the in-sample MAE of
 * the one-step naive forecast. `forecast` is flat (a number) or one value per test period.
 * Returns null when the scale is zero (a constant training series) or undefined.
 */
export function mase(train: Series, test: Series, forecast: number | Series): number | null {
  const scale = naiveMae(train);
  if (!(scale > 0) || test.length === 0) return null;
  let s = 0;
  test.forEach((v, h) => (s += Math.abs(v - at(forecast, h))));
  return s / test.length / scale;
}

/**
 * Root mean squared scaled error (as in M5): the square root of the test MSE over the in-sample
 * MSE of the one-step naive forecast. Null when the scale is zero or undefined.
 */
export function rmsse(train: Series, test: Series, forecast: number | Series): number | null {
  const scale = naiveMse(train);
  if (!(scale > 0) || test.length === 0) return null;
  let s = 0;
  test.forEach((v, h) => (s += (v - at(forecast, h)) ** 2));
  return Math.sqrt(s / test.length / scale);
}

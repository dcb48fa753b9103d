import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adidaForecast,
  aggregate,
  crostonForecast,
  forecastMethods,
  imapaForecast,
  meanForecast,
  naiveForecast,
  sbaForecast,
  sesForecast,
  tsbForecast,
  zeroForecast,
} from './methods.js';

const y = [0, 2, 0, 0, 4];

describe('baseline methods on a hand-computed series', () => {
  it('zero, naive and mean', () => {
    expect(zeroForecast(y).forecast).toBe(0);
    expect(naiveForecast(y).forecast).toBe(4);
    expect(naiveForecast(y).fitted.slice(1)).toEqual([0, 2, 0, 0]);
    expect(meanForecast(y).forecast).toBeCloseTo(1.2, 12);
    expect(meanForecast(y).fitted[2]).toBeCloseTo(1, 12);
  });

  it('SES (α = 0.5, level starts at the mean)', () => {
    // 3 → 2.5 → 3.25
    expect(sesForecast([2, 4], 0.5).forecast).toBeCloseTo(3.25, 12);
    expect(sesForecast([2, 4], 0.5).fitted).toEqual([3, 2.5]);
  });

  it('Croston and SBA (α = 0.5)', () => {
    // z: 3 → 2.5 → 3.25; p: 2.5 → 2.25 → 2.625
    expect(crostonForecast(y, 0.5).forecast).toBeCloseTo(3.25 / 2.625, 12);
    expect(sbaForecast(y, 0.5).forecast).toBeCloseTo(0.75 * (3.25 / 2.625), 12);
    expect(crostonForecast(y, 0.5).fitted[0]).toBeCloseTo(3 / 2.5, 12);
  });

  it('TSB (α = β = 0.5)', () => {
    // p: 0.4 → 0.2 → 0.6 → 0.3 → 0.15 → 0.575; z: 3 → 2.5 → 3.25
    expect(tsbForecast(y, 0.5, 0.5).forecast).toBeCloseTo(0.575 * 3.25, 12);
  });

  it('TSB decays through a run of zeros while Croston does not', () => {
    const dying = [3, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(tsbForecast(dying).forecast).toBeLessThan(tsbForecast(dying.slice(0, 4)).forecast);
    expect(crostonForecast(dying).forecast).toBe(crostonForecast(dying.slice(0, 4)).forecast);
  });

  it('ADIDA aggregates from the end of the series', () => {
    expect(aggregate([0, 2, 0, 0, 4, 0], 2)).toEqual([2, 0, 4]);
    expect(aggregate([1, 0, 2, 0, 0, 4, 0], 2)).toEqual([2, 0, 4]);
    // SES(0.5) on [2, 0, 4] from the mean 2: 2 → 1 → 2.5; per period 1.25
    expect(adidaForecast([0, 2, 0, 0, 4, 0], 2, 0.5).forecast).toBeCloseTo(1.25, 12);
  });

  it('iMAPA averages levels 1..K', () => {
    const f = imapaForecast(y);
    expect(f.forecast).toBeGreaterThan(0);
    expect(f.fitted).toHaveLength(y.length);
  });
});

describe('every method', () => {
  it('gives non-negative, finite forecasts on any non-negative series', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { minLength: 1, maxLength: 60 }), (series) =>
        Object.values(forecastMethods).every((m) => {
          const f = m(series);
          return Number.isFinite(f.forecast) && f.forecast >= 0 && f.fitted.length === series.length;
        }),
      ),
    );
  });
});

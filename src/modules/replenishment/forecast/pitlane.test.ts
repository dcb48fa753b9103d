import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanOf } from './distribution.js';
import { fitIsotonic } from './isotonic.js';
import { fitPitlane, pitlaneForecast, type PitlaneModel } from './pitlane.js';

/** Small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Intermittent panel: per series a demand probability (some decaying) and a size level. */
function panel(count: number, months: number, seed: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: count }, () => {
    const p0 = 0.05 + 0.6 * r();
    const decay = r() < 0.3 ? 0.9 : 1;
    const size = 1 + Math.floor(4 * r());
    return Array.from({ length: months }, (_, t) =>
      r() < p0 * decay ** t ? 1 + Math.floor(size * r() * 2) : 0,
    );
  });
}

/** Unit-size demand per series, occurrence rate spread over (0.05, 0.95) and shaped by `rateAt`. */
function occurrencePanel(
  count: number,
  months: number,
  seed: number,
  rateAt: (p: number, t: number) => number,
): number[][] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const p = 0.05 + (0.9 * (i + 0.5)) / count;
    return Array.from({ length: months }, (_, t) => (r() < rateAt(p, t) ? 1 : 0));
  });
}

const model: PitlaneModel = {
  point: { method: 'ses', alpha: 0.2, beta: 0, shrink: 0.5 },
  occurrence: { beta: 0.2, curve: fitIsotonic([0, 0.5, 1], [0.05, 0.4, 0.9]) },
  size: { alpha: 0.3, kappa: 4, pooledMean: 2, phi: 0.3 },
  medianLevel: 0.5,
};

describe('pitlaneForecast', () => {
  it('forecasts zero for a series that never had demand, plus any known demand', () => {
    const f = pitlaneForecast([0, 0, 0, 0], model, { knownFuture: [2, 0, 1] });
    expect(f.mean).toEqual([2, 0, 1]);
    expect(f.perPeriod.map(meanOf)).toEqual([2, 0, 1]);
    expect(f.demandClass).toBe('none');
  });

  it('adds known future demand to the statistical forecast', () => {
    const y = [0, 3, 0, 1, 0, 0, 2, 0];
    const plain = pitlaneForecast(y, model, { horizon: 2 });
    const booked = pitlaneForecast(y, model, { knownFuture: [4, 0] });
    expect(booked.mean[0]).toBeCloseTo((plain.mean[0] ?? 0) + 4, 12);
    expect(meanOf(booked.perPeriod[0] ?? { pmf: [1] })).toBeCloseTo(
      meanOf(plain.perPeriod[0] ?? { pmf: [1] }) + 4,
      9,
    );
    expect(booked.mean[1]).toBeCloseTo(plain.mean[1] ?? 0, 12);
  });

  it('gives non-negative, finite forecasts and proper distributions', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: 1, maxLength: 48 }), (y) => {
        const f = pitlaneForecast(y, model, { horizon: 3 });
        return (
          [...f.mean, ...f.median].every((v) => Number.isFinite(v) && v >= 0) &&
          f.perPeriod.every(
            (d) => d.pmf.every((p) => p >= 0) && Math.abs(d.pmf.reduce((a, b) => a + b, 0) - 1) < 1e-6,
          )
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('fitPitlane', () => {
  it('fits pooled parameters from the training series only', () => {
    const train = panel(120, 30, 7);
    const { model: fitted, report } = fitPitlane(train);
    expect(report.holdout).toBe(10);
    expect(fitted.point.shrink).toBeGreaterThan(0);
    expect(fitted.point.shrink).toBeLessThanOrEqual(1);
    expect(report.phiMargins.map((m) => m.phi)).toContain(fitted.size.phi);
    expect([0.3, 0.35, 0.4, 0.45, 0.5]).toContain(fitted.medianLevel);
    // the calibration curve is a probability and non-decreasing
    const ys = fitted.occurrence.curve.ys;
    ys.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      if (i > 0) expect(v).toBeGreaterThanOrEqual(ys[i - 1] ?? 0);
    });
    // deterministic
    expect(fitPitlane(train).model).toEqual(fitted);
  });

  it('raises the absolute-error quantile only when its holdout gain also holds at the far leads', () => {
    for (const seed of [1, 2, 3]) {
      // Stationary occurrence: for frequently demanded parts a forecast of 1 beats 0 at every
      // lead, so a quantile above the lowest level is chosen.
      const steady = fitPitlane(occurrencePanel(400, 36, seed, (p) => p));
      expect(steady.model.medianLevel).toBeGreaterThan(0.3);
      // Demand that rises in the first half of the 12-month holdout and then collapses: the
      // higher quantile wins over the whole holdout but loses over its later half, so the lowest
      // level is kept.
      const fading = fitPitlane(
        occurrencePanel(400, 36, seed, (p, t) => (t >= 30 ? 0.2 * p : t >= 24 ? Math.min(1, p + 0.3) : p)),
      );
      expect(fading.report.holdout).toBe(12);
      expect(Math.max(...fading.report.levelGains.map((g) => g.gain))).toBeGreaterThan(0);
      expect(fading.report.levelGains.every((g) => g.lateGain === 0)).toBe(true);
      expect(fading.model.medianLevel).toBe(0.3);
    }
  });
});

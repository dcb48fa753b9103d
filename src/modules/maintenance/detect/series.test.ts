/** Property tests of the statistics the detectors rest on, and of alert scoring. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leastSquares, median, theilSen } from './series.js';
import { scoreAlerts, type AlertRecord, type FaultTruth } from './score.js';

const finite = (lo: number, hi: number) =>
  fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });

describe('series', () => {
  it('Theil–Sen recovers an exact line, and ignores a minority of wild outliers', () => {
    fc.assert(
      fc.property(finite(-5, 5), finite(-100, 100), fc.integer({ min: 10, max: 80 }), (a, b, n) => {
        const xs = Array.from({ length: n }, (_, i) => i);
        const ys = xs.map((x) => a * x + b);
        expect(theilSen(xs, ys).slope).toBeCloseTo(a, 6);
        const dirty = ys.map((y, i) => (i % 5 === 2 ? y + 1e4 : y));
        expect(Math.abs(theilSen(xs, dirty).slope - a)).toBeLessThan(1e-6 + Math.abs(a) * 1e-6 + 1e-3);
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('least squares recovers the coefficients of exact data', () => {
    fc.assert(
      fc.property(finite(-10, 10), finite(-3, 3), finite(-3, 3), (b0, b1, b2) => {
        const x1 = Array.from({ length: 30 }, (_, i) => Math.sin(i));
        const x2 = Array.from({ length: 30 }, (_, i) => i / 10);
        const y = x1.map((v, i) => b0 + b1 * v + b2 * x2[i]!);
        const fit = leastSquares([x1, x2], y)!;
        expect(fit.beta[0]).toBeCloseTo(b0, 6);
        expect(fit.beta[1]).toBeCloseTo(b1, 6);
        expect(fit.beta[2]).toBeCloseTo(b2, 6);
      }),
      { numRuns: 100, seed: 4 },
    );
    expect(leastSquares([[1, 1, 1]], [1, 2, 3])).toBeNull(); // collinear with the intercept
  });

  it('median is order-free and between min and max', () => {
    fc.assert(
      fc.property(fc.array(finite(-1e6, 1e6), { minLength: 1, maxLength: 50 }), (xs) => {
        const m = median(xs);
        // === rather than toBe: a median of 0 and −0 may come out as either zero.
        expect(m === median([...xs].reverse())).toBe(true);
        expect(m).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(m).toBeLessThanOrEqual(Math.max(...xs));
      }),
    );
  });
});

describe('scoreAlerts', () => {
  const fault = (v: string, c: FaultTruth['component'], onset: string, failure: string): FaultTruth => ({
    vehicleId: v,
    component: c,
    onset,
    failure,
  });

  it('counts true, false and missed by vehicle, component and window', () => {
    const faults = [
      fault('a', 'brake_pads', '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z'),
      fault('b', 'battery_12v', '2026-03-01T00:00:00Z', '2026-03-20T00:00:00Z'),
      {
        ...fault('c', 'misfire', '2026-03-05T08:00:00Z', '2026-03-06T00:00:00Z'),
        firstDtcAt: '2026-03-05T08:00:00Z',
      },
    ];
    const alerts: AlertRecord[] = [
      { vehicleId: 'a', component: 'brake_pads', at: '2026-03-21T00:00:00Z' }, // true, 10 days ahead
      { vehicleId: 'a', component: 'brake_pads', at: '2026-02-01T00:00:00Z' }, // before onset: false
      { vehicleId: 'b', component: 'tyre_leak', at: '2026-03-10T00:00:00Z' }, // wrong component: false
      { vehicleId: 'c', component: 'misfire', at: '2026-03-05T08:03:00Z' }, // true, 3 min latency
    ];
    const s = scoreAlerts(faults, alerts, { vehicles: 100, months: 2 });
    expect(s).toMatchObject({ faults: 3, detected: 2, alerts: 4, truePositives: 2 });
    expect(s.recall).toBeCloseTo(2 / 3, 4);
    expect(s.precision).toBe(0.5);
    expect(s.leadTimeDaysMedian).toBe(10);
    expect(s.dtcLatencyMinutesMedian).toBe(3);
    expect(s.falseAlertsPer1000VehicleMonths).toBe(10);
    expect(s.perComponent.battery_12v).toMatchObject({ faults: 1, detected: 0, recall: 0 });
    expect(s.perComponent.tyre_leak).toMatchObject({ faults: 0, alerts: 1, precision: 0 });
  });

  it('never scores above 1, and a false alert never raises precision', () => {
    const arb = fc.record({
      v: fc.constantFrom('a', 'b', 'c'),
      c: fc.constantFrom('brake_pads' as const, 'misfire' as const),
      t: fc.integer({ min: 0, max: 100 }),
    });
    const iso = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 8 }), fc.array(arb, { maxLength: 12 }), (fs, as) => {
        const faults = fs.map((f) => fault(f.v, f.c, iso(f.t), iso(f.t + 20)));
        const alerts = as.map((a) => ({ vehicleId: a.v, component: a.c, at: iso(a.t) }));
        const s = scoreAlerts(faults, alerts, { vehicles: 3, months: 4 });
        expect(s.truePositives).toBeLessThanOrEqual(s.alerts);
        expect(s.detected).toBeLessThanOrEqual(s.faults);
        const worse = scoreAlerts(faults, [...alerts, { vehicleId: 'z', component: 'misfire', at: iso(1) }], {
          vehicles: 3,
          months: 4,
        });
        expect(worse.precision!).toBeLessThanOrEqual(s.precision ?? 1);
        expect(worse.recall).toEqual(s.recall);
      }),
      { numRuns: 200, seed: 9 },
    );
  });
});

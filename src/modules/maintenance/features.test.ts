/** Readings as telematics stores them → the detectors' daily features. */
import { describe, expect, it } from 'vitest';
import { dailyFeatures, type ReadingRow } from './features.js';

const obd = (at: string, frames: object[]): ReadingRow => ({
  kind: 'obd',
  ts: new Date(at),
  data: { frames },
});
const pid = (p: string, value: unknown) => ({ mode: '01', pid: p, value });
const status = (at: string, data: Record<string, unknown>): ReadingRow => ({
  kind: 'status',
  ts: new Date(at),
  data,
});

describe('dailyFeatures', () => {
  const rows: ReadingRow[] = [
    // 2 March (Shanghai, UTC+8): the first start after the night parked, at 07:00.
    status('2026-03-01T23:00:00Z', { ignition: true, battery12vV: 12.55, odometerKm: 40_000 }),
    obd('2026-03-01T23:00:01Z', [pid('42', 10.2), pid('46', -3)]),
    obd('2026-03-01T23:00:02Z', [pid('42', 9.9)]),
    obd('2026-03-01T23:00:30Z', [pid('42', 14.1), pid('0D', 0)]),
    obd('2026-03-01T23:00:40Z', [pid('0D', 50), pid('05', 88)]),
    obd('2026-03-01T23:00:50Z', [pid('0D', 0), pid('05', 96)]),
    // Samples ten minutes apart are a gap, not a deceleration.
    obd('2026-03-01T23:05:00Z', [pid('0D', 60)]),
    obd('2026-03-01T23:15:00Z', [pid('0D', 0)]),
    {
      kind: 'tpms',
      ts: new Date('2026-03-01T23:01:00Z'),
      data: { tyresKpa: { fl: 230, fr: 231, rl: 225, rr: 210 }, tyresTempC: { fl: 2, fr: 2, rl: 4, rr: 4 } },
    },
    obd('2026-03-02T01:00:00Z', [{ mode: '03', dtcs: ['P0301'] }, pid('01', { mil: true, dtcCount: 1 })]),
    obd('2026-03-02T01:10:00Z', [{ mode: '03', dtcs: ['P0301', 'P0420'] }]),
    status('2026-03-02T14:00:00Z', { ignition: false, odometerKm: 40_062 }),
    // 3 March, 01:00: restarted three hours after the last report — not a cold start.
    status('2026-03-02T17:00:00Z', { ignition: true, battery12vV: 12.4, odometerKm: 40_062 }),
    obd('2026-03-02T17:00:01Z', [pid('42', 10.5), pid('46', 12), pid('5B', 91)]),
    obd('2026-03-02T17:00:03Z', [pid('42', 10.8), pid('5B', 90), pid('5B', 95)]),
  ];
  const [d1, d2] = dailyFeatures(rows, 'Asia/Shanghai');

  it('groups readings by local day', () => {
    expect([d1?.day, d2?.day]).toEqual(['2026-03-02', '2026-03-03']);
  });

  it('takes resting and cranking voltage from the first start after a long park', () => {
    expect(d1).toMatchObject({ restingV: 12.55, crankMinV: 9.9, crankTempC: -3, restingTempC: -3 });
    expect(d2!.crankMinV).toBeUndefined();
    expect(d2!.restingV).toBeUndefined();
  });

  it('integrates braking work over close samples only', () => {
    // One 50 → 0 km/h stop: (50 / 3.6)² / 2 J/kg.
    expect(d1!.brakeWorkKJkg).toBeCloseTo((50 / 3.6) ** 2 / 2 / 1000, 9);
  });

  it('keeps odometer, distance, tyres, coolant peak, codes with first-seen times and the MIL', () => {
    expect(d1).toMatchObject({
      odometerKm: 40_062,
      distanceKm: 62,
      tyresKpa: { fl: 230, fr: 231, rl: 225, rr: 210 },
      tyreTempC: 3,
      coolantMaxC: 96,
      mil: true,
    });
    expect(d1!.dtcs).toEqual([
      { code: 'P0301', at: '2026-03-02T01:00:00.000Z' },
      { code: 'P0420', at: '2026-03-02T01:10:00.000Z' },
    ]);
    expect(d2!.sohPct).toBe(91);
  });
});

/**
 * Detectors on synthetic vehicle histories with noise and confounders: each must flag the fault it
 * is built for, with a due date near the truth, and stay quiet on a healthy vehicle that has the same
 * confounder (cold mornings, seasonal temperature, a hard-braking driver).
 */
import { baselineAlerts } from './baseline.js';
import { describe, expect, it } from 'vitest';
import { seededRng, type Rng } from '../../../platform/domain/random.js';
import {
  battery12v,
  brakePads,
  coolant,
  detectFindings,
  oilService,
  pressureAt,
  tractionBattery,
  troubleCodes,
  tyreLeak,
} from './detectors.js';
import { addDaysTo, daysBetween } from './series.js';
import type { DayFeatures, VehicleHistory } from './types.js';

const START = '2026-01-01';
const gauss = (rng: Rng) => (rng() + rng() + rng() + rng() - 2) * 0.87;

function history(
  days: number,
  f: (i: number, rng: Rng) => Partial<DayFeatures>,
  extra: Partial<VehicleHistory> = {},
  seed = 1,
): VehicleHistory {
  const rng = seededRng(seed);
  return {
    vehicleId: 'veh_1',
    powertrain: 'ICE',
    services: [],
    days: Array.from({ length: days }, (_, i) => ({ day: addDaysTo(START, i), ...f(i, rng) })),
    ...extra,
  };
}
const lastDay = (h: VehicleHistory) => h.days.at(-1)!.day;

describe('12 V battery', () => {
  // Cold mornings swing between −8 °C and 14 °C; cranking voltage follows temperature.
  const temp = (i: number) => 3 + 11 * Math.sin(i / 3.1);
  it('stays quiet for a healthy battery on cold mornings', () => {
    const h = history(45, (i, rng) => ({
      crankTempC: temp(i),
      crankMinV: 10.4 + 0.03 * temp(i) + 0.08 * gauss(rng),
      restingV: 12.6 + 0.02 * gauss(rng),
      restingTempC: temp(i),
    }));
    expect(battery12v(h, lastDay(h))).toBeNull();
  });

  it('projects when a degrading battery will fail to crank on a cold morning', () => {
    // 20 mV a day; at 0 °C it reaches 9.6 V on day (10.4 − 9.6) / 0.02 = 40.
    const h = history(35, (i, rng) => ({
      crankTempC: temp(i),
      crankMinV: 10.4 + 0.03 * temp(i) - 0.02 * i + 0.08 * gauss(rng),
    }));
    const f = battery12v(h, lastDay(h))!;
    expect(f).not.toBeNull();
    expect(f.component).toBe('battery_12v');
    expect(Math.abs(daysBetween(addDaysTo(START, 40), f.dueDay!))).toBeLessThanOrEqual(4);
    expect(f.confidence).toBeGreaterThanOrEqual(0.6);
    expect(f.evidence[0]!.en).toMatch(/cranking voltage/);
  });
});

describe('without temperatures (devices that do not report them)', () => {
  it('still sees a weakening battery from the time trend alone', () => {
    const h = history(35, (i, rng) => ({ crankMinV: 10.6 - 0.03 * i + 0.05 * gauss(rng), restingV: 12.5 }));
    const f = battery12v(h, lastDay(h))!;
    expect(f.component).toBe('battery_12v');
    expect(f.evidence[0]!.en).not.toMatch(/0 °C/);
  });

  it('still finds a slow leak against the other tyres', () => {
    const h = history(14, (i, rng) => ({
      tyresKpa: {
        fl: 240 + gauss(rng),
        fr: 241 + gauss(rng),
        rl: 238 + gauss(rng),
        rr: 238 - 4 * i + gauss(rng),
      },
    }));
    expect(tyreLeak(h, lastDay(h))!.evidence[0]!.values!.tyre).toBe('rr');
  });
});

describe('tyres', () => {
  const season = (i: number) => 25 - i * 0.8; // autumn: 25 °C → 14 °C over two weeks
  const cold = (p: number, t: number) => ((p + 101.325) * (t + 273.15)) / 293.15 - 101.325;
  it('does not mistake a seasonal temperature drop for a leak', () => {
    const h = history(14, (i, rng) => ({
      tyreTempC: season(i),
      tyresKpa: {
        fl: cold(240, season(i)) + gauss(rng),
        fr: cold(240, season(i)) + gauss(rng),
        rl: cold(235, season(i)) + gauss(rng),
        rr: cold(235, season(i)) + gauss(rng),
      },
    }));
    expect(tyreLeak(h, lastDay(h))).toBeNull();
  });

  it('finds the one tyre losing pressure and when it will be flat', () => {
    const h = history(14, (i, rng) => ({
      tyreTempC: season(i),
      tyresKpa: {
        fl: cold(240, season(i)) + gauss(rng),
        fr: cold(240, season(i)) + gauss(rng),
        rl: cold(235, season(i)) + gauss(rng),
        rr: cold(235 - 3 * i, season(i)) + gauss(rng),
      },
    }));
    const f = tyreLeak(h, lastDay(h))!;
    expect(f.evidence[0]!.values!.tyre).toBe('rr');
    // 235 − 3·13 = 196 kPa now, 150 kPa in ≈ 15 days.
    expect(Math.abs(daysBetween(lastDay(h), f.dueDay!) - 15)).toBeLessThanOrEqual(3);
  });

  it('corrects pressure by the gas law, and back', () => {
    expect(pressureAt(pressureAt(230, -10), 20, -10)).toBeCloseTo(230, 9);
    expect(pressureAt(230, 20)).toBeCloseTo(230, 9);
    expect(pressureAt(230, 40)).toBeLessThan(230);
  });
});

describe('brake pads', () => {
  const fitted = { day: START, odometerKm: 20_000, component: 'brake_pads' as const };
  it('lets a hard-braking driver with new pads be', () => {
    const h = history(60, (i, rng) => ({ distanceKm: 40, brakeWorkKJkg: 14 + 3 * gauss(rng) }), {
      services: [fitted],
    });
    expect(brakePads(h, lastDay(h))).toBeNull();
  });

  it('projects the end of worn pads from braking work', () => {
    // 9,000 kJ/kg capacity at 60 a day: worn out on day 150; 135 days of data → 15 days left.
    const h = history(
      135,
      (i, rng) => (i % 9 === 4 ? {} : { distanceKm: 45, brakeWorkKJkg: 60 + 8 * gauss(rng) }),
      {
        services: [fitted],
      },
    );
    const f = brakePads(h, lastDay(h))!;
    expect(f.severity).toBe('soon');
    expect(Math.abs(daysBetween(addDaysTo(START, 150), f.dueDay!))).toBeLessThanOrEqual(6);
  });

  it('trusts the pad sensor', () => {
    const h = history(10, () => ({ padWarning: true }));
    expect(brakePads(h, lastDay(h))).toMatchObject({ severity: 'urgent', confidence: 0.95 });
  });
});

describe('oil service', () => {
  it('projects the due date from the vehicle’s own mileage', () => {
    // Serviced at 30,000 km; 60 km a day for 150 days → 39,000 km, 1,000 km (≈ 17 days) left.
    const h = history(150, (i, rng) => ({ odometerKm: 30_000 + 60 * i + 5 * gauss(rng) }), {
      services: [{ day: START, odometerKm: 30_000, component: 'oil_service' }],
    });
    const f = oilService(h, lastDay(h))!;
    expect(f.severity).toBe('soon');
    expect(f.dueInKm).toBeGreaterThan(900);
    expect(f.dueInKm).toBeLessThan(1_100);
    expect(Math.abs(daysBetween(lastDay(h), f.dueDay!) - 17)).toBeLessThanOrEqual(2);
  });

  it('is quiet right after a service, and for electric cars', () => {
    const h = history(20, (i) => ({ odometerKm: 30_000 + 60 * i }), {
      services: [{ day: START, odometerKm: 30_000, component: 'oil_service' }],
    });
    expect(oilService(h, lastDay(h))).toBeNull();
    const ev = history(150, (i) => ({ odometerKm: 30_000 + 60 * i }), {
      powertrain: 'BEV',
      services: [{ day: START, odometerKm: 30_000, component: 'oil_service' }],
    });
    expect(oilService(ev, lastDay(ev))).toBeNull();
  });

  it('waits for two weeks of mileage before projecting by distance', () => {
    // 4,000 km left at 150 km a day: 27 days by distance, but only five days of driving seen so far.
    const opts = { services: [{ day: '2025-11-01', odometerKm: 30_000, component: 'oil_service' as const }] };
    const early = history(5, (i) => ({ odometerKm: 36_000 + 150 * i }), opts);
    expect(oilService(early, lastDay(early))).toBeNull();
    const later = history(16, (i) => ({ odometerKm: 36_000 + 150 * i }), opts);
    expect(oilService(later, lastDay(later))).toMatchObject({ component: 'oil_service' });
    // A distance already passed needs no trend.
    const over = history(3, (i) => ({ odometerKm: 40_500 + 100 * i }), opts);
    expect(oilService(over, lastDay(over))).toMatchObject({ severity: 'urgent' });
  });

  it('falls due by time for a car that barely moves', () => {
    const h = history(350, (i) => (i % 7 === 0 ? { odometerKm: 50_000 + i } : {}), {
      services: [{ day: START, odometerKm: 50_000, component: 'oil_service' }],
    });
    const f = oilService(h, lastDay(h))!;
    expect(f.severity).toBe('soon');
    expect(f.confidence).toBeGreaterThan(0.9);
  });
});

describe('traction battery', () => {
  it('separates fast fade from normal ageing', () => {
    const normal = history(60, (i, rng) => ({ sohPct: 92 - 0.006 * i + 0.15 * gauss(rng) }), {
      powertrain: 'BEV',
    });
    expect(tractionBattery(normal, lastDay(normal))).toBeNull();
    const fading = history(60, (i, rng) => ({ sohPct: 80 - 0.15 * i + 0.15 * gauss(rng) }), {
      powertrain: 'BEV',
    });
    const f = tractionBattery(fading, lastDay(fading))!;
    // 80 − 0.15·59 ≈ 71.2 now → 70 % in ≈ 8 days.
    expect(f.severity).toBe('soon');
    expect(Math.abs(daysBetween(lastDay(fading), f.dueDay!) - 8)).toBeLessThanOrEqual(3);
  });
});

describe('coolant and trouble codes', () => {
  it('flags repeated overheating, not a hot summer day', () => {
    const summer = history(21, (i, rng) => ({ coolantMaxC: 95 + (i === 10 ? 12 : 0) + gauss(rng) }));
    expect(coolant(summer, lastDay(summer))).toBeNull();
    const failing = history(21, (i, rng) => ({ coolantMaxC: 92 + 0.9 * i + gauss(rng) }));
    expect(coolant(failing, lastDay(failing))).toMatchObject({ component: 'coolant' });
  });

  it('maps codes to components and keeps the first time each was seen', () => {
    const h = history(3, (i) =>
      i === 2
        ? {
            mil: true,
            dtcs: [
              { code: 'P0301', at: '2026-01-03T08:01:00Z' },
              { code: 'P0420', at: '2026-01-03T08:02:00Z' },
              { code: 'U0100', at: '2026-01-03T08:03:00Z' },
              { code: 'P1234', at: '2026-01-03T08:04:00Z' },
            ],
          }
        : {},
    );
    const f = troubleCodes(h, lastDay(h));
    expect(f.map((x) => [x.component, x.severity]).sort()).toEqual([
      ['catalyst', 'soon'],
      ['misfire', 'urgent'],
      ['network', 'soon'],
    ]);
    expect(f.find((x) => x.component === 'misfire')!.evidence[0]!.values!.firstSeenAt).toBe(
      '2026-01-03T08:01:00Z',
    );
  });

  it('reports one finding per component, the more severe', () => {
    const h = history(21, (i, rng) => ({
      coolantMaxC: 92 + 0.9 * i + gauss(rng),
      ...(i === 20 ? { dtcs: [{ code: 'P0217', at: '2026-01-21T09:00:00Z' }] } : {}),
    }));
    const f = detectFindings(h, lastDay(h)).filter((x) => x.component === 'coolant');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('urgent');
  });
});

describe('threshold baseline (for the benchmark)', () => {
  const end = (day: string) => `${day}T15:59:59.000Z`;
  it('alerts once per component, the first day a fixed threshold trips', () => {
    const days = [
      { day: '2026-03-01', crankMinV: 10.1, tyresKpa: { fl: 230 }, odometerKm: 18_000 },
      { day: '2026-03-02', crankMinV: 9.5, tyresKpa: { fl: 175 }, odometerKm: 19_100 },
      { day: '2026-03-03', crankMinV: 9.4, dtcs: [{ code: 'P0301', at: '2026-03-03T01:00:00.000Z' }] },
    ];
    const services = [{ day: '2026-01-01', odometerKm: 10_000, component: 'oil_service' as const }];
    const got = baselineAlerts(days, services, end).sort((a, b) => (a.component < b.component ? -1 : 1));
    expect(got).toEqual([
      { component: 'battery_12v', at: end('2026-03-02') },
      { component: 'misfire', at: '2026-03-03T01:00:00.000Z' },
      { component: 'oil_service', at: end('2026-03-02') },
      { component: 'tyre_leak', at: end('2026-03-02') },
    ]);
    expect(baselineAlerts([{ day: '2026-03-01', crankMinV: 10.5 }], [], end)).toEqual([]);
  });
});

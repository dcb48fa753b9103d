/**
 * Generated fleets for the maintenance benchmark: `vehicles` cars of mixed powertrains and usage
 * over `days`, with faults of every component spread over the period (onset after a warm-up, failure
 * before the end), hard-braking drivers, reporting gaps, cold mornings and seasonal tyre pressure.
 * Pure: same options → same scenario.
 */
import { seededRng, type Rng } from '../../../platform/domain/random.js';
import {
  FAULT_COMPONENTS,
  parseScenario,
  serviceRecordsOf,
  type FaultComponent,
  type Scenario,
  type ScenarioVehicle,
} from './scenario.js';

export interface GenerateOptions {
  vehicles: number;
  days: number;
  seed: number;
  /** Faults per vehicle on average (default 0.2: 200 faults for 1,000 vehicles). */
  faultRate?: number;
  /** First local day (default 2026-01-12, a winter start: cold mornings, then spring). */
  startDay?: string;
  tickSeconds?: number;
}

const DAY = 86_400_000;

const MODELS: Record<ScenarioVehicle['powertrain'], Array<[string, string]>> = {
  ice: [
    ['Volkswagen', 'Lavida'],
    ['Volkswagen', 'Sagitar'],
    ['Nissan', 'Sylphy'],
    ['Toyota', 'Corolla'],
    ['Honda', 'Civic'],
    ['Haval', 'H6'],
    ['Geely', 'Boyue'],
    ['Buick', 'Excelle GT'],
  ],
  hybrid: [
    ['Toyota', 'Camry Hybrid'],
    ['Toyota', 'RAV4 Hybrid'],
    ['BYD', 'Qin PLUS DM-i'],
  ],
  ev: [
    ['BYD', 'Han EV'],
    ['BYD', 'Dolphin'],
    ['Tesla', 'Model 3'],
    ['Tesla', 'Model Y'],
    ['XPeng', 'P7'],
  ],
};

/** Days from onset to failure, per component: [shortest, longest]. */
const SPAN_DAYS: Record<FaultComponent, [number, number]> = {
  battery_12v: [30, 55],
  brake_pads: [40, 70],
  traction_battery: [30, 55],
  tyre_slow_leak: [14, 35],
  coolant_overheat: [14, 30],
  misfire: [5, 20],
  catalyst: [10, 30],
  oil_service_overdue: [60, 60],
};

const ENGINE_ONLY = new Set<FaultComponent>([
  'battery_12v',
  'coolant_overheat',
  'misfire',
  'catalyst',
  'oil_service_overdue',
]);

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

function weighted<T extends string>(rng: Rng, w: Record<T, number>): T {
  const entries = Object.entries(w) as Array<[T, number]>;
  let x = rng() * entries.reduce((a, [, n]) => a + n, 0);
  for (const [k, n] of entries) if ((x -= n) < 0) return k;
  return entries.at(-1)![0];
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

export function generateScenario(o: GenerateOptions): Scenario {
  const rng = seededRng(o.seed);
  const start = Date.parse(`${o.startDay ?? '2026-01-12'}T00:00:00+08:00`);
  if (!Number.isFinite(start)) throw new Error(`start day must be YYYY-MM-DD, got ${o.startDay}`);
  const end = start + o.days * DAY;
  const vehicles: ScenarioVehicle[] = [];
  for (let i = 0; i < o.vehicles; i++) {
    const powertrain = weighted(rng, { ice: 0.62, hybrid: 0.13, ev: 0.25 });
    const usage = weighted(rng, {
      commuter: 0.68,
      weekend: 0.22,
      ride_hailing: 0.07,
      taxi: 0.03,
    } satisfies Record<ScenarioVehicle['usage'], number>);
    const [make, model] = pick(rng, MODELS[powertrain]);
    const consents: ScenarioVehicle['consents'] =
      rng() < 0.8 ? ['location', 'driving_behaviour'] : ['driving_behaviour'];
    vehicles.push({
      key: `v${String(i + 1).padStart(4, '0')}`,
      make,
      model,
      powertrain,
      usage,
      seed: Math.floor(rng() * 2 ** 31),
      odometerKm: Math.round(5_000 + rng() * 120_000),
      home: { lat: 30.2741 + (rng() - 0.5) * 0.3, lon: 120.1551 + (rng() - 0.5) * 0.3 },
      hardBraker: rng() < 0.15,
      faults: [],
      services: [],
      consents,
    });
  }
  const scenario = (): Scenario => ({
    version: 1,
    start: iso(start),
    end: iso(end),
    tickSeconds: o.tickSeconds ?? 600,
    noise: { speedKmh: 1, voltageV: 0.03, pressureKpa: 2, temperatureC: 0.5 },
    gaps: { tripDropProbability: 0.03 },
    confounders: { coldMornings: true, seasonalTyrePressure: true },
    vehicles,
  });

  // Faults: components in turn, each on a vehicle that can have it and has none of it yet.
  const total = Math.round(o.vehicles * (o.faultRate ?? 0.2));
  const warmUp = 14;
  for (let n = 0, tries = 0; n < total && tries < total * 50; tries++) {
    const component = FAULT_COMPONENTS[n % FAULT_COMPONENTS.length]!;
    const v = pick(rng, vehicles);
    if (v.faults.some((f) => f.component === component)) continue;
    if (v.powertrain === 'ev' && ENGINE_ONLY.has(component)) continue;
    if (component === 'traction_battery' && v.powertrain === 'ice') continue;
    const [lo, hi] = SPAN_DAYS[component];
    // Spans are shortened to fit short periods (each fault onsets after the warm-up, fails before the
    // end); an oil fault's onset may lie before the period.
    const span =
      component === 'oil_service_overdue' ? lo : Math.min(lo + rng() * (hi - lo), o.days - 2 - warmUp);
    if (span < 3) continue;
    let onset: number;
    if (component === 'oil_service_overdue') {
      // Due after the warm-up; "onset" is the start of the last two months before it falls due.
      if (o.days - 1 < warmUp + 7) continue;
      onset = start + (warmUp + 7 + rng() * (o.days - 1 - warmUp - 7)) * DAY - span * DAY;
    } else {
      const latestOnset = o.days - 1 - span;
      if (latestOnset < warmUp) continue;
      onset = start + (warmUp + rng() * (latestOnset - warmUp)) * DAY;
    }
    const fault: ScenarioVehicle['faults'][number] = {
      component,
      onset: iso(onset),
      failure: iso(onset + span * DAY),
      severity: 1,
      ...(component === 'tyre_slow_leak' ? { position: pick(rng, ['fl', 'fr', 'rl', 'rr'] as const) } : {}),
    };
    if (component === 'oil_service_overdue') {
      // The last oil change must have been before the period (the owner records it at the start).
      const trial = { ...v, faults: [fault] };
      const rec = serviceRecordsOf(scenario(), trial).at(-1)!;
      if (Date.parse(`${rec.day}T00:00:00+08:00`) >= start) continue;
    }
    v.faults.push(fault);
    n++;
  }
  // Some owners without an oil fault recorded a recent oil change (due well after the period): the
  // oil model must stay quiet for them.
  for (const v of vehicles) {
    if (v.powertrain === 'ev' || v.usage === 'taxi' || v.usage === 'ride_hailing') continue;
    if (v.faults.some((f) => f.component === 'oil_service_overdue') || rng() > 0.3) continue;
    const daysAgo = Math.floor(rng() * 40);
    v.services.push({
      component: 'oil_service',
      day: iso(start - daysAgo * DAY + 8 * 3600_000).slice(0, 10),
      odometerKm: Math.max(0, Math.round(v.odometerKm - daysAgo * 45)),
    });
  }
  return parseScenario(scenario());
}

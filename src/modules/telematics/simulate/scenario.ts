/**
 * Scenario files for `pitlane simulate` (format in docs/TELEMETRY.md) and the deterministic telemetry
 * generator: per vehicle a time-ordered stream of device messages from its usage pattern, sensor
 * noise, reporting gaps, confounders and injected faults. Pure: same file + seed → same messages.
 */
import { z } from 'zod';
import { seededRng, type Rng } from '../../../platform/domain/random.js';
import { encodeDtcAnswer, encodeMode01Answer, formatElmLines } from '../obd/index.js';
import type { MessageKind } from '../payloads.js';
import { SERVICE_COMPONENTS } from '../../maintenance/detect/types.js';

export const FAULT_COMPONENTS = [
  'brake_pads',
  'battery_12v',
  'traction_battery',
  'tyre_slow_leak',
  'coolant_overheat',
  'misfire',
  'catalyst',
  'oil_service_overdue',
] as const;
export type FaultComponent = (typeof FAULT_COMPONENTS)[number];
export const USAGE_PATTERNS = ['commuter', 'weekend', 'taxi', 'ride_hailing'] as const;

const isoTs = z.iso.datetime({ offset: true });
const latLon = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

/**
 * What each fault does to the telemetry (the detectors never read this file, only the telemetry):
 * - `battery_12v`: the cranking dip (PID 42 in the seconds after a start) falls by up to 0.8 V and the
 *   resting voltage by up to 0.45 V: at failure it cranks below 9.6 V at 0 °C, the load-test limit;
 * - `brake_pads`: the pads wear towards the backing plate; the wear sensor (status `brakePadWarning`)
 *   trips with a quarter of the way to failure left;
 * - `traction_battery`: the state of health (PID 5B) falls to 70 % by the failure;
 * - `tyre_slow_leak`: one tyre loses up to 90 kPa (at 20 °C) by the failure;
 * - `coolant_overheat`: the coolant peak climbs by up to 30 °C, P0217 near the end;
 * - `misfire`: P0301 from 30 % of the way, P0300 from 70 %; `catalyst`: P0420 from 50 %;
 * - `oil_service_overdue`: the service falls due (10,000 km or 365 days, whichever first) at the
 *   failure; the simulator registers the matching last oil service as the owner's service record.
 */
export const faultSchema = z.strictObject({
  component: z.enum(FAULT_COMPONENTS),
  /** When degradation starts (ground truth). */
  onset: isoTs,
  /** When the component fails (ground truth). */
  failure: isoTs,
  /** 0..1: how strongly the signal moves by the failure time. */
  severity: z.number().min(0).max(1).default(1),
  /** Tyre position for tyre faults. */
  position: z.enum(['fl', 'fr', 'rl', 'rr']).optional(),
});

export const vehicleSchema = z.strictObject({
  key: z.string().regex(/^[A-Za-z0-9_-]{1,24}$/),
  /** Catalogue make and model, e.g. "Volkswagen Lavida" or "Tesla Model 3". */
  make: z.string().min(1).max(40),
  model: z.string().min(1).max(40),
  powertrain: z.enum(['ice', 'ev', 'hybrid']).default('ice'),
  usage: z.enum(USAGE_PATTERNS).default('commuter'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
  odometerKm: z.number().min(0).max(2_000_000).default(30_000),
  home: latLon.default({ lat: 30.2741, lon: 120.1551 }),
  /** Confounder: a driver who brakes hard (harsh braking without any brake fault). */
  hardBraker: z.boolean().default(false),
  faults: z.array(faultSchema).max(8).default([]),
  /** Services the owner records as done before (e.g. at another shop); oil faults add their own. */
  services: z
    .array(
      z.strictObject({
        component: z.enum(SERVICE_COMPONENTS),
        day: z.iso.date(),
        odometerKm: z.number().int().min(0).max(2_000_000).optional(),
      }),
    )
    .max(20)
    .default([]),
  /** Consents the simulated owner grants (default: location and driving behaviour). */
  consents: z
    .array(z.enum(['location', 'driving_behaviour', 'insurer_sharing']))
    .default(['location', 'driving_behaviour']),
});

export const scenarioSchema = z.strictObject({
  version: z.literal(1),
  start: isoTs,
  end: isoTs,
  /** Sampling interval while driving, simulated seconds. */
  tickSeconds: z.number().int().min(1).max(600).default(30),
  noise: z
    .strictObject({
      speedKmh: z.number().min(0).max(20).default(1),
      voltageV: z.number().min(0).max(1).default(0.03),
      pressureKpa: z.number().min(0).max(30).default(2),
      temperatureC: z.number().min(0).max(10).default(0.5),
    })
    .default({ speedKmh: 1, voltageV: 0.03, pressureKpa: 2, temperatureC: 0.5 }),
  /** Reporting gaps: per trip, the chance that the device stays silent for it. */
  gaps: z
    .strictObject({ tripDropProbability: z.number().min(0).max(1).default(0.02) })
    .default({ tripDropProbability: 0.02 }),
  confounders: z
    .strictObject({
      /** Winter mornings lower the 12 V reading at start without a battery fault. */
      coldMornings: z.boolean().default(true),
      /** Tyre pressure follows the ambient temperature over the year (≈ 1 kPa per °C). */
      seasonalTyrePressure: z.boolean().default(true),
    })
    .default({ coldMornings: true, seasonalTyrePressure: true }),
  vehicles: z.array(vehicleSchema).min(1).max(10_000),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioVehicle = z.infer<typeof vehicleSchema>;

export function parseScenario(json: unknown): Scenario {
  const s = scenarioSchema.parse(json);
  if (Date.parse(s.end) <= Date.parse(s.start)) throw new Error('scenario end must be after start');
  const keys = new Set<string>();
  for (const v of s.vehicles) {
    if (keys.has(v.key)) throw new Error(`vehicle key ${v.key} appears twice`);
    keys.add(v.key);
    for (const f of v.faults)
      if (Date.parse(f.failure) < Date.parse(f.onset))
        throw new Error(`${v.key}: fault ${f.component} fails before its onset`);
  }
  return s;
}

export interface SimMessage {
  kind: MessageKind;
  ts: number;
  payload: Record<string, unknown>;
  /** Trouble codes this message reports (OBD), for judging detection latency; not sent. */
  dtcs?: string[];
  /** Odometer after this message (status), for deriving service records; not sent. */
  odometerKm?: number;
}

const DAY = 86_400_000;
const SHANGHAI = 8 * 3600_000;

function gauss(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Ambient temperature (°C) in Hangzhou-like climate: seasonal and daily cycle. */
export function ambientC(ts: number): number {
  const day = ((ts + SHANGHAI) % (365.25 * DAY)) / DAY;
  const hour = (((ts + SHANGHAI) % DAY) / 3600_000) % 24;
  const seasonal = 17 - 12 * Math.cos(((day - 15) / 365.25) * 2 * Math.PI);
  const daily = -4 * Math.cos(((hour - 3) / 24) * 2 * Math.PI);
  return seasonal + daily;
}

/** Progress of a fault at ts: 0 before onset, 1 at failure and after, times severity. */
export function faultLevel(f: z.infer<typeof faultSchema>, ts: number): number {
  const on = Date.parse(f.onset);
  const fail = Date.parse(f.failure);
  if (ts < on) return 0;
  const p = fail > on ? clamp((ts - on) / (fail - on), 0, 1) : 1;
  return p * f.severity;
}

/** Trip start times (local) of a day for a usage pattern, with durations in minutes. */
function tripsOfDay(
  usage: ScenarioVehicle['usage'],
  dayStart: number,
  rng: Rng,
): Array<{ at: number; minutes: number }> {
  const local = new Date(dayStart + SHANGHAI);
  const weekday = local.getUTCDay(); // 0 Sunday
  const weekend = weekday === 0 || weekday === 6;
  const at = (h: number, m = 0) =>
    dayStart + (h * 60 + m) * 60_000 - SHANGHAI + Math.floor(rng() * 20) * 60_000;
  switch (usage) {
    case 'commuter':
      return weekend
        ? rng() < 0.5
          ? [{ at: at(10), minutes: 40 + rng() * 40 }]
          : []
        : [
            { at: at(7, 40), minutes: 25 + rng() * 15 },
            { at: at(18, 0), minutes: 30 + rng() * 20 },
          ];
    case 'weekend':
      return weekend
        ? [
            { at: at(9, 30), minutes: 60 + rng() * 60 },
            { at: at(16), minutes: 50 + rng() * 40 },
          ]
        : [];
    case 'taxi':
    case 'ride_hailing': {
      const n = usage === 'taxi' ? 10 : 7;
      return Array.from({ length: n }, (_, i) => ({
        at: at(7 + Math.floor((i * 15) / n), (i * 37) % 60),
        minutes: 15 + rng() * 25,
      }));
    }
  }
}

/**
 * The message stream of one vehicle, in time order. Each trip: ignition on (resting 12 V), the
 * cranking dip two seconds later (ICE and hybrids), samples every tickSeconds (status + GPS; OBD
 * every 2nd; TPMS every 10th; EV state every 4th), ignition off.
 */
export function* vehicleMessages(s: Scenario, v: ScenarioVehicle): Generator<SimMessage> {
  const rng = seededRng(v.seed);
  // Vehicle constants come from their own stream so that the trip stream stays as it was.
  const own = seededRng((v.seed ^ 0x5eed) >>> 0);
  const sohStart = 90 + own() * 7;
  const crankBase = 10.2 + own() * 0.4;
  const start = Date.parse(s.start);
  const end = Date.parse(s.end);
  let odometer = v.odometerKm;
  let soc = 80;
  let seq = 0;
  const noise = (sd: number) => gauss(rng) * sd;
  const level = (c: FaultComponent) =>
    v.faults.filter((f) => f.component === c).reduce((m, f) => Math.max(m, faultLevel(f, tsNow)), 0);
  let tsNow = start;
  const ev = v.powertrain === 'ev';
  const engine = !ev;
  const firstDay = Math.floor((start + SHANGHAI) / DAY) * DAY - SHANGHAI;
  for (let day = firstDay; day < end; day += DAY) {
    const trips = tripsOfDay(v.usage, day, rng).sort((a, b) => a.at - b.at);
    for (const trip of trips) {
      if (trip.at < start || trip.at >= end) continue;
      const silent = rng() < s.gaps.tripDropProbability;
      const ticks = Math.max(2, Math.round((trip.minutes * 60) / s.tickSeconds));
      const cruise = v.usage === 'taxi' || v.usage === 'ride_hailing' ? 35 : 55 + rng() * 30;
      let speed = 0;
      let lat = v.home.lat + (rng() - 0.5) * 0.05;
      let lon = v.home.lon + (rng() - 0.5) * 0.05;
      const heading = rng() * 360;
      let coolant = ambientC(trip.at);
      for (let i = 0; i <= ticks; i++) {
        tsNow = trip.at + i * s.tickSeconds * 1000;
        const last = i === ticks;
        const prev = speed;
        let braked = false;
        if (last) speed = 0;
        else if (i === 0) speed = 0;
        else {
          const target = cruise * (0.7 + 0.6 * rng());
          speed = clamp(prev + clamp(target - prev, -25, 20), 0, 160);
          if (v.hardBraker && prev > 45 && rng() < 0.15) {
            speed = prev - 45;
            braked = true;
          }
        }
        const km = ((prev + speed) / 2) * (s.tickSeconds / 3600);
        odometer += km;
        const rad = (heading * Math.PI) / 180;
        lat += (Math.cos(rad) * km) / 111;
        lon += (Math.sin(rad) * km) / (111 * Math.cos((lat * Math.PI) / 180));
        if (ev) soc = clamp(soc - km * (0.18 + 0.25 * level('traction_battery')), 5, 100);
        const amb = ambientC(tsNow);
        // Warms towards the thermostat's 90 °C (time constant 4 min); a failing cooling system runs hotter.
        const hot = 90 + 30 * level('coolant_overheat');
        if (i > 0) coolant += (hot - coolant) * (1 - Math.exp(-s.tickSeconds / 240));
        if (silent) continue;
        const id = () => `${v.key}-${++seq}`;
        const iso = (t: number) => new Date(t).toISOString();
        const bat = level('battery_12v');
        const coldStart = s.confounders.coldMornings && i === 0 && amb < 3 ? (3 - amb) * 0.02 : 0;
        // At rest before the start, else charging.
        const batt = i === 0 ? 12.65 - 0.45 * bat - coldStart : 14.1 - 0.3 * bat;
        if (braked) {
          // A hard stop is reported at 1 Hz around the event: the speed 3 s before it.
          const before = tsNow - 3000;
          yield {
            kind: 'status',
            ts: before,
            payload: { id: id(), ts: iso(before), speedKmh: round(prev, 1) },
          };
        }
        yield {
          kind: 'status',
          ts: tsNow,
          odometerKm: odometer,
          payload: {
            id: id(),
            ts: iso(tsNow),
            ...(i === 0 ? { ignition: true } : last ? { ignition: false } : {}),
            speedKmh: round(Math.max(0, speed + (speed > 0 ? noise(s.noise.speedKmh) : 0)), 1),
            battery12vV: round(batt + noise(s.noise.voltageV)),
            odometerKm: round(odometer, 1),
            ...(level('brake_pads') >= 0.75 ? { brakePadWarning: true } : {}),
          },
        };
        yield {
          kind: 'gps',
          ts: tsNow,
          payload: {
            id: id(),
            ts: iso(tsNow),
            lat: round(lat, 6),
            lon: round(lon, 6),
            speedKmh: round(speed, 1),
            heading: round(heading, 0),
          },
        };
        if (i % 2 === 0 && engine) {
          const dtcs: string[] = [];
          const mis = level('misfire');
          if (mis > 0.3) dtcs.push(mis > 0.7 ? 'P0300' : 'P0301');
          if (level('catalyst') > 0.5) dtcs.push('P0420');
          if (level('coolant_overheat') > 0.8) dtcs.push('P0217');
          const rpm = speed < 1 ? 780 : 1200 + speed * 22;
          const responses = [
            line(
              encodeMode01Answer(0x01, {
                mil: dtcs.length > 0,
                dtcCount: dtcs.length,
                ignition: 'spark',
                monitors: {},
              }),
            ),
            line(
              encodeMode01Answer(
                0x0c,
                clamp(round(rpm + noise(20) + (mis > 0 ? noise(80 * mis) : 0), 0), 0, 16383),
              ),
            ),
            line(encodeMode01Answer(0x0d, clamp(Math.round(speed), 0, 255))),
            line(
              encodeMode01Answer(0x05, clamp(Math.round(coolant + noise(s.noise.temperatureC)), -40, 215)),
            ),
            line(encodeMode01Answer(0x42, clamp(round(batt, 3), 0, 65.535))),
            line(encodeMode01Answer(0x46, clamp(Math.round(amb + noise(s.noise.temperatureC)), -40, 215))),
            ...(v.powertrain === 'hybrid' ? [line(encodeMode01Answer(0x5b, soh()))] : []),
            ...(dtcs.length > 0 ? encodeDtcAnswer('03', dtcs, 'can').map(line) : [line([0x43, 0x00])]),
          ];
          yield {
            kind: 'obd',
            ts: tsNow,
            payload: { id: id(), ts: iso(tsNow), responses, can: true },
            ...(dtcs.length ? { dtcs } : {}),
          };
        }
        if (i % 4 === 0 && ev) {
          const tb = level('traction_battery');
          yield {
            kind: 'ev',
            ts: tsNow,
            payload: {
              id: id(),
              ts: iso(tsNow),
              socPct: round(soc, 1),
              packVoltageV: round(330 + soc * 0.7 - 15 * tb + noise(s.noise.voltageV * 10), 1),
              packCurrentA: round(speed * 1.8 + noise(3), 1),
              packTempC: round(amb + 8 + 15 * tb + noise(s.noise.temperatureC), 1),
              charging: false,
            },
          };
          yield {
            kind: 'obd',
            ts: tsNow,
            payload: {
              id: id(),
              ts: iso(tsNow),
              responses: [
                line(encodeMode01Answer(0x0d, clamp(Math.round(speed), 0, 255))),
                line(encodeMode01Answer(0x42, clamp(round(batt, 3), 0, 65.535))),
                line(
                  encodeMode01Answer(0x46, clamp(Math.round(amb + noise(s.noise.temperatureC)), -40, 215)),
                ),
                line(encodeMode01Answer(0x5b, soh())),
              ],
              can: true,
            },
          };
        }
        if (i % 10 === 0) {
          // Cold tyres at the start of a trip, warmer later; the gauge pressure follows the gas law.
          const tyreC = amb + Math.min(25, i * (s.tickSeconds / 60) * 0.8) + noise(s.noise.temperatureC);
          const tyres: Record<string, number> = {};
          const temps: Record<string, number> = {};
          for (const pos of ['fl', 'fr', 'rl', 'rr'] as const) {
            const leak = v.faults
              .filter((f) => f.component === 'tyre_slow_leak' && (f.position ?? 'fl') === pos)
              .reduce((m, f) => Math.max(m, faultLevel(f, tsNow)), 0);
            const at20 = 240 - 90 * leak;
            const t = s.confounders.seasonalTyrePressure ? tyreC : 20;
            const gauge = ((at20 + 101.325) * (t + 273.15)) / 293.15 - 101.325;
            tyres[pos] = round(clamp(gauge + noise(s.noise.pressureKpa), 0, 1000), 0);
            temps[pos] = round(t, 0);
          }
          yield {
            kind: 'tpms',
            ts: tsNow,
            payload: { id: id(), ts: iso(tsNow), tyresKpa: tyres, tyresTempC: temps },
          };
        }
        if (i === 0 && engine) {
          // The starter's dip: lower in the cold (oil viscosity, battery chemistry) and as the battery fails.
          const crank = crankBase + 0.02 * clamp(amb, -20, 25) - 0.8 * bat - coldStart;
          const at = tsNow + 2000;
          yield {
            kind: 'obd',
            ts: at,
            payload: {
              id: id(),
              ts: iso(at),
              responses: [
                line(encodeMode01Answer(0x42, clamp(round(crank + noise(s.noise.voltageV), 3), 0, 65.535))),
                line(
                  encodeMode01Answer(0x46, clamp(Math.round(amb + noise(s.noise.temperatureC)), -40, 215)),
                ),
              ],
              can: true,
            },
          };
        }
      }
    }
    // Overnight charging for EVs.
    if (ev) soc = Math.min(90, soc + 60);
  }

  /** Traction battery state of health: normal ageing, and the fault's fade to 70 % at failure. */
  function soh(): number {
    const ageing = 0.006 * ((tsNow - start) / DAY);
    const base = sohStart - ageing;
    return clamp(round(base - (base - 69.5) * level('traction_battery') + noise(0.3), 1), 0, 100);
  }
}

const line = (bytes: number[]): string => formatElmLines(bytes, { protocol: 'can11' }).join('\n');

/** The oil service interval the simulated owners follow (the detectors' default too). */
export const OIL_INTERVAL = { km: 10_000, days: 365 } as const;

const localDay = (t: number): string => new Date(t + SHANGHAI).toISOString().slice(0, 10);

/**
 * The service records the simulated owner registers: the vehicle's own, plus for each oil fault the
 * last oil service that makes the service fall due at the fault's failure time (by distance, from the
 * vehicle's own mileage in this scenario, or by time when it drives too little to reach the distance).
 */
export function serviceRecordsOf(
  s: Scenario,
  v: ScenarioVehicle,
): Array<ScenarioVehicle['services'][number]> {
  const out = [...v.services];
  const oil = v.faults.filter((f) => f.component === 'oil_service_overdue');
  if (!oil.length) return out;
  const start = Date.parse(s.start);
  const odo: Array<[number, number]> = [];
  for (const m of vehicleMessages(s, v)) if (m.odometerKm !== undefined) odo.push([m.ts, m.odometerKm]);
  const [lastTs, lastOdo] = odo.at(-1) ?? [start, v.odometerKm];
  const kmPerDay = lastTs > start ? Math.max(1, ((lastOdo - v.odometerKm) * DAY) / (lastTs - start)) : 30;
  for (const f of oil) {
    const due = Date.parse(f.failure);
    const seen = odo.filter(([t]) => t <= due).at(-1);
    const odoAtDue = due > lastTs ? lastOdo + (kmPerDay * (due - lastTs)) / DAY : (seen?.[1] ?? v.odometerKm);
    const byKmDays = OIL_INTERVAL.km / kmPerDay;
    const [day, km] =
      byKmDays < OIL_INTERVAL.days
        ? [due - byKmDays * DAY, odoAtDue - OIL_INTERVAL.km]
        : [due - OIL_INTERVAL.days * DAY, odoAtDue - kmPerDay * OIL_INTERVAL.days];
    out.push({ component: 'oil_service', day: localDay(day), odometerKm: Math.max(0, Math.round(km)) });
  }
  return out;
}

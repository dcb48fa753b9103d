/**
 * What the detectors read and what they conclude. Detection sees only telemetry (aggregated per
 * vehicle and local day) and the vehicle's service history — never a simulator's ground truth.
 *
 * Where each daily feature comes from (docs/TELEMETRY.md has the topics):
 * - `odometerKm`: PID A6 (or the dongle's own distance count); `distanceKm`: trips of the day.
 * - `crankMinV` / `crankTempC`: the lowest PID 42 (control module voltage) sample in the first
 *   seconds of the day's first start, and the ambient temperature (PID 46) then; `restingV` /
 *   `restingTempC`: PID 42 just before that start after ≥ 4 h parked.
 * - `brakeWorkKJkg`: braking work per kilogram of vehicle, Σ max(0, v₁² − v₂²) / 2 over speed (PID 0D
 *   or GPS) decelerations, in kJ/kg (a 100 → 0 km/h stop is 0.386 kJ/kg).
 * - `tyresKpa` / `tyreTempC`: the day's first TPMS report (gauge kPa, tyre air temperature).
 * - `coolantMaxC`: the day's highest PID 05.
 * - `sohPct`: traction-battery state of health (PID 5B or the BMS over `/ev`).
 * - `dtcs`: confirmed trouble codes (mode 03) reported that day with the time first seen; `mil`
 *   from PID 01. `padWarning`: a brake-pad wear sensor.
 */

/** Components the detectors judge (and the scenario file's fault components). */
export const COMPONENTS = [
  'oil_service',
  'brake_pads',
  'battery_12v',
  'traction_battery',
  'tyre_leak',
  'coolant',
  'misfire',
  'catalyst',
  'fuel_trim',
  'network',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** Wear components get a lead time; the rest are judged by detection latency after the first code. */
export const WEAR_COMPONENTS: ReadonlySet<Component> = new Set([
  'oil_service',
  'brake_pads',
  'battery_12v',
  'traction_battery',
  'tyre_leak',
  'coolant',
]);

export type TyrePosition = 'fl' | 'fr' | 'rl' | 'rr';

export interface DayFeatures {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  odometerKm?: number;
  distanceKm?: number;
  crankMinV?: number;
  crankTempC?: number;
  restingV?: number;
  restingTempC?: number;
  brakeWorkKJkg?: number;
  tyresKpa?: Partial<Record<TyrePosition, number>>;
  tyreTempC?: number;
  coolantMaxC?: number;
  sohPct?: number;
  dtcs?: ReadonlyArray<{ code: string; at: string }>;
  mil?: boolean;
  padWarning?: boolean;
}

/** What a service can reset. */
export const SERVICE_COMPONENTS = [
  'oil_service',
  'brake_pads',
  'battery_12v',
  'tyres',
  'traction_battery',
  'coolant',
] as const;

/** A service that resets a component's model (completed work orders, services the owner recorded). */
export interface ServiceEvent {
  day: string;
  odometerKm?: number;
  component: (typeof SERVICE_COMPONENTS)[number];
}

export interface VehicleHistory {
  vehicleId: string;
  powertrain: 'ICE' | 'HEV' | 'PHEV' | 'BEV';
  /** Chronological, one entry per day with data (days without data are simply absent). */
  days: readonly DayFeatures[];
  services: readonly ServiceEvent[];
  /** Oil service interval for this model (defaults: 10,000 km / 365 days). */
  oilIntervalKm?: number;
  oilIntervalDays?: number;
}

export type Severity = 'watch' | 'soon' | 'urgent';

export interface Evidence {
  code: string;
  zh: string;
  en: string;
  values?: Record<string, number | string>;
}

export interface Finding {
  component: Component;
  severity: Severity;
  /** Predicted failure / due day (local), when the model projects one. */
  dueDay: string | null;
  /** Predicted distance left, when the model projects one. */
  dueInKm: number | null;
  /** 0 … 1: how sure the model is of the finding (data volume and fit quality). */
  confidence: number;
  evidence: Evidence[];
  /** For trouble-code findings: the codes behind it. */
  codes?: string[];
}

/** Findings at or above this severity and confidence become alerts. */
export const ALERT_MIN_CONFIDENCE = 0.6;

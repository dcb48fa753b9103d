/**
 * The baseline the maintenance benchmark compares with: what shop software and telematics servers do
 * today — fixed thresholds on the latest reading and a fixed service reminder — over the same daily
 * features the detectors read. One alert per vehicle and component, the first day a rule trips (at
 * the end of that day; trouble codes when first seen). Pure.
 */
import type { Component, DayFeatures, ServiceEvent } from './types.js';
import { DTC_RULES } from './detectors.js';
import { daysBetween } from './series.js';

export const BASELINE = {
  /** Load-test limit while cranking, and a flat battery at rest (V). */
  crankV: 9.6,
  restingV: 12.0,
  /** A TPMS warning: 25 % under a 240 kPa placard. */
  tyreKpa: 180,
  coolantC: 108,
  sohPct: 75,
  /** The shop reminder: 1,000 km or 30 days before the 10,000 km / 365-day interval. */
  oil: { km: 9_000, days: 335 },
} as const;

export interface BaselineAlert {
  component: Component;
  /** ISO time of the alert. */
  at: string;
}

export function baselineAlerts(
  days: readonly DayFeatures[],
  services: readonly ServiceEvent[],
  endOfDay: (day: string) => string,
): BaselineAlert[] {
  const first = new Map<Component, string>();
  const raise = (c: Component, at: string) => {
    const cur = first.get(c);
    if (!cur || at < cur) first.set(c, at);
  };
  const oil = services.filter((s) => s.component === 'oil_service').sort((a, b) => (a.day < b.day ? -1 : 1));
  for (const d of days) {
    const at = endOfDay(d.day);
    if ((d.crankMinV ?? Infinity) < BASELINE.crankV || (d.restingV ?? Infinity) < BASELINE.restingV)
      raise('battery_12v', at);
    if (Object.values(d.tyresKpa ?? {}).some((p) => p !== undefined && p < BASELINE.tyreKpa))
      raise('tyre_leak', at);
    if ((d.coolantMaxC ?? -Infinity) >= BASELINE.coolantC) raise('coolant', at);
    if ((d.sohPct ?? Infinity) < BASELINE.sohPct) raise('traction_battery', at);
    if (d.padWarning) raise('brake_pads', at);
    for (const x of d.dtcs ?? []) {
      const rule = DTC_RULES.find((r) => r.test(x.code));
      if (rule) raise(rule.component, x.at);
    }
    const last = oil.filter((s) => s.day <= d.day).at(-1);
    if (last) {
      const km =
        last.odometerKm !== undefined && d.odometerKm !== undefined ? d.odometerKm - last.odometerKm : 0;
      if (km >= BASELINE.oil.km || daysBetween(last.day, d.day) >= BASELINE.oil.days)
        raise('oil_service', at);
    }
  }
  return [...first].map(([component, at]) => ({ component, at }));
}

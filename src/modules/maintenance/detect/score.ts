/**
 * Judging alerts against a scenario's ground truth (issue: "Evaluation"). An alert is a true
 * positive when it names the right vehicle and component between the fault's onset and its failure
 * time; a fault with no such alert is missed; any other alert is false. Lead time (wear components) =
 * failure − first true alert; for trouble-code faults the latency first code → first true alert.
 */
import { COMPONENTS, WEAR_COMPONENTS, type Component } from './types.js';
import { median } from './series.js';

export interface FaultTruth {
  vehicleId: string;
  component: Component;
  onset: string;
  failure: string;
  /** When the vehicle first reported the fault's trouble code (code faults). */
  firstDtcAt?: string;
}

export interface AlertRecord {
  vehicleId: string;
  component: Component;
  at: string;
}

export interface ComponentScore {
  faults: number;
  detected: number;
  alerts: number;
  truePositives: number;
  recall: number | null;
  precision: number | null;
  leadTimeDaysMedian: number | null;
  dtcLatencyMinutesMedian: number | null;
}

export interface Score extends ComponentScore {
  falseAlertsPer1000VehicleMonths: number;
  perComponent: Partial<Record<Component, ComponentScore>>;
}

const ms = (iso: string) => Date.parse(iso);
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
const med = (xs: number[]) => (xs.length ? Math.round(median(xs) * 100) / 100 : null);

export function scoreAlerts(
  faults: readonly FaultTruth[],
  alerts: readonly AlertRecord[],
  exposure: { vehicles: number; months: number },
): Score {
  const byKey = new Map<string, FaultTruth[]>();
  for (const f of faults) {
    const k = `${f.vehicleId}|${f.component}`;
    byKey.set(k, [...(byKey.get(k) ?? []), f]);
  }
  const firstTrue = new Map<FaultTruth, number>();
  const alertTrue: boolean[] = alerts.map((a) => {
    const t = ms(a.at);
    const match = (byKey.get(`${a.vehicleId}|${a.component}`) ?? []).find(
      (f) => t >= ms(f.onset) && t <= ms(f.failure),
    );
    if (!match) return false;
    const prev = firstTrue.get(match);
    if (prev === undefined || t < prev) firstTrue.set(match, t);
    return true;
  });

  const part = (fs: readonly FaultTruth[], idx: number[]): ComponentScore => {
    const detected = fs.filter((f) => firstTrue.has(f));
    const tp = idx.filter((i) => alertTrue[i]).length;
    const leads = detected
      .filter((f) => WEAR_COMPONENTS.has(f.component))
      .map((f) => (ms(f.failure) - firstTrue.get(f)!) / 86_400_000);
    const latencies = detected
      .filter((f) => !WEAR_COMPONENTS.has(f.component))
      .map((f) => (firstTrue.get(f)! - ms(f.firstDtcAt ?? f.onset)) / 60_000);
    return {
      faults: fs.length,
      detected: detected.length,
      alerts: idx.length,
      truePositives: tp,
      recall: ratio(detected.length, fs.length),
      precision: ratio(tp, idx.length),
      leadTimeDaysMedian: med(leads),
      dtcLatencyMinutesMedian: med(latencies),
    };
  };

  const perComponent: Partial<Record<Component, ComponentScore>> = {};
  for (const c of COMPONENTS) {
    const fs = faults.filter((f) => f.component === c);
    const idx = alerts.flatMap((a, i) => (a.component === c ? [i] : []));
    if (fs.length || idx.length) perComponent[c] = part(fs, idx);
  }
  const overall = part(
    faults,
    alerts.map((_, i) => i),
  );
  const falseAlerts = alertTrue.filter((x) => !x).length;
  const vm = exposure.vehicles * exposure.months;
  return {
    ...overall,
    falseAlertsPer1000VehicleMonths: vm > 0 ? Math.round((falseAlerts / vm) * 1000 * 100) / 100 : 0,
    perComponent,
  };
}

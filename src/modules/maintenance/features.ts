/**
 * Telemetry readings (as stored by telematics: kind, time, decoded data) → one `DayFeatures` per
 * local day, the only view of the vehicle the detectors get. Pure.
 */
import { utcToLocal } from '../../platform/time.js';
import type { DayFeatures, TyrePosition } from './detect/types.js';

export interface ReadingRow {
  kind: string;
  ts: Date;
  data: Record<string, unknown>;
}

interface Frame {
  mode?: string;
  pid?: string;
  value?: unknown;
  dtcs?: string[];
}

/** A start after this long parked gives the resting and cranking voltages. */
const PARKED_MS = 4 * 3600_000;
/** Cranking happens within this long of ignition on. */
const CRANK_MS = 60_000;
/** Speed samples further apart than this are not differenced (a gap, not a deceleration). */
const MAX_SPEED_GAP_MS = 30_000;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function frames(r: ReadingRow): Frame[] {
  return r.kind === 'obd' && Array.isArray(r.data.frames) ? (r.data.frames as Frame[]) : [];
}
function pid(r: ReadingRow, p: string): number | undefined {
  for (const f of frames(r)) if (f.mode === '01' && f.pid === p) return num(f.value);
  return undefined;
}
function speedOf(r: ReadingRow): number | undefined {
  if (r.kind === 'obd') return pid(r, '0D');
  if (r.kind === 'gps' || r.kind === 'status') return num(r.data.speedKmh);
  return undefined;
}
function voltageOf(r: ReadingRow): number | undefined {
  return r.kind === 'status' ? num(r.data.battery12vV) : pid(r, '42');
}

export function dailyFeatures(rows: readonly ReadingRow[], tz: string): DayFeatures[] {
  const sorted = [...rows].sort((a, b) => a.ts.getTime() - b.ts.getTime());
  const byDay = new Map<string, ReadingRow[]>();
  for (const r of sorted) {
    const day = utcToLocal(r.ts, tz).day;
    const list = byDay.get(day);
    if (list) list.push(r);
    else byDay.set(day, [r]);
  }
  const out: DayFeatures[] = [];
  let lastSeen: number | undefined;
  for (const [day, rs] of byDay) {
    const f: DayFeatures = { day };
    // Odometer and distance.
    const odos = rs
      .map((r) => (r.kind === 'status' ? num(r.data.odometerKm) : pid(r, 'A6')))
      .filter((x): x is number => x !== undefined);
    if (odos.length) {
      f.odometerKm = Math.max(...odos);
      if (odos.length > 1) f.distanceKm = Math.max(...odos) - Math.min(...odos);
    }
    // Ambient temperature (PID 46) for the voltage and pressure corrections.
    const ambient = rs.map((r) => pid(r, '46')).filter((x): x is number => x !== undefined);
    // The first start after a long park: resting voltage before it, cranking dip just after.
    let prevTs = lastSeen;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i]!;
      const parked = prevTs === undefined || r.ts.getTime() - prevTs >= PARKED_MS;
      prevTs = r.ts.getTime();
      if (!(r.kind === 'status' && r.data.ignition === true && parked)) continue;
      const t0 = r.ts.getTime();
      const before = voltageOf(r);
      const window = rs.filter((x) => x.ts.getTime() >= t0 && x.ts.getTime() <= t0 + CRANK_MS);
      const volts = window.map(voltageOf).filter((x): x is number => x !== undefined);
      const temp = window.map((x) => pid(x, '46')).find((x) => x !== undefined) ?? ambient[0];
      // Without an ambient temperature the voltages are kept uncorrected (the detector copes).
      if (volts.length >= 1) {
        f.crankMinV = Math.min(...volts);
        if (temp !== undefined) f.crankTempC = temp;
      }
      if (before !== undefined && before > 11) {
        f.restingV = before;
        if (temp !== undefined) f.restingTempC = temp;
      }
      break;
    }
    lastSeen = rs.at(-1)!.ts.getTime();
    // Braking work per kilogram from successive speed samples.
    let work = 0;
    let speeds = 0;
    let prev: { t: number; v: number } | undefined;
    for (const r of rs) {
      const v = speedOf(r);
      if (v === undefined) continue;
      speeds++;
      const cur = { t: r.ts.getTime(), v: v / 3.6 };
      if (prev && cur.t - prev.t <= MAX_SPEED_GAP_MS && cur.v < prev.v)
        work += (prev.v ** 2 - cur.v ** 2) / 2;
      prev = cur;
    }
    if (speeds >= 2) f.brakeWorkKJkg = work / 1000;
    // Tyres: the day's first TPMS report.
    const tpms = rs.find((r) => r.kind === 'tpms');
    if (tpms) {
      const kpa = tpms.data.tyresKpa as Partial<Record<TyrePosition, number>> | undefined;
      const temps = Object.values((tpms.data.tyresTempC as Record<string, number> | undefined) ?? {}).filter(
        (x) => typeof x === 'number',
      );
      const t = temps.length ? temps.reduce((s, x) => s + x, 0) / temps.length : ambient[0];
      if (kpa) {
        f.tyresKpa = kpa;
        if (t !== undefined) f.tyreTempC = t;
      }
    }
    if (rs.some((r) => r.kind === 'status' && r.data.brakePadWarning === true)) f.padWarning = true;
    const coolant = rs.map((r) => pid(r, '05')).filter((x): x is number => x !== undefined);
    if (coolant.length) f.coolantMaxC = Math.max(...coolant);
    const soh = rs.map((r) => pid(r, '5B')).filter((x): x is number => x !== undefined);
    if (soh.length) f.sohPct = soh.sort((a, b) => a - b)[soh.length >> 1]!;
    // Confirmed trouble codes (mode 03) with the time first seen; MIL from PID 01.
    const dtcs = new Map<string, string>();
    for (const r of rs)
      for (const fr of frames(r))
        if (fr.mode === '03')
          for (const code of fr.dtcs ?? []) if (!dtcs.has(code)) dtcs.set(code, r.ts.toISOString());
    if (dtcs.size) f.dtcs = [...dtcs].map(([code, at]) => ({ code, at }));
    for (const r of rs)
      for (const fr of frames(r))
        if (fr.mode === '01' && fr.pid === '01' && typeof fr.value === 'object' && fr.value !== null)
          f.mil = (fr.value as { mil?: boolean }).mil === true || f.mil === true;
    out.push(f);
  }
  return out;
}

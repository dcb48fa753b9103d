/**
 * The health snapshot per vehicle, folded from readings (pure). A reading older than the snapshot's
 * `asOf` is stored but does not roll the snapshot back. `significantChanges` decides when
 * `vehicle.health.changed` is published (thresholds documented in docs/TELEMETRY.md).
 */
import type { MessageKind } from './payloads.js';

export type Tyres = Partial<Record<'fl' | 'fr' | 'rl' | 'rr', number>>;

export interface HealthState {
  asOf: Date;
  odometerKm: number | null;
  battery12vV: number | null;
  tractionSocPct: number | null;
  tractionPackV: number | null;
  tractionPackTempC: number | null;
  charging: boolean | null;
  mil: boolean | null;
  tyresKpa: Tyres | null;
  activeDtcs: string[];
  /** PID (hex) → latest value */
  latest: Record<string, { value: number; unit: string; at: string }>;
}

export interface HealthInput {
  kind: MessageKind;
  ts: Date;
  data: Record<string, unknown>;
}

export const emptyHealth = (asOf: Date): HealthState => ({
  asOf,
  odometerKm: null,
  battery12vV: null,
  tractionSocPct: null,
  tractionPackV: null,
  tractionPackTempC: null,
  charging: null,
  mil: null,
  tyresKpa: null,
  activeDtcs: [],
  latest: {},
});

const numOr = (v: unknown, fallback: number | null): number | null => (typeof v === 'number' ? v : fallback);

/** Applies one reading; returns the same object when the reading is older than the snapshot. */
export function applyReading(s: HealthState, r: HealthInput): HealthState {
  if (r.ts.getTime() < s.asOf.getTime()) return s;
  const next: HealthState = { ...s, asOf: r.ts, latest: { ...s.latest } };
  const d = r.data;
  switch (r.kind) {
    case 'obd': {
      const frames = (d.frames as Array<Record<string, unknown>> | undefined) ?? [];
      for (const f of frames) {
        if (f.mode === '01' && typeof f.value === 'number' && typeof f.pid === 'string') {
          next.latest[f.pid] = { value: f.value, unit: String(f.unit ?? ''), at: r.ts.toISOString() };
          if (f.pid === '42') next.battery12vV = f.value;
          if (f.pid === 'A6') next.odometerKm = f.value;
          // PID 5B is the pack's remaining life (J1979), not its charge: SoC comes from /ev.
        } else if (f.mode === '01' && f.pid === '01' && f.value && typeof f.value === 'object') {
          const m = f.value as { mil?: unknown; dtcCount?: unknown };
          if (typeof m.mil === 'boolean') next.mil = m.mil;
          if (m.dtcCount === 0 && m.mil === false) next.activeDtcs = [];
        } else if (f.mode === '03' && Array.isArray(f.dtcs)) {
          next.activeDtcs = [...new Set(f.dtcs as string[])].sort();
        }
      }
      break;
    }
    case 'status':
      next.battery12vV = numOr(d.battery12vV, next.battery12vV);
      next.odometerKm = numOr(d.odometerKm, next.odometerKm);
      break;
    case 'ev':
      next.tractionSocPct = numOr(d.socPct, next.tractionSocPct);
      next.tractionPackV = numOr(d.packVoltageV, next.tractionPackV);
      next.tractionPackTempC = numOr(d.packTempC, next.tractionPackTempC);
      if (typeof d.charging === 'boolean') next.charging = d.charging;
      break;
    case 'tpms':
      next.tyresKpa = { ...(next.tyresKpa ?? {}), ...(d.tyresKpa as Tyres) };
      break;
    case 'gps':
      break;
  }
  return next;
}

/** The fields whose change is worth an event, with their thresholds. */
export function significantChanges(before: HealthState | null, after: HealthState): string[] {
  const out: string[] = [];
  const moved = (a: number | null | undefined, b: number | null | undefined, by: number): boolean =>
    (a == null) !== (b == null) || (a != null && b != null && Math.abs(a - b) >= by - 1e-9);
  const b = before ?? emptyHealth(after.asOf);
  if (b.activeDtcs.join(',') !== after.activeDtcs.join(',')) out.push('activeDtcs');
  if (b.mil !== after.mil) out.push('mil');
  if (moved(b.battery12vV, after.battery12vV, 0.3)) out.push('battery12vV');
  if (moved(b.tractionSocPct, after.tractionSocPct, 5)) out.push('tractionSocPct');
  if (moved(b.tractionPackTempC, after.tractionPackTempC, 5)) out.push('tractionPackTempC');
  if (moved(b.odometerKm, after.odometerKm, 100)) out.push('odometerKm');
  if (b.charging !== after.charging) out.push('charging');
  for (const k of ['fl', 'fr', 'rl', 'rr'] as const) {
    if (moved(b.tyresKpa?.[k], after.tyresKpa?.[k], 10)) {
      out.push('tyresKpa');
      break;
    }
  }
  return out;
}

// Mode 01 encoder (value → data bytes), the inverse of decode-pid.ts, for simulators and tests.
// Programming errors (unknown PID, wrong kind of value, NaN) throw RangeError; numbers outside a PID's
// range saturate at its ends, the way a sensor reading pins at its limit.
import { COMMON_MONITORS, COMPRESSION_MONITORS, SPARK_MONITORS } from './decode-pid.js';
import { hex2, mode01Pid, type LinearPidDef } from './pid-table.js';
import type { MonitorName, MonitorStatus, SupportedPidsValue } from './types.js';

export type Mode01Value = number | SupportedPidsValue | MonitorStatus;

function toPidNumber(pid: number | string): number {
  const n = typeof pid === 'number' ? pid : /^[0-9A-Fa-f]{1,2}$/.test(pid) ? parseInt(pid, 16) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`Not a PID: ${String(pid)}`);
  return n;
}

/** Raw integer for a physical value, rounded to the nearest step and saturated to the raw range. */
export function linearRaw(def: LinearPidDef, value: number): number {
  if (!Number.isFinite(value))
    throw new RangeError(`PID ${hex2(def.pid)}: value must be finite, got ${value}`);
  const span = 2 ** (8 * def.bytes);
  const [min, max] = def.signed ? [-span / 2, span / 2 - 1] : [0, span - 1];
  const raw = Math.round(((value - def.offset) * def.div) / def.mul);
  return Math.min(max, Math.max(min, raw));
}

/** Big-endian bytes of a raw integer (two's complement when negative). */
export function rawBytes(raw: number, bytes: number): number[] {
  let unsigned = raw < 0 ? raw + 2 ** (8 * bytes) : raw;
  const out: number[] = new Array<number>(bytes).fill(0);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = unsigned % 256;
    unsigned = Math.floor(unsigned / 256);
  }
  return out;
}

export function encodeSupportedPids(base: number, value: SupportedPidsValue): number[] {
  const out = [0, 0, 0, 0];
  for (const text of value.supportedPids) {
    const offset = toPidNumber(text) - base - 1;
    if (offset < 0 || offset > 31) {
      throw new RangeError(`PID ${text} is outside the range of PID ${hex2(base)}`);
    }
    out[offset >> 3] = (out[offset >> 3] ?? 0) | (0x80 >> (offset & 7));
  }
  return out;
}

export function encodeMonitorStatus(status: MonitorStatus): number[] {
  if (!Number.isInteger(status.dtcCount) || status.dtcCount < 0 || status.dtcCount > 0x7f) {
    throw new RangeError(`dtcCount must be an integer 0..127, got ${status.dtcCount}`);
  }
  const perIgnition = status.ignition === 'spark' ? SPARK_MONITORS : COMPRESSION_MONITORS;
  const known = new Set<MonitorName>([...COMMON_MONITORS, ...perIgnition.filter((m) => m !== null)]);
  for (const name of Object.keys(status.monitors)) {
    if (!known.has(name as MonitorName)) {
      throw new RangeError(`monitor ${name} does not exist for ${status.ignition} ignition`);
    }
  }
  const a = (status.mil ? 0x80 : 0) | status.dtcCount;
  let b = status.ignition === 'compression' ? 0x08 : 0;
  COMMON_MONITORS.forEach((name, bit) => {
    const m = status.monitors[name];
    if (m?.available) b |= 1 << bit;
    if (m?.incomplete) b |= 1 << (bit + 4);
  });
  let c = 0;
  let d = 0;
  perIgnition.forEach((name, bit) => {
    const m = name === null ? undefined : status.monitors[name];
    if (m?.available) c |= 1 << bit;
    if (m?.incomplete) d |= 1 << bit;
  });
  return [a, b, c, d];
}

/** Data bytes (after the PID byte) for a mode 01 value. */
export function encodePid(pid: number | string, value: Mode01Value): number[] {
  const n = toPidNumber(pid);
  const def = mode01Pid(n);
  if (def === undefined) throw new RangeError(`mode 01 PID ${hex2(n)} is not supported`);
  switch (def.kind) {
    case 'linear':
      if (typeof value !== 'number') throw new RangeError(`PID ${hex2(n)} takes a number`);
      return rawBytes(linearRaw(def, value), def.bytes);
    case 'supported-pids':
      if (typeof value !== 'object' || !('supportedPids' in value)) {
        throw new RangeError(`PID ${hex2(n)} takes { supportedPids }`);
      }
      return encodeSupportedPids(n, value);
    case 'monitor-status':
      if (typeof value !== 'object' || !('monitors' in value)) {
        throw new RangeError(`PID ${hex2(n)} takes a monitor status`);
      }
      return encodeMonitorStatus(value);
    default: {
      const never: never = def;
      return never;
    }
  }
}

/** Full mode 01 answer payload: `41 <pid> <data…>`. */
export function encodeMode01Answer(pid: number | string, value: Mode01Value): number[] {
  return [0x41, toPidNumber(pid), ...encodePid(pid, value)];
}

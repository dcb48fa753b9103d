// Mode 01 decoding: table-driven numeric PIDs, supported-PID bitmaps and the PID 01 monitor status.
import { hex2, mode01Pid, type LinearPidDef } from './pid-table.js';
import type {
  CommonMonitorName,
  CompressionMonitorName,
  Mode01Frame,
  MonitorName,
  MonitorStatus,
  ObdErrorFrame,
  SparkMonitorName,
} from './types.js';

/** Byte B bits 0..2 = available, bits 4..6 = incomplete, for these monitors. */
export const COMMON_MONITORS: readonly CommonMonitorName[] = ['misfire', 'fuelSystem', 'components'];

/** Bytes C (available) / D (incomplete), bit index = array index. */
export const SPARK_MONITORS: readonly SparkMonitorName[] = [
  'catalyst',
  'heatedCatalyst',
  'evaporativeSystem',
  'secondaryAirSystem',
  // Bit C4/D4: "A/C refrigerant" in early J1979, later reserved, now gasoline particulate filter.
  'gasolineParticulateFilter',
  'oxygenSensor',
  'oxygenSensorHeater',
  'egrVvtSystem',
];

/** Bytes C/D for compression ignition; `null` = reserved bit. */
export const COMPRESSION_MONITORS: readonly (CompressionMonitorName | null)[] = [
  'nmhcCatalyst',
  'noxScrMonitor',
  null,
  'boostPressure',
  null,
  'exhaustGasSensor',
  'pmFilter',
  'egrVvtSystem',
];

/** Big-endian unsigned (or two's-complement signed) integer of `bytes`. */
export function rawInteger(bytes: readonly number[], signed: boolean): number {
  let raw = 0;
  for (const b of bytes) raw = raw * 256 + b;
  const span = 2 ** (8 * bytes.length);
  return signed && raw >= span / 2 ? raw - span : raw;
}

/** Physical value of a raw integer, rounded to the PID's precision (no float noise, no -0). */
export function linearValue(def: LinearPidDef, raw: number): number {
  const scale = 10 ** def.decimals;
  const value = Math.round(((raw * def.mul + def.offset * def.div) * scale) / def.div) / scale;
  return value + 0;
}

export function decodeSupportedPids(base: number, data: readonly number[]): string[] {
  const pids: string[] = [];
  data.slice(0, 4).forEach((byte, i) => {
    for (let bit = 7; bit >= 0; bit--) {
      if ((byte >> bit) & 1) pids.push(hex2(base + i * 8 + (8 - bit)));
    }
  });
  return pids;
}

export function decodeMonitorStatus(data: readonly number[]): MonitorStatus {
  const [a = 0, b = 0, c = 0, d = 0] = data;
  const ignition = (b >> 3) & 1 ? 'compression' : 'spark';
  const monitors: Partial<Record<MonitorName, { available: boolean; incomplete: boolean }>> = {};
  COMMON_MONITORS.forEach((name, bit) => {
    monitors[name] = { available: ((b >> bit) & 1) === 1, incomplete: ((b >> (bit + 4)) & 1) === 1 };
  });
  const perIgnition = ignition === 'spark' ? SPARK_MONITORS : COMPRESSION_MONITORS;
  perIgnition.forEach((name, bit) => {
    if (name !== null) {
      monitors[name] = { available: ((c >> bit) & 1) === 1, incomplete: ((d >> bit) & 1) === 1 };
    }
  });
  return { mil: (a & 0x80) !== 0, dtcCount: a & 0x7f, ignition, monitors };
}

/**
 * Decodes one mode 01 PID from the data bytes that follow it (extra bytes are ignored).
 * Returns an error frame for an unknown PID or too few bytes; never throws.
 */
export function decodePid(pid: number, data: readonly number[]): Mode01Frame | ObdErrorFrame {
  const def = mode01Pid(pid);
  if (def === undefined) {
    return { kind: 'error', code: 'unsupported_pid', message: `mode 01 PID ${hex2(pid)} is not supported` };
  }
  if (data.length < def.bytes) {
    return {
      kind: 'error',
      code: 'short_payload',
      message: `mode 01 PID ${hex2(pid)} needs ${def.bytes} data bytes, got ${data.length}`,
    };
  }
  const bytes = data.slice(0, def.bytes);
  switch (def.kind) {
    case 'linear':
      return {
        kind: 'pid',
        mode: '01',
        pid: hex2(pid),
        name: def.name,
        value: linearValue(def, rawInteger(bytes, def.signed)),
        unit: def.unit,
      };
    case 'supported-pids':
      return {
        kind: 'supported-pids',
        mode: '01',
        pid: hex2(pid),
        name: def.name,
        value: { supportedPids: decodeSupportedPids(pid, bytes) },
      };
    case 'monitor-status':
      return {
        kind: 'monitor-status',
        mode: '01',
        pid: '01',
        name: def.name,
        value: decodeMonitorStatus(bytes),
      };
    default: {
      const never: never = def;
      return never;
    }
  }
}

/**
 * Decodes the data of a mode 01 answer after the `41` service byte. A CAN ECU may answer several PIDs
 * in one message (`41 0C 1A F8 0D 32`): each becomes a frame. Decoding stops at the first error.
 */
export function decodeMode01(afterSid: readonly number[]): (Mode01Frame | ObdErrorFrame)[] {
  if (afterSid.length === 0) {
    return [{ kind: 'error', code: 'short_payload', message: 'mode 01 answer without a PID' }];
  }
  const frames: (Mode01Frame | ObdErrorFrame)[] = [];
  let i = 0;
  while (i < afterSid.length) {
    const pid = afterSid[i] as number;
    const frame = decodePid(pid, afterSid.slice(i + 1));
    frames.push(frame);
    if (frame.kind === 'error') break;
    i += 1 + (mode01Pid(pid)?.bytes ?? 0);
  }
  return frames;
}

// Mode 01 PID definitions (SAE J1979 / ISO 15031-5), one row per PID.
//
// Every numeric PID is linear in its raw big-endian integer:  value = raw · mul / div + offset,
// rounded to `decimals` places. `decimals` is chosen so that rounding is always finer than half a
// raw step, hence encode(decode(raw)) === raw for every raw value (tested exhaustively).
import type { ObdUnit } from './types.js';

export interface LinearPidDef {
  kind: 'linear';
  pid: number;
  name: string;
  unit: ObdUnit;
  /** Data bytes after the PID byte. */
  bytes: 1 | 2 | 4;
  /** Raw value is a two's-complement signed integer. */
  signed: boolean;
  mul: number;
  div: number;
  offset: number;
  decimals: number;
}

export interface SupportedPidsDef {
  kind: 'supported-pids';
  pid: number;
  name: string;
  bytes: 4;
}

export interface MonitorStatusDef {
  kind: 'monitor-status';
  pid: 0x01;
  name: string;
  bytes: 4;
}

export type PidDef = LinearPidDef | SupportedPidsDef | MonitorStatusDef;

type Row = [
  pid: number,
  name: string,
  unit: ObdUnit,
  bytes: 1 | 2 | 4,
  mul: number,
  div: number,
  offset: number,
  decimals: number,
  signed?: 'signed',
];

// prettier-ignore
const LINEAR_ROWS: readonly Row[] = [
  // pid   name                                                         unit     bytes mul  div    offset decimals
  [0x04, 'Calculated engine load',                                     '%',     1, 100, 255,    0,    2],
  [0x05, 'Engine coolant temperature',                                 '°C',    1, 1,   1,      -40,  0],
  [0x06, 'Short term fuel trim (bank 1)',                              '%',     1, 100, 128,    -100, 2],
  [0x07, 'Long term fuel trim (bank 1)',                               '%',     1, 100, 128,    -100, 2],
  [0x08, 'Short term fuel trim (bank 2)',                              '%',     1, 100, 128,    -100, 2],
  [0x09, 'Long term fuel trim (bank 2)',                               '%',     1, 100, 128,    -100, 2],
  [0x0a, 'Fuel pressure (gauge)',                                      'kPa',   1, 3,   1,      0,    0],
  [0x0b, 'Intake manifold absolute pressure',                          'kPa',   1, 1,   1,      0,    0],
  [0x0c, 'Engine speed',                                               'rpm',   2, 1,   4,      0,    2],
  [0x0d, 'Vehicle speed',                                              'km/h',  1, 1,   1,      0,    0],
  [0x0e, 'Timing advance',                                             '°',     1, 1,   2,      -64,  1],
  [0x0f, 'Intake air temperature',                                     '°C',    1, 1,   1,      -40,  0],
  [0x10, 'Mass air flow rate',                                         'g/s',   2, 1,   100,    0,    2],
  [0x11, 'Throttle position',                                          '%',     1, 100, 255,    0,    2],
  [0x1f, 'Run time since engine start',                                's',     2, 1,   1,      0,    0],
  [0x21, 'Distance traveled with MIL on',                              'km',    2, 1,   1,      0,    0],
  [0x23, 'Fuel rail gauge pressure',                                   'kPa',   2, 10,  1,      0,    0],
  [0x2c, 'Commanded EGR',                                              '%',     1, 100, 255,    0,    2],
  [0x2d, 'EGR error',                                                  '%',     1, 100, 128,    -100, 2],
  [0x2e, 'Commanded evaporative purge',                                '%',     1, 100, 255,    0,    2],
  [0x2f, 'Fuel tank level input',                                      '%',     1, 100, 255,    0,    2],
  [0x30, 'Warm-ups since codes cleared',                               'count', 1, 1,   1,      0,    0],
  [0x31, 'Distance traveled since codes cleared',                      'km',    2, 1,   1,      0,    0],
  [0x32, 'Evap system vapor pressure',                                 'Pa',    2, 1,   4,      0,    2, 'signed'],
  [0x33, 'Absolute barometric pressure',                               'kPa',   1, 1,   1,      0,    0],
  [0x3c, 'Catalyst temperature (bank 1, sensor 1)',                    '°C',    2, 1,   10,     -40,  1],
  [0x3d, 'Catalyst temperature (bank 2, sensor 1)',                    '°C',    2, 1,   10,     -40,  1],
  [0x3e, 'Catalyst temperature (bank 1, sensor 2)',                    '°C',    2, 1,   10,     -40,  1],
  [0x3f, 'Catalyst temperature (bank 2, sensor 2)',                    '°C',    2, 1,   10,     -40,  1],
  [0x42, 'Control module voltage',                                     'V',     2, 1,   1000,   0,    3],
  [0x43, 'Absolute load value',                                        '%',     2, 100, 255,    0,    2],
  [0x44, 'Commanded air-fuel equivalence ratio',                       'ratio', 2, 2,   65536,  0,    5],
  [0x45, 'Relative throttle position',                                 '%',     1, 100, 255,    0,    2],
  [0x46, 'Ambient air temperature',                                    '°C',    1, 1,   1,      -40,  0],
  [0x47, 'Absolute throttle position B',                               '%',     1, 100, 255,    0,    2],
  [0x48, 'Absolute throttle position C',                               '%',     1, 100, 255,    0,    2],
  [0x49, 'Accelerator pedal position D',                               '%',     1, 100, 255,    0,    2],
  [0x4a, 'Accelerator pedal position E',                               '%',     1, 100, 255,    0,    2],
  [0x4b, 'Accelerator pedal position F',                               '%',     1, 100, 255,    0,    2],
  [0x4c, 'Commanded throttle actuator',                                '%',     1, 100, 255,    0,    2],
  [0x4d, 'Time run with MIL on',                                       'min',   2, 1,   1,      0,    0],
  [0x4e, 'Time since trouble codes cleared',                           'min',   2, 1,   1,      0,    0],
  [0x52, 'Ethanol fuel percentage',                                    '%',     1, 100, 255,    0,    2],
  [0x53, 'Absolute evap system vapor pressure',                        'kPa',   2, 1,   200,    0,    3],
  [0x54, 'Evap system vapor pressure',                                 'Pa',    2, 1,   1,      0,    0, 'signed'],
  [0x59, 'Fuel rail absolute pressure',                                'kPa',   2, 10,  1,      0,    0],
  [0x5a, 'Relative accelerator pedal position',                        '%',     1, 100, 255,    0,    2],
  [0x5b, 'Hybrid battery pack remaining life',                         '%',     1, 100, 255,    0,    2],
  [0x5c, 'Engine oil temperature',                                     '°C',    1, 1,   1,      -40,  0],
  [0x5d, 'Fuel injection timing',                                      '°',     2, 1,   128,    -210, 3],
  [0x5e, 'Engine fuel rate',                                           'L/h',   2, 1,   20,     0,    2],
  [0xa6, 'Odometer',                                                   'km',    4, 1,   10,     0,    1],
];

/** PIDs 00, 20 … C0 each report which of the next 32 PIDs are supported (bit A7 = base+1 … D0 = base+0x20). */
export const SUPPORTED_PID_BASES = [0x00, 0x20, 0x40, 0x60, 0x80, 0xa0, 0xc0] as const;

export const hex2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

function buildTable(): ReadonlyMap<number, PidDef> {
  const table = new Map<number, PidDef>();
  for (const base of SUPPORTED_PID_BASES) {
    table.set(base, {
      kind: 'supported-pids',
      pid: base,
      name: `PIDs supported [${hex2(base + 1)}-${hex2(base + 0x20)}]`,
      bytes: 4,
    });
  }
  table.set(0x01, { kind: 'monitor-status', pid: 0x01, name: 'Monitor status since DTCs cleared', bytes: 4 });
  for (const [pid, name, unit, bytes, mul, div, offset, decimals, signed] of LINEAR_ROWS) {
    table.set(pid, {
      kind: 'linear',
      pid,
      name,
      unit,
      bytes,
      mul,
      div,
      offset,
      decimals,
      signed: signed === 'signed',
    });
  }
  return table;
}

/** All mode 01 PIDs this module decodes, keyed by PID number. */
export const MODE01_PIDS: ReadonlyMap<number, PidDef> = buildTable();

export function mode01Pid(pid: number): PidDef | undefined {
  return MODE01_PIDS.get(pid);
}

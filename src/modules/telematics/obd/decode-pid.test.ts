import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeElmResponse } from './decode-elm-response.js';
import { decodeMode01, decodeMonitorStatus, decodePid, linearValue, rawInteger } from './decode-pid.js';
import { encodeMonitorStatus, encodePid, linearRaw, rawBytes } from './encode-pid.js';
import { MODE01_PIDS, type LinearPidDef } from './pid-table.js';
import type { MonitorStatus } from './types.js';

/** [answer, expected value, unit] — worked by hand from the SAE J1979 formulas. */
const NUMERIC_VECTORS: readonly [string, number, string][] = [
  ['41 04 FF', 100, '%'],
  ['41 04 80', 50.2, '%'],
  ['41 05 7B', 83, '°C'],
  ['41 05 00', -40, '°C'],
  ['41 06 80', 0, '%'],
  ['41 06 00', -100, '%'],
  ['41 06 FF', 99.22, '%'],
  ['41 07 90', 12.5, '%'],
  ['41 08 70', -12.5, '%'],
  ['41 09 80', 0, '%'],
  ['41 0A 64', 300, 'kPa'],
  ['41 0B 65', 101, 'kPa'],
  ['41 0C 1A F8', 1726, 'rpm'],
  ['41 0C FF FF', 16383.75, 'rpm'],
  ['41 0D 32', 50, 'km/h'],
  ['41 0E 00', -64, '°'],
  ['41 0E 8B', 5.5, '°'],
  ['41 0F 46', 30, '°C'],
  ['41 10 01 F4', 5, 'g/s'],
  ['41 10 FF FF', 655.35, 'g/s'],
  ['41 11 33', 20, '%'],
  ['41 1F 01 2C', 300, 's'],
  ['41 21 00 0A', 10, 'km'],
  ['41 2F 80', 50.2, '%'],
  ['41 30 05', 5, 'count'],
  ['41 31 27 10', 10000, 'km'],
  ['41 32 FF FC', -1, 'Pa'],
  ['41 33 65', 101, 'kPa'],
  ['41 3C 12 34', 426, '°C'],
  ['41 3C 00 00', -40, '°C'],
  ['41 42 35 F6', 13.814, 'V'],
  ['41 43 00 80', 50.2, '%'],
  ['41 43 01 00', 100.39, '%'],
  ['41 44 80 00', 1, 'ratio'],
  ['41 44 7A E1', 0.95999, 'ratio'],
  ['41 46 3C', 20, '°C'],
  ['41 4D 00 3C', 60, 'min'],
  ['41 4E 01 00', 256, 'min'],
  ['41 53 4F 4C', 101.5, 'kPa'],
  ['41 54 FF 38', -200, 'Pa'],
  ['41 54 01 F4', 500, 'Pa'],
  ['41 54 80 00', -32768, 'Pa'],
  ['41 5B CC', 80, '%'],
  ['41 5C 82', 90, '°C'],
  ['41 5D 69 00', 0, '°'],
  ['41 5D 6A 00', 2, '°'],
  ['41 5D 00 00', -210, '°'],
  ['41 5E 00 64', 5, 'L/h'],
  ['41 A6 00 01 E2 40', 12345.6, 'km'],
];

/** PIDs the issue names explicitly; each must have a vector above or below. */
const ISSUE_PIDS = (
  '00 01 04 05 06 0A 0B 0C 0D 0E 0F 10 11 1F 20 21 2F 30 ' + '31 33 3C 42 43 44 46 4D 4E 53 54 5B 5C 5D 5E A6'
).split(' ');

const bytesOf = (hex: string): number[] => hex.split(' ').map((b) => parseInt(b, 16));

describe('mode 01 numeric PIDs', () => {
  it.each(NUMERIC_VECTORS)('%s → %d %s', (answer, value, unit) => {
    const [frame] = decodeElmResponse(answer);
    expect(frame).toMatchObject({ kind: 'pid', mode: '01', pid: answer.slice(3, 5), value, unit });
  });

  it('has a known vector for every PID the issue lists', () => {
    const covered = new Set([...NUMERIC_VECTORS.map(([a]) => a.slice(3, 5)), '00', '20', '01']);
    expect(ISSUE_PIDS.filter((p) => !covered.has(p))).toEqual([]);
    expect(ISSUE_PIDS.filter((p) => !MODE01_PIDS.has(parseInt(p, 16)))).toEqual([]);
  });

  it('every table PID has a sane definition', () => {
    for (const def of MODE01_PIDS.values()) {
      expect(def.name.length).toBeGreaterThan(3);
      if (def.kind === 'linear') {
        // Values must be exact at `decimals`, or rounding must stay finer than half a raw step.
        const step = def.mul / def.div;
        const exact = Number.isInteger(step * 10 ** def.decimals);
        expect(exact || 0.5 * 10 ** -def.decimals < step / 2).toBe(true);
      }
    }
  });

  it('never prints float noise', () => {
    const frame = decodePid(0x10, [0x00, 0x1e]); // 30 / 100
    expect(frame).toMatchObject({ value: 0.3 });
    expect(JSON.stringify(frame)).toContain('"value":0.3,');
  });

  it('decodes several PIDs in one CAN answer, and stops at an unknown one', () => {
    expect(decodeMode01(bytesOf('0C 1A F8 0D 32'))).toMatchObject([
      { pid: '0C', value: 1726 },
      { pid: '0D', value: 50 },
    ]);
    expect(decodeMode01(bytesOf('0D 32 FE 00'))).toMatchObject([
      { pid: '0D', value: 50 },
      { kind: 'error', code: 'unsupported_pid' },
    ]);
  });

  it('reports short payloads and unknown PIDs as errors', () => {
    expect(decodePid(0x0c, [0x1a])).toMatchObject({ kind: 'error', code: 'short_payload' });
    expect(decodePid(0x02, [0, 0])).toMatchObject({ kind: 'error', code: 'unsupported_pid' });
    expect(decodeMode01([])).toMatchObject([{ kind: 'error', code: 'short_payload' }]);
  });
});

describe('supported-PID bitmaps', () => {
  it('PID 00', () => {
    const [frame] = decodeElmResponse('41 00 BE 1F B8 10');
    expect(frame).toMatchObject({
      kind: 'supported-pids',
      pid: '00',
      value: {
        supportedPids: [
          '01',
          '03',
          '04',
          '05',
          '06',
          '07',
          '0C',
          '0D',
          '0E',
          '0F',
          '10',
          '11',
          '13',
          '14',
          '15',
          '1C',
        ],
      },
    });
  });

  it('PID 20', () => {
    expect(decodeElmResponse('41 20 80 01 80 01')).toMatchObject([
      { value: { supportedPids: ['21', '30', '31', '40'] } },
    ]);
  });

  it('round-trips every bitmap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x00, 0x20, 0x40, 0xa0, 0xc0),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        (pid, data) => {
          const frame = decodePid(pid, [...data]);
          if (frame.kind !== 'supported-pids') throw new Error('expected a bitmap');
          expect(encodePid(pid, frame.value)).toEqual([...data]);
        },
      ),
    );
  });
});

describe('PID 01 monitor status', () => {
  it('spark ignition: MIL, count and named monitors', () => {
    const status = decodeMonitorStatus(bytesOf('83 07 65 04'));
    expect(status).toMatchObject({ mil: true, dtcCount: 3, ignition: 'spark' });
    expect(status.monitors).toEqual({
      misfire: { available: true, incomplete: false },
      fuelSystem: { available: true, incomplete: false },
      components: { available: true, incomplete: false },
      catalyst: { available: true, incomplete: false },
      heatedCatalyst: { available: false, incomplete: false },
      evaporativeSystem: { available: true, incomplete: true },
      secondaryAirSystem: { available: false, incomplete: false },
      gasolineParticulateFilter: { available: false, incomplete: false },
      oxygenSensor: { available: true, incomplete: false },
      oxygenSensorHeater: { available: true, incomplete: false },
      egrVvtSystem: { available: false, incomplete: false },
    });
  });

  it('compression ignition names its own monitors', () => {
    const status = decodeMonitorStatus(bytesOf('7F 4C E9 41'));
    expect(status).toMatchObject({ mil: false, dtcCount: 127, ignition: 'compression' });
    expect(Object.keys(status.monitors)).toEqual([
      'misfire',
      'fuelSystem',
      'components',
      'nmhcCatalyst',
      'noxScrMonitor',
      'boostPressure',
      'exhaustGasSensor',
      'pmFilter',
      'egrVvtSystem',
    ]);
    expect(status.monitors.components).toEqual({ available: true, incomplete: true });
    expect(status.monitors.nmhcCatalyst).toEqual({ available: true, incomplete: true });
    expect(status.monitors.egrVvtSystem).toEqual({ available: true, incomplete: false });
    expect(status.monitors.pmFilter).toEqual({ available: true, incomplete: true });
  });

  it('round-trips (reserved bits aside)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (data) => {
        const [a = 0, b = 0, c = 0, d = 0] = [...data];
        const compression = (b & 0x08) !== 0;
        const reserved = compression ? 0b0001_0100 : 0;
        const expected = [a, b & 0x7f, c & ~reserved, d & ~reserved];
        expect(encodeMonitorStatus(decodeMonitorStatus([...data]))).toEqual(expected);
      }),
    );
  });

  it('rejects monitors that the ignition type does not have', () => {
    const status: MonitorStatus = {
      mil: false,
      dtcCount: 0,
      ignition: 'compression',
      monitors: { catalyst: { available: true, incomplete: false } },
    };
    expect(() => encodeMonitorStatus(status)).toThrow(RangeError);
    expect(() => encodeMonitorStatus({ ...status, monitors: {}, dtcCount: 128 })).toThrow(RangeError);
  });
});

describe('mode 01 encoder', () => {
  const linear = [...MODE01_PIDS.values()].filter((d): d is LinearPidDef => d.kind === 'linear');

  it('decode then encode gives back every raw value of every 1- and 2-byte PID', () => {
    for (const def of linear.filter((d) => d.bytes <= 2)) {
      for (let raw = 0; raw < 2 ** (8 * def.bytes); raw++) {
        const bytes = rawBytes(raw, def.bytes);
        const value = linearValue(def, rawInteger(bytes, def.signed));
        const again = rawBytes(linearRaw(def, value), def.bytes);
        if (again.join() !== bytes.join()) throw new Error(`PID ${def.pid}: ${bytes} → ${value} → ${again}`);
      }
    }
  });

  it('round-trips 4-byte PIDs (odometer)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (data) => {
        const frame = decodePid(0xa6, [...data]);
        if (frame.kind !== 'pid') throw new Error('expected a number');
        expect(encodePid(0xa6, frame.value)).toEqual([...data]);
      }),
    );
  });

  it('encode → decode stays within half a step of any in-range value', () => {
    const arb = fc.constantFrom(...linear).chain((def) => {
      const span = 2 ** (8 * def.bytes);
      const [lo, hi] = def.signed ? [-span / 2, span / 2 - 1] : [0, span - 1];
      const min = (lo * def.mul) / def.div + def.offset;
      const max = (hi * def.mul) / def.div + def.offset;
      return fc.tuple(fc.constant(def), fc.double({ min, max, noNaN: true }));
    });
    fc.assert(
      fc.property(arb, ([def, value]) => {
        const frame = decodePid(def.pid, encodePid(def.pid, value));
        if (frame.kind !== 'pid') throw new Error('expected a number');
        const step = def.mul / def.div;
        expect(Math.abs(frame.value - value)).toBeLessThanOrEqual(step / 2 + 10 ** -def.decimals);
      }),
      { numRuns: 500 },
    );
  });

  it('saturates out-of-range values and rejects programming errors', () => {
    expect(encodePid('0D', 300)).toEqual([0xff]);
    expect(encodePid('05', -100)).toEqual([0x00]);
    expect(encodePid('54', -40000)).toEqual([0x80, 0x00]);
    expect(() => encodePid('0D', Number.NaN)).toThrow(RangeError);
    expect(() => encodePid('02', 1)).toThrow(RangeError);
    expect(() => encodePid('ZZ', 1)).toThrow(RangeError);
    expect(() => encodePid('0D', { supportedPids: [] })).toThrow(RangeError);
    expect(() => encodePid('00', { supportedPids: ['21'] })).toThrow(RangeError);
  });
});

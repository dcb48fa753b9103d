import { describe, expect, it } from 'vitest';
import { obdDecodeCommand } from './obd-decode-command.js';

describe('pitlane obd decode', () => {
  it('prints one JSON line per argument, in order', () => {
    const { lines, exitCode } = obdDecodeCommand(
      [
        '41 0C 1A F8',
        '410D32',
        '7E8 03 41 05 7B',
        '41 00 BE 1F B8 10',
        '43 01 04 00 00 00 00',
        '41 44 80 00',
      ],
      { can: false },
    );
    expect(exitCode).toBe(0);
    expect(lines).toEqual([
      '{"mode":"01","pid":"0C","name":"Engine speed","value":1726,"unit":"rpm"}',
      '{"mode":"01","pid":"0D","name":"Vehicle speed","value":50,"unit":"km/h"}',
      '{"mode":"01","pid":"05","name":"Engine coolant temperature","value":83,"unit":"°C"}',
      '{"mode":"01","pid":"00","name":"PIDs supported [01-20]","value":{"supportedPids":["01","03","04","05","06","07","0C","0D","0E","0F","10","11","13","14","15","1C"]}}',
      '{"mode":"03","dtcs":["P0104"]}',
      '{"mode":"01","pid":"44","name":"Commanded air-fuel equivalence ratio","value":1,"unit":"ratio"}',
    ]);
  });

  it('prints PID 01 as MIL, DTC count, ignition and monitors', () => {
    const { lines } = obdDecodeCommand(['41 01 83 07 65 04'], { can: false });
    const parsed = JSON.parse(lines[0] ?? '') as { value: Record<string, unknown> };
    expect(lines[0]).toMatch(
      /^\{"mode":"01","pid":"01","name":"Monitor status since DTCs cleared","value":\{"mil":true,"dtcCount":3,"ignition":"spark","monitors":\{"misfire":\{"available":true,"incomplete":false\}/,
    );
    expect(Object.keys(parsed.value)).toEqual(['mil', 'dtcCount', 'ignition', 'monitors']);
  });

  it('legacy layout without --can: 0000 padding and a trailing odd byte are dropped', () => {
    const { lines } = obdDecodeCommand(['43 01 04 00 00 C1 23 07', '430104', '43 00 00 00 00 00 00'], {
      can: false,
    });
    expect(lines).toEqual([
      '{"mode":"03","dtcs":["P0104","U0123"]}',
      '{"mode":"03","dtcs":["P0104"]}',
      '{"mode":"03","dtcs":[]}',
    ]);
  });

  it('--can: the byte after 43 counts the codes', () => {
    const { lines, exitCode } = obdDecodeCommand(['43 02 01 04 C1 23', '43 00', '4701 0171'], { can: true });
    expect(exitCode).toBe(0);
    expect(lines).toEqual([
      '{"mode":"03","dtcs":["P0104","U0123"]}',
      '{"mode":"03","dtcs":[]}',
      '{"mode":"07","dtcs":["P0171"]}',
    ]);
  });

  it('bad input prints {input, error} on its line and exits 1, other lines still decode', () => {
    const { lines, exitCode } = obdDecodeCommand(['zz', '41 0D 32', 'NO DATA', '41 0C 1A', '43 03 01 04'], {
      can: true,
    });
    expect(exitCode).toBe(1);
    expect(lines).toEqual([
      '{"input":"zz","error":"not an ELM327 data line (not hexadecimal)"}',
      '{"mode":"01","pid":"0D","name":"Vehicle speed","value":50,"unit":"km/h"}',
      '{"input":"NO DATA","error":"NO DATA: the vehicle did not answer"}',
      '{"input":"41 0C 1A","error":"mode 01 PID 0C needs 2 data bytes, got 1"}',
      '{"input":"43 03 01 04","error":"mode 03 answer announces 3 codes but carries 1"}',
    ]);
    expect(obdDecodeCommand([''], { can: false })).toEqual({
      lines: ['{"input":"","error":"empty response"}'],
      exitCode: 1,
    });
  });

  it('a multi-line argument: VIN, and several ECUs as an array', () => {
    const vin = '7E8 10 14 49 02 01 31 44 34\r7E8 21 47 50 30 30 52 35 35\r7E8 22 42 31 32 33 34 35 36';
    const multi = '7E8 04 41 0C 1A F8\n7E9 04 41 0C 1A F0';
    expect(obdDecodeCommand([vin, multi], { can: false }).lines).toEqual([
      '{"mode":"09","pid":"02","name":"Vehicle identification number","vin":"1D4GP00R55B123456"}',
      '[{"mode":"01","pid":"0C","name":"Engine speed","value":1726,"unit":"rpm","ecu":"7E8"},{"mode":"01","pid":"0C","name":"Engine speed","value":1724,"unit":"rpm","ecu":"7E9"}]',
    ]);
  });

  it('no arguments, no lines', () => {
    expect(obdDecodeCommand([], { can: false })).toEqual({ lines: [], exitCode: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { geoCommand, plateCommand, vinCommand } from './cli-tools.js';
import { DomainError } from './errors.js';

const NOW = new Date('2025-06-01T00:00:00Z');

describe('vinCommand', () => {
  it('prints one JSON line per argument in order and exits 0 when all are valid', () => {
    expect(vinCommand(['1M8GDM9AXKP042788', '11111111111111111'], NOW)).toEqual({
      lines: [
        '{"input":"1M8GDM9AXKP042788","valid":true,"errors":[],"wmi":"1M8","modelYear":1989}',
        '{"input":"11111111111111111","valid":true,"errors":[],"wmi":"111","modelYear":2001}',
      ],
      exitCode: 0,
    });
  });

  it('exits 1 when any input is invalid and reports error codes', () => {
    const out = vinCommand(['1M8GDM9AXKP042788', '1M8GDM9A1KP042788', 'short', 'ABC'], NOW);
    expect(out.exitCode).toBe(1);
    expect(out.lines).toEqual([
      '{"input":"1M8GDM9AXKP042788","valid":true,"errors":[],"wmi":"1M8","modelYear":1989}',
      '{"input":"1M8GDM9A1KP042788","valid":false,"errors":["check_digit"],"wmi":"1M8","modelYear":1989}',
      '{"input":"short","valid":false,"errors":["length","charset"],"wmi":null,"modelYear":null}',
      '{"input":"ABC","valid":false,"errors":["length"],"wmi":null,"modelYear":null}',
    ]);
  });

  it('exits 0 with no lines for no arguments', () => {
    expect(vinCommand([], NOW)).toEqual({ lines: [], exitCode: 0 });
  });
});

describe('plateCommand', () => {
  it('prints input, validity, errors and kind', () => {
    const out = plateCommand(['京A12345', '京AD12345', '京A12345D', '京A1234学', '京AI2345']);
    expect(out.exitCode).toBe(1);
    expect(out.lines).toEqual([
      '{"input":"京A12345","valid":true,"errors":[],"kind":"ordinary"}',
      '{"input":"京AD12345","valid":true,"errors":[],"kind":"nev_small"}',
      '{"input":"京A12345D","valid":true,"errors":[],"kind":"nev_large"}',
      '{"input":"京A1234学","valid":true,"errors":[],"kind":"special"}',
      '{"input":"京AI2345","valid":false,"errors":["serial"],"kind":null}',
    ]);
    expect(plateCommand(['粤B·D12345']).exitCode).toBe(0);
  });
});

describe('geoCommand', () => {
  it('converts and rounds to 6 decimals', () => {
    expect(geoCommand(['120.15,30.28', '2.35,48.85'], 'wgs84', 'gcj02')).toEqual({
      lines: [
        '{"input":"120.15,30.28","lon":120.154709,"lat":30.277681}',
        '{"input":"2.35,48.85","lon":2.35,"lat":48.85}',
      ],
      exitCode: 0,
    });
    expect(geoCommand(['120.154709,30.277681'], 'GCJ02', 'WGS84').lines).toEqual([
      '{"input":"120.154709,30.277681","lon":120.15,"lat":30.28}',
    ]);
  });

  it('prints an error line for bad input and exits 1', () => {
    const out = geoCommand(['120.15,30.28', 'nowhere'], 'wgs84', 'bd09');
    expect(out.exitCode).toBe(1);
    expect(out.lines[1]).toBe(
      '{"input":"nowhere","error":"Expected \\"lon,lat\\" in decimal degrees like \\"120.15,30.28\\", got \\"nowhere\\""}',
    );
    expect(Object.keys(JSON.parse(out.lines[0] ?? '{}') as object)).toEqual(['input', 'lon', 'lat']);
  });

  it('throws a usage error for an unknown system', () => {
    expect(() => geoCommand(['120.15,30.28'], 'wgs84', 'mars')).toThrow(DomainError);
  });
});

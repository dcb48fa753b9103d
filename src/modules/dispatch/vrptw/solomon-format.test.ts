import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBks, parseSolomon, SolomonFormatError, solomonToRouting } from './solomon-format.js';

const sample = [
  'TINY1',
  '',
  'VEHICLE',
  'NUMBER     CAPACITY',
  '  3         50',
  '',
  'CUSTOMER',
  'CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME',
  ' ',
  '    0      40         50          0          0       1236          0   ',
  '    1      45         68         10        912        967         90   ',
  '    7      42         66         10         65        146         90   ',
  '',
].join('\r\n');

const solomonDir = '/work/shared/bench/solomon';

describe('parseSolomon', () => {
  it('reads name, fleet and customer rows (CRLF, blank lines)', () => {
    const s = parseSolomon(sample);
    expect(s.name).toBe('TINY1');
    expect(s.vehicles).toBe(3);
    expect(s.capacity).toBe(50);
    expect(s.rows).toHaveLength(3);
    expect(s.rows[2]).toEqual({ id: 7, x: 42, y: 66, demand: 10, ready: 65, due: 146, service: 90 });
  });

  it('converts to a routing instance with the depot window as shift and file numbering kept', () => {
    const { instance, customerIds } = solomonToRouting(parseSolomon(sample));
    expect(customerIds).toEqual([1, 7]);
    expect(instance.jobs).toHaveLength(2);
    expect(instance.jobs[1]).toEqual({ location: 2, demand: 10, serviceTime: 90, ready: 65, due: 146 });
    expect(instance.vehicles).toHaveLength(3);
    expect(instance.vehicles[0]).toEqual({
      startLocation: 0,
      endLocation: 0,
      capacity: 50,
      shiftStart: 0,
      shiftEnd: 1236,
    });
    expect(instance.locations?.[0]).toEqual({ x: 40, y: 50 });
  });

  it('rejects malformed files with a clear error', () => {
    expect(() => parseSolomon('')).toThrow(SolomonFormatError);
    expect(() => parseSolomon(sample.replace('NUMBER     CAPACITY', 'FLEET'))).toThrow(/NUMBER CAPACITY/);
    expect(() => parseSolomon(sample.replace('   90   \r\n', '\r\n'))).toThrow(/7-column/);
    expect(() => parseSolomon(sample.replace('912        967', '999        967'))).toThrow(/ready > due/);
  });

  it.runIf(existsSync(`${solomonDir}/C101.txt`))('reads the real C101 file', () => {
    const s = parseSolomon(readFileSync(`${solomonDir}/C101.txt`, 'utf8'));
    expect(s.name).toBe('C101');
    expect(s.vehicles).toBe(25);
    expect(s.capacity).toBe(200);
    expect(s.rows).toHaveLength(101);
    expect(s.rows[0]).toMatchObject({ id: 0, x: 40, y: 50, due: 1236 });
    expect(s.rows[100]!.id).toBe(100);
  });
});

describe('parseBks', () => {
  it('reads the best-known table', () => {
    const bks = parseBks('instance,vehicles,distance,source\nC101,10,828.94,SINTEF\nR205,3,994.43,"x"\n');
    expect(bks.get('C101')).toEqual({ vehicles: 10, distance: 828.94 });
    expect(bks.get('R205')).toEqual({ vehicles: 3, distance: 994.43 });
    expect(() => parseBks('h\nC101,ten,1\n')).toThrow(SolomonFormatError);
  });

  it.runIf(existsSync(`${solomonDir}/bks.csv`))('has all 56 Solomon instances in the shared table', () => {
    expect(parseBks(readFileSync(`${solomonDir}/bks.csv`, 'utf8')).size).toBe(56);
  });
});

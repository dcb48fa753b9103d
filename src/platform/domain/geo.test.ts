import fc from 'fast-check';
import gcoordModule from 'gcoord';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  convert,
  COORD_SYSTEMS,
  haversineMeters,
  isInChinaBbox,
  parseCoordSystem,
  parseLonLat,
  roundCoord,
  type Coord,
} from './geo.js';

/** Points in mainland China's extent (well inside gcoord's box). */
const inChina: fc.Arbitrary<Coord> = fc.record({
  lon: fc.double({ min: 73.6, max: 134.7, noNaN: true }),
  lat: fc.double({ min: 18.2, max: 53.5, noNaN: true }),
});
const anywhere: fc.Arbitrary<Coord> = fc.record({
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
});
const system = fc.constantFrom(...COORD_SYSTEMS);

const HANGZHOU: Coord = { lon: 120.15, lat: 30.28 };

describe('convert', () => {
  it('matches gcoord for the forward directions', () => {
    type G = typeof gcoordModule.default;
    const g: G = 'transform' in gcoordModule ? (gcoordModule as unknown as G) : gcoordModule.default;
    const [lon, lat] = g.transform<[number, number]>([HANGZHOU.lon, HANGZHOU.lat], g.WGS84, g.BD09);
    expect(convert(HANGZHOU, 'wgs84', 'bd09')).toEqual({ lon, lat });
    const gcj = convert(HANGZHOU, 'wgs84', 'gcj02');
    expect(roundCoord(gcj)).toEqual({ lon: 120.154709, lat: 30.277681 });
  });

  it('shifts points in China by tens to hundreds of metres', () => {
    fc.assert(
      fc.property(inChina, (p) => {
        const d = haversineMeters(p, convert(p, 'wgs84', 'gcj02'));
        expect(d).toBeGreaterThan(1);
        expect(d).toBeLessThan(1500);
      }),
    );
  });

  it('round-trips wgs84 → gcj02 → wgs84 (and through bd09) within 1 m inside China', () => {
    fc.assert(
      fc.property(inChina, system, system, (p, a, b) => {
        const there = convert(convert(p, 'wgs84', a), a, b);
        const back = convert(convert(there, b, a), a, 'wgs84');
        expect(haversineMeters(p, back)).toBeLessThan(1);
      }),
    );
  });

  it('leaves points outside China unchanged between WGS-84 and GCJ-02', () => {
    const paris = { lon: 2.35, lat: 48.85 };
    expect(convert(paris, 'wgs84', 'gcj02')).toEqual(paris);
    expect(convert(paris, 'gcj02', 'wgs84')).toEqual(paris);
  });

  it('terminates near the edge of the China box, where gcoord alone loops forever', () => {
    for (const p of [
      { lon: 72.0045, lat: 30 },
      { lon: 100, lat: 0.8294 },
      { lon: 72.005, lat: 0.83 },
    ]) {
      const q = convert(p, 'gcj02', 'wgs84');
      expect(haversineMeters(p, q)).toBeLessThan(2000);
      expect(convert(p, 'bd09', 'wgs84')).toBeDefined();
    }
  });

  it('always returns a valid coordinate for a valid one', () => {
    fc.assert(
      fc.property(anywhere, system, system, (p, a, b) => {
        const q = convert(p, a, b);
        expect(Number.isFinite(q.lon) && Number.isFinite(q.lat)).toBe(true);
      }),
    );
  });

  it('rejects invalid coordinates', () => {
    expect(() => convert({ lon: 200, lat: 0 }, 'wgs84', 'gcj02')).toThrow(DomainError);
    expect(() => convert({ lon: NaN, lat: 0 }, 'wgs84', 'wgs84')).toThrow(DomainError);
  });
});

describe('haversineMeters', () => {
  it('measures Beijing to Shanghai', () => {
    const beijing = { lon: 116.3975, lat: 39.9087 };
    const shanghai = { lon: 121.4737, lat: 31.2304 };
    expect(haversineMeters(beijing, shanghai) / 1000).toBeCloseTo(1067, -1);
  });

  it('is a metric on the sphere (within float error near antipodes)', () => {
    fc.assert(
      fc.property(anywhere, anywhere, anywhere, (a, b, c) => {
        expect(haversineMeters(a, a)).toBe(0);
        expect(haversineMeters(a, b)).toBeCloseTo(haversineMeters(b, a), 6);
        expect(haversineMeters(a, b)).toBeLessThanOrEqual(Math.PI * 6_371_008.8 + 1);
        expect(haversineMeters(a, c)).toBeLessThanOrEqual(haversineMeters(a, b) + haversineMeters(b, c) + 1);
      }),
    );
  });
});

describe('parseLonLat', () => {
  it.each([
    ['120.15,30.28', HANGZHOU],
    [' 120.15 , 30.28 ', HANGZHOU],
    ['120.15，30.28', HANGZHOU],
    ['-73.9857,40.7484', { lon: -73.9857, lat: 40.7484 }],
    ['180,-90', { lon: 180, lat: -90 }],
    ['-0,0', { lon: 0, lat: 0 }],
  ])('parses %j', (text, coord) => {
    expect(parseLonLat(text)).toEqual(coord);
  });

  it.each([
    ['', 'Expected'],
    ['120.15', 'Expected'],
    ['120.15,30.28,5', 'Expected'],
    ['1e2,30', 'Expected'],
    ['abc,30', 'Expected'],
    ['180.1,30', 'Longitude'],
    ['30.28,120.15', 'swapped'],
  ])('rejects %j', (text, message) => {
    expect(() => parseLonLat(text)).toThrow(message);
  });

  it('parses what it formats', () => {
    fc.assert(
      fc.property(anywhere, (p) => {
        const rounded = roundCoord(p);
        expect(parseLonLat(`${rounded.lon.toFixed(6)},${rounded.lat.toFixed(6)}`)).toEqual(rounded);
      }),
    );
  });
});

describe('helpers', () => {
  it('parses system names case-insensitively', () => {
    expect(parseCoordSystem('GCJ02')).toBe('gcj02');
    expect(() => parseCoordSystem('mars')).toThrow(DomainError);
  });

  it('knows the China box', () => {
    expect(isInChinaBbox(HANGZHOU)).toBe(true);
    expect(isInChinaBbox({ lon: 2.35, lat: 48.85 })).toBe(false);
  });
});

/**
 * Coordinates. Pitlane **stores WGS-84** (what GPS and OBD trackers report) and converts at the
 * edges: AMap/Tencent maps use GCJ-02, Baidu maps use BD-09. Conversions use gcoord's forward
 * formulas; the inverse directions (GCJ-02 → WGS-84, BD-09 → GCJ-02) are solved here by a bounded
 * fixed-point iteration on those formulas, because gcoord's own GCJ-02 → WGS-84 loop never ends
 * for points just inside the west and south edges of its China box (e.g. `72.0045,30`), and its
 * closed-form BD-09 inverse is only approximate. Outside that box GCJ-02 equals WGS-84.
 */
import gcoordModule from 'gcoord';
import { DomainError } from './errors.js';

/** A point in degrees: longitude east, latitude north. */
export interface Coord {
  lon: number;
  lat: number;
}

export const COORD_SYSTEMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type CoordSystem = (typeof COORD_SYSTEMS)[number];

type Gcoord = typeof gcoordModule.default;
type Position = [number, number];

// gcoord is CommonJS: Node hands `module.exports` to a default import while its typings, read under
// NodeNext, put the API on `.default` (STACK.md). Accept both shapes.
const gcoord: Gcoord =
  'transform' in gcoordModule ? (gcoordModule as unknown as Gcoord) : gcoordModule.default;

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

/** Whether `value` names a supported system (`wgs84`, `gcj02`, `bd09`, exact lower case). */
export function isCoordSystem(value: string): value is CoordSystem {
  return (COORD_SYSTEMS as readonly string[]).includes(value);
}

/** Parses a system name case-insensitively; throws `geo.unknown_system`. */
export function parseCoordSystem(text: string): CoordSystem {
  const value = text.trim().toLowerCase();
  if (!isCoordSystem(value)) {
    throw new DomainError(
      'geo.unknown_system',
      `Unknown coordinate system '${text}' (use ${COORD_SYSTEMS.join(', ')})`,
    );
  }
  return value;
}

/** Whether both parts are finite and within ±180° longitude, ±90° latitude. */
export function isValidCoord(coord: Coord): boolean {
  const { lon, lat } = coord;
  return Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
}

/**
 * The rough box (lon 72.004–137.8347, lat 0.8293–55.8271) inside which GCJ-02 differs from WGS-84.
 * It covers neighbouring countries too: a hint, not a border test.
 */
export function isInChinaBbox(coord: Coord): boolean {
  const { lon, lat } = coord;
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

function assertCoord(coord: Coord): void {
  if (!isValidCoord(coord)) {
    throw new DomainError('geo.invalid_coord', `Not a valid coordinate: ${coord.lon},${coord.lat}`);
  }
}

const forward = {
  wgsToGcj: (p: Position): Position => gcoord.transform<Position>(p, gcoord.WGS84, gcoord.GCJ02),
  gcjToBd: (p: Position): Position => gcoord.transform<Position>(p, gcoord.GCJ02, gcoord.BD09),
};

/** Solves `f(x) = target` by x ← x − (f(x) − target), at most 30 steps, keeping the best x seen. */
function invert(f: (p: Position) => Position, target: Position): Position {
  let x: Position = [target[0], target[1]];
  let best = x;
  let bestError = Infinity;
  for (let i = 0; i < 30; i++) {
    const [fx, fy] = f(x);
    const dx = fx - target[0];
    const dy = fy - target[1];
    const error = Math.abs(dx) + Math.abs(dy);
    if (error < bestError) {
      best = x;
      bestError = error;
    }
    if (error < 1e-11) break;
    x = [x[0] - dx, x[1] - dy];
  }
  return best;
}

const toGcj: Record<CoordSystem, (p: Position) => Position> = {
  wgs84: forward.wgsToGcj,
  gcj02: (p) => p,
  bd09: (p) => invert(forward.gcjToBd, p),
};
const fromGcj: Record<CoordSystem, (p: Position) => Position> = {
  wgs84: (p) => invert(forward.wgsToGcj, p),
  gcj02: (p) => p,
  bd09: forward.gcjToBd,
};

/** Converts a point between WGS-84, GCJ-02 and BD-09; throws `geo.invalid_coord` for bad input. */
export function convert(coord: Coord, from: CoordSystem, to: CoordSystem): Coord {
  assertCoord(coord);
  if (from === to) return { lon: coord.lon, lat: coord.lat };
  const [lon, lat] = fromGcj[to](toGcj[from]([coord.lon, coord.lat]));
  return { lon, lat };
}

/** Great-circle distance in metres on a sphere of {@link EARTH_RADIUS_M}. */
export function haversineMeters(a: Coord, b: Coord): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Rounds both parts to `decimals` places (6 ≈ 0.1 m). */
export function roundCoord(coord: Coord, decimals = 6): Coord {
  const round = (v: number): number => {
    const r = Number(v.toFixed(decimals));
    return r === 0 ? 0 : r;
  };
  return { lon: round(coord.lon), lat: round(coord.lat) };
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Parses `"lon,lat"` (`"120.15,30.28"`; spaces and a full-width comma allowed) with range checks.
 * Throws `geo.invalid_coord` with a message saying what is wrong.
 */
export function parseLonLat(text: string): Coord {
  const parts = text
    .normalize('NFKC')
    .trim()
    .split(/\s*,\s*/);
  const [lonText = '', latText = ''] = parts;
  if (parts.length !== 2 || !NUMBER.test(lonText) || !NUMBER.test(latText)) {
    throw new DomainError(
      'geo.invalid_coord',
      `Expected "lon,lat" in decimal degrees like "120.15,30.28", got "${text}"`,
    );
  }
  const lon = Number(lonText);
  const lat = Number(latText);
  if (Math.abs(lon) > 180) {
    throw new DomainError('geo.invalid_coord', `Longitude ${lonText} is outside -180..180`);
  }
  if (Math.abs(lat) > 90) {
    const hint = Math.abs(lon) <= 90 ? ' (latitude and longitude swapped? the order is lon,lat)' : '';
    throw new DomainError('geo.invalid_coord', `Latitude ${latText} is outside -90..90${hint}`);
  }
  return { lon: lon === 0 ? 0 : lon, lat: lat === 0 ? 0 : lat };
}

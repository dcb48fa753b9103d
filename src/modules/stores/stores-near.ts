/** Stores within a radius of a WGS-84 point, nearest first (H3 disk prefilter, then exact distance). */
import { gridDisk, latLngToCell } from 'h3-js';
import type { Executor } from '../../platform/db/types.js';
import { haversineMeters } from '../../platform/domain/geo.js';
import { H3_RES, storesInCells, type StoreRow } from './store-profile.js';

export async function storesNearPoint(
  ex: Executor,
  p: { lon: number; lat: number },
  radiusM: number,
): Promise<Array<{ store: StoreRow; distanceM: number }>> {
  const k = Math.min(40, Math.ceil(radiusM / 2000) + 1); // resolution-7 cells are about 2.4 km across
  const cells = gridDisk(latLngToCell(p.lat, p.lon, H3_RES), k);
  const found = await storesInCells(ex, cells);
  return found
    .map((store) => ({ store, distanceM: haversineMeters(p, { lon: store.lon, lat: store.lat }) }))
    .filter((x) => x.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM);
}

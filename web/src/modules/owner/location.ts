/**
 * Where the owner is, in GCJ-02 (what the API is asked for and what the store plot uses). The
 * device's position (WGS-84 from the browser) is shifted with the standard GCJ-02 formula; without
 * a position the city centre of the demo (Hangzhou, West Lake) is used and said so.
 */
import { useCallback, useState } from 'react';

export interface LonLat {
  lon: number;
  lat: number;
}

export const DEFAULT_LOCATION: LonLat = { lon: 120.1551, lat: 30.2741 };

const A = 6378245.0;
const EE = 0.006693421622965943;

function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function tLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function tLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** WGS-84 → GCJ-02 (identity outside China). */
export function wgs84ToGcj02(p: LonLat): LonLat {
  if (outOfChina(p.lon, p.lat)) return p;
  let dLat = tLat(p.lon - 105, p.lat - 35);
  let dLon = tLon(p.lon - 105, p.lat - 35);
  const radLat = (p.lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lon: p.lon + dLon, lat: p.lat + dLat };
}

export type LocationSource = 'default' | 'device';

export function useOwnerLocation(): {
  point: LonLat;
  source: LocationSource;
  locating: boolean;
  failed: boolean;
  locate: () => void;
} {
  const [point, setPoint] = useState<LonLat>(DEFAULT_LOCATION);
  const [source, setSource] = useState<LocationSource>('default');
  const [locating, setLocating] = useState(false);
  const [failed, setFailed] = useState(false);
  const locate = useCallback(() => {
    const geo = globalThis.navigator?.geolocation;
    if (!geo) {
      setFailed(true);
      return;
    }
    setLocating(true);
    geo.getCurrentPosition(
      (pos) => {
        setPoint(wgs84ToGcj02({ lon: pos.coords.longitude, lat: pos.coords.latitude }));
        setSource('device');
        setFailed(false);
        setLocating(false);
      },
      () => {
        setFailed(true);
        setLocating(false);
      },
      { timeout: 8000, maximumAge: 300_000 },
    );
  }, []);
  return { point, source, locating, failed, locate };
}

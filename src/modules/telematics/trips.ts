/**
 * Trip segmentation (pure): a trip opens on ignition on or movement, accumulates distance (speed
 * integrated, so no position is needed), duration, harsh acceleration/braking, night and speeding
 * time, and closes on ignition off or a reporting gap. Readings older than the trip's last sample are
 * ignored here (they are still stored).
 */
export interface TripSettings {
  harshAccelMs2: number;
  harshBrakeMs2: number;
  speedingKmh: number;
  /** A gap longer than this closes the trip at its last sample. */
  gapMs: number;
  /** Speed above which a vehicle counts as moving (km/h). */
  movingKmh: number;
  /** Local time offset for night (22:00–06:00). */
  tzOffsetMinutes: (at: Date) => number;
}

export const DEFAULT_TRIP_SETTINGS: TripSettings = {
  harshAccelMs2: 3.0,
  harshBrakeMs2: 3.5,
  speedingKmh: 120,
  gapMs: 10 * 60_000,
  movingKmh: 3,
  tzOffsetMinutes: () => 480,
};

export interface Trip {
  id: string;
  startedAt: Date;
  lastAt: Date;
  endedAt: Date | null;
  status: 'open' | 'completed' | 'discarded';
  distanceM: number;
  durationS: number;
  maxSpeedKmh: number;
  lastSpeedKmh: number | null;
  /** Null when the owner has not consented to driving-behaviour analysis. */
  harshAccelCount: number | null;
  harshBrakeCount: number | null;
  nightS: number | null;
  speedingS: number | null;
}

export interface TripSample {
  ts: Date;
  speedKmh?: number | undefined;
  ignition?: boolean | undefined;
}

/** Samples further apart than this are not integrated (a gap in reporting, not driving). */
const MAX_SEGMENT_S = 60;
/** Accelerations are judged only on samples this close together. */
const MAX_ACCEL_SEGMENT_S = 5;
/** A trip shorter than both of these is discarded (engine started and stopped in place). */
const MIN_TRIP_M = 200;
const MIN_TRIP_S = 60;

function isNight(at: Date, settings: TripSettings): boolean {
  const local = new Date(at.getTime() + settings.tzOffsetMinutes(at) * 60_000);
  const h = local.getUTCHours();
  return h >= 22 || h < 6;
}

function close(trip: Trip, at: Date): Trip {
  const durationS = (at.getTime() - trip.startedAt.getTime()) / 1000;
  const tooShort = trip.distanceM < MIN_TRIP_M && durationS < MIN_TRIP_S;
  return { ...trip, endedAt: at, durationS, status: tooShort ? 'discarded' : 'completed' };
}

/**
 * Feeds one sample to the vehicle's open trip (or none). Returns the open trip after it and the trips
 * it closed (in order).
 */
export function stepTrip(
  open: Trip | null,
  s: TripSample,
  opts: { behaviour: boolean; newId: () => string; settings: TripSettings },
): { open: Trip | null; closed: Trip[] } {
  const cfg = opts.settings;
  const closed: Trip[] = [];
  let trip = open;
  if (trip && s.ts.getTime() <= trip.lastAt.getTime()) return { open: trip, closed };
  if (trip && s.ts.getTime() - trip.lastAt.getTime() > cfg.gapMs) {
    closed.push(close(trip, trip.lastAt));
    trip = null;
  }
  const moving = s.speedKmh !== undefined && s.speedKmh > cfg.movingKmh;
  if (!trip) {
    if (s.ignition === true || moving) {
      trip = {
        id: opts.newId(),
        startedAt: s.ts,
        lastAt: s.ts,
        endedAt: null,
        status: 'open',
        distanceM: 0,
        durationS: 0,
        maxSpeedKmh: s.speedKmh ?? 0,
        lastSpeedKmh: s.speedKmh ?? null,
        harshAccelCount: opts.behaviour ? 0 : null,
        harshBrakeCount: opts.behaviour ? 0 : null,
        nightS: opts.behaviour ? 0 : null,
        speedingS: opts.behaviour ? 0 : null,
      };
    }
    return { open: trip, closed };
  }
  const next: Trip = { ...trip };
  if (!opts.behaviour) {
    // Consent revoked during the trip: what was measured under it is dropped, nothing more is kept.
    next.harshAccelCount = null;
    next.harshBrakeCount = null;
    next.nightS = null;
    next.speedingS = null;
  }
  const dt = (s.ts.getTime() - trip.lastAt.getTime()) / 1000;
  if (s.speedKmh !== undefined) {
    const v1 = trip.lastSpeedKmh ?? s.speedKmh;
    const v2 = s.speedKmh;
    if (dt <= MAX_SEGMENT_S) {
      next.distanceM += (((v1 + v2) / 2) * dt) / 3.6;
      if (opts.behaviour && next.harshAccelCount !== null) {
        if (dt <= MAX_ACCEL_SEGMENT_S) {
          const a = (v2 - v1) / 3.6 / dt;
          if (a >= cfg.harshAccelMs2) next.harshAccelCount = (next.harshAccelCount ?? 0) + 1;
          if (a <= -cfg.harshBrakeMs2) next.harshBrakeCount = (next.harshBrakeCount ?? 0) + 1;
        }
        const mid = new Date((trip.lastAt.getTime() + s.ts.getTime()) / 2);
        if (isNight(mid, cfg)) next.nightS = (next.nightS ?? 0) + dt;
        if (Math.max(v1, v2) > cfg.speedingKmh) next.speedingS = (next.speedingS ?? 0) + dt;
      }
    }
    next.maxSpeedKmh = Math.max(next.maxSpeedKmh, v2);
    next.lastSpeedKmh = v2;
  }
  next.lastAt = s.ts;
  next.durationS = (s.ts.getTime() - next.startedAt.getTime()) / 1000;
  if (s.ignition === false) {
    closed.push(close(next, s.ts));
    return { open: null, closed };
  }
  return { open: next, closed };
}

/** Closes a trip whose device went silent (periodic job). */
export function closeIfStale(trip: Trip, now: Date, settings: TripSettings): Trip | null {
  return now.getTime() - trip.lastAt.getTime() > settings.gapMs ? close(trip, trip.lastAt) : null;
}

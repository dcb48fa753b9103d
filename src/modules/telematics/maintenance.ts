/**
 * Periodic telematics housekeeping (docs/TELEMETRY.md, "Retention"):
 * - daily partitions of `telematics_readings` for today and the next two days;
 * - retention per data class: GPS readings after PITLANE_TELEMETRY_GPS_RETENTION_DAYS, other readings
 *   after PITLANE_TELEMETRY_RETENTION_DAYS (whole day partitions dropped once past it), finished trips
 *   after PITLANE_TELEMETRY_TRIP_RETENTION_DAYS; consent history is kept (it is the legal record);
 * - trips whose device went silent are closed (and `vehicle.trip.completed` published).
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { queryRows } from '../../platform/db/connect.js';
import { errorSummary } from '../../platform/errors.js';
import { telematicsReadings, telematicsTrips } from './schema.js';
import { closeIfStale, type TripSettings } from './trips.js';
import { rowToTrip, tripToRow } from './ingest.js';

const DAY = 86_400_000;
const dayName = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');
const dayStart = (t: number) => new Date(Math.floor(t / DAY) * DAY);

/** Creates the day partitions for [now, now + aheadDays]; returns the names created. */
export async function ensurePartitions(ctx: AppContext, aheadDays = 2): Promise<string[]> {
  const made: string[] = [];
  for (let i = 0; i <= aheadDays; i++) {
    const from = dayStart(ctx.clock.now().getTime() + i * DAY);
    const to = new Date(from.getTime() + DAY);
    const name = `telematics_readings_p${dayName(from)}`;
    try {
      await ctx.db.execute(
        sql.raw(
          `create table if not exists "${name}" partition of telematics_readings ` +
            `for values from ('${from.toISOString()}') to ('${to.toISOString()}')`,
        ),
      );
      made.push(name);
    } catch (e) {
      // The default partition already holds rows of that day: they stay there (still correct).
      ctx.log.warn({ partition: name, err: errorSummary(e) }, 'telemetry partition not created');
    }
  }
  return made;
}

export interface RetentionResult {
  gpsDeleted: number;
  readingsDeleted: number;
  partitionsDropped: string[];
  tripsDeleted: number;
  tripsClosed: number;
}

export async function applyRetention(ctx: AppContext): Promise<RetentionResult> {
  const now = ctx.clock.now().getTime();
  const c = ctx.config;
  const gpsCutoff = new Date(now - c.telemetryGpsRetentionDays * DAY);
  const rawCutoff = new Date(now - c.telemetryRetentionDays * DAY);
  const tripCutoff = new Date(now - c.telemetryTripRetentionDays * DAY);
  const gps = await ctx.db
    .delete(telematicsReadings)
    .where(and(eq(telematicsReadings.kind, 'gps'), lt(telematicsReadings.ts, gpsCutoff)))
    .returning({ id: telematicsReadings.messageId });
  // Whole day partitions past the raw retention go at once; the rest row by row.
  const parts = await queryRows<{ name: string }>(
    ctx.db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent where p.relname = 'telematics_readings'
        and c.relname like 'telematics_readings_p%'`,
  );
  const dropped: string[] = [];
  for (const { name } of parts) {
    const m = /^telematics_readings_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (!m) continue;
    const end = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + DAY;
    if (end <= rawCutoff.getTime()) {
      await ctx.db.execute(sql.raw(`drop table if exists "${name}"`));
      dropped.push(name);
    }
  }
  const raw = await ctx.db
    .delete(telematicsReadings)
    .where(lt(telematicsReadings.ts, rawCutoff))
    .returning({ id: telematicsReadings.messageId });
  const trips = await ctx.db
    .delete(telematicsTrips)
    .where(and(sql`${telematicsTrips.status} <> 'open'`, lt(telematicsTrips.startedAt, tripCutoff)))
    .returning({ id: telematicsTrips.id });
  return {
    gpsDeleted: gps.length,
    readingsDeleted: raw.length,
    partitionsDropped: dropped,
    tripsDeleted: trips.length,
    tripsClosed: 0,
  };
}

/** Closes open trips whose last sample is older than the gap; publishes their completion. */
export async function closeStaleTrips(ctx: AppContext, settings: TripSettings): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(telematicsTrips)
      .where(
        and(
          eq(telematicsTrips.status, 'open'),
          lt(telematicsTrips.lastAt, new Date(now.getTime() - settings.gapMs)),
        ),
      )
      .for('update', { skipLocked: true })
      .limit(500);
    for (const row of open) {
      const closed = closeIfStale(rowToTrip(row), now, settings);
      if (!closed) continue;
      const r = tripToRow(closed, row.vehicleId, row.deviceId);
      await tx.update(telematicsTrips).set(r).where(eq(telematicsTrips.id, row.id));
      if (closed.status === 'completed')
        await ctx.bus.publish(tx, 'vehicle.trip.completed', {
          tripId: closed.id,
          vehicleId: row.vehicleId,
          deviceId: row.deviceId,
          startedAt: closed.startedAt.toISOString(),
          endedAt: (closed.endedAt ?? closed.lastAt).toISOString(),
          distanceM: Math.round(closed.distanceM),
          durationS: Math.round(closed.durationS),
          maxSpeedKmh: closed.maxSpeedKmh,
          harshAccelCount: closed.harshAccelCount,
          harshBrakeCount: closed.harshBrakeCount,
          nightS: closed.nightS,
          speedingS: closed.speedingS,
        });
    }
    return open.length;
  });
}

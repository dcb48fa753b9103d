/**
 * Runs the detectors on a vehicle: daily features are brought up to date from the telemetry that
 * arrived since the last run (late readings recompute their day), the detectors read the last 150
 * days of features and the service history, and the findings become alerts. Triggered by every
 * `vehicle.health.changed` (so a new trouble code is an alert within the dispatcher's poll) and by a
 * periodic sweep; an opened alert that needs work soon gets a proposal near the vehicle's usual area.
 */
import { and, asc, eq, gt, gte, lte, max, min, sql } from 'drizzle-orm';
import { cellToLatLng } from 'h3-js';
import type { AppContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/types.js';
import { addDays, localToUtc, utcToLocal } from '../../platform/time.js';
import { catalogSnapshot } from '../catalog/index.js';
import { vehiclesByIds } from '../customers/index.js';
import { storesNearPoint } from '../stores/index.js';
import { telematicsReadings } from '../telematics/schema.js';
import { applyFindings, proposeForAlert, serviceEventsOf } from './alerts.js';
import { detectFindings } from './detect/detectors.js';
import type { DayFeatures, Finding, VehicleHistory } from './detect/types.js';
import { dailyFeatures, type ReadingRow } from './features.js';
import { maintenanceAlerts, maintenanceDailyFeatures } from './schema.js';

/** Days of features the detectors look back over. */
export const LOOKBACK_DAYS = 150;

export async function evaluateVehicle(
  ctx: AppContext,
  tx: Tx,
  vehicleId: string,
): Promise<{ findings: Finding[]; opened: string[] }> {
  const now = ctx.clock.now();
  const tz = ctx.config.timezone;
  const vehicle = (await vehiclesByIds(tx, [vehicleId])).get(vehicleId);
  if (!vehicle) return { findings: [], opened: [] };
  // Serialize evaluations of one vehicle (the health event and the sweep may meet).
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`maintenance:${vehicleId}`}))`);

  const today = utcToLocal(now, tz).day;
  const [state] = await tx
    .select({
      lastDay: max(maintenanceDailyFeatures.day),
      computedAt: max(maintenanceDailyFeatures.computedAt),
    })
    .from(maintenanceDailyFeatures)
    .where(eq(maintenanceDailyFeatures.vehicleId, vehicleId));
  let fromDay = state?.lastDay ?? addDays(today, -LOOKBACK_DAYS);
  if (state?.computedAt) {
    // Readings that arrived late for an earlier day send the recomputation back to that day.
    const [late] = await tx
      .select({ first: min(telematicsReadings.ts) })
      .from(telematicsReadings)
      .where(
        and(eq(telematicsReadings.vehicleId, vehicleId), gt(telematicsReadings.receivedAt, state.computedAt)),
      );
    if (late?.first) {
      const d = utcToLocal(late.first, tz).day;
      if (d < fromDay) fromDay = d < addDays(today, -LOOKBACK_DAYS) ? addDays(today, -LOOKBACK_DAYS) : d;
    }
  }
  const rows = await tx
    .select({ kind: telematicsReadings.kind, ts: telematicsReadings.ts, data: telematicsReadings.data })
    .from(telematicsReadings)
    .where(
      and(
        eq(telematicsReadings.vehicleId, vehicleId),
        gte(telematicsReadings.ts, localToUtc(fromDay, 0, tz)),
        lte(telematicsReadings.ts, now),
      ),
    )
    .orderBy(asc(telematicsReadings.ts));
  for (const f of dailyFeatures(rows as ReadingRow[], tz)) {
    await tx
      .insert(maintenanceDailyFeatures)
      .values({ vehicleId, day: f.day, features: f, computedAt: now })
      .onConflictDoUpdate({
        target: [maintenanceDailyFeatures.vehicleId, maintenanceDailyFeatures.day],
        set: { features: f, computedAt: now },
      });
  }
  const days = await tx
    .select({ features: maintenanceDailyFeatures.features })
    .from(maintenanceDailyFeatures)
    .where(
      and(
        eq(maintenanceDailyFeatures.vehicleId, vehicleId),
        gte(maintenanceDailyFeatures.day, addDays(today, -LOOKBACK_DAYS)),
      ),
    )
    .orderBy(asc(maintenanceDailyFeatures.day));
  const catalog = await catalogSnapshot(ctx.db, tx);
  const powertrain = catalog.models.get(vehicle.vehicleModelId)?.powertrain ?? 'ICE';
  const history: VehicleHistory = {
    vehicleId,
    powertrain,
    days: days.map((d) => d.features as DayFeatures),
    services: await serviceEventsOf(tx, vehicleId),
  };
  const findings = detectFindings(history, today);
  const opened = await applyFindings(ctx, tx, { vehicleId, ownerId: vehicle.ownerId }, findings);
  return { findings, opened };
}

/**
 * Where the vehicle usually is: the median of its GPS fixes over the last 30 days (exact positions
 * with the owner's location consent, else the centres of their H3 cells). WGS-84.
 */
export async function usualArea(
  tx: Tx,
  vehicleId: string,
  now: Date,
): Promise<{ lon: number; lat: number } | null> {
  const fixes = await tx
    .select({ lat: telematicsReadings.lat, lon: telematicsReadings.lon, cell: telematicsReadings.h3Cell })
    .from(telematicsReadings)
    .where(
      and(
        eq(telematicsReadings.vehicleId, vehicleId),
        eq(telematicsReadings.kind, 'gps'),
        gte(telematicsReadings.ts, new Date(now.getTime() - 30 * 86_400_000)),
      ),
    )
    .orderBy(sql`${telematicsReadings.ts} desc`)
    .limit(2000);
  const pts = fixes.flatMap((f) => {
    if (f.lat !== null && f.lon !== null) return [{ lat: f.lat, lon: f.lon }];
    if (f.cell) {
      const [lat, lon] = cellToLatLng(f.cell);
      return [{ lat, lon }];
    }
    return [];
  });
  if (!pts.length) return null;
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  return { lat: mid(pts.map((p) => p.lat)), lon: mid(pts.map((p) => p.lon)) };
}

/** Proposes work for a newly opened alert that needs it within three weeks; true when it did. */
export async function proposeIfDue(ctx: AppContext, tx: Tx, alertId: string): Promise<boolean> {
  const [a] = await tx.select().from(maintenanceAlerts).where(eq(maintenanceAlerts.id, alertId));
  if (!a || a.severity === 'watch' || (a.status !== 'open' && a.status !== 'notified')) return false;
  const near = await usualArea(tx, a.vehicleId, ctx.clock.now());
  if (!near) return false;
  const nearest = (await storesNearPoint(tx, near, 30_000))[0];
  if (nearest?.store.city)
    await tx
      .update(maintenanceAlerts)
      .set({ city: nearest.store.city })
      .where(eq(maintenanceAlerts.id, a.id));
  return (await proposeForAlert(ctx, tx, a.id, near)) !== null;
}

/** Vehicles with telemetry since `since`, for the periodic sweep. */
export async function vehiclesWithTelemetrySince(tx: Tx, since: Date): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ vehicleId: telematicsReadings.vehicleId })
    .from(telematicsReadings)
    .where(gte(telematicsReadings.receivedAt, since));
  return rows.map((r) => r.vehicleId).filter((v): v is string => !!v);
}

export function registerEvaluation(ctx: AppContext): void {
  // Trouble codes and the MIL are judged at once; slow trends wait for the sweep.
  const codesChanged = (payload: unknown): boolean => {
    const changes = (payload as { changes?: string[] }).changes;
    return !changes || changes.some((c) => c === 'activeDtcs' || c === 'mil');
  };
  ctx.bus.subscribe(
    'maintenance.evaluate-on-health',
    ['vehicle.health.changed'],
    async (tx, ev) => {
      if (codesChanged(ev.payload))
        await evaluateVehicle(ctx, tx, (ev.payload as { vehicleId: string }).vehicleId);
    },
    { when: codesChanged },
  );
  ctx.bus.subscribe('maintenance.propose-on-alert', ['maintenance.alert.opened'], async (tx, ev) => {
    await proposeIfDue(ctx, tx, (ev.payload as { alertId: string }).alertId);
  });
}

/** The periodic sweep: every vehicle that reported since the last sweep window. */
export async function sweepVehicles(ctx: AppContext, windowMs: number): Promise<number> {
  const since = new Date(ctx.clock.now().getTime() - windowMs);
  const ids = await ctx.db.transaction((tx) => vehiclesWithTelemetrySince(tx, since));
  for (const id of ids) await ctx.db.transaction((tx) => evaluateVehicle(ctx, tx, id));
  return ids.length;
}

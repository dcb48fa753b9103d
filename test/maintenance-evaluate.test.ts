/**
 * Detection from stored telemetry: readings in the telematics table become daily features, a 12 V
 * battery that cranks lower every cold morning opens an alert and gets a proposal near where the car
 * usually is; a new trouble code is judged as soon as the health change is published; a late
 * reading recomputes its day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { newOwnerWithVehicle, newReadyStore, WEST_LAKE, type StoreFixture } from '../src/testing/o2o.js';
import { convert } from '../src/platform/domain/geo.js';
import { telematicsReadings } from '../src/modules/telematics/schema.js';
import { maintenanceAlerts, maintenanceDailyFeatures } from '../src/modules/maintenance/schema.js';
import { evaluateVehicle } from '../src/modules/maintenance/index.js';
import { vehiclesWithTelemetrySince } from '../src/modules/maintenance/evaluate.js';
import { queryRows } from '../src/platform/db/connect.js';

describe('maintenance evaluation from telemetry', () => {
  let h: Harness;
  let store: StoreFixture;
  let vehicleId: string;
  let n = 0;
  const home = convert({ lon: WEST_LAKE.lon + 0.01, lat: WEST_LAKE.lat + 0.005 }, 'gcj02', 'wgs84');

  async function reading(at: Date, kind: string, data: Record<string, unknown>, receivedAt = at) {
    await h.ctx.db.insert(telematicsReadings).values({
      deviceId: 'dev_test',
      messageId: `m${++n}`,
      ts: at,
      vehicleId,
      kind,
      data,
      receivedAt,
      ...(kind === 'gps' ? { lat: home.lat, lon: home.lon, h3Cell: null } : {}),
    });
  }
  const frames = (...f: Array<[string, unknown]>) => ({
    frames: f.map(([pid, value]) => ({ mode: '01', pid, value })),
  });

  beforeAll(async () => {
    h = await createHarness();
    store = await newReadyStore(h, {
      technicians: [{ name: '赵师傅', skills: ['general', 'electrical', 'diagnostics', 'engine'] }],
    });
    vehicleId = (await newOwnerWithVehicle(h)).vehicleId;
    // 30 mornings up to today (clock: 2026-06-01 10:00 Shanghai): parked overnight, started at 07:00.
    const today = Date.parse('2026-05-31T23:00:00Z');
    for (let d = 29; d >= 0; d--) {
      const t0 = new Date(today - d * 86_400_000);
      const temp = 4 + 8 * Math.sin(d / 2.3); // cold mornings come and go
      const crank = 10.5 + 0.03 * temp - 0.025 * (29 - d); // and the battery weakens every day
      await reading(t0, 'status', { ignition: true, battery12vV: 12.5, odometerKm: 30_000 + 40 * (29 - d) });
      await reading(new Date(t0.getTime() + 1000), 'obd', frames(['42', crank + 0.3], ['46', temp]));
      await reading(new Date(t0.getTime() + 2000), 'obd', frames(['42', crank]));
      await reading(new Date(t0.getTime() + 600_000), 'gps', { speedKmh: 30 });
    }
  });
  afterAll(() => h?.close());

  it('opens a 12 V battery alert from the cranking trend and proposes a slot near home', async () => {
    const r = await h.ctx.db.transaction((tx) => evaluateVehicle(h.ctx, tx, vehicleId));
    const battery = r.findings.find((f) => f.component === 'battery_12v');
    expect(battery, JSON.stringify(r.findings)).toBeDefined();
    expect(['soon', 'urgent']).toContain(battery!.severity);
    expect(r.opened).toHaveLength(1);
    const features = await h.ctx.db
      .select()
      .from(maintenanceDailyFeatures)
      .where(eq(maintenanceDailyFeatures.vehicleId, vehicleId));
    expect(features.length).toBe(30);
    await h.ctx.bus.drain();
    const [alert] = await h.ctx.db
      .select()
      .from(maintenanceAlerts)
      .where(eq(maintenanceAlerts.id, r.opened[0]!));
    expect(alert).toMatchObject({ component: 'battery_12v', status: 'proposed', city: '杭州' });
    // Evaluating again changes nothing.
    const again = await h.ctx.db.transaction((tx) => evaluateVehicle(h.ctx, tx, vehicleId));
    expect(again.opened).toEqual([]);
    expect(store.storeId).toBeTruthy();
  });

  it('judges a new trouble code as soon as the health change is published', async () => {
    await reading(new Date('2026-06-01T01:58:00Z'), 'obd', {
      frames: [
        { mode: '03', dtcs: ['P0302'] },
        { mode: '01', pid: '01', value: { mil: true, dtcCount: 1 } },
      ],
    });
    await h.ctx.db.transaction((tx) =>
      h.ctx.bus.publish(tx, 'vehicle.health.changed', { vehicleId, changes: ['activeDtcs', 'mil'] }),
    );
    await h.ctx.bus.drain();
    const [misfire] = await h.ctx.db
      .select()
      .from(maintenanceAlerts)
      .where(and(eq(maintenanceAlerts.vehicleId, vehicleId), eq(maintenanceAlerts.component, 'misfire')));
    expect(misfire).toMatchObject({ severity: 'urgent' });
    expect(misfire!.finding.codes).toEqual(['P0302']);
  });

  it('recomputes a day when a reading for it arrives late', async () => {
    const day = '2026-05-20';
    const [before] = await h.ctx.db
      .select()
      .from(maintenanceDailyFeatures)
      .where(and(eq(maintenanceDailyFeatures.vehicleId, vehicleId), eq(maintenanceDailyFeatures.day, day)));
    expect((before!.features as { coolantMaxC?: number }).coolantMaxC).toBeUndefined();
    h.clock.set('2026-06-01T03:00:00Z');
    await reading(new Date('2026-05-20T04:00:00Z'), 'obd', frames(['05', 97]), h.clock.now());
    await h.ctx.db.transaction((tx) => evaluateVehicle(h.ctx, tx, vehicleId));
    const [after] = await h.ctx.db
      .select()
      .from(maintenanceDailyFeatures)
      .where(and(eq(maintenanceDailyFeatures.vehicleId, vehicleId), eq(maintenanceDailyFeatures.day, day)));
    expect((after!.features as { coolantMaxC?: number }).coolantMaxC).toBe(97);
  });

  it('finds what arrived since the last sweep through the received-at index, not every reading', async () => {
    h.clock.set('2026-06-01T04:00:00Z');
    const since = new Date('2026-06-01T03:45:00Z');
    expect(await h.ctx.db.transaction((tx) => vehiclesWithTelemetrySince(tx, since))).not.toContain(
      vehicleId,
    );
    await reading(new Date('2026-05-28T06:00:00Z'), 'status', { battery12vV: 12.6 }, h.clock.now());
    expect(await h.ctx.db.transaction((tx) => vehiclesWithTelemetrySince(tx, since))).toContain(vehicleId);
    // The readings table grows without end; the hourly sweep must not read all of it. With
    // sequential scans discouraged, the plan shows the BRIN index of each partition.
    const plan = await h.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return queryRows<Record<string, string>>(
        tx,
        sql`explain select distinct vehicle_id from telematics_readings where received_at >= ${since}`,
      );
    });
    expect(plan.map((r) => Object.values(r)[0]).join('\n')).toMatch(/Bitmap Index Scan on \S*received\S*/);
  });
});

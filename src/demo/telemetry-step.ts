/**
 * Demo: OBD dongles on 40 cars (the documented demo owner's first), 30 days of morning telemetry —
 * cold starts, a short drive, tyre pressures — with a few faults developing: the demo owner's 12 V
 * battery weakening, a slow tyre leak, a misfire, a catalyst code, coolant creeping up, a traction
 * battery fading. The detectors then run on it, so alerts (and, once the server is up, proposals)
 * are there to see.
 */
import { eq } from 'drizzle-orm';
import type { AppContext } from '../platform/context.js';
import type { Executor, Tx } from '../platform/db/types.js';
import { addDays, localToUtc, utcToLocal } from '../platform/time.js';
import { bindDevice, createDevice, recordConsent } from '../modules/telematics/devices.js';
import { CONSENT_VERSION } from '../modules/telematics/index.js';
import { applyReading, emptyHealth, type HealthState } from '../modules/telematics/health.js';
import { telematicsDevices, telematicsHealth, telematicsReadings } from '../modules/telematics/schema.js';
import { evaluateVehicle, proposeIfDue } from '../modules/maintenance/index.js';
import { convert } from '../platform/domain/geo.js';
import { demoOperator, type DemoWorld } from './load-demo.js';

const CARS = 40;
const DAYS = 30;
type Fault = 'battery' | 'tyre' | 'misfire' | 'catalyst' | 'coolant' | 'traction' | null;

export async function telemetryStep(ctx: AppContext, ex: Executor, w: DemoWorld): Promise<void> {
  const tx = ex as Tx;
  const tz = ctx.config.timezone;
  const operator = demoOperator(w);
  const today = utcToLocal(w.now, tz).day;
  const ice = w.vehicles.filter((v) => v.powertrain === 'ICE' || v.powertrain === 'HEV');
  const nev = w.vehicles.filter((v) => v.powertrain === 'BEV');
  const first = w.vehicles.find(
    (v) => v.ownerIndex === 0 && (v.powertrain === 'ICE' || v.powertrain === 'HEV'),
  );
  const cars = [
    ...(first ? [first] : []),
    ...ice.filter((v) => v !== first).slice(0, CARS - 5),
    ...nev.slice(0, 4),
  ].slice(0, CARS);
  const faultOf = (i: number, bev: boolean): Fault =>
    bev
      ? i % 2 === 0
        ? 'traction'
        : null
      : i === 0
        ? 'battery'
        : (['tyre', 'misfire', 'catalyst', 'coolant', null, null, null] as Fault[])[i % 7]!;

  let readings = 0;
  const evaluated: string[] = [];
  for (const [i, v] of cars.entries()) {
    const owner = w.owners[v.ownerIndex]!;
    const serial = `PL${String(w.seed).padStart(3, '0')}${String(i + 1).padStart(5, '0')}`;
    const { device } = await createDevice(tx, operator, { serial, model: 'PL-OBD-4G' }, w.now);
    await bindDevice(tx, owner.userId, { serial, vehicleId: v.id }, w.now);
    if (i % 3 !== 1)
      await recordConsent(
        tx,
        owner.userId,
        v.id,
        { purpose: 'location', granted: true, version: CONSENT_VERSION },
        w.now,
      );
    const bev = v.powertrain === 'BEV';
    const fault = faultOf(i, bev);
    const home = convert(owner.home, 'gcj02', 'wgs84');
    const rows: Array<typeof telematicsReadings.$inferInsert> = [];
    let health: HealthState = emptyHealth(new Date(0));
    let n = 0;
    const push = (at: Date, kind: string, data: Record<string, unknown>, pos = false) => {
      if (at > w.now) return;
      rows.push({
        deviceId: device.id,
        messageId: `demo-${++n}`,
        ts: at,
        vehicleId: v.id,
        kind,
        data,
        receivedAt: at,
        ...(pos ? { lat: home.lat, lon: home.lon } : {}),
      });
      health = applyReading(health, { kind: kind as 'obd', ts: at, data });
    };
    const pid = (p: string, value: number, unit = '') => ({ mode: '01', pid: p, value, unit });
    for (let d = DAYS - 1; d >= 0; d--) {
      const day = addDays(today, -d);
      const t0 = localToUtc(day, 7 * 60 + (i % 5) * 6, tz).getTime();
      const at = (s: number) => new Date(t0 + s * 1000);
      const age = DAYS - 1 - d; // days into the month
      const temp = 6 + 7 * Math.sin((age + i) / 2.7);
      const odo = v.odometerKm + age * (25 + (i % 4) * 10);
      const crank =
        10.45 + 0.03 * temp + 0.04 * Math.sin(age * 1.9 + i) - (fault === 'battery' ? 0.028 * age : 0);
      push(at(0), 'status', { ignition: true, battery12vV: 12.55, odometerKm: odo });
      if (!bev) {
        push(at(1), 'obd', { frames: [pid('42', crank + 0.35, 'V'), pid('46', Math.round(temp), '°C')] });
        push(at(2), 'obd', { frames: [pid('42', crank, 'V')] });
      } else {
        const soh = fault === 'traction' ? 79 - 0.2 * age : 93 - 0.01 * age;
        push(at(2), 'obd', {
          frames: [pid('5B', Math.round(soh * 10) / 10, '%'), pid('46', Math.round(temp), '°C')],
        });
        push(at(3), 'ev', { socPct: 80 - (age % 7) * 6, packTempC: 22, charging: false });
      }
      const leak = fault === 'tyre' ? 2.2 * age : 0;
      const tyreC = temp + 2;
      const cold = (p: number) => Math.round(((p + 101.325) * (tyreC + 273.15)) / 293.15 - 101.325);
      push(at(60), 'tpms', {
        tyresKpa: { fl: cold(235), fr: cold(236), rl: cold(232), rr: cold(233 - leak) },
        tyresTempC: { fl: tyreC, fr: tyreC, rl: tyreC, rr: tyreC },
      });
      const coolant = fault === 'coolant' ? 90 + 0.9 * age : 88 + (age % 3);
      const speeds = [0, 35, 52, 0, 40, 18, 0];
      speeds.forEach((s, k) =>
        push(at(300 + k * 10), 'obd', {
          frames: [pid('0D', s, 'km/h'), ...(bev ? [] : [pid('05', Math.round(coolant - 6 + k), '°C')])],
        }),
      );
      push(at(420), 'gps', { speedKmh: 18 }, true);
      if (d <= 1 && (fault === 'misfire' || fault === 'catalyst')) {
        const code = fault === 'misfire' ? 'P0302' : 'P0420';
        push(at(430), 'obd', {
          frames: [
            { mode: '03', dtcs: [code] },
            { mode: '01', pid: '01', value: { mil: true, dtcCount: 1 } },
          ],
        });
      }
      push(at(1800), 'status', { ignition: false, odometerKm: odo + 12 });
    }
    for (let k = 0; k < rows.length; k += 1000)
      await tx.insert(telematicsReadings).values(rows.slice(k, k + 1000));
    readings += rows.length;
    // As ingest would have left it: the dongle was last heard with its newest reading.
    const lastSeenAt = rows.reduce<Date | null>(
      (m, r) => (m === null || (r.receivedAt as Date) > m ? (r.receivedAt as Date) : m),
      null,
    );
    if (lastSeenAt)
      await tx.update(telematicsDevices).set({ lastSeenAt }).where(eq(telematicsDevices.id, device.id));
    await tx.insert(telematicsHealth).values({
      vehicleId: v.id,
      deviceId: device.id,
      updatedAt: w.now,
      asOf: health.asOf,
      odometerKm: health.odometerKm,
      battery12vV: health.battery12vV,
      tractionSocPct: health.tractionSocPct,
      tractionPackV: health.tractionPackV,
      tractionPackTempC: health.tractionPackTempC,
      charging: health.charging,
      mil: health.mil,
      tyresKpa: health.tyresKpa,
      activeDtcs: health.activeDtcs,
      latest: health.latest,
      version: 1,
    });
    evaluated.push(v.id);
  }
  // Alerts, and at once the proposals (the server would make them from the alert events).
  const opened: string[] = [];
  for (const id of evaluated) opened.push(...(await evaluateVehicle(ctx, tx, id)).opened);
  let proposals = 0;
  for (const id of opened) if (await proposeIfDue(ctx, tx, id)) proposals++;
  const alerts = opened.length;
  w.summary.dongles = cars.length;
  w.summary.telemetryReadings = readings;
  w.summary.maintenanceAlerts = alerts;
  w.summary.maintenanceProposals = proposals;
}

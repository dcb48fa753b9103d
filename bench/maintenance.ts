/**
 * `npm run bench -- maintenance [--scenarios <file.json>] [--vehicles 1000] [--days 56] [--fault-rate 0.2] [--seed 7] [--start-day 2026-01-12]
 *  [--window-minutes 5] [--write-scenario <file.json>] [--explain]`
 *
 * Predictive maintenance judged end to end (issue 7): a real Pitlane (embedded PGlite and Aedes) on a
 * simulated clock; the simulator sets the fleet up over HTTP and publishes its telemetry over MQTT,
 * QoS 1, window by window in time order; the clock moves to each window's end before the window is
 * published, the event bus is drained after it (trouble codes are judged on the health change), and
 * the nightly sweep runs at 03:00 every simulated day. Detection reads only what arrived; the faults
 * of the scenario are used afterwards, to score the alerts Pitlane opened (src/modules/maintenance/
 * detect/score.ts). Without `--scenarios` it generates a fleet (≥ 1,000 vehicles, ≥ 150 faults over
 * every component). DTC latency is measured in simulated time, so it includes up to one window of
 * clock granularity. Baseline in the same run: fixed thresholds and a fixed service reminder over the
 * same daily features (detect/baseline.ts). Ends with one JSON line {"bench":"maintenance",…}.
 * Targets: recall ≥ 0.92 at precision ≥ 0.90, median lead time ≥ 7 days, DTC latency ≤ 5 minutes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, inArray } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { FixedClock } from '../src/platform/clock.js';
import { localToUtc, utcToLocal } from '../src/platform/time.js';
import { lockStep } from '../src/testing/replay.js';
import { Api } from '../src/testing/api-client.js';
import { freePort } from '../src/testing/process.js';
import {
  parseScenario,
  type FaultComponent,
  type Scenario,
} from '../src/modules/telematics/simulate/scenario.js';
import { generateScenario } from '../src/modules/telematics/simulate/generate.js';
import { runSimulation } from '../src/modules/telematics/simulate/run.js';
import { maintenanceAlerts, maintenanceDailyFeatures } from '../src/modules/maintenance/schema.js';
import { serviceEventsOf } from '../src/modules/maintenance/index.js';
import { baselineAlerts } from '../src/modules/maintenance/detect/baseline.js';
import { scoreAlerts, type FaultTruth } from '../src/modules/maintenance/detect/score.js';
import { DTC_RULES } from '../src/modules/maintenance/detect/detectors.js';
import type { Component, DayFeatures } from '../src/modules/maintenance/detect/types.js';

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
const num = (argv: string[], name: string, def: number): number => {
  const v = arg(argv, name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};

/** The scenario's fault components as the detectors name them. */
const DETECTOR_COMPONENT: Record<FaultComponent, Component> = {
  brake_pads: 'brake_pads',
  battery_12v: 'battery_12v',
  traction_battery: 'traction_battery',
  tyre_slow_leak: 'tyre_leak',
  coolant_overheat: 'coolant',
  misfire: 'misfire',
  catalyst: 'catalyst',
  oil_service_overdue: 'oil_service',
};

const DAY = 86_400_000;
const fmt = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));

export default async function main(argv: string[]): Promise<void> {
  const file = arg(argv, 'scenarios');
  const windowMs = num(argv, 'window-minutes', 5) * 60_000;
  const scenario: Scenario = file
    ? parseScenario(JSON.parse(readFileSync(file, 'utf8')))
    : generateScenario({
        vehicles: num(argv, 'vehicles', 1000),
        days: num(argv, 'days', 56),
        faultRate: num(argv, 'fault-rate', 0.2),
        ...(arg(argv, 'start-day') ? { startDay: arg(argv, 'start-day')! } : {}),
        seed: num(argv, 'seed', 7),
      });
  const out = arg(argv, 'write-scenario');
  if (out) writeFileSync(out, JSON.stringify(scenario, null, 1));
  const faults = scenario.vehicles.flatMap((v) => v.faults.map((f) => ({ key: v.key, ...f })));
  const days = (Date.parse(scenario.end) - Date.parse(scenario.start)) / DAY;
  console.log(
    `maintenance: ${scenario.vehicles.length} vehicles, ${faults.length} faults over ${days.toFixed(0)} days` +
      ` (${file ? `from ${file}` : 'generated'}); window ${windowMs / 60_000} min`,
  );

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitlane-bench-maint-'));
  const clock = new FixedClock(scenario.start);
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    PITLANE_DATA_DIR: dataDir,
    PITLANE_MQTT_PORT: String(await freePort()),
    PITLANE_RATE_LIMIT: '0',
    PITLANE_DEV_OUTBOX: 'true',
    PITLANE_LOG_LEVEL: 'warn',
    PITLANE_WEB_BUILD: 'off',
    // An empty PostgreSQL database instead of the embedded PGlite, when given.
    ...(process.env.PITLANE_BENCH_DATABASE_URL
      ? { DATABASE_URL: process.env.PITLANE_BENCH_DATABASE_URL }
      : {}),
  });
  const server = await startServer(config, { print: () => undefined, clock });
  const { ctx } = server;
  const tz = ctx.config.timezone;
  const began = Date.now();
  try {
    const api = new Api(server.url);
    const r = await api.call('POST', '/api/v1/setup', {
      body: { setupToken: server.setupToken, login: 'bench', name: 'Bench', password: 'bench-password-1' },
    });
    if (r.status !== 201) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);

    // When each vehicle first reported a trouble code of each component (for DTC latency).
    const firstDtc = new Map<string, number>();
    const dtcComponent = (code: string) => DTC_RULES.find((rule) => rule.test(code))?.component;
    let lastReport = Date.now();
    const replay = lockStep(ctx, clock, windowMs, (st) => {
      if (Date.now() - lastReport < 30_000) return;
      lastReport = Date.now();
      console.log(
        `  … ${utcToLocal(clock.now(), tz).day}: ${st.windows} windows, ${st.sweeps} sweeps, ${Math.round((Date.now() - began) / 1000)} s`,
      );
    });
    const sim = await runSimulation({
      scenario,
      url: server.url,
      mqttUrl: `mqtt://127.0.0.1:${config.mqttPort}`,
      login: 'bench',
      password: 'bench-password-1',
      speed: 0,
      inflight: 8,
      runTag: 'bench',
      setupConcurrency: 4,
      log: (l) => console.log(l),
      observe: (key, m) => {
        for (const code of m.dtcs ?? []) {
          const k = `${key}|${dtcComponent(code)}`;
          if (!firstDtc.has(k)) firstDtc.set(k, m.ts);
        }
      },
      step: replay.step,
    });
    await replay.finish(new Date(scenario.end));
    const seconds = (Date.now() - began) / 1000;
    const { windows, sweeps, ms: spent } = replay.stats;

    const byVehicle = new Map(sim.vehicles.map((v) => [v.key, v.vehicleId]));
    const truth: FaultTruth[] = faults.map((f) => {
      const component = DETECTOR_COMPONENT[f.component];
      const first = firstDtc.get(`${f.key}|${component}`);
      return {
        vehicleId: byVehicle.get(f.key)!,
        component,
        onset: f.onset,
        failure: f.failure,
        ...(first !== undefined ? { firstDtcAt: new Date(first).toISOString() } : {}),
      };
    });
    const alerts = await ctx.db
      .select({
        vehicleId: maintenanceAlerts.vehicleId,
        component: maintenanceAlerts.component,
        openedAt: maintenanceAlerts.openedAt,
      })
      .from(maintenanceAlerts)
      .where(inArray(maintenanceAlerts.vehicleId, [...byVehicle.values()]));
    const score = scoreAlerts(
      truth,
      alerts.map((a) => ({
        vehicleId: a.vehicleId,
        component: a.component as Component,
        at: a.openedAt.toISOString(),
      })),
      { vehicles: scenario.vehicles.length, months: days / 30.44 },
    );
    // The baseline in the same run: fixed thresholds and a fixed service reminder over the same
    // daily features and service records (src/modules/maintenance/detect/baseline.ts).
    const featureRows = await ctx.db
      .select()
      .from(maintenanceDailyFeatures)
      .where(inArray(maintenanceDailyFeatures.vehicleId, [...byVehicle.values()]))
      .orderBy(asc(maintenanceDailyFeatures.day));
    const featuresOf = new Map<string, DayFeatures[]>();
    for (const r of featureRows)
      featuresOf.set(r.vehicleId, [...(featuresOf.get(r.vehicleId) ?? []), r.features as DayFeatures]);
    const endOfDay = (day: string) => new Date(localToUtc(day, 24 * 60, tz).getTime() - 1).toISOString();
    const baselineRecords = [];
    for (const vehicleId of byVehicle.values())
      for (const a of baselineAlerts(
        featuresOf.get(vehicleId) ?? [],
        await serviceEventsOf(ctx.db, vehicleId),
        endOfDay,
      ))
        baselineRecords.push({ vehicleId, ...a });
    const baseline = scoreAlerts(truth, baselineRecords, {
      vehicles: scenario.vehicles.length,
      months: days / 30.44,
    });

    console.log(
      `\n${sim.published} messages published and acknowledged in ${seconds.toFixed(0)} s ` +
        `(${Math.round(sim.published / seconds)} msgs/s, ${windows} windows, ${sweeps} nightly sweeps)`,
    );
    console.log(
      `time: publish → acknowledged ${Math.round(spent.publish / 1000)} s, event bus ${Math.round(spent.drain / 1000)} s, nightly sweeps ${Math.round(spent.sweep / 1000)} s`,
    );
    console.log('component          faults detected alerts  recall precision lead(d) dtc(min)');
    for (const [c, s] of Object.entries(score.perComponent)) {
      console.log(
        `${c.padEnd(18)} ${String(s.faults).padStart(6)} ${String(s.detected).padStart(8)} ${String(s.alerts).padStart(6)}` +
          `  ${fmt(s.recall).padStart(6)} ${fmt(s.precision).padStart(9)} ${fmt(s.leadTimeDaysMedian, 1).padStart(7)} ${fmt(s.dtcLatencyMinutesMedian, 1).padStart(8)}`,
      );
    }
    console.log(
      `overall            ${String(score.faults).padStart(6)} ${String(score.detected).padStart(8)} ${String(score.alerts).padStart(6)}` +
        `  ${fmt(score.recall).padStart(6)} ${fmt(score.precision).padStart(9)} ${fmt(score.leadTimeDaysMedian, 1).padStart(7)} ${fmt(score.dtcLatencyMinutesMedian, 1).padStart(8)}`,
    );
    console.log(`false alerts per 1,000 vehicle-months: ${score.falseAlertsPer1000VehicleMonths}`);
    console.log(
      `baseline (fixed thresholds, same telemetry): recall ${fmt(baseline.recall)}, precision ${fmt(baseline.precision)}, ` +
        `lead ${fmt(baseline.leadTimeDaysMedian, 1)} d, DTC ${fmt(baseline.dtcLatencyMinutesMedian, 1)} min; per component recall / lead: ` +
        Object.entries(baseline.perComponent)
          .map(([c, b]) => `${c} ${fmt(b.recall, 2)} / ${fmt(b.leadTimeDaysMedian, 1)}`)
          .join(', '),
    );
    if (argv.includes('--explain')) {
      // Every missed fault and false alert, with what the vehicle had, for looking into the models.
      const keyOf = new Map(sim.vehicles.map((v) => [v.vehicleId, v.key]));
      const within = (t: FaultTruth, at: Date) =>
        at.getTime() >= Date.parse(t.onset) && at.getTime() <= Date.parse(t.failure);
      for (const a of alerts) {
        const ok = truth.some(
          (t) => t.vehicleId === a.vehicleId && t.component === a.component && within(t, a.openedAt),
        );
        if (!ok)
          console.log(
            `  false: ${keyOf.get(a.vehicleId)} ${a.component} at ${a.openedAt.toISOString()} ${JSON.stringify(faults.filter((f) => f.key === keyOf.get(a.vehicleId)))}`,
          );
      }
      for (const t of truth) {
        const hit = alerts.some(
          (a) => a.vehicleId === t.vehicleId && a.component === t.component && within(t, a.openedAt),
        );
        if (!hit) console.log(`  missed: ${keyOf.get(t.vehicleId)} ${t.component} ${t.onset} → ${t.failure}`);
      }
    }
    const met =
      (score.recall ?? 0) >= 0.92 &&
      (score.precision ?? 0) >= 0.9 &&
      (score.leadTimeDaysMedian ?? 0) >= 7 &&
      (score.dtcLatencyMinutesMedian ?? Infinity) <= 5;
    console.log(
      `target (recall ≥ 0.92, precision ≥ 0.90, lead ≥ 7 d, DTC ≤ 5 min): ${met ? 'met' : 'NOT met'}`,
    );
    console.log(
      JSON.stringify({
        bench: 'maintenance',
        vehicles: scenario.vehicles.length,
        faults: faults.length,
        days,
        messages: sim.published,
        seconds: Math.round(seconds),
        recall: score.recall,
        precision: score.precision,
        leadTimeDaysMedian: score.leadTimeDaysMedian,
        dtcLatencyMinutesMedian: score.dtcLatencyMinutesMedian,
        falseAlertsPer1000VehicleMonths: score.falseAlertsPer1000VehicleMonths,
        perComponent: score.perComponent,
        baseline: {
          recall: baseline.recall,
          precision: baseline.precision,
          leadTimeDaysMedian: baseline.leadTimeDaysMedian,
          dtcLatencyMinutesMedian: baseline.dtcLatencyMinutesMedian,
          perComponent: baseline.perComponent,
        },
        targetMet: met,
      }),
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `pitlane simulate` end to end: the example scenario's fleet is set up through the HTTP API of a
 * listening app and its telemetry published over MQTT to the embedded broker; the injected faults
 * show in the health snapshots, trips are segmented, and only the consenting vehicle keeps positions.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, isNotNull, and } from 'drizzle-orm';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { Ingestor, startEmbeddedBroker, type BrokerHandle } from '../src/modules/telematics/index.js';
import {
  FAULT_COMPONENTS,
  parseScenario,
  serviceRecordsOf,
  vehicleMessages,
} from '../src/modules/telematics/simulate/scenario.js';
import { generateScenario } from '../src/modules/telematics/simulate/generate.js';
import { runSimulation } from '../src/modules/telematics/simulate/run.js';
import { telematicsReadings, telematicsTrips } from '../src/modules/telematics/schema.js';

const scenario = parseScenario(
  JSON.parse(
    readFileSync(
      new URL('../src/modules/telematics/simulate/example-scenario.json', import.meta.url),
      'utf8',
    ),
  ),
);

let h: Harness;
let broker: BrokerHandle;
let url: string;
beforeAll(async () => {
  h = await createHarness();
  await h.operator();
  broker = await startEmbeddedBroker(h.ctx, new Ingestor(h.ctx), {
    port: 0,
    host: '127.0.0.1',
    print: () => undefined,
  });
  url = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await broker?.stop();
  await h.close();
});

describe('scenario generator', () => {
  it('is deterministic for a seed and orders each vehicle’s messages in time', () => {
    const v = scenario.vehicles[0]!;
    const a = [...vehicleMessages(scenario, v)];
    const b = [...vehicleMessages(scenario, v)];
    expect(a.length).toBeGreaterThan(100);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    for (let i = 1; i < a.length; i++) expect(a[i]!.ts).toBeGreaterThanOrEqual(a[i - 1]!.ts);
  });

  it('refuses a fault that fails before its onset and duplicate vehicle keys', () => {
    const bad = structuredClone(JSON.parse(JSON.stringify(scenario))) as {
      vehicles: Array<{ key: string; faults: Array<{ onset: string; failure: string }> }>;
    };
    bad.vehicles[0]!.faults[0]!.failure = '2026-01-01T00:00:00Z';
    expect(() => parseScenario(bad)).toThrow(/before its onset/);
    const dup = JSON.parse(JSON.stringify(scenario)) as { vehicles: Array<{ key: string }> };
    dup.vehicles[1]!.key = dup.vehicles[0]!.key;
    expect(() => parseScenario(dup)).toThrow(/twice/);
  });

  it('generates fleets with every fault component inside the period, the same for a seed', () => {
    const o = { vehicles: 120, days: 56, seed: 3, faultRate: 0.5 };
    const s = generateScenario(o);
    expect(JSON.stringify(generateScenario(o))).toBe(JSON.stringify(s));
    expect(JSON.stringify(generateScenario({ ...o, seed: 4 }))).not.toBe(JSON.stringify(s));
    const start = Date.parse(s.start);
    const end = Date.parse(s.end);
    const faults = s.vehicles.flatMap((v) => v.faults.map((f) => ({ v, f })));
    expect(faults).toHaveLength(60);
    expect(new Set(faults.map(({ f }) => f.component))).toEqual(new Set(FAULT_COMPONENTS));
    for (const { v, f } of faults) {
      expect(Date.parse(f.failure)).toBeLessThan(end);
      expect(Date.parse(f.failure)).toBeGreaterThan(Date.parse(f.onset));
      if (f.component !== 'oil_service_overdue') expect(Date.parse(f.onset)).toBeGreaterThanOrEqual(start);
      if (
        ['misfire', 'catalyst', 'coolant_overheat', 'battery_12v', 'oil_service_overdue'].includes(
          f.component,
        )
      )
        expect(v.powertrain).not.toBe('ev');
      if (f.component === 'traction_battery') expect(v.powertrain).not.toBe('ice');
    }
    // An oil fault comes with the last oil change that makes it fall due at its failure, before the period.
    const oil = faults.find(({ f }) => f.component === 'oil_service_overdue')!;
    const rec = serviceRecordsOf(s, oil.v).at(-1)!;
    expect(rec.component).toBe('oil_service');
    expect(Date.parse(`${rec.day}T00:00:00+08:00`)).toBeLessThan(start);
    const odoAtDue = [...vehicleMessages(s, oil.v)]
      .filter((m) => m.odometerKm !== undefined && m.ts <= Date.parse(oil.f.failure))
      .at(-1)!.odometerKm!;
    const daysToDue = (Date.parse(oil.f.failure) - Date.parse(`${rec.day}T00:00:00+08:00`)) / 86_400_000;
    // Due by distance (10,000 km) or by time (365 days), whichever comes first.
    expect(
      Math.min(Math.abs(odoAtDue - rec.odometerKm! - 10_000), Math.abs(daysToDue - 365) * 50),
    ).toBeLessThan(50);
  });
});

describe('pitlane simulate', { timeout: 300_000 }, () => {
  it('sets the fleet up over HTTP, publishes over MQTT, and the faults show in health', async () => {
    const r = await runSimulation({
      scenario,
      url,
      mqttUrl: broker.url,
      login: 'operator',
      password: 'correct-horse-battery',
      speed: 0,
      runTag: 't1',
    });
    const expected = scenario.vehicles
      .map((v) => [...vehicleMessages(scenario, v)].length)
      .reduce((a, b) => a + b, 0);
    expect(r.published).toBe(expected);
    const op = await h.operator();
    const lavida = r.vehicles.find((v) => v.key === 'lavida-1')!;
    const tesla = r.vehicles.find((v) => v.key === 'model3-1')!;
    const stored = await h.ctx.db
      .select()
      .from(telematicsReadings)
      .where(eq(telematicsReadings.deviceId, lavida.deviceId));
    expect(stored.length).toBe(lavida.published);

    const hl = await h.request<{ battery12vV: number; activeDtcs: Array<{ code: string }>; mil: boolean }>(
      'GET',
      `/api/v1/vehicles/${lavida.vehicleId}/health`,
      { token: op.token },
    );
    expect(hl.status).toBe(200);
    expect(hl.body.activeDtcs.map((d) => d.code)).toContain('P0300');
    expect(hl.body.mil).toBe(true);
    const ht = await h.request<{ tyresKpa: Record<string, number>; traction: { socPct: number | null } }>(
      'GET',
      `/api/v1/vehicles/${tesla.vehicleId}/health`,
      { token: op.token },
    );
    expect(ht.body.tyresKpa.rr).toBeLessThan(ht.body.tyresKpa.fl! - 50);
    expect(ht.body.traction.socPct).not.toBeNull();

    const trips = await h.ctx.db
      .select()
      .from(telematicsTrips)
      .where(eq(telematicsTrips.vehicleId, tesla.vehicleId));
    expect(trips.filter((t) => t.status === 'completed').length).toBeGreaterThan(10);
    expect(trips.reduce((a, t) => a + (t.harshBrakeCount ?? 0), 0)).toBeGreaterThan(0);
    // The Tesla's owner gave no location consent: no coordinates stored, only H3 cells.
    const teslaFixes = await h.ctx.db
      .select()
      .from(telematicsReadings)
      .where(and(eq(telematicsReadings.deviceId, tesla.deviceId), eq(telematicsReadings.kind, 'gps')));
    expect(teslaFixes.length).toBeGreaterThan(0);
    expect(teslaFixes.every((f) => f.lat === null && f.h3Cell !== null)).toBe(true);
    const lavidaFixes = await h.ctx.db
      .select()
      .from(telematicsReadings)
      .where(and(eq(telematicsReadings.deviceId, lavida.deviceId), isNotNull(telematicsReadings.lat)));
    expect(lavidaFixes.length).toBeGreaterThan(0);
  });
});

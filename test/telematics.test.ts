/**
 * Telematics through HTTP and the real ingest pipeline (no broker here; see
 * telematics-broker.test.ts): device registry, binding by serial, consents with history, privacy at
 * ingest, idempotent redelivery, health snapshot + event, trips + event, access rules, rejects in
 * /metrics, and a database outage that back-pressures and recovers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { cellToParent, getResolution, latLngToCell } from 'h3-js';
import { createHarness, type Harness, type Session } from '../src/testing/harness.js';
import { LAVIDA, newOwnerWithVehicle, newReadyStore } from '../src/testing/o2o.js';
import { Ingestor, CONSENT_VERSION } from '../src/modules/telematics/index.js';
import { telematicsHealth, telematicsReadings, telematicsTrips } from '../src/modules/telematics/schema.js';
import { auditLog, events } from '../src/platform/schema.js';

let h: Harness;
let op: Session;
let ingestor: Ingestor;
beforeAll(async () => {
  h = await createHarness();
  op = await h.operator();
  ingestor = new Ingestor(h.ctx);
});
afterAll(async () => {
  await ingestor.stop();
  await h.close();
});

let serialSeq = 0;
async function newDevice(): Promise<{ id: string; serial: string; credential: string }> {
  const serial = `PL-OBD-${String(++serialSeq).padStart(5, '0')}`;
  const r = await h.request<{ id: string; credential: string }>('POST', '/api/v1/telematics/devices', {
    token: op.token,
    body: { serial, model: 'ELM327 v2.1' },
  });
  expect(r.status).toBe(201);
  return { id: r.body.id, serial, credential: r.body.credential };
}

async function boundDevice() {
  const dev = await newDevice();
  const o = await newOwnerWithVehicle(h);
  const b = await h.request('PUT', `/api/v1/me/vehicles/${o.vehicleId}/device`, {
    token: o.owner.token,
    body: { serial: dev.serial.toLowerCase() },
  });
  expect(b.status).toBe(200);
  return { ...dev, ...o };
}

const T0 = Date.parse('2026-06-01T01:00:00Z');
let msgSeq = 0;
const mid = () => `m-${++msgSeq}`;

describe('device registry and binding', () => {
  it('registers a device once, shows the credential once, and lists it with last seen', async () => {
    const dev = await newDevice();
    expect(dev.credential).toMatch(/^dk_/);
    const dup = await h.request('POST', '/api/v1/telematics/devices', {
      token: op.token,
      body: { serial: dev.serial },
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: { code: 'telematics.device_exists' } });
    const list = await h.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      '/api/v1/telematics/devices',
      {
        token: op.token,
      },
    );
    expect(list.status).toBe(200);
    const item = list.body.items.find((d) => d.id === dev.id)!;
    expect(item).toMatchObject({ serial: dev.serial, bound: false, lastSeenAt: null, online: false });
    expect(JSON.stringify(list.body)).not.toContain(dev.credential);
  });

  it('lets only the operator register devices', async () => {
    const store = await newReadyStore(h);
    const r = await h.request('POST', '/api/v1/telematics/devices', {
      token: store.manager.token,
      body: { serial: 'PL-NOPE-1' },
    });
    expect(r.status).toBe(403);
    const owner = await h.owner();
    const r2 = await h.request('POST', '/api/v1/telematics/devices', {
      token: owner.token,
      body: { serial: 'PL-NOPE-2' },
    });
    expect(r2.status).toBe(403);
  });

  it('binds by serial, refuses a second vehicle or a second owner, and unbinds', async () => {
    const dev = await newDevice();
    const a = await newOwnerWithVehicle(h);
    const b = await newOwnerWithVehicle(h);
    const bind = (o: typeof a, serial = dev.serial) =>
      h.request('PUT', `/api/v1/me/vehicles/${o.vehicleId}/device`, {
        token: o.owner.token,
        body: { serial },
      });
    expect((await bind(a)).status).toBe(200);
    expect((await bind(a)).status).toBe(200); // idempotent
    const other = await bind(b);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: { code: 'telematics.device_bound' } });
    expect((await bind(b, 'NO-SUCH-SERIAL')).status).toBe(404);
    // Someone else's vehicle looks missing.
    const foreign = await h.request('PUT', `/api/v1/me/vehicles/${a.vehicleId}/device`, {
      token: b.owner.token,
      body: { serial: dev.serial },
    });
    expect(foreign.status).toBe(404);
    const del = await h.request('DELETE', `/api/v1/me/vehicles/${a.vehicleId}/device`, {
      token: a.owner.token,
    });
    expect(del.status).toBe(204);
    expect((await bind(b)).status).toBe(200);
  });
});

describe('audit of bindings and consents', () => {
  it('writes bind, unbind, grant and revoke to the audit log with actor, vehicle and device', async () => {
    const dev = await newDevice();
    const o = await newOwnerWithVehicle(h);
    const url = `/api/v1/me/vehicles/${o.vehicleId}`;
    const bind = () =>
      h.request('PUT', `${url}/device`, { token: o.owner.token, body: { serial: dev.serial } });
    expect((await bind()).status).toBe(200);
    expect((await bind()).status).toBe(200); // unchanged: not a second row
    const consent = (granted: boolean) =>
      h.request('PUT', `${url}/consents/location`, {
        token: o.owner.token,
        body: { granted, version: CONSENT_VERSION },
      });
    expect((await consent(true)).status).toBe(200);
    expect((await consent(false)).status).toBe(200);
    expect((await h.request('DELETE', `${url}/device`, { token: o.owner.token })).status).toBe(204);
    // Consent with no device bound: audited with a null device.
    expect((await consent(true)).status).toBe(200);
    // A refused decision (stale text) leaves no row.
    const stale = await h.request('PUT', `${url}/consents/driving_behaviour`, {
      token: o.owner.token,
      body: { granted: true, version: '2020-01' },
    });
    expect(stale.status).toBe(422);

    const rows = await h.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.resourceType, 'vehicle'), eq(auditLog.resourceId, o.vehicleId)))
      .orderBy(auditLog.id);
    expect(
      rows.map((r) => [
        r.action,
        r.actorId,
        r.actorRole,
        (r.details as { deviceId: string | null }).deviceId,
        (r.details as { purpose?: string }).purpose ?? null,
      ]),
    ).toEqual([
      ['telematics.device.bind', o.owner.userId, 'owner', dev.id, null],
      ['telematics.consent.grant', o.owner.userId, 'owner', dev.id, 'location'],
      ['telematics.consent.revoke', o.owner.userId, 'owner', dev.id, 'location'],
      ['telematics.device.unbind', o.owner.userId, 'owner', dev.id, null],
      ['telematics.consent.grant', o.owner.userId, 'owner', null, 'location'],
    ]);
    expect(rows.every((r) => r.requestId !== null)).toBe(true);
    expect(rows[0]!.details).toMatchObject({ serial: dev.serial });
    expect(rows[1]!.details).toMatchObject({ version: CONSENT_VERSION });
    // The operator (the device's org) finds the rows about the device in the audit trail
    const trail = await h.request<{ items: Array<{ action: string }> }>(
      'GET',
      `/api/v1/audit?resourceType=vehicle&resourceId=${o.vehicleId}`,
      { token: op.token },
    );
    expect(trail.status).toBe(200);
    // (newest first; the last grant concerns no device, so no org's trail holds it)
    expect(trail.body.items.map((i) => i.action)).toEqual([
      'telematics.device.unbind',
      'telematics.consent.revoke',
      'telematics.consent.grant',
      'telematics.device.bind',
    ]);
  });
});

describe('consents', () => {
  it('keeps every decision with its time and version', async () => {
    const o = await newOwnerWithVehicle(h);
    const url = `/api/v1/me/vehicles/${o.vehicleId}/consents`;
    const stale = await h.request('PUT', `${url}/location`, {
      token: o.owner.token,
      body: { granted: true, version: '2020-01' },
    });
    expect(stale.status).toBe(422);
    expect(stale.body).toMatchObject({ error: { code: 'telematics.consent_version' } });
    const g = await h.request('PUT', `${url}/location`, {
      token: o.owner.token,
      body: { granted: true, version: CONSENT_VERSION },
    });
    expect(g.status).toBe(200);
    h.clock.advance(60_000);
    const r = await h.request<{ items: Array<{ purpose: string; granted: boolean }>; history: unknown[] }>(
      'PUT',
      `${url}/location`,
      { token: o.owner.token, body: { granted: false, version: CONSENT_VERSION } },
    );
    expect(r.status).toBe(200);
    expect(r.body.items.find((i) => i.purpose === 'location')).toMatchObject({ granted: false });
    expect(r.body.items.find((i) => i.purpose === 'insurer_sharing')).toMatchObject({ granted: false });
    expect(r.body.history).toHaveLength(2);
    expect(r.body.history[0]).toMatchObject({
      purpose: 'location',
      granted: false,
      version: CONSENT_VERSION,
    });
    expect(r.body.history[1]).toMatchObject({ purpose: 'location', granted: true });
    const bad = await h.request('PUT', `${url}/selling_data`, {
      token: o.owner.token,
      body: { granted: true, version: CONSENT_VERSION },
    });
    expect(bad.status).toBe(422);
  });
});

describe('ingest', () => {
  it('stores only an H3 res-7 cell without location consent, the fix with it', async () => {
    const d = await boundDevice();
    const fix = { lat: 30.2741, lon: 120.1551, speedKmh: 0 };
    const m1 = mid();
    expect(await ingestor.submit(d.id, 'gps', JSON.stringify({ id: m1, ts: T0, ...fix }))).toEqual({
      status: 'stored',
    });
    const [row] = await h.ctx.db
      .select()
      .from(telematicsReadings)
      .where(eq(telematicsReadings.messageId, m1));
    expect(row!.lat).toBeNull();
    expect(row!.lon).toBeNull();
    expect(JSON.stringify(row!.data)).not.toContain('30.2741');
    expect(getResolution(row!.h3Cell!)).toBe(7);
    expect(row!.h3Cell).toBe(cellToParent(latLngToCell(fix.lat, fix.lon, 10), 7));

    await h.request('PUT', `/api/v1/me/vehicles/${d.vehicleId}/consents/location`, {
      token: d.owner.token,
      body: { granted: true, version: CONSENT_VERSION },
    });
    const m2 = mid();
    await ingestor.submit(d.id, 'gps', JSON.stringify({ id: m2, ts: T0 + 1000, ...fix }));
    const [row2] = await h.ctx.db
      .select()
      .from(telematicsReadings)
      .where(eq(telematicsReadings.messageId, m2));
    expect(row2!.lat).toBeCloseTo(fix.lat, 6);
    expect(row2!.lon).toBeCloseTo(fix.lon, 6);
  });

  it('makes redelivery idempotent, within a batch and across batches', async () => {
    const d = await boundDevice();
    const msg = JSON.stringify({ id: 'dup-1', ts: new Date(T0).toISOString(), battery12vV: 12.6 });
    const results = await Promise.all([
      ingestor.submit(d.id, 'status', msg),
      ingestor.submit(d.id, 'status', msg),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'stored']);
    expect(await ingestor.submit(d.id, 'status', msg)).toEqual({ status: 'duplicate' });
    const rows = await h.ctx.db
      .select()
      .from(telematicsReadings)
      .where(and(eq(telematicsReadings.deviceId, d.id), eq(telematicsReadings.messageId, 'dup-1')));
    expect(rows).toHaveLength(1);
  });

  it('keeps a health snapshot from OBD, status, EV and TPMS and publishes vehicle.health.changed', async () => {
    const d = await boundDevice();
    const before = (await h.ctx.db.select().from(events).where(eq(events.type, 'vehicle.health.changed')))
      .length;
    await ingestor.submit(
      d.id,
      'obd',
      JSON.stringify({
        id: mid(),
        ts: T0,
        // MIL on with 2 codes; 12.4 V module voltage (0x3070 = 12400 mV); mode 03 P0301 + P0420
        responses: ['41 01 82 07 65 00', '41 42 30 70', '43 03 01 04 20 00 00', '41 0D 32'],
      }),
    );
    await ingestor.submit(
      d.id,
      'tpms',
      JSON.stringify({ id: mid(), ts: T0 + 1, tyresKpa: { fl: 230, fr: 231, rl: 180, rr: 229 } }),
    );
    await ingestor.submit(d.id, 'status', JSON.stringify({ id: mid(), ts: T0 + 2, odometerKm: 42_123.4 }));
    // A late reading is stored but does not roll the snapshot back.
    await ingestor.submit(
      d.id,
      'status',
      JSON.stringify({ id: mid(), ts: T0 - 3600_000, odometerKm: 40_000 }),
    );
    const r = await h.request<Record<string, unknown>>('GET', `/api/v1/vehicles/${d.vehicleId}/health`, {
      token: d.owner.token,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      odometerKm: 42_123.4,
      battery12vV: 12.4,
      mil: true,
      tyresKpa: { fl: 230, fr: 231, rl: 180, rr: 229 },
    });
    const dtcs = r.body.activeDtcs as Array<{
      code: string;
      severity: string | null;
      description: string | null;
    }>;
    expect(dtcs.map((x) => x.code)).toEqual(['P0301', 'P0420']);
    expect(dtcs[0]).toMatchObject({ severity: 'critical' });
    expect(dtcs[0]!.description).toMatch(/misfire/i);
    expect(String(r.body.dtcAttribution)).toMatch(/MIT/);
    expect((r.body.latest as Record<string, { value: number }>)['0D']).toMatchObject({ value: 50 });
    const after = await h.ctx.db.select().from(events).where(eq(events.type, 'vehicle.health.changed'));
    const mine = after.filter((e) => (e.payload as { vehicleId: string }).vehicleId === d.vehicleId);
    expect(after.length - before).toBe(mine.length);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine[0]!.payload).toMatchObject({ activeDtcs: ['P0301', 'P0420'] });
    // Nothing significant changes → no new event.
    await ingestor.submit(d.id, 'status', JSON.stringify({ id: mid(), ts: T0 + 5, odometerKm: 42_124 }));
    const again = await h.ctx.db.select().from(events).where(eq(events.type, 'vehicle.health.changed'));
    expect(again.length).toBe(after.length);
  });

  it('reports a slow drift once it adds up to a significant change', async () => {
    const d = await boundDevice();
    const mine = async () =>
      (await h.ctx.db.select().from(events).where(eq(events.type, 'vehicle.health.changed'))).filter(
        (e) => (e.payload as { vehicleId: string }).vehicleId === d.vehicleId,
      );
    const volts = [12.6, 12.5, 12.4, 12.3, 12.2];
    const counts: number[] = [];
    for (const [i, v] of volts.entries()) {
      await ingestor.submit(
        d.id,
        'status',
        JSON.stringify({ id: mid(), ts: T0 - (4 - i) * 86_400_000, battery12vV: v }),
      );
      counts.push((await mine()).length);
    }
    // 12.6 is the first report; 12.3 is 0.3 V below it; 12.2 only 0.1 V below 12.3.
    expect(counts).toEqual([1, 1, 1, 2, 2]);
    expect((await mine())[1]!.payload).toMatchObject({ battery12vV: 12.3, changes: ['battery12vV'] });
  });

  it('segments a trip with distance, harsh braking and speeding, and publishes vehicle.trip.completed', async () => {
    const d = await boundDevice();
    await h.request('PUT', `/api/v1/me/vehicles/${d.vehicleId}/consents/driving_behaviour`, {
      token: d.owner.token,
      body: { granted: true, version: CONSENT_VERSION },
    });
    const start = Date.parse('2026-06-01T15:00:00Z'); // 23:00 in Shanghai: night
    const send = (dt: number, body: Record<string, unknown>, kind: 'status' | 'gps' = 'status') =>
      ingestor.submit(d.id, kind, JSON.stringify({ id: mid(), ts: start + dt * 1000, ...body }));
    await send(0, { ignition: true, speedKmh: 0 });
    // Accelerate to 126 km/h over 60 s in 1-s steps (2.1 km/h per s: 0.58 m/s², not harsh).
    for (let s = 1; s <= 60; s++) await send(s, { speedKmh: s * 2.1 });
    // Cruise at 126 km/h for 60 s (speeding).
    for (let s = 61; s <= 120; s++)
      await send(s, { speedKmh: 126, lat: 30.27, lon: 120.15 + s * 0.0004 }, 'gps');
    // Brake hard: 126 → 72 km/h in 3 s (5 m/s²), then gently to 0.
    for (let s = 121; s <= 123; s++) await send(s, { speedKmh: 126 - (s - 120) * 18 });
    for (let s = 124; s <= 147; s++) await send(s, { speedKmh: Math.max(0, 72 - (s - 123) * 3) });
    await send(150, { ignition: false, speedKmh: 0 });
    const trips = await h.ctx.db
      .select()
      .from(telematicsTrips)
      .where(eq(telematicsTrips.vehicleId, d.vehicleId));
    expect(trips).toHaveLength(1);
    const t = trips[0]!;
    expect(t.status).toBe('completed');
    expect(t.durationS).toBe(150);
    // 0→126 km/h over 60 s: 1050 m; 60 s at 126: 2100 m; braking 126→72 in 3 s: 82.5 m; 72→0 in 24 s: 240 m
    expect(t.distanceM).toBeGreaterThan(3400);
    expect(t.distanceM).toBeLessThan(3560);
    expect(t.harshBrakeCount).toBe(3);
    expect(t.harshAccelCount).toBe(0);
    expect(t.speedingS).toBeGreaterThanOrEqual(60);
    expect(t.nightS).toBe(150);
    const ev = await h.ctx.db.select().from(events).where(eq(events.type, 'vehicle.trip.completed'));
    expect(ev.some((e) => (e.payload as { tripId: string }).tripId === t.id)).toBe(true);
    const r = await h.request<{ items: Array<Record<string, unknown>> }>(
      'GET',
      `/api/v1/vehicles/${d.vehicleId}/trips`,
      {
        token: d.owner.token,
      },
    );
    expect(r.status).toBe(200);
    expect(r.body.items[0]).toMatchObject({ id: t.id, nightShare: 1, harshBrakeCount: 3 });
  });

  it('leaves driving-behaviour figures empty without that consent', async () => {
    const d = await boundDevice();
    const start = T0 + 10 * 3600_000;
    for (let s = 0; s <= 100; s++)
      await ingestor.submit(
        d.id,
        'status',
        JSON.stringify({
          id: mid(),
          ts: start + s * 1000,
          speedKmh: s === 100 ? 0 : 60,
          ...(s === 100 ? { ignition: false } : {}),
        }),
      );
    const [t] = await h.ctx.db
      .select()
      .from(telematicsTrips)
      .where(eq(telematicsTrips.vehicleId, d.vehicleId));
    expect(t).toMatchObject({
      status: 'completed',
      harshAccelCount: null,
      harshBrakeCount: null,
      nightS: null,
      speedingS: null,
    });
    expect(t!.distanceM).toBeGreaterThan(1600);
  });

  it('rejects malformed, oversized and unknown-device messages, counts them, and keeps going', async () => {
    const d = await boundDevice();
    const bad = await ingestor.submit(d.id, 'gps', '{"id":"x","ts":1,"lat":"north"');
    expect(bad).toMatchObject({ status: 'rejected', reason: 'malformed' });
    const invalid = await ingestor.submit(d.id, 'gps', JSON.stringify({ id: 'x', ts: T0, lat: 95, lon: 0 }));
    expect(invalid).toMatchObject({ status: 'rejected', reason: 'malformed' });
    const big = await ingestor.submit(
      d.id,
      'status',
      JSON.stringify({ id: 'x', ts: T0, firmware: 'x'.repeat(20_000) }),
    );
    expect(big).toMatchObject({ status: 'rejected', reason: 'oversized' });
    const ghost = await ingestor.submit(
      'dev_01j9z3k8q4m2x7v5r0t6n8w1yc',
      'status',
      JSON.stringify({ id: 'g', ts: T0 }),
    );
    expect(ghost).toMatchObject({ status: 'rejected', reason: 'unknown_device' });
    expect(
      await ingestor.submit(d.id, 'status', JSON.stringify({ id: mid(), ts: T0, battery12vV: 12 })),
    ).toEqual({
      status: 'stored',
    });
    const m = await h.request('GET', '/metrics');
    const text = String(m.body);
    expect(text).toMatch(/pitlane_telemetry_rejected_total\{reason="malformed"\} [2-9]/);
    expect(text).toMatch(/pitlane_telemetry_rejected_total\{reason="oversized"\} [1-9]/);
    expect(text).toMatch(/pitlane_telemetry_rejected_total\{reason="unknown_device"\} [1-9]/);
  });

  it('counts committed messages by kind and result, one batch at a time', async () => {
    const d = await boundDevice();
    const count = async (kind: string, result: string) =>
      (await h.ctx.metrics.registry.getSingleMetric('pitlane_telemetry_messages_total')?.get())?.values.find(
        (v) => v.labels.kind === kind && v.labels.result === result,
      )?.value ?? 0;
    const before = [
      await count('status', 'stored'),
      await count('status', 'duplicate'),
      await count('gps', 'stored'),
    ];
    const again = mid();
    const out = await Promise.all([
      ingestor.submit(d.id, 'status', JSON.stringify({ id: again, ts: T0, battery12vV: 12.4 })),
      ingestor.submit(d.id, 'status', JSON.stringify({ id: mid(), ts: T0 + 1, battery12vV: 12.4 })),
      ingestor.submit(d.id, 'gps', JSON.stringify({ id: mid(), ts: T0 + 2, lat: 31.2, lon: 121.4 })),
      ingestor.submit(d.id, 'status', JSON.stringify({ id: again, ts: T0, battery12vV: 12.4 })),
      ingestor.submit(d.id, 'gps', JSON.stringify({ id: mid(), ts: T0 + 3, lat: 31.2, lon: 121.4 })),
    ]);
    expect(out.map((o) => o.status)).toEqual(['stored', 'stored', 'stored', 'duplicate', 'stored']);
    expect([
      await count('status', 'stored'),
      await count('status', 'duplicate'),
      await count('gps', 'stored'),
    ]).toEqual([before[0]! + 2, before[1]! + 1, before[2]! + 2]);
  });

  it('drops (resolves, so the broker acknowledges) messages of a disabled device, and refuses to bind it', async () => {
    const d = await boundDevice();
    const stored = await ingestor.submit(
      d.id,
      'status',
      JSON.stringify({ id: mid(), ts: T0, battery12vV: 12 }),
    );
    expect(stored).toEqual({ status: 'stored' });
    const off = await h.request('POST', `/api/v1/telematics/devices/${d.id}/disable`, {
      token: op.token,
      body: { reason: 'tampering suspected' },
    });
    expect(off.status).toBe(200);
    const dropped = await ingestor.submit(d.id, 'status', JSON.stringify({ id: mid(), ts: T0 + 1 }));
    expect(dropped).toMatchObject({ status: 'rejected', reason: 'device_disabled' });
    const rows = await h.ctx.db
      .select()
      .from(telematicsReadings)
      .where(eq(telematicsReadings.deviceId, d.id));
    expect(rows).toHaveLength(1);
    expect(String((await h.request('GET', '/metrics')).body)).toMatch(
      /pitlane_telemetry_rejected_total\{reason="device_disabled"\} [1-9]/,
    );
    // Unbound, it cannot be bound again while disabled.
    expect(
      (await h.request('DELETE', `/api/v1/me/vehicles/${d.vehicleId}/device`, { token: d.owner.token }))
        .status,
    ).toBe(204);
    const rebind = await h.request('PUT', `/api/v1/me/vehicles/${d.vehicleId}/device`, {
      token: d.owner.token,
      body: { serial: d.serial },
    });
    expect(rebind.status).toBe(409);
    expect(rebind.body).toMatchObject({ error: { code: 'telematics.device_disabled' } });
  });

  it('rejects a message the database refuses without stalling the others in its batch', async () => {
    const d = await boundDevice();
    // jsonb refuses \u0000: the one message is rejected, its batch-mates are stored.
    const msgs = Array.from({ length: 9 }, (_, i) =>
      JSON.stringify({ id: `nul-${i}`, ts: T0 + i, firmware: i === 4 ? 'v1\u0000x' : 'v1' }),
    );
    const results = await Promise.all(msgs.map((m) => ingestor.submit(d.id, 'status', m)));
    expect(results[4]).toMatchObject({ status: 'rejected', reason: 'malformed' });
    expect(results.filter((r) => r.status === 'stored')).toHaveLength(8);
  });

  it('holds messages through a database outage and stores each exactly once after it', async () => {
    const d = await boundDevice();
    let failures = 3;
    const flaky = new Ingestor(h.ctx, {
      beforeWrite: () => {
        if (failures > 0) {
          failures--;
          throw new Error('connection terminated (injected)');
        }
      },
    });
    let settled = 0;
    const pending = Array.from({ length: 20 }, (_, i) =>
      flaky
        .submit(d.id, 'status', JSON.stringify({ id: `outage-${i}`, ts: T0 + i, battery12vV: 12.5 }))
        .then((r) => {
          settled++;
          return r;
        }),
    );
    const results = await Promise.all(pending);
    expect(settled).toBe(20);
    expect(failures).toBe(0);
    expect(results.every((r) => r.status === 'stored')).toBe(true);
    const rows = await h.ctx.db
      .select()
      .from(telematicsReadings)
      .where(eq(telematicsReadings.deviceId, d.id));
    expect(rows.filter((r) => r.messageId.startsWith('outage-'))).toHaveLength(20);
    await flaky.stop();
  });
});

describe('who may read a vehicle’s telemetry', () => {
  it('owner and operator yes; another owner and an unrelated store no (404)', async () => {
    const d = await boundDevice();
    await ingestor.submit(d.id, 'status', JSON.stringify({ id: mid(), ts: T0, battery12vV: 12.1 }));
    const url = `/api/v1/vehicles/${d.vehicleId}/health`;
    expect((await h.request('GET', url, { token: d.owner.token })).status).toBe(200);
    expect((await h.request('GET', url, { token: op.token })).status).toBe(200);
    const stranger = await h.owner();
    expect((await h.request('GET', url, { token: stranger.token })).status).toBe(404);
    const store = await newReadyStore(h);
    expect((await h.request('GET', url, { token: store.manager.token })).status).toBe(404);
    expect(
      (await h.request('GET', `/api/v1/vehicles/${d.vehicleId}/trips`, { token: store.desk.token })).status,
    ).toBe(404);
    const [row] = await h.ctx.db
      .select()
      .from(telematicsHealth)
      .where(eq(telematicsHealth.vehicleId, d.vehicleId));
    expect(row!.battery12vV).toBe(12.1);
  });

  it('lets staff of a store where the owner came in read it, and not staff of another store', async () => {
    const dev = await newDevice();
    const phone = '13722220001';
    const owner = await h.owner(phone);
    const plate = '浙A7T001';
    const v = await h.request<{ id: string }>('POST', '/api/v1/me/vehicles', {
      token: owner.token,
      body: { plate, vehicleModelId: LAVIDA, year: 2021 },
    });
    expect(v.status).toBe(201);
    await h.request('PUT', `/api/v1/me/vehicles/${v.body.id}/device`, {
      token: owner.token,
      body: { serial: dev.serial },
    });
    await ingestor.submit(dev.id, 'status', JSON.stringify({ id: mid(), ts: T0, battery12vV: 11.9 }));
    const store = await newReadyStore(h);
    const other = await newReadyStore(h);
    const url = `/api/v1/vehicles/${v.body.id}/health`;
    expect((await h.request('GET', url, { token: store.desk.token })).status).toBe(404);
    const wo = await h.request('POST', '/api/v1/work-orders/walk-in', {
      token: store.desk.token,
      body: {
        storeId: store.storeId,
        plate,
        phone,
        items: ['brake_pads_front'],
        odometerKm: 50_000,
        fuelLevelPct: 40,
      },
    });
    expect(wo.status).toBe(201);
    const seen = await h.request<{ battery12vV: number }>('GET', url, { token: store.desk.token });
    expect(seen.status).toBe(200);
    expect(seen.body.battery12vV).toBe(11.9);
    expect((await h.request('GET', url, { token: other.manager.token })).status).toBe(404);
    // A store reading a customer's telemetry is on the record; the owner reading their own is not.
    await h.request('GET', url, { token: owner.token });
    const logged = await h.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'telematics.health.read'), eq(auditLog.resourceId, v.body.id)));
    expect(logged.map((l) => l.actorId)).toEqual([store.desk.userId]);
  });

  it('looks up a trouble code with its severity and attribution', async () => {
    const r = await h.request('GET', '/api/v1/telematics/dtcs/p0301', { token: op.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 'P0301', system: 'powertrain', severity: 'critical' });
    expect((await h.request('GET', '/api/v1/telematics/dtcs/P3FFF', { token: op.token })).status).toBe(404);
    expect((await h.request('GET', '/api/v1/telematics/dtcs/XYZ', { token: op.token })).status).toBe(422);
  });
});

/**
 * Readings on PostgreSQL travel by COPY (CSV) into a per-connection temporary staging table, then
 * `INSERT … SELECT … ON CONFLICT DO NOTHING` into the partitioned readings table: message-id
 * idempotency must hold within a batch and across batches, awkward text must survive COPY, and a
 * row the database refuses must be isolated as on PGlite. Two batches written at once (the default on
 * PostgreSQL) must still resolve messages in order and build one vehicle's snapshot on each other.
 * Runs on a database of its own on the
 * PostgreSQL at DATABASE_URL (or postgres://postgres@127.0.0.1:5432/test); skipped when none answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { testConfig } from '../src/config.js';
import { createContext, type AppContext } from '../src/platform/context.js';
import { openPostgres, queryRows, type Database } from '../src/platform/db/connect.js';
import { runMigrations } from '../src/platform/db/migrate.js';
import { FixedClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/log.js';
import { InMemoryBlobStore } from '../src/platform/blobs/index.js';
import type { StaffPrincipal } from '../src/platform/auth/principal.js';
import { Ingestor, type Outcome } from '../src/modules/telematics/index.js';
import { COPY_MIN_ROWS } from '../src/modules/telematics/ingest.js';
import { bindDevice, createDevice, setDeviceDisabled } from '../src/modules/telematics/devices.js';
import { vehicles } from '../src/modules/customers/schema.js';
import { telematicsHealth, telematicsReadings } from '../src/modules/telematics/schema.js';
import { AWKWARD_TEXT } from '../src/testing/awkward-text.js';

const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}
const havePg = await postgresAnswers();
if (!havePg) console.warn(`SKIP COPY-on-PostgreSQL suite: no PostgreSQL at ${PG_URL}`);

const operator: StaffPrincipal = {
  kind: 'staff',
  userId: 'usr_copytest',
  sessionId: 'ses_copytest',
  role: 'platform_operator',
  orgId: 'org_copytest',
  orgPath: '/org_copytest/',
};
const T0 = Date.parse('2026-06-01T01:00:00Z');
const dbName = `pitlane_copy_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

let database: Database | undefined;
let ctx: AppContext;
let ingestor: Ingestor;

async function admin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

describe.skipIf(!havePg)('readings by COPY on PostgreSQL', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await admin((c) => c.query(`create database "${dbName}"`));
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    database = await openPostgres(u.toString(), 4);
    await runMigrations(database);
    const clock = new FixedClock();
    ctx = await createContext(testConfig(), database, {
      clock,
      log: createLogger(process.env.PITLANE_TEST_LOG ?? 'silent'),
      blobs: new InMemoryBlobStore(),
    });
    // Every batch by COPY here (by default only batches of COPY_MIN_ROWS or more are).
    ingestor = new Ingestor(ctx, { copyMinRows: 1 });
  });
  afterAll(async () => {
    await ingestor?.stop();
    await database?.close();
    await admin((c) => c.query(`drop database if exists "${dbName}" with (force)`)).catch(() => undefined);
  });

  let serial = 0;
  const newDevice = async () =>
    (await createDevice(ctx.db, operator, { serial: `COPY-${++serial}` }, ctx.clock.now())).device.id;
  const rowsOf = (deviceId: string) =>
    ctx.db.select().from(telematicsReadings).where(eq(telematicsReadings.deviceId, deviceId));
  const batches = async () =>
    (await ctx.metrics.registry.getSingleMetric('pitlane_telemetry_batches_total')?.get())?.values[0]
      ?.value ?? 0;

  const copies = async (path: 'direct' | 'staged') =>
    (await ctx.metrics.registry.getSingleMetric('pitlane_telemetry_copy_batches_total')?.get())?.values.find(
      (v) => v.labels.path === path,
    )?.value ?? 0;

  it('sends a full batch by COPY straight into the table, and a batch with a stored message staged', async () => {
    const dev = await newDevice();
    const big = new Ingestor(ctx);
    try {
      const ids = Array.from({ length: COPY_MIN_ROWS + 50 }, (_, i) => i);
      ids.splice(10, 0, 7); // message 7 twice in the same batch
      const before = {
        batches: await batches(),
        direct: await copies('direct'),
        staged: await copies('staged'),
      };
      const out = await Promise.all(
        ids.map((i) => big.submit(dev, 'status', JSON.stringify({ id: `b-${i}`, ts: T0 + i, rssi: -60 }))),
      );
      expect(await batches()).toBe(before.batches + 1);
      expect(out.filter((o) => o.status === 'duplicate')).toHaveLength(1);
      expect(out[10]).toEqual({ status: 'duplicate' });
      expect(await rowsOf(dev)).toHaveLength(COPY_MIN_ROWS + 50);
      // Nothing in it was stored before: straight into the readings table.
      expect(await copies('direct')).toBe(before.direct + 1);
      expect(await copies('staged')).toBe(before.staged);

      // The next batch repeats ten stored messages (a broker redelivering): the straight COPY fails
      // on the key, and the batch goes the staged way, which skips exactly those ten.
      const again = Array.from({ length: COPY_MIN_ROWS + 10 }, (_, i) => COPY_MIN_ROWS + 40 + i);
      const out2 = await Promise.all(
        again.map((i) => big.submit(dev, 'status', JSON.stringify({ id: `b-${i}`, ts: T0 + i, rssi: -60 }))),
      );
      expect(out2.filter((o) => o.status === 'duplicate')).toHaveLength(10);
      expect(out2.slice(0, 10).every((o) => o.status === 'duplicate')).toBe(true);
      expect(await rowsOf(dev)).toHaveLength(2 * COPY_MIN_ROWS + 50);
      expect(await copies('staged')).toBe(before.staged + 1);
      // The staged path made the connection's staging table (temp tables of every session are
      // listed in pg_class).
      const stage = await queryRows<{ n: number }>(
        ctx.db,
        sql`select count(*)::int as n from pg_class
            where relname = 'telematics_readings_stage' and relpersistence = 't'`,
      );
      expect(stage[0]!.n).toBeGreaterThan(0);
    } finally {
      await big.stop();
    }
  });

  it('stores a message once when its id comes twice in one batch, and again in a later batch', async () => {
    const dev = await newDevice();
    const body = (i: number) => JSON.stringify({ id: `c-${i}`, ts: T0 + i, battery12vV: 12.4 });
    const before = await batches();
    // Submitted in the same tick: one batch, with c-3 in it twice.
    const out: Outcome[] = await Promise.all(
      [0, 1, 2, 3, 3, 4].map((i) => ingestor.submit(dev, 'status', body(i))),
    );
    expect(await batches()).toBe(before + 1);
    expect(out.map((o) => o.status)).toEqual(['stored', 'stored', 'stored', 'stored', 'duplicate', 'stored']);
    expect((await rowsOf(dev)).map((r) => r.messageId).sort()).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4']);

    // Redelivered later (a broker resending after a lost PUBACK), mixed with a new one.
    const again = await Promise.all([3, 5, 0].map((i) => ingestor.submit(dev, 'status', body(i))));
    expect(again.map((o) => o.status)).toEqual(['duplicate', 'stored', 'duplicate']);
    expect(await rowsOf(dev)).toHaveLength(6);
  });

  it('keeps text with quotes, commas, backslashes, line breaks and non-ASCII intact through COPY', async () => {
    const dev = await newDevice();
    const firmware = AWKWARD_TEXT;
    const out = await Promise.all(
      firmware.map((f, i) =>
        ingestor.submit(dev, 'status', JSON.stringify({ id: `t-${i}`, ts: T0 + i, firmware: f })),
      ),
    );
    expect(out.every((o) => o.status === 'stored')).toBe(true);
    const rows = await rowsOf(dev);
    const byId = new Map(rows.map((r) => [r.messageId, (r.data as { firmware: string }).firmware]));
    expect(firmware.map((_, i) => byId.get(`t-${i}`))).toEqual(firmware);
    expect(rows.every((r) => r.lat === null && r.vehicleId === null && r.h3Cell === null)).toBe(true);
  });

  it('rejects only the row the database refuses, and the connection pool keeps working', async () => {
    const dev = await newDevice();
    const msgs = Array.from({ length: 9 }, (_, i) =>
      JSON.stringify({ id: `nul-${i}`, ts: T0 + i, firmware: i === 4 ? 'v1\u0000x' : 'v1' }),
    );
    const out = await Promise.all(msgs.map((m) => ingestor.submit(dev, 'status', m)));
    expect(out[4]).toMatchObject({ status: 'rejected', reason: 'malformed' });
    expect(out.filter((o) => o.status === 'stored')).toHaveLength(8);
    const after = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ingestor.submit(
          dev,
          'gps',
          JSON.stringify({ id: `g-${i}`, ts: T0 + 100 + i, lat: 30.27, lon: 120.15 }),
        ),
      ),
    );
    expect(after.every((o) => o.status === 'stored')).toBe(true);
    expect(await rowsOf(dev)).toHaveLength(28);
  });

  /** A new device bound to a new vehicle of a new owner (rows made directly; no store needed). */
  const newBoundDevice = async (tag: string) => {
    const dev = await newDevice();
    const vehicleId = `veh_${tag}${process.pid}`;
    const ownerId = `usr_${tag}${process.pid}`;
    await ctx.db
      .insert(vehicles)
      .values({ id: vehicleId, ownerId, plate: '浙A12345', plateKind: 'blue', vehicleModelId: 'vm_test' });
    await bindDevice(ctx.db, ownerId, { serial: `COPY-${serial}`, vehicleId }, ctx.clock.now());
    return { dev, vehicleId };
  };

  /** An ingestor writing two batches at once, whose first write transaction is slower than the rest. */
  const twoWriters = (firstMs: number, restMs: number) => {
    let writing = 0;
    let started = 0;
    const trace = { most: 0 };
    const ing = new Ingestor(ctx, {
      maxBatch: 40,
      parallel: 2,
      beforeWrite: async () => {
        trace.most = Math.max(trace.most, ++writing);
        await new Promise((r) => setTimeout(r, started++ === 0 ? firstMs : restMs));
        writing--;
      },
    });
    return { ing, trace };
  };

  it('writes two batches at once, yet resolves (acknowledges) messages in the order they came', async () => {
    const dev = await newDevice();
    // The first batch commits last: its messages must still be resolved first (MQTT-4.6.0-2).
    const { ing, trace } = twoWriters(80, 0);
    try {
      const order: number[] = [];
      const n = 200;
      const out = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          ing.submit(dev, 'status', JSON.stringify({ id: `o-${i}`, ts: T0 + i, rssi: -70 })).then((o) => {
            order.push(i);
            return o;
          }),
        ),
      );
      expect(out.every((o) => o.status === 'stored')).toBe(true);
      expect(trace.most).toBe(2);
      expect(order).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(await rowsOf(dev)).toHaveLength(n);
    } finally {
      await ing.stop();
    }
  });

  it('lets two batches at once build on each other for one vehicle (one health snapshot)', async () => {
    // A vehicle never seen before: both writers would otherwise start from no health row, and the
    // one committing last would drop what the other applied.
    const { dev, vehicleId } = await newBoundDevice('par');
    const { ing, trace } = twoWriters(20, 20);
    try {
      // One timestamp for all, so that either batch may apply after the other; the 12 V reading is
      // only in the first batch (40 messages), the odometer only in the second.
      const n = 120;
      const out = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          ing.submit(
            dev,
            'status',
            JSON.stringify({
              id: `p-${i}`,
              ts: T0,
              ...(i < 40 ? { battery12vV: 12.6 } : i < 80 ? { odometerKm: 20_500 } : {}),
            }),
          ),
        ),
      );
      expect(out.every((o) => o.status === 'stored')).toBe(true);
      expect(trace.most).toBe(2);
      expect(await rowsOf(dev)).toHaveLength(n);
      const health = await ctx.db
        .select()
        .from(telematicsHealth)
        .where(eq(telematicsHealth.vehicleId, vehicleId));
      expect(health.map((h) => [h.battery12vV, h.odometerKm])).toEqual([[12.6, 20_500]]);
    } finally {
      await ing.stop();
    }
  });

  it('serializes one vehicle across ingestors too (other Pitlane processes on the $share group)', async () => {
    const { dev, vehicleId } = await newBoundDevice('two');
    const slow = { parallel: 1, beforeWrite: () => new Promise<void>((r) => setTimeout(r, 20)) };
    const [a, b] = [new Ingestor(ctx, slow), new Ingestor(ctx, slow)];
    try {
      // One timestamp, so either may apply after the other: 12 V via one, the odometer via the other.
      const send = (ing: Ingestor, from: number, extra: object) =>
        Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            ing.submit(dev, 'status', JSON.stringify({ id: `x-${from + i}`, ts: T0, ...extra })),
          ),
        );
      const out = await Promise.all([send(a, 0, { battery12vV: 12.7 }), send(b, 40, { odometerKm: 30_100 })]);
      expect(out.flat().every((o) => o.status === 'stored')).toBe(true);
      const health = await ctx.db
        .select()
        .from(telematicsHealth)
        .where(eq(telematicsHealth.vehicleId, vehicleId));
      expect(health.map((h) => [h.battery12vV, h.odometerKm])).toEqual([[12.7, 30_100]]);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('stores nothing from a batch that met a disable in flight: the disable waits, or the batch sees it', async () => {
    const dev = await newDevice();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let disabling!: () => void;
    const disabled = new Promise<void>((r) => (disabling = r));
    // The disable's transaction stays open until the gate opens.
    const disable = ctx.db.transaction(async (tx) => {
      await setDeviceDisabled(tx, operator, dev, { disabled: true, reason: 'stolen' }, ctx.clock.now());
      disabling();
      await gate;
    });
    await disabled;
    let settled = false;
    const pending = ingestor
      .submit(dev, 'status', JSON.stringify({ id: 'fence-1', ts: T0, rssi: -50 }))
      .finally(() => (settled = true));
    // The batch waits on the fence instead of reading the device as it was before the disable.
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    release();
    await disable;
    expect(await pending).toMatchObject({ status: 'rejected', reason: 'device_disabled' });
    expect(await rowsOf(dev)).toHaveLength(0);
  });
});

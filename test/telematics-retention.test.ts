/**
 * Telematics housekeeping on the real database: daily partitions of the readings table, retention
 * per data class, and closing trips of devices that went silent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { newOwnerWithVehicle } from '../src/testing/o2o.js';
import { queryRows } from '../src/platform/db/connect.js';
import {
  applyRetention,
  closeStaleTrips,
  ensurePartitions,
  Ingestor,
  tripSettings,
} from '../src/modules/telematics/index.js';
import { telematicsReadings, telematicsTrips } from '../src/modules/telematics/schema.js';
import { events } from '../src/platform/schema.js';

let h: Harness;
let ingestor: Ingestor;
beforeAll(async () => {
  h = await createHarness();
  ingestor = new Ingestor(h.ctx);
});
afterAll(async () => {
  await ingestor.stop();
  await h.close();
});

const DAY = 86_400_000;

async function device() {
  const op = await h.operator();
  const d = await h.request<{ id: string }>('POST', '/api/v1/telematics/devices', {
    token: op.token,
    body: { serial: `RET-${Math.random().toString(36).slice(2, 10)}` },
  });
  const o = await newOwnerWithVehicle(h);
  const serial = (
    await h.request<{ items: Array<{ id: string; serial: string }> }>(
      'GET',
      '/api/v1/telematics/devices?limit=200',
      {
        token: op.token,
      },
    )
  ).body.items.find((x) => x.id === d.body.id)!.serial;
  await h.request('PUT', `/api/v1/me/vehicles/${o.vehicleId}/device`, {
    token: o.owner.token,
    body: { serial },
  });
  return { id: d.body.id, vehicleId: o.vehicleId };
}

const partitions = () =>
  queryRows<{ name: string }>(
    h.ctx.db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent where p.relname = 'telematics_readings' order by 1`,
  );

describe('telematics housekeeping', () => {
  it('creates day partitions ahead, routes rows into them, and keeps late rows in the default one', async () => {
    await ensurePartitions(h.ctx);
    await ensurePartitions(h.ctx); // idempotent
    const names = (await partitions()).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'telematics_readings_default',
        'telematics_readings_p20260601',
        'telematics_readings_p20260602',
        'telematics_readings_p20260603',
      ]),
    );
    const d = await device();
    const now = h.clock.now().getTime();
    await ingestor.submit(d.id, 'status', JSON.stringify({ id: 'today', ts: now - 1000, battery12vV: 12 }));
    await ingestor.submit(d.id, 'status', JSON.stringify({ id: 'old', ts: now - 30 * DAY, battery12vV: 12 }));
    const today = await queryRows<{ n: number }>(
      h.ctx.db,
      sql`select count(*)::int as n from telematics_readings_p20260601`,
    );
    const dflt = await queryRows<{ n: number }>(
      h.ctx.db,
      sql`select count(*)::int as n from telematics_readings_default where message_id = 'old'`,
    );
    expect(today[0]!.n).toBeGreaterThanOrEqual(1);
    expect(dflt[0]!.n).toBe(1);
  });

  it('deletes GPS after its retention, other readings after theirs, and drops whole old partitions', async () => {
    const d = await device();
    const now = h.clock.now().getTime();
    const send = (id: string, kind: 'gps' | 'status', ageDays: number) =>
      ingestor.submit(
        d.id,
        kind,
        JSON.stringify(
          kind === 'gps'
            ? { id, ts: now - ageDays * DAY, lat: 30.27, lon: 120.15 }
            : { id, ts: now - ageDays * DAY, battery12vV: 12.4 },
        ),
      );
    await send('gps-new', 'gps', 10);
    await send('gps-old', 'gps', 100);
    await send('raw-mid', 'status', 100);
    await send('raw-old', 'status', 500);
    // Move the clock 420 days on: the 2026-06-01 partition is past the 400-day retention.
    h.clock.advance(420 * DAY);
    const r = await applyRetention(h.ctx);
    h.clock.advance(-420 * DAY);
    expect(r.partitionsDropped).toContain('telematics_readings_p20260601');
    const left = (
      await h.ctx.db.select().from(telematicsReadings).where(eq(telematicsReadings.deviceId, d.id))
    ).map((x) => x.messageId);
    expect(left).toEqual([]);
    await ensurePartitions(h.ctx);
    // And at today's clock: only the 90-day GPS rule applies.
    await send('gps-new2', 'gps', 10);
    await send('gps-old2', 'gps', 100);
    await send('raw-mid2', 'status', 100);
    await applyRetention(h.ctx);
    const kept = (
      await h.ctx.db.select().from(telematicsReadings).where(eq(telematicsReadings.deviceId, d.id))
    )
      .map((x) => x.messageId)
      .sort();
    expect(kept).toEqual(['gps-new2', 'raw-mid2']);
  });

  it('closes the open trip of a device that went silent and publishes it', async () => {
    const d = await device();
    const t0 = h.clock.now().getTime() - 3600_000;
    for (let s = 0; s <= 300; s += 5)
      await ingestor.submit(
        d.id,
        'status',
        JSON.stringify({
          id: `s${s}`,
          ts: t0 + s * 1000,
          speedKmh: 50,
          ...(s === 0 ? { ignition: true } : {}),
        }),
      );
    const [open] = await h.ctx.db
      .select()
      .from(telematicsTrips)
      .where(eq(telematicsTrips.vehicleId, d.vehicleId));
    expect(open!.status).toBe('open');
    expect(await closeStaleTrips(h.ctx, tripSettings(h.ctx.config))).toBeGreaterThanOrEqual(1);
    const [closed] = await h.ctx.db
      .select()
      .from(telematicsTrips)
      .where(eq(telematicsTrips.vehicleId, d.vehicleId));
    expect(closed).toMatchObject({ status: 'completed', durationS: 300 });
    expect(closed!.endedAt!.getTime()).toBe(t0 + 300_000);
    const ev = await h.ctx.db.select().from(events).where(eq(events.type, 'vehicle.trip.completed'));
    expect(ev.some((e) => (e.payload as { tripId: string }).tripId === closed!.id)).toBe(true);
  });
});

/** The demo city loads into an empty database, consistently, and the analytics overview reads it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { loadDemo, DEMO_PASSWORD } from '../src/demo/load-demo.js';
import { addDays, utcToLocal } from '../src/platform/time.js';
import { doorToDoorRequests } from '../src/modules/booking/schema.js';
import { maintenanceAlerts } from '../src/modules/maintenance/schema.js';
import { users } from '../src/modules/identity/schema.js';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../src/platform/db/connect.js';

let h: Harness;
let summary: Record<string, number | string>;

beforeAll(async () => {
  h = await createHarness();
  summary = await loadDemo(h.ctx, { seed: 7, city: 'hangzhou', owners: 400, historyDays: 35 });
}, 300_000);
afterAll(async () => h.close());

describe('demo city', () => {
  it('has the chain, franchisees, stores, staff, owners, vehicles and history', () => {
    expect(summary).toMatchObject({ chains: 1, franchisees: 2, stores: 30, owners: 400 });
    expect(Number(summary.vehicles)).toBeGreaterThanOrEqual(400);
    expect(Number(summary.pastBookings)).toBeGreaterThan(600);
    expect(Number(summary.upcomingBookings)).toBeGreaterThan(50);
    const nev = Number(summary.nevShare);
    expect(nev).toBeGreaterThan(0.2);
    expect(nev).toBeLessThan(0.4);
  });

  it('has door-to-door requests planned onto mobile technicians, each within its window', async () => {
    expect(Number(summary.doorToDoorRequests)).toBeGreaterThan(0);
    const rows = await h.ctx.db.select().from(doorToDoorRequests);
    expect(rows.length).toBe(Number(summary.doorToDoorRequests));
    const scheduled = rows.filter((r) => r.status === 'scheduled');
    expect(scheduled.length).toBeGreaterThan(rows.length / 2);
    expect(rows.every((r) => r.status === 'scheduled' || r.status === 'declined')).toBe(true);
    for (const r of scheduled) {
      expect(r.assignee).toBeTruthy();
      expect(r.arrivalFrom!.getTime()).toBeGreaterThanOrEqual(r.windowStart.getTime() - 60_000);
      expect(r.arrivalTo!.getTime()).toBeLessThanOrEqual(r.windowEnd.getTime() + 60_000);
    }
  });

  it('has dongles with a month of telemetry, and the alerts the detectors raise from it', async () => {
    expect(Number(summary.dongles)).toBe(40);
    expect(Number(summary.telemetryReadings)).toBeGreaterThan(10_000);
    // Each dongle was last heard with its newest reading, as ingest would have recorded it.
    const heard = await queryRows<{
      device_id: string;
      last_seen_at: string | Date | null;
      newest: string | Date;
    }>(
      h.ctx.db,
      sql`select d.id as device_id, d.last_seen_at, max(r.received_at) as newest
          from telematics_devices d join telematics_readings r on r.device_id = d.id group by d.id`,
    );
    expect(heard).toHaveLength(40);
    for (const d of heard)
      expect(d.last_seen_at && new Date(d.last_seen_at).getTime()).toBe(new Date(d.newest).getTime());
    const alerts = await h.ctx.db.select().from(maintenanceAlerts);
    expect(alerts.length).toBe(Number(summary.maintenanceAlerts));
    const components = new Set(alerts.map((a) => a.component));
    for (const c of ['battery_12v', 'tyre_leak', 'misfire', 'catalyst', 'coolant', 'traction_battery'])
      expect(components, c).toContain(c);
    // The documented demo owner's car is one of them.
    const [demoOwner] = await h.ctx.db.select().from(users).where(eq(users.phone, '13800138000'));
    expect(alerts.some((a) => a.ownerId === demoOwner!.id && a.component === 'battery_12v')).toBe(true);
    // 23 of the 40 cars are given one fault each (src/demo/telemetry-step.ts); healthy cars and
    // cold mornings raise nothing, and no car gets an alert for a fault it does not have.
    const perCar = new Map<string, number>();
    for (const a of alerts) perCar.set(a.vehicleId, (perCar.get(a.vehicleId) ?? 0) + 1);
    expect([...perCar.values()].every((n) => n === 1)).toBe(true);
    expect(alerts.length).toBeGreaterThanOrEqual(20);
    expect(alerts.length).toBeLessThanOrEqual(23);
  });

  it('refuses to load twice', async () => {
    await expect(loadDemo(h.ctx, { seed: 7, city: 'hangzhou', owners: 10 })).rejects.toThrow(
      /empty database/,
    );
  });

  it('lets the demo sign-ins in and shows believable analytics', async () => {
    const op = await h.request<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', {
      body: { login: 'operator', password: DEMO_PASSWORD },
    });
    expect(op.status).toBe(200);
    const today = utcToLocal(h.clock.now(), 'Asia/Shanghai').day;
    const r = await h.request<{
      days: Array<{ searches: number; confirmed: number }>;
      conversion: { rate: number };
      averageOrderFen: number;
      utilisation: Array<{ rate: number }>;
      topServices: Array<{ code: string }>;
    }>('GET', `/api/v1/analytics/overview?from=${addDays(today, -30)}&to=${addDays(today, -1)}`, {
      token: op.body.accessToken,
    });
    expect(r.status).toBe(200);
    expect(r.body.days).toHaveLength(30);
    expect(r.body.conversion.rate).toBeGreaterThan(0.1);
    expect(r.body.conversion.rate).toBeLessThan(0.2);
    expect(r.body.averageOrderFen).toBeGreaterThan(10_000);
    expect(r.body.utilisation).toHaveLength(30);
    expect(r.body.utilisation.every((u) => u.rate >= 0 && u.rate < 1)).toBe(true);
    expect(r.body.topServices[0]!.code).toBe('minor_service');

    const mgr = await h.request<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', {
      body: { login: 'store1-manager', password: DEMO_PASSWORD },
    });
    const mine = await h.request<{ utilisation: unknown[] }>(
      'GET',
      `/api/v1/analytics/overview?from=${addDays(today, -7)}&to=${today}`,
      { token: mgr.body.accessToken },
    );
    expect(mine.body.utilisation).toHaveLength(1);
    const board = await h.request<{ bays: unknown[] }>('GET', `/api/v1/stores/mine`, {
      token: mgr.body.accessToken,
    });
    expect(board.status).toBe(200);
  });
});

describe('demo technicians', () => {
  it('have performance from their demo work: efficiency, QC pass rate, ratings', async () => {
    const mgr = await h.request<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', {
      body: { login: 'store2-manager', password: DEMO_PASSWORD },
    });
    const stores = await h.request<{ items: Array<{ id: string }> }>('GET', '/api/v1/stores/mine', {
      token: mgr.body.accessToken,
    });
    const team = await h.request<{
      items: Array<{
        performance: { jobs: number; efficiency: number | null; qcPassRate: number | null; stars: number };
      }>;
    }>('GET', `/api/v1/stores/${stores.body.items[0]!.id}/team`, { token: mgr.body.accessToken });
    const busy = team.body.items.filter((m) => m.performance.jobs > 0);
    expect(busy.length).toBeGreaterThan(0);
    for (const m of busy) {
      expect(m.performance.efficiency).toBeGreaterThan(0.5);
      expect(m.performance.efficiency).toBeLessThan(1.5);
      expect(m.performance.qcPassRate).toBeGreaterThan(0.5);
    }
  });
});

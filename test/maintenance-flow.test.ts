/**
 * The predictive-maintenance loop through the API: worn brake pads found in a vehicle's history
 * open an alert, the owner is told, a proposal holds a slot for 24 hours at a nearby capable store,
 * the owner accepts in one tap, the store does the work order, and completing it resolves the alert
 * and resets the brake model. (Telemetry → features is exercised with the telematics module.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createHarness, type Harness, type Session } from '../src/testing/harness.js';
import { newOwnerWithVehicle, newReadyStore, WEST_LAKE, type StoreFixture } from '../src/testing/o2o.js';
import { convert } from '../src/platform/domain/geo.js';
import { notifications } from '../src/platform/schema.js';
import { bookings } from '../src/modules/booking/schema.js';
import {
  applyFindings,
  detectFindings,
  notifyAlerts,
  proposeForAlert,
  serviceEventsOf,
  type VehicleHistory,
} from '../src/modules/maintenance/index.js';
import { addDaysTo } from '../src/modules/maintenance/detect/series.js';
import { completeWorkOrder } from '../src/testing/inventory.js';

interface AlertView {
  id: string;
  component: string;
  severity: string;
  status: string;
  evidence: Array<{ zh: string; en: string }>;
  proposal: null | { id: string; bookingId: string; storeId: string; status: string; expiresAt: string };
}

describe('predictive maintenance loop', () => {
  let h: Harness;
  let store: StoreFixture;
  let tech: Session;
  let owner: Session;
  let vehicleId: string;
  let ownerId: string;

  // 135 days since the pads were fitted at 60 kJ/kg of braking work a day: ≈ 15 days left.
  const history = (vid: string, services: VehicleHistory['services']): VehicleHistory => ({
    vehicleId: vid,
    powertrain: 'ICE',
    services,
    days: Array.from({ length: 135 }, (_, i) => ({
      day: addDaysTo('2026-01-17', i),
      distanceKm: 45,
      brakeWorkKJkg: 58 + (i % 5),
    })),
  });

  beforeAll(async () => {
    h = await createHarness();
    store = await newReadyStore(h, {
      technicians: [{ name: '李师傅', skills: ['general', 'brakes', 'tyres', 'engine'] }],
    });
    tech = await h.staff(store.storeId, 'technician');
    await h.request('PATCH', `/api/v1/technicians/${store.technicianIds[0]}`, {
      token: store.manager.token,
      body: { userId: tech.userId },
    });
    const o = await newOwnerWithVehicle(h);
    owner = o.owner;
    vehicleId = o.vehicleId;
    ownerId = o.owner.userId;
  });
  afterAll(() => h?.close());

  it('opens one alert per component, tells the owner, and proposes a held slot', async () => {
    const asOf = addDaysTo('2026-01-17', 134);
    const findings = detectFindings(
      history(vehicleId, [{ day: '2026-01-17', component: 'brake_pads' }]),
      asOf,
    );
    expect(findings.map((f) => f.component)).toEqual(['brake_pads']);
    const opened = await h.ctx.db.transaction((tx) =>
      applyFindings(h.ctx, tx, { vehicleId, ownerId }, findings),
    );
    expect(opened).toHaveLength(1);
    // The same finding again keeps the one alert.
    expect(
      await h.ctx.db.transaction((tx) => applyFindings(h.ctx, tx, { vehicleId, ownerId }, findings)),
    ).toEqual([]);

    expect(await notifyAlerts(h.ctx)).toMatchObject({ notified: 1 });
    const told = await h.ctx.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.template, 'maintenance_alert'), eq(notifications.recipientUserId, ownerId)),
      );
    expect(told).toHaveLength(1);

    const near = convert(WEST_LAKE, 'gcj02', 'wgs84');
    const p = await h.ctx.db.transaction((tx) => proposeForAlert(h.ctx, tx, opened[0]!, near));
    expect(p).not.toBeNull();
    expect(p!.storeId).toBe(store.storeId);
    const [held] = await h.ctx.db.select().from(bookings).where(eq(bookings.id, p!.bookingId));
    expect(held).toMatchObject({ status: 'held', source: 'proposal', proposalRef: p!.id });
    expect(held!.holdExpiresAt!.getTime() - h.clock.now().getTime()).toBe(24 * 3600_000);
    expect(held!.items).toEqual(['brake_pads_front']);
    expect(held!.notes).toMatch(/刹车片/);

    const mine = await h.request<{ items: AlertView[] }>('GET', '/api/v1/me/maintenance/alerts', {
      token: owner.token,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ component: 'brake_pads', status: 'proposed' });
    expect(mine.body.items[0]!.evidence[0]!.en).toMatch(/brake pads about \d+% worn/);
    expect(mine.body.items[0]!.proposal).toMatchObject({ id: p!.id, status: 'offered' });
  });

  it('keeps alerts and proposals to their owner', async () => {
    const other = await h.owner();
    const mine = await h.request<{ items: AlertView[] }>('GET', '/api/v1/me/maintenance/alerts', {
      token: other.token,
    });
    expect(mine.body.items).toEqual([]);
    const alert = (
      await h.request<{ items: AlertView[] }>('GET', '/api/v1/me/maintenance/alerts', { token: owner.token })
    ).body.items[0]!;
    const steal = await h.request('POST', `/api/v1/me/maintenance/proposals/${alert.proposal!.id}/accept`, {
      token: other.token,
      body: {},
    });
    expect(steal.status).toBe(404);
    const staff = await h.request('GET', '/api/v1/me/maintenance/alerts', { token: store.manager.token });
    expect(staff.status).toBe(403);
    const bad = await h.request('POST', `/api/v1/me/maintenance/alerts/${alert.id}/snooze`, {
      token: owner.token,
      body: { days: 0 },
    });
    expect(bad.status).toBe(422);
  });

  it('accepts in one tap; the completed work order resolves the alert and resets the model', async () => {
    const alert = (
      await h.request<{ items: AlertView[] }>('GET', '/api/v1/me/maintenance/alerts', { token: owner.token })
    ).body.items[0]!;
    const acc = await h.request<{ status: string; bookingId: string }>(
      'POST',
      `/api/v1/me/maintenance/proposals/${alert.proposal!.id}/accept`,
      { token: owner.token, body: {} },
    );
    expect(acc.status, JSON.stringify(acc.body)).toBe(200);
    expect(acc.body.status).toBe('confirmed');
    // A booked alert cannot be dismissed behind the store's back.
    const dismiss = await h.request('POST', `/api/v1/me/maintenance/alerts/${alert.id}/dismiss`, {
      token: owner.token,
      body: {},
    });
    expect(dismiss.status).toBe(409);

    const demand = await h.request<{ items: Array<{ code: string; bookings: number }> }>(
      'GET',
      `/api/v1/stores/${store.storeId}/maintenance/demand`,
      { token: store.manager.token },
    );
    expect(demand.body.items).toContainEqual({ code: 'brake_pads_front', bookings: 1, proposals: 0 });

    // The store does the work.
    const [b] = await h.ctx.db.select().from(bookings).where(eq(bookings.id, acc.body.bookingId));
    h.clock.set(new Date(b!.startAt.getTime() - 5 * 60_000));
    type Wo = {
      id: string;
      totalFen: number;
      inspection: Array<{ id: string }>;
      steps: Array<{ id: string }>;
      status: string;
    };
    const ci = await h.request<Wo>('POST', '/api/v1/work-orders/check-in', {
      token: store.desk.token,
      body: { bookingId: b!.id, odometerKm: 52_000, fuelLevelPct: 50 },
    });
    expect(ci.status, JSON.stringify(ci.body)).toBe(201);
    await completeWorkOrder(h, ci.body.id, { tech, desk: store.desk, manager: store.manager, owner });
    await h.ctx.bus.drain();

    const after = (
      await h.request<{ items: AlertView[] }>('GET', '/api/v1/me/maintenance/alerts', { token: owner.token })
    ).body.items[0]!;
    expect(after.status).toBe('resolved');
    const services = await serviceEventsOf(h.ctx.db, vehicleId);
    expect(services.map((s) => s.component)).toEqual(['brake_pads']);
    expect(services[0]!.odometerKm).toBe(52_000);
    // With the new pads on record, the same telemetry raises nothing for the brakes.
    const fresh = detectFindings(history(vehicleId, services), services[0]!.day);
    expect(fresh.filter((f) => f.component === 'brake_pads')).toEqual([]);
  });

  it('does not ask again about a dismissed alert unless it gets worse', async () => {
    const leak = (severity: 'soon' | 'urgent') => ({
      component: 'tyre_leak' as const,
      severity,
      dueDay: '2026-06-10',
      dueInKm: null,
      confidence: 0.8,
      evidence: [{ code: 'tyres.slow_leak', zh: '右后轮慢漏气', en: 'rear right tyre losing pressure' }],
    });
    const apply = (severity: 'soon' | 'urgent') =>
      h.ctx.db.transaction((tx) => applyFindings(h.ctx, tx, { vehicleId, ownerId }, [leak(severity)]));
    const [id] = await apply('soon');
    const d = await h.request('POST', `/api/v1/me/maintenance/alerts/${id}/dismiss`, {
      token: owner.token,
      body: {},
    });
    expect(d.status).toBe(200);
    expect(await apply('soon')).toEqual([]);
    expect(await apply('urgent')).toHaveLength(1);
  });

  it('takes a service the owner had done elsewhere, for their own vehicle only', async () => {
    // The urgent tyre alert from the test above still stands; the owner had the tyres done.
    const standing = (
      await h.request<{ items: AlertView[] }>('GET', '/api/v1/me/maintenance/alerts', { token: owner.token })
    ).body.items.find((a) => a.component === 'tyre_leak' && a.status !== 'dismissed');
    expect(standing).toBeDefined();
    const today = h.clock.now().toISOString().slice(0, 10);
    const r = await h.request('POST', `/api/v1/me/vehicles/${vehicleId}/service-records`, {
      token: owner.token,
      body: { component: 'tyres', day: today, odometerKm: 52_400 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ component: 'tyres', source: 'owner', odometerKm: 52_400 });
    const list = await h.request<{ items: Array<{ component: string; source: string }> }>(
      'GET',
      `/api/v1/me/vehicles/${vehicleId}/service-records`,
      { token: owner.token },
    );
    expect(list.body.items.map((s) => [s.component, s.source])).toEqual([
      ['brake_pads', 'work_order'],
      ['tyres', 'owner'],
    ]);
    const after = (
      await h.request<{ items: AlertView[] }>('GET', '/api/v1/me/maintenance/alerts', { token: owner.token })
    ).body.items.find((a) => a.id === standing!.id);
    expect(after?.status).toBe('resolved');
    expect((await serviceEventsOf(h.ctx.db, vehicleId)).map((s) => s.component)).toContain('tyres');

    const future = await h.request('POST', `/api/v1/me/vehicles/${vehicleId}/service-records`, {
      token: owner.token,
      body: { component: 'oil_service', day: '2099-01-01' },
    });
    expect(future.status).toBe(422);
    const unknown = await h.request('POST', `/api/v1/me/vehicles/${vehicleId}/service-records`, {
      token: owner.token,
      body: { component: 'flux_capacitor', day: today },
    });
    expect(unknown.status).toBe(422);
    const other = await h.owner();
    const theirs = await h.request('POST', `/api/v1/me/vehicles/${vehicleId}/service-records`, {
      token: other.token,
      body: { component: 'oil_service', day: today },
    });
    expect(theirs.status).toBe(404);
    const peek = await h.request('GET', `/api/v1/me/vehicles/${vehicleId}/service-records`, {
      token: other.token,
    });
    expect(peek.status).toBe(404);
  });

  it('shows operators where alerts stand, without personal data', async () => {
    const op = await h.operator();
    const r = await h.request<{ items: Array<{ component: string; count: number }> }>(
      'GET',
      '/api/v1/maintenance/alerts/summary',
      { token: op.token },
    );
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toMatch(/1[3-9]\d{9}/);
    const manager = await h.request('GET', '/api/v1/maintenance/alerts/summary', {
      token: store.manager.token,
    });
    expect(manager.status).toBe(403);
  });
});

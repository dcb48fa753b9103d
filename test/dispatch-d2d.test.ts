/**
 * Live door-to-door routing through the API: owners request 上门 service, the store's day is
 * re-planned as each request arrives, every owner gets a 30-minute arrival window inside the window
 * asked for (or a refusal), promises survive later re-plans, and the stored plan passes an
 * independent replay of travel, service and shift times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { newOwnerWithVehicle, newReadyStore, WEST_LAKE, type StoreFixture } from '../src/testing/o2o.js';
import { convert } from '../src/platform/domain/geo.js';
import { haversineMeters } from '../src/platform/domain/geo.js';
import { travelMinutes } from '../src/modules/dispatch/index.js';
import { auditLog, notifications } from '../src/platform/schema.js';
import { and, eq } from 'drizzle-orm';

interface D2d {
  id: string;
  status: string;
  kind: 'onsite' | 'pickup_return';
  lon: number;
  lat: number;
  windowStart: string;
  windowEnd: string;
  arrivalFrom: string | null;
  arrivalTo: string | null;
  assignee?: string | null;
  items: string[];
}
interface Board {
  store: { lon: number; lat: number };
  technicians: Array<{ id: string; name: string; jobs: D2d[]; busyMinutes: number }>;
  waiting: D2d[];
  declined: D2d[];
}

const MOBILE = ['general', 'brakes', 'tyres', 'diagnostics', 'door_to_door'];
const TOMORROW = '2026-06-02';
// Local (Shanghai) hh:mm tomorrow as an ISO instant.
const at = (hhmm: string) => new Date(`${TOMORROW}T${hhmm}:00+08:00`).toISOString();
const mins = (a: string, b: string) => (new Date(b).getTime() - new Date(a).getTime()) / 60_000;
// Points around the store (GCJ-02), 1–5 km away.
const near = (i: number) => ({
  lon: WEST_LAKE.lon + 0.012 * Math.cos(i * 1.7) * (1 + (i % 3)),
  lat: WEST_LAKE.lat + 0.01 * Math.sin(i * 1.7) * (1 + (i % 3)),
});

describe('door-to-door routing', () => {
  let h: Harness;
  let store: StoreFixture;

  beforeAll(async () => {
    h = await createHarness();
    store = await newReadyStore(h, {
      technicians: [
        { name: '流动技师甲', skills: MOBILE },
        { name: '流动技师乙', skills: MOBILE },
        { name: '店内技师', skills: ['general', 'brakes'] },
      ],
    });
  });
  afterAll(() => h?.close());

  async function request(
    storeId: string,
    i: number,
    window: [string, string],
    kind: 'onsite' | 'pickup_return' = 'onsite',
    items = ['wipers'],
  ): Promise<{ id: string; owner: string }> {
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const r = await h.request<D2d>('POST', '/api/v1/door-to-door', {
      token: owner.token,
      body: {
        storeId,
        vehicleId,
        kind,
        items,
        address: `文三路 ${i} 号`,
        location: { ...near(i), coord: 'gcj02' },
        windowStart: at(window[0]),
        windowEnd: at(window[1]),
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.status).toBe('requested');
    return { id: r.body.id, owner: owner.token };
  }

  async function board(storeId: string, token: string): Promise<Board> {
    const r = await h.request<Board>('GET', `/api/v1/stores/${storeId}/door-to-door/board?day=${TOMORROW}`, {
      token,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  }

  interface Plan {
    routes: Array<{
      technicianName: string;
      shiftStart: string;
      shiftEnd: string;
      stops: Array<{ requestId: string; kind: 'onsite' | 'pickup' | 'return'; start: string; end: string }>;
    }>;
    scheduled: string[];
    declined: string[];
  }

  async function plan(storeId: string, token: string): Promise<Plan> {
    const r = await h.request<Plan>('POST', `/api/v1/stores/${storeId}/door-to-door/plan`, {
      token,
      body: { day: TOMORROW },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  }

  /**
   * Replays each technician's route from the store with the planning travel model: every stop is
   * reachable by its planned start, on-site and pick-up starts keep the owner's promised window,
   * a return comes after the work, and the technician is back before the shift ends.
   */
  function replay(p: Plan, b: Board, labour = 15): void {
    const store = b.store;
    const jobs = new Map([...b.technicians.flatMap((t) => t.jobs), ...b.waiting].map((j) => [j.id, j]));
    const ms = (iso: string) => new Date(iso).getTime();
    const drive = (a: { lon: number; lat: number }, c: { lon: number; lat: number }) =>
      travelMinutes(haversineMeters(a, c), 8) * 60_000;
    const pickedUp = new Map<string, number>();
    for (const r of p.routes) {
      let clock = ms(r.shiftStart);
      let pos = store;
      for (const s of r.stops) {
        const j = jobs.get(s.requestId)!;
        const home = { lon: j.lon, lat: j.lat };
        const startAt = s.kind === 'return' ? store : home;
        expect(
          clock + drive(pos, startAt),
          `${r.technicianName} reaches ${s.kind} ${j.id}`,
        ).toBeLessThanOrEqual(ms(s.start) + 60_000);
        if (s.kind !== 'return') {
          expect(ms(s.start)).toBeGreaterThanOrEqual(ms(j.arrivalFrom!));
          expect(ms(s.start)).toBeLessThanOrEqual(ms(j.arrivalTo!));
        }
        const leg = 20 * 60_000 + drive(home, store);
        if (s.kind === 'onsite') {
          clock = ms(s.start) + labour * 60_000;
          pos = home;
        } else if (s.kind === 'pickup') {
          clock = ms(s.start) + leg;
          pickedUp.set(j.id, clock);
          pos = store;
        } else {
          expect(pickedUp.has(j.id), 'a car is returned by the driver who collected it').toBe(true);
          expect(ms(s.start)).toBeGreaterThanOrEqual(pickedUp.get(j.id)! + (labour + 60) * 60_000 - 60_000);
          clock = ms(s.start) + leg;
          pos = home;
        }
      }
      expect(
        clock + drive(pos, store),
        `${r.technicianName} is back before the shift ends`,
      ).toBeLessThanOrEqual(ms(r.shiftEnd) + 60_000);
    }
  }

  it('gives every owner a 30-minute arrival window inside the window asked for', async () => {
    const windows: Array<[string, string]> = [
      ['09:30', '11:30'],
      ['10:00', '12:00'],
      ['10:00', '11:00'],
      ['13:00', '15:00'],
      ['13:30', '14:30'],
      ['14:00', '17:00'],
    ];
    const made = [];
    for (const [i, w] of windows.entries()) made.push(await request(store.storeId, i + 1, w));
    made.push(await request(store.storeId, 7, ['15:00', '17:00'], 'pickup_return'));
    await h.ctx.bus.drain();

    for (const [i, m] of made.entries()) {
      const mine = await h.request<{ items: D2d[] }>('GET', '/api/v1/me/door-to-door', { token: m.owner });
      const d = mine.body.items.find((x) => x.id === m.id)!;
      expect(d.status).toBe('scheduled');
      expect(mins(d.arrivalFrom!, d.arrivalTo!)).toBeLessThanOrEqual(30);
      expect(mins(d.arrivalFrom!, d.arrivalTo!)).toBeGreaterThan(0);
      const w = i < windows.length ? windows[i]! : (['15:00', '17:00'] as const);
      expect(mins(at(w[0]), d.arrivalFrom!)).toBeGreaterThanOrEqual(0);
      expect(mins(d.arrivalTo!, at(w[1]))).toBeGreaterThanOrEqual(0);
    }
    const b = await board(store.storeId, store.manager.token);
    // Reading where customers live is on the record.
    const looked = await h.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'dispatch.board.read'), eq(auditLog.resourceId, store.storeId)));
    expect(looked.at(-1)).toMatchObject({ actorId: store.manager.userId, purpose: 'door_to_door' });
    expect(b.waiting).toEqual([]);
    expect(b.declined).toEqual([]);
    expect(b.technicians.map((t) => t.name).sort()).toEqual(['流动技师乙', '流动技师甲']);
    expect(b.technicians.flatMap((t) => t.jobs).length).toBe(7);
    replay(await plan(store.storeId, store.manager.token), b);
    // The owner was told in the app.
    const told = await h.ctx.db
      .select()
      .from(notifications)
      .where(eq(notifications.template, 'd2d_scheduled'));
    expect(told.length).toBe(7);
  });

  it('keeps earlier promises when new requests arrive, and declines what cannot fit', async () => {
    const before = await board(store.storeId, store.manager.token);
    const promised = new Map(
      before.technicians.flatMap((t) => t.jobs).map((j) => [j.id, [j.arrivalFrom, j.arrivalTo]]),
    );
    // Five more requests in one tight window: two technicians cannot be in five places at once.
    const tight = [];
    for (let i = 0; i < 5; i++) tight.push(await request(store.storeId, 20 + i, ['16:00', '16:30']));
    await h.ctx.bus.drain();
    const after = await board(store.storeId, store.manager.token);
    for (const j of after.technicians.flatMap((t) => t.jobs)) {
      if (promised.has(j.id)) expect([j.arrivalFrom, j.arrivalTo]).toEqual(promised.get(j.id));
    }
    const served = tight.filter((t) => after.technicians.some((x) => x.jobs.some((j) => j.id === t.id)));
    const declined = tight.filter((t) => after.declined.some((j) => j.id === t.id));
    expect(served.length + declined.length).toBe(5);
    expect(declined.length).toBeGreaterThan(0);
    replay(await plan(store.storeId, store.manager.token), after);
    const mine = await h.request<{ items: D2d[] }>('GET', '/api/v1/me/door-to-door', {
      token: declined[0]!.owner,
    });
    expect(mine.body.items[0]).toMatchObject({ status: 'declined', arrivalFrom: null });
  });

  it('declines at once when the store has no mobile technician', async () => {
    const plain = await newReadyStore(h);
    const r = await request(plain.storeId, 3, ['10:00', '12:00']);
    await h.ctx.bus.drain();
    const b = await board(plain.storeId, plain.manager.token);
    expect(b.declined.map((d) => d.id)).toEqual([r.id]);
    expect(b.technicians).toEqual([]);
  });

  it('re-plans on demand and is deterministic', async () => {
    const a = await plan(store.storeId, store.manager.token);
    const b = await plan(store.storeId, store.manager.token);
    expect(b).toEqual(a);
    expect(a.scheduled.length).toBeGreaterThanOrEqual(8);
    // The pick-up's return leg is planned on the same technician.
    const withReturn = a.routes.find((r) => r.stops.some((s) => s.kind === 'return'));
    expect(withReturn?.stops.filter((s) => s.kind === 'pickup').length).toBeGreaterThan(0);
  });

  it('declines a request whose window passed before it could be planned', async () => {
    const plain = await newReadyStore(h, { technicians: [{ name: '流动技师丙', skills: MOBILE }] });
    // Made at 10:00 for 10:30–11:30 today, but the planner only runs at 12:00.
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const today = '2026-06-01';
    const r = await h.request<D2d>('POST', '/api/v1/door-to-door', {
      token: owner.token,
      body: {
        storeId: plain.storeId,
        vehicleId,
        kind: 'onsite',
        items: ['wipers'],
        address: '文三路 9 号',
        location: { ...near(9), coord: 'gcj02' },
        windowStart: new Date(`${today}T10:30:00+08:00`).toISOString(),
        windowEnd: new Date(`${today}T11:30:00+08:00`).toISOString(),
      },
    });
    expect(r.status).toBe(201);
    const saved = h.clock.now();
    h.clock.set('2026-06-01T04:00:00Z');
    try {
      await h.ctx.bus.drain();
      const mine = await h.request<{ items: D2d[] }>('GET', '/api/v1/me/door-to-door', {
        token: owner.token,
      });
      expect(mine.body.items[0]).toMatchObject({ status: 'declined', arrivalFrom: null });
    } finally {
      h.clock.set(saved);
    }
  });

  it('keeps the board to the store’s own staff', async () => {
    const other = await newReadyStore(h);
    const r = await h.request('GET', `/api/v1/stores/${store.storeId}/door-to-door/board`, {
      token: other.manager.token,
    });
    expect(r.status).toBe(404);
    const { owner } = await newOwnerWithVehicle(h);
    const o = await h.request('GET', `/api/v1/stores/${store.storeId}/door-to-door/board`, {
      token: owner.token,
    });
    expect(o.status).toBe(403);
    const bad = await h.request('POST', `/api/v1/stores/${store.storeId}/door-to-door/plan`, {
      token: store.manager.token,
      body: { day: '2026-13-40' },
    });
    expect(bad.status).toBe(422);
  });
});

// Locations are stored in WGS-84; keep the helper honest about the conversion it relies on.
it('stores door-to-door points in WGS-84', () => {
  const p = convert(near(1), 'gcj02', 'wgs84');
  expect(Math.abs(p.lon - near(1).lon)).toBeGreaterThan(0.001);
});

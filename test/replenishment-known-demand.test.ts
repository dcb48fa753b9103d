/**
 * Demand known in advance goes into the plan: a part a store has never sold gets an order-up-to
 * level covering what its confirmed bookings and an open maintenance proposal need within lead time
 * + review — including what could not be reserved for lack of stock — while a booking beyond that
 * window or a cancelled one does not count, and the parts those bookings already hold are counted
 * once (in the known demand, not again as a cut in the position). The suggestion says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Session } from '../src/testing/harness.js';
import { newOwnerWithVehicle, newReadyStore, type StoreFixture } from '../src/testing/o2o.js';
import { newLocation, oilChangeParts, receiveStock, stockOf } from '../src/testing/inventory.js';
import { createHold } from '../src/modules/booking/index.js';
import { postMovement } from '../src/modules/inventory/index.js';
import { invLocations } from '../src/modules/inventory/schema.js';
import { eq } from 'drizzle-orm';
import { knownWithin, weekOf, type KnownNeed } from '../src/modules/replenishment/known-demand.js';

interface Sug {
  id: string;
  locationId: string;
  partId: string;
  kind: string;
  fromLocationId: string | null;
  qtyMilli: number;
  positionMilli: number;
  reorderPointMilli: number;
  orderUpToMilli: number;
  reason: string;
  part: { sku: string; name: string; unit: string } | null;
  locationName: string | null;
  forecast: {
    weeklyMeanMilli: number;
    known?: {
      milli: number;
      weeks: number;
      bookings: number;
      proposals: number;
      orderUpToWithoutMilli: number;
    };
  };
}

describe('known demand in the replenishment plan', () => {
  let h: Harness;
  let store: StoreFixture;
  let chainAdmin: Session;
  let parts: { filter: string; oil: string };
  let shop: string;

  async function book(startAt: string): Promise<{ id: string; owner: Session }> {
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const b = await h.request<{ id: string; status: string }>('POST', '/api/v1/bookings', {
      token: owner.token,
      body: { storeId: store.storeId, vehicleId, items: ['oil_change'], startAt, confirm: true },
    });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    expect(b.body.status).toBe('confirmed');
    await h.ctx.bus.drain();
    return { id: b.body.id, owner };
  }

  async function runPlan(who: Session): Promise<{ body: { suggestions: Sug[] } }> {
    const plan = await h.request<{ suggestions: Sug[] }>('POST', '/api/v1/replenishment/plan', {
      token: who.token,
      body: {},
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    return plan;
  }

  beforeAll(async () => {
    h = await createHarness();
    store = await newReadyStore(h, {
      bays: [
        { name: '1', type: 'general_lift' },
        { name: '2', type: 'general_lift' },
      ],
    });
    chainAdmin = await h.staff(store.chainId, 'chain_admin');
    parts = await oilChangeParts(h, chainAdmin);
    shop = await newLocation(h, store.manager, { kind: 'store', name: '门店库', storeId: store.storeId });
    // One filter on the shelf and no sales history: the forecast alone stocks nothing.
    await receiveStock(h, store.manager, { locationId: shop, partId: parts.filter, qty: 1 });
    await receiveStock(h, store.manager, { locationId: shop, partId: parts.oil, qty: 40 });
    // Oil history: 2 L used on a car in April, then 4 L, 8 L and 4 L in May.
    const [loc] = await h.ctx.db.select().from(invLocations).where(eq(invLocations.id, shop));
    for (const [milli, at] of [
      [2_000, '2026-04-07T03:00:00Z'],
      [4_000, '2026-05-05T03:00:00Z'],
      [8_000, '2026-05-19T03:00:00Z'],
      [4_000, '2026-05-27T03:00:00Z'],
    ] as const)
      await h.ctx.db.transaction((tx) =>
        postMovement(tx, {
          orgPath: loc!.orgPath,
          partId: parts.oil,
          sku: 'OIL',
          locationId: shop,
          kind: 'consumption',
          onHandDeltaMilli: -milli,
          reservedDeltaMilli: 0,
          unitCostFen: 5_000,
          at: new Date(at),
        }),
      );
    // The clock is Monday 2026-06-01 10:00 local. Two confirmed bookings this week: the first
    // reserves the filter, the second finds none left (a stock-out, still known demand).
    await book('2026-06-03T02:00:00.000Z');
    await book('2026-06-04T02:00:00.000Z');
    // An open predictive-maintenance proposal next week (a `proposal` booking holding its slot).
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    await h.ctx.db.transaction((tx) =>
      createHold(h.ctx, tx, {
        ownerId: owner.userId,
        vehicleId,
        storeId: store.storeId,
        items: ['oil_change'],
        startAt: new Date('2026-06-09T02:00:00.000Z'),
        source: 'proposal',
      }),
    );
    await h.ctx.bus.drain();
    // Beyond a store's lead time + review (two weeks), and a cancelled one: neither counts.
    await book('2026-06-17T02:00:00.000Z');
    const gone = await book('2026-06-05T02:00:00.000Z');
    const c = await h.request('POST', `/api/v1/bookings/${gone.id}/cancel`, {
      token: gone.owner.token,
      body: { reason: 'plans changed' },
    });
    expect(c.status).toBe(200);
    await h.ctx.bus.drain();
  }, 120_000);
  afterAll(() => h?.close());

  it('raises the order-up-to level to cover booked and proposed work, and says so', async () => {
    expect(await stockOf(h, store.manager, shop, parts.filter)).toMatchObject({
      onHandMilli: 1000,
      reservedMilli: 1000,
    });
    const plan = await runPlan(store.manager);
    const s = plan.body.suggestions.find((x) => x.locationId === shop && x.partId === parts.filter);
    expect(s, JSON.stringify(plan.body.suggestions)).toBeDefined();
    expect(s!.forecast.known).toEqual({
      milli: 3000,
      weeks: 2,
      bookings: 2,
      proposals: 1,
      orderUpToWithoutMilli: 0,
    });
    expect(s!.orderUpToMilli).toBeGreaterThanOrEqual(3000);
    expect(s!.reorderPointMilli).toBe(s!.orderUpToMilli - 1000);
    // The filter the first booking holds is counted once: in the known demand, back in the position.
    expect(s!.positionMilli).toBe(1000);
    expect(s!.qtyMilli).toBe(s!.orderUpToMilli - 1000);
    expect(s!.kind).toBe('purchase');
    expect(s!.part?.unit).toBe('each');
    expect(s!.locationName).toBe('门店库');
    expect(s!.reason).toMatch(/3 already known from 2 confirmed bookings and 1 maintenance proposal/);
    expect(s!.reason).toMatch(/forecast alone would order up to 0/);
    // The reorder fields the plan writes to inventory carry it too.
    const stock = await h.request<{ items: Array<{ partId: string; reorderPointMilli: number | null }> }>(
      'GET',
      `/api/v1/inventory/locations/${shop}/stock`,
      { token: store.manager.token },
    );
    expect(stock.body.items.find((i) => i.partId === parts.filter)?.reorderPointMilli).toBe(
      s!.reorderPointMilli,
    );
  });

  it('serves forecast against actual for a part: history, one-step forecasts, mean and band ahead', async () => {
    const url = `/api/v1/replenishment/locations/${shop}/parts/${parts.oil}/forecast`;
    const r = await h.request<ForecastVsActual>('GET', `${url}?period=week&history=8&horizon=4`, {
      token: store.manager.token,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.history.map((p) => p.period)).toEqual([
      '2026-04-06',
      '2026-04-13',
      '2026-04-20',
      '2026-04-27',
      '2026-05-04',
      '2026-05-11',
      '2026-05-18',
      '2026-05-25',
    ]);
    expect(r.body.history.map((p) => p.actualMilli)).toEqual([2000, 0, 0, 0, 4000, 0, 8000, 4000]);
    // One-step-ahead forecasts after a short warm-up: what each past week was forecast to need.
    expect(r.body.history.slice(0, 4).every((p) => p.forecastMilli === null)).toBe(true);
    expect(r.body.history[7]!.forecastMilli).toBeGreaterThan(0);
    expect(r.body.forecast.map((f) => f.period)).toEqual([
      '2026-06-01',
      '2026-06-08',
      '2026-06-15',
      '2026-06-22',
    ]);
    // This week's two bookings, next week's proposal, the one after's booking (4 L each); not the cancelled one.
    expect(r.body.forecast.map((f) => f.knownMilli)).toEqual([8000, 4000, 4000, 0]);
    for (const f of r.body.forecast) {
      expect(f.meanMilli).toBeGreaterThanOrEqual(f.knownMilli);
      expect(f.lowMilli).toBeGreaterThanOrEqual(f.knownMilli);
      expect(f.lowMilli).toBeLessThanOrEqual(f.highMilli);
      expect(f.highMilli).toBeGreaterThan(f.knownMilli);
    }
    expect(r.body).toMatchObject({ period: 'week', method: 'sba', band: { lower: 0.1, upper: 0.9 } });

    const monthly = await h.request<ForecastVsActual>('GET', `${url}?period=month&history=4`, {
      token: store.manager.token,
    });
    expect(monthly.status).toBe(200);
    expect(monthly.body.history.map((p) => [p.period, p.actualMilli])).toEqual([
      ['2026-02-01', 0],
      ['2026-03-01', 0],
      ['2026-04-01', 2000],
      ['2026-05-01', 16000],
    ]);
    // Months before the location's first demand are no data, not zero demand: no forecast is shown
    // for them, and two months of data are still inside the warm-up.
    expect(monthly.body.history.every((p) => p.forecastMilli === null)).toBe(true);
    expect(monthly.body.forecast.map((f) => f.knownMilli)).toEqual([16000, 0, 0]);

    for (const bad of ['period=day', 'horizon=0', 'history=1000', 'history=x'])
      expect((await h.request('GET', `${url}?${bad}`, { token: store.manager.token })).status, bad).toBe(422);
    const other = await newReadyStore(h);
    expect((await h.request('GET', url, { token: other.manager.token })).status).toBe(404);
    expect((await h.request('GET', url, { token: store.desk.token })).status).toBe(403);
    const unknownPart = `/api/v1/replenishment/locations/${shop}/parts/prt_01m998wtg7mkzn5fw9c0rs8rkz/forecast`;
    expect((await h.request('GET', unknownPart, { token: store.manager.token })).status).toBe(404);
  });

  it('passes up to the warehouse what the store’s own stock does not hold for its bookings', async () => {
    // An empty regional warehouse for the chain: the store now replenishes from it.
    const wh = await newLocation(h, chainAdmin, { kind: 'regional_warehouse', name: '区域仓' });
    const plan = await runPlan(chainAdmin);
    const atShop = plan.body.suggestions.find((x) => x.locationId === shop && x.partId === parts.filter);
    expect(atShop).toMatchObject({ kind: 'transfer', fromLocationId: wh });
    expect(atShop!.forecast.known).toMatchObject({ milli: 3000, bookings: 2, proposals: 1 });
    // Of the store's three filters, the one on its shelf is held for the first booking; the
    // second booking's and next week's proposal's are not there: those two fall to the warehouse,
    // which has never shipped a filter and would otherwise stock none.
    const atWarehouse = plan.body.suggestions.find((x) => x.locationId === wh && x.partId === parts.filter);
    expect(atWarehouse, JSON.stringify(plan.body.suggestions)).toBeDefined();
    expect(atWarehouse!.forecast.known).toMatchObject({
      milli: 2000,
      bookings: 1,
      proposals: 1,
      orderUpToWithoutMilli: 0,
    });
    expect(atWarehouse!.orderUpToMilli).toBeGreaterThanOrEqual(2000);
    expect(atWarehouse).toMatchObject({ kind: 'purchase', positionMilli: 0 });
  });
});

interface ForecastVsActual {
  sku: string;
  period: string;
  method: string;
  band: { lower: number; upper: number };
  history: Array<{ period: string; actualMilli: number; forecastMilli: number | null }>;
  forecast: Array<{
    period: string;
    meanMilli: number;
    lowMilli: number;
    highMilli: number;
    knownMilli: number;
  }>;
}

describe('known demand arithmetic', () => {
  const need = (week: number, milli: number, proposal = false, id = `bk_${week}_${milli}`): KnownNeed => ({
    bookingId: id,
    week,
    startAt: new Date(0),
    proposal,
    milli,
    reservedMilli: Math.min(milli, 1000),
  });

  it('buckets booking starts by week from now, due ones in the first', () => {
    const now = new Date('2026-06-01T02:00:00Z');
    expect(weekOf(new Date('2026-05-31T02:00:00Z'), now, 2)).toBe(0);
    expect(weekOf(new Date('2026-06-07T23:00:00Z'), now, 2)).toBe(0);
    expect(weekOf(new Date('2026-06-08T02:00:00Z'), now, 2)).toBe(1);
    expect(weekOf(new Date('2026-06-15T02:00:00Z'), now, 2)).toBeNull();
  });

  it('sums within the window, counting each booking once', () => {
    const t = knownWithin(
      [need(0, 2000, false, 'bk_a'), need(0, 500, false, 'bk_a'), need(1, 1000, true), need(2, 4000)],
      2,
    );
    expect(t).toEqual({
      perWeekMilli: [2500, 1000],
      milli: 3500,
      bookings: 1,
      proposals: 1,
      reservedMilli: 2500,
    });
  });
});

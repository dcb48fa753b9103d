/**
 * Reservations follow the booking: a hold reserves (with the hold's expiry), cancelling releases,
 * an expired hold releases, a store without stock records the demand as a stock-out instead of
 * failing the booking, and a walk-in's parts are consumed from free stock at completion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Session } from '../src/testing/harness.js';
import {
  LAVIDA,
  MODEL_3,
  newOwnerWithVehicle,
  newReadyStore,
  type StoreFixture,
} from '../src/testing/o2o.js';
import {
  completeWorkOrder,
  newLocation,
  newPart,
  oilChangeParts,
  receiveStock,
  stockOf,
} from '../src/testing/inventory.js';
import { expireHolds } from '../src/modules/booking/index.js';
import { expireReservations } from '../src/modules/inventory/index.js';

let h: Harness;
let store: StoreFixture;
let chainAdmin: Session;
let parts: { filter: string; oil: string };
let shop: string;

interface Reservation {
  partId: string;
  status: string;
  openMilli: number;
  expiresAt: string | null;
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
  await receiveStock(h, store.manager, { locationId: shop, partId: parts.filter, qty: 2 });
  await receiveStock(h, store.manager, { locationId: shop, partId: parts.oil, qty: 10 });
});
afterAll(async () => h.close());

async function hold(startAt: string): Promise<{ id: string; owner: Session }> {
  const { owner, vehicleId } = await newOwnerWithVehicle(h);
  const b = await h.request<{ id: string }>('POST', '/api/v1/bookings', {
    token: owner.token,
    body: { storeId: store.storeId, vehicleId, items: ['oil_change'], startAt },
  });
  expect(b.status).toBe(201);
  await h.ctx.bus.drain();
  return { id: b.body.id, owner };
}

const reservations = async (bookingId: string) =>
  (
    await h.request<{ items: Reservation[] }>(
      'GET',
      `/api/v1/inventory/reservations?bookingId=${bookingId}`,
      {
        token: store.manager.token,
      },
    )
  ).body.items;

describe('reservations follow bookings', () => {
  it('cancelling a hold releases its parts', async () => {
    const b = await hold('2026-06-02T02:00:00.000Z');
    expect((await reservations(b.id)).map((r) => r.status)).toEqual(['active', 'active']);
    expect((await stockOf(h, store.manager, shop, parts.filter)).reservedMilli).toBe(1000);
    const c = await h.request('POST', `/api/v1/bookings/${b.id}/cancel`, {
      token: b.owner.token,
      body: { reason: 'plans changed' },
    });
    expect(c.status).toBe(200);
    await h.ctx.bus.drain();
    expect((await reservations(b.id)).map((r) => r.status)).toEqual(['released', 'released']);
    expect(await stockOf(h, store.manager, shop, parts.filter)).toMatchObject({
      reservedMilli: 0,
      availableMilli: 2000,
    });
  });

  it('an expired hold releases its parts (through the booking event, or the inventory sweep)', async () => {
    const b = await hold('2026-06-02T04:00:00.000Z');
    const rs = await reservations(b.id);
    expect(rs.every((r) => r.expiresAt !== null)).toBe(true);
    h.clock.advance(11 * 60_000);
    expect(await expireHolds(h.ctx)).toBeGreaterThan(0);
    await h.ctx.bus.drain();
    expect((await reservations(b.id)).map((r) => r.status)).toEqual(['expired', 'expired']);
    // The sweep alone also expires lapsed reservations (e.g. a direct one with an expiry).
    const r = await h.request<{ reservation: { id: string } }>('POST', '/api/v1/inventory/reservations', {
      token: store.manager.token,
      body: {
        locationId: shop,
        partId: parts.oil,
        qty: '1.5',
        expiresAt: new Date(h.clock.now().getTime() + 60_000).toISOString(),
      },
    });
    expect(r.status).toBe(201);
    expect((await stockOf(h, store.manager, shop, parts.oil)).reservedMilli).toBe(1500);
    h.clock.advance(2 * 60_000);
    expect(await expireReservations(h.ctx)).toBe(1);
    expect((await stockOf(h, store.manager, shop, parts.oil)).reservedMilli).toBe(0);
  });

  it('a booking the store cannot fill still books; the shortfall is a stock-out in the numbers', async () => {
    const b1 = await hold('2026-06-03T02:00:00.000Z');
    const b2 = await hold('2026-06-03T03:00:00.000Z');
    const b3 = await hold('2026-06-03T05:00:00.000Z');
    const filters = [b1, b2, b3].map(
      async (b) => (await reservations(b.id)).filter((r) => r.partId === parts.filter).length,
    );
    expect(await Promise.all(filters)).toEqual([1, 1, 0]);
    const n = await h.request<{ fillRate: number | null; stockOuts: { unfilledDemandLines: number } }>(
      'GET',
      `/api/v1/inventory/locations/${shop}/numbers`,
      { token: store.manager.token },
    );
    expect(n.status).toBe(200);
    expect(n.body.stockOuts.unfilledDemandLines).toBeGreaterThanOrEqual(1);
    expect(n.body.fillRate).toBeLessThan(1);
    for (const b of [b1, b2, b3])
      await h.request('POST', `/api/v1/bookings/${b.id}/cancel`, {
        token: b.owner.token,
        body: { reason: 'test' },
      });
    await h.ctx.bus.drain();
    expect((await stockOf(h, store.manager, shop, parts.filter)).reservedMilli).toBe(0);
  });

  it('the release endpoint, scoping, and another store cannot see this stock', async () => {
    const r = await h.request<{ reservation: { id: string } }>('POST', '/api/v1/inventory/reservations', {
      token: store.manager.token,
      body: { locationId: shop, partId: parts.filter, qty: 1 },
    });
    expect(r.status).toBe(201);
    const foreign = await newReadyStore(h);
    expect(
      (await h.request('GET', `/api/v1/inventory/locations/${shop}/stock`, { token: foreign.manager.token }))
        .status,
    ).toBe(404);
    expect(
      (
        await h.request('POST', `/api/v1/inventory/reservations/${r.body.reservation.id}/release`, {
          token: foreign.manager.token,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await h.request('POST', '/api/v1/inventory/reservations', {
          token: foreign.manager.token,
          body: { locationId: shop, partId: parts.filter, qty: 1 },
        })
      ).status,
    ).toBe(404);
    const desk = await h.request('POST', '/api/v1/inventory/reservations', {
      token: store.desk.token,
      body: { locationId: shop, partId: parts.filter, qty: 1 },
    });
    expect(desk.status).toBe(403);
    const rel = await h.request<{ reservation: { status: string } }>(
      'POST',
      `/api/v1/inventory/reservations/${r.body.reservation.id}/release`,
      { token: store.manager.token },
    );
    expect(rel.status).toBe(200);
    expect(rel.body.reservation.status).toBe('released');
  });

  it('a walk-in consumes fitting parts from free stock at hand-over, never a part that does not fit', async () => {
    // A filter for another model is in stock too; the Lavida's own filter must be the one used.
    const wrong = await newPart(h, chainAdmin, {
      sku: 'OF-TESLA',
      partTypeCode: 'oil_filter',
      unit: 'each',
      costFen: 1_000,
      priceFen: 2_000,
      fitment: [MODEL_3],
    });
    await receiveStock(h, store.manager, { locationId: shop, partId: wrong, qty: 50 });
    const before = await stockOf(h, store.manager, shop, parts.filter);
    const oilBefore = await stockOf(h, store.manager, shop, parts.oil);
    const phone = '13912345678';
    const owner = await h.owner(phone);
    const tech = await h.staff(store.storeId, 'technician');
    await h.request('PATCH', `/api/v1/technicians/${store.technicianIds[0]}`, {
      token: store.manager.token,
      body: { userId: tech.userId },
    });
    h.clock.set('2026-06-04T02:00:00Z');
    const wi = await h.request<{
      id: string;
      estimate: Array<{ kind: string; partTypeCode: string | null; qtyMilli: number; unitPriceFen: number }>;
    }>('POST', '/api/v1/work-orders/walk-in', {
      token: store.desk.token,
      body: {
        storeId: store.storeId,
        plate: '浙A12345',
        phone,
        vehicleModelId: LAVIDA,
        items: ['oil_change'],
        odometerKm: 50_000,
        fuelLevelPct: 50,
      },
    });
    expect(wi.status).toBe(201);
    // The walk-in's quote already used the store's fitting SKU price.
    expect(wi.body.estimate.find((l) => l.partTypeCode === 'oil_filter')!.unitPriceFen).toBe(6_800);
    await completeWorkOrder(h, wi.body.id, { tech, desk: store.desk, manager: store.manager, owner });
    await h.ctx.bus.drain();
    expect((await stockOf(h, store.manager, shop, parts.filter)).onHandMilli).toBe(before.onHandMilli - 1000);
    expect((await stockOf(h, store.manager, shop, wrong)).onHandMilli).toBe(50_000);
    const oilLine = wi.body.estimate.find((l) => l.partTypeCode === 'engine_oil')!;
    expect((await stockOf(h, store.manager, shop, parts.oil)).onHandMilli).toBe(
      oilBefore.onHandMilli - oilLine.qtyMilli,
    );
    const rec = await h.request<{ ok: boolean }>('GET', '/api/v1/inventory/reconciliation', {
      token: chainAdmin.token,
    });
    expect(rec.body.ok).toBe(true);
  });
});

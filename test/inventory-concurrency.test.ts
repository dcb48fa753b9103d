/**
 * Never oversell: 100 concurrent reservations for the last 10 units → exactly 10 succeed, the other
 * 90 get 409 inventory.insufficient_stock with what is available. Runs on PGlite, and on PostgreSQL
 * (a real pool of connections) when DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Session } from '../src/testing/harness.js';
import { newReadyStore, type StoreFixture } from '../src/testing/o2o.js';
import { newLocation, newPart, receiveStock, stockOf } from '../src/testing/inventory.js';

let h: Harness;
let store: StoreFixture;
let chainAdmin: Session;

beforeAll(async () => {
  h = await createHarness();
  store = await newReadyStore(h);
  chainAdmin = await h.staff(store.chainId, 'chain_admin');
});
afterAll(async () => h.close());

describe(`concurrent reservations (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('100 concurrent reservations for the last 10 units: exactly 10 succeed, 90 get 409 with what is available', async () => {
    const pads = await newPart(h, chainAdmin, {
      sku: 'BP-LAST10',
      partTypeCode: 'brake_pad_front',
      unit: 'each',
      costFen: 9_000,
      priceFen: 18_000,
    });
    const shop = await newLocation(h, store.manager, {
      kind: 'store',
      name: '门店库',
      storeId: store.storeId,
    });
    await receiveStock(h, store.manager, { locationId: shop, partId: pads, qty: 12 });
    // Two are already spoken for: 10 left.
    const first = await h.request('POST', '/api/v1/inventory/reservations', {
      token: store.manager.token,
      body: { locationId: shop, partId: pads, qty: 2 },
    });
    expect(first.status).toBe(201);

    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        h.request<{ error?: { code: string; details: { availableMilli: number; requestedMilli: number } } }>(
          'POST',
          '/api/v1/inventory/reservations',
          { token: store.manager.token, body: { locationId: shop, partId: pads, qty: 1 } },
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(90);
    for (const r of refused) {
      expect(r.body.error!.code).toBe('inventory.insufficient_stock');
      expect(r.body.error!.details.availableMilli).toBe(0);
      expect(r.body.error!.details.requestedMilli).toBe(1000);
    }
    expect(await stockOf(h, store.manager, shop, pads)).toMatchObject({
      onHandMilli: 12_000,
      reservedMilli: 12_000,
      availableMilli: 0,
    });
    const rec = await h.request<{ ok: boolean }>('GET', '/api/v1/inventory/reconciliation', {
      token: chainAdmin.token,
    });
    expect(rec.body.ok).toBe(true);
  });

  it('concurrent reserve and consume of the same stock never drive it negative', async () => {
    const oil = await newPart(h, chainAdmin, {
      sku: 'OIL-RACE',
      partTypeCode: 'engine_oil',
      unit: 'litre',
      costFen: 5_000,
      priceFen: 9_900,
    });
    const van = await newLocation(h, store.manager, {
      kind: 'van',
      name: '移动服务车 1',
      storeId: store.storeId,
    });
    await receiveStock(h, store.manager, { locationId: van, partId: oil, qty: '5.5' });
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? h.request('POST', '/api/v1/inventory/reservations', {
            token: store.manager.token,
            body: { locationId: van, partId: oil, qty: '0.5' },
          })
        : h.request('POST', '/api/v1/inventory/adjustments', {
            token: store.manager.token,
            body: { locationId: van, partId: oil, kind: 'adjustment', qty: '-0.5', reason: 'spill' },
          }),
    );
    const res = await Promise.all(calls);
    const ok = res.filter((r) => r.status === 201).length;
    expect(res.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(ok).toBe(11);
    const b = await stockOf(h, store.manager, van, oil);
    expect(b.onHandMilli).toBeGreaterThanOrEqual(b.reservedMilli);
    expect(b.availableMilli).toBe(0);
  });
});

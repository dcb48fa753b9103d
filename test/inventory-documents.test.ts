/**
 * Stock documents and bad input through HTTP: purchase orders (draft → sent → partly / fully
 * received, over-receipt refused), transfers (ship → receive with discrepancy; same location
 * refused), stocktakes (count → approval by a second person posts the variance), the parts
 * catalogue, reorder policy and the store-manager numbers, and typed 4xx for bad quantities.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Session } from '../src/testing/harness.js';
import { LAVIDA, MODEL_3, newReadyStore, type StoreFixture } from '../src/testing/o2o.js';
import { newLocation, newPart, oilChangeParts, receiveStock, stockOf } from '../src/testing/inventory.js';
import { makeTraceCode } from '../src/modules/inventory/index.js';

let h: Harness;
let store: StoreFixture;
let chainAdmin: Session;
let manager2: Session;
let parts: { filter: string; oil: string };
let central: string;
let regional: string;
let shop: string;

beforeAll(async () => {
  h = await createHarness();
  store = await newReadyStore(h);
  chainAdmin = await h.staff(store.chainId, 'chain_admin');
  manager2 = await h.staff(store.storeId, 'store_manager');
  parts = await oilChangeParts(h, chainAdmin);
  central = await newLocation(h, chainAdmin, {
    kind: 'central_warehouse',
    name: '中心仓',
    bins: ['R1', 'R2'],
  });
  regional = await newLocation(h, chainAdmin, { kind: 'regional_warehouse', name: '区域仓' });
  shop = await newLocation(h, store.manager, { kind: 'store', name: '门店库', storeId: store.storeId });
});
afterAll(async () => h.close());

const err = (r: { body: unknown }) =>
  (r.body as { error: { code: string; details?: Record<string, unknown> } }).error;

describe('purchase orders', () => {
  it('draft → sent → partly received → received; receiving more than ordered is a 422', async () => {
    const po = await h.request<{ id: string; status: string; totalFen: number }>(
      'POST',
      '/api/v1/inventory/purchase-orders',
      {
        token: chainAdmin.token,
        body: {
          locationId: central,
          supplier: '博世汽车配件（杭州）',
          lines: [
            { partId: parts.filter, qty: 5, unitCostFen: 2_400 },
            { partId: parts.oil, qty: '40', unitCostFen: 4_800 },
          ],
        },
      },
    );
    expect(po.status).toBe(201);
    expect(po.body).toMatchObject({ status: 'draft', totalFen: 5 * 2_400 + 40 * 4_800 });
    const early = await h.request('POST', `/api/v1/inventory/purchase-orders/${po.body.id}/receive`, {
      token: chainAdmin.token,
      body: { lines: [{ partId: parts.filter, qty: 1 }] },
    });
    expect(early.status).toBe(409);
    expect(err(early).code).toBe('inventory.illegal_transition');
    expect(
      (
        await h.request<{ status: string }>('POST', `/api/v1/inventory/purchase-orders/${po.body.id}/send`, {
          token: chainAdmin.token,
        })
      ).body.status,
    ).toBe('sent');
    const part1 = await h.request<{
      purchaseOrder: { status: string };
      traceCodes: Record<string, string[]>;
    }>('POST', `/api/v1/inventory/purchase-orders/${po.body.id}/receive`, {
      token: chainAdmin.token,
      body: {
        lines: [
          { partId: parts.filter, qty: 3, batch: 'L1', bin: 'R1' },
          { partId: parts.oil, qty: '40' },
        ],
      },
    });
    expect(part1.status).toBe(200);
    expect(part1.body.purchaseOrder.status).toBe('partly_received');
    expect(part1.body.traceCodes[parts.filter]).toHaveLength(3);
    const over = await h.request('POST', `/api/v1/inventory/purchase-orders/${po.body.id}/receive`, {
      token: chainAdmin.token,
      body: { lines: [{ partId: parts.filter, qty: 3 }] },
    });
    expect(over.status).toBe(422);
    expect(err(over)).toMatchObject({
      code: 'inventory.over_receipt',
      details: { orderedMilli: 5000, receivedMilli: 3000 },
    });
    const badBin = await h.request('POST', `/api/v1/inventory/purchase-orders/${po.body.id}/receive`, {
      token: chainAdmin.token,
      body: { lines: [{ partId: parts.filter, qty: 2, bin: 'Z9' }] },
    });
    expect(err(badBin).code).toBe('inventory.unknown_bin');
    const rest = await h.request<{ purchaseOrder: { status: string } }>(
      'POST',
      `/api/v1/inventory/purchase-orders/${po.body.id}/receive`,
      {
        token: chainAdmin.token,
        body: { lines: [{ partId: parts.filter, qty: 2 }] },
      },
    );
    expect(rest.body.purchaseOrder.status).toBe('received');
    expect(await stockOf(h, chainAdmin, central, parts.filter)).toMatchObject({ onHandMilli: 5000 });
    expect(await stockOf(h, chainAdmin, central, parts.oil)).toMatchObject({ onHandMilli: 40_000 });
    const list = await h.request<{ items: Array<{ id: string }> }>(
      'GET',
      '/api/v1/inventory/purchase-orders',
      { token: chainAdmin.token },
    );
    expect(list.body.items.map((p) => p.id)).toContain(po.body.id);
    // A store manager does not see the chain's purchase order.
    expect(
      (
        await h.request('GET', `/api/v1/inventory/purchase-orders/${po.body.id}`, {
          token: store.manager.token,
        })
      ).status,
    ).toBe(404);
  });
});

describe('transfers', () => {
  it('ship → receive with a discrepancy; same location and over-receipt refused', async () => {
    const same = await h.request('POST', '/api/v1/inventory/transfers', {
      token: chainAdmin.token,
      body: { fromLocationId: central, toLocationId: central, lines: [{ partId: parts.oil, qty: 1 }] },
    });
    expect(same.status).toBe(422);
    expect(err(same).code).toBe('inventory.same_location');
    const t = await h.request<{ id: string }>('POST', '/api/v1/inventory/transfers', {
      token: chainAdmin.token,
      body: {
        fromLocationId: central,
        toLocationId: regional,
        lines: [
          { partId: parts.oil, qty: '12.5' },
          { partId: parts.filter, qty: 2 },
        ],
      },
    });
    expect(t.status).toBe(201);
    expect(await stockOf(h, chainAdmin, central, parts.oil)).toMatchObject({ onHandMilli: 27_500 });
    const over = await h.request('POST', `/api/v1/inventory/transfers/${t.body.id}/receive`, {
      token: chainAdmin.token,
      body: { lines: [{ partId: parts.oil, qty: 13 }] },
    });
    expect(over.status).toBe(422);
    expect(err(over).code).toBe('inventory.over_receipt');
    const got = await h.request<{
      status: string;
      lines: Array<{ partId: string; discrepancyMilli: number }>;
    }>('POST', `/api/v1/inventory/transfers/${t.body.id}/receive`, {
      token: chainAdmin.token,
      body: {
        lines: [
          { partId: parts.oil, qty: '12' },
          { partId: parts.filter, qty: 2 },
        ],
      },
    });
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('received_with_discrepancy');
    expect(got.body.lines.find((l) => l.partId === parts.oil)!.discrepancyMilli).toBe(500);
    expect(await stockOf(h, chainAdmin, regional, parts.oil)).toMatchObject({ onHandMilli: 12_000 });
    const again = await h.request('POST', `/api/v1/inventory/transfers/${t.body.id}/receive`, {
      token: chainAdmin.token,
      body: { lines: [] },
    });
    expect(again.status).toBe(409);
    // The two filters' trace codes moved with them.
    const ledger = await h.request<{ items: Array<{ kind: string; refId: string | null }> }>(
      'GET',
      `/api/v1/inventory/locations/${regional}/ledger`,
      { token: chainAdmin.token },
    );
    expect(ledger.body.items.every((m) => m.kind === 'transfer_in' && m.refId === t.body.id)).toBe(true);
    // Too much stock asked: 409 naming what is available, nothing moved.
    const tooMuch = await h.request('POST', '/api/v1/inventory/transfers', {
      token: chainAdmin.token,
      body: {
        fromLocationId: central,
        toLocationId: shop,
        lines: [
          { partId: parts.oil, qty: 1 },
          { partId: parts.filter, qty: 99 },
        ],
      },
    });
    expect(tooMuch.status).toBe(409);
    expect(err(tooMuch)).toMatchObject({
      code: 'inventory.insufficient_stock',
      details: { availableMilli: 3000 },
    });
    expect(await stockOf(h, chainAdmin, central, parts.oil)).toMatchObject({ onHandMilli: 27_500 });
  });
});

describe('stocktakes', () => {
  it('count → approval by a second person posts the variance', async () => {
    await receiveStock(h, store.manager, { locationId: shop, partId: parts.oil, qty: 10 });
    const st = await h.request<{ id: string; status: string; lines: Array<{ varianceMilli: number }> }>(
      'POST',
      '/api/v1/inventory/stocktakes',
      {
        token: store.manager.token,
        body: { locationId: shop, counts: [{ partId: parts.oil, qty: '9.75' }] },
      },
    );
    expect(st.status).toBe(201);
    expect(st.body.lines[0]!.varianceMilli).toBe(-250);
    const self = await h.request('POST', `/api/v1/inventory/stocktakes/${st.body.id}/approve`, {
      token: store.manager.token,
    });
    expect(self.status).toBe(403);
    expect(err(self).code).toBe('inventory.four_eyes');
    expect(await stockOf(h, store.manager, shop, parts.oil)).toMatchObject({ onHandMilli: 10_000 });
    const ok = await h.request<{ status: string }>(
      'POST',
      `/api/v1/inventory/stocktakes/${st.body.id}/approve`,
      { token: manager2.token },
    );
    expect(ok.body.status).toBe('approved');
    expect(await stockOf(h, store.manager, shop, parts.oil)).toMatchObject({ onHandMilli: 9_750 });
    const twice = await h.request('POST', `/api/v1/inventory/stocktakes/${st.body.id}/approve`, {
      token: manager2.token,
    });
    expect(twice.status).toBe(409);
  });
});

describe('catalogue, policy and numbers', () => {
  it('finds parts by fitment and text, refuses a duplicate SKU, and reads the manager numbers', async () => {
    const nev = await newPart(h, chainAdmin, {
      sku: 'AC-NEV-1',
      partTypeCode: 'cabin_filter',
      unit: 'each',
      costFen: 3_000,
      priceFen: 8_800,
      fitment: [MODEL_3],
      powertrain: 'NEV',
    });
    const dup = await h.request('POST', '/api/v1/inventory/parts', {
      token: chainAdmin.token,
      body: {
        sku: 'AC-NEV-1',
        name: 'x',
        brand: 'x',
        category: 'x',
        partTypeCode: 'cabin_filter',
        unit: 'each',
        costFen: 1,
        priceFen: 1,
      },
    });
    expect(dup.status).toBe(409);
    const tracedLitre = await h.request('POST', '/api/v1/inventory/parts', {
      token: chainAdmin.token,
      body: {
        sku: 'X-1',
        name: 'x',
        brand: 'x',
        category: 'x',
        partTypeCode: 'coolant',
        unit: 'litre',
        costFen: 1,
        priceFen: 1,
        traced: true,
      },
    });
    expect(tracedLitre.status).toBe(422);
    const lavida = await h.request<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/v1/inventory/parts?vehicleModelId=${encodeURIComponent(LAVIDA)}`,
      {
        token: store.manager.token,
      },
    );
    expect(lavida.body.items.map((p) => p.id)).toEqual(expect.arrayContaining([parts.filter, parts.oil]));
    expect(lavida.body.items.map((p) => p.id)).not.toContain(nev);
    const byOe = await h.request<{ items: Array<{ id: string }> }>(
      'GET',
      '/api/v1/inventory/parts?q=04E115561H',
      { token: store.manager.token },
    );
    expect(byOe.body.items.map((p) => p.id)).toEqual([parts.filter]);
    const page1 = await h.request<{ items: unknown[]; nextCursor: string | null }>(
      'GET',
      '/api/v1/inventory/parts?limit=2',
      { token: chainAdmin.token },
    );
    expect(page1.body.items).toHaveLength(2);
    const page2 = await h.request<{ items: unknown[]; nextCursor: string | null }>(
      'GET',
      `/api/v1/inventory/parts?limit=2&cursor=${page1.body.nextCursor}`,
      { token: chainAdmin.token },
    );
    expect(page2.body.items).toHaveLength(1);

    const pol = await h.request('PUT', `/api/v1/inventory/locations/${shop}/policies/${parts.oil}`, {
      token: store.manager.token,
      body: { reorderPoint: 12, orderUpTo: '30.5' },
    });
    expect(pol.status).toBe(200);
    const badPol = await h.request('PUT', `/api/v1/inventory/locations/${shop}/policies/${parts.oil}`, {
      token: store.manager.token,
      body: { reorderPoint: 12, orderUpTo: 5 },
    });
    expect(badPol.status).toBe(422);
    const n = await h.request<{
      valueOnHandFen: number;
      belowReorderPoint: Array<{ partId: string; suggestedOrderMilli: number }>;
      slowMovers: Array<{ partId: string }>;
    }>('GET', `/api/v1/inventory/locations/${shop}/numbers`, { token: store.manager.token });
    expect(n.status).toBe(200);
    expect(n.body.valueOnHandFen).toBe(Math.round(9.75 * 5_000));
    expect(n.body.belowReorderPoint).toEqual([
      expect.objectContaining({ partId: parts.oil, suggestedOrderMilli: 30_500 - 9_750 }),
    ]);
    expect(n.body.slowMovers.map((s) => s.partId)).toEqual([parts.oil]);
    // Shelf life: units whose best-before falls within 60 days are listed.
    const soon = await receiveStock(h, store.manager, {
      locationId: shop,
      partId: parts.filter,
      qty: 2,
      expiresOn: '2026-07-15',
    });
    await receiveStock(h, store.manager, {
      locationId: shop,
      partId: parts.filter,
      qty: 1,
      expiresOn: '2027-06-01',
    });
    const n2 = await h.request<{ expiringSoon: Array<{ code: string; until: string }> }>(
      'GET',
      `/api/v1/inventory/locations/${shop}/numbers`,
      { token: store.manager.token },
    );
    expect(n2.body.expiringSoon.map((e) => e.code).sort()).toEqual([...soon].sort());
    expect(n2.body.expiringSoon.every((e) => e.until === '2026-07-15')).toBe(true);
    const locs1 = await h.request<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      'GET',
      '/api/v1/inventory/locations?limit=2',
      { token: chainAdmin.token },
    );
    expect(locs1.body.items).toHaveLength(2);
    const locs2 = await h.request<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      'GET',
      `/api/v1/inventory/locations?limit=2&cursor=${locs1.body.nextCursor}`,
      { token: chainAdmin.token },
    );
    expect(locs2.body).toMatchObject({ nextCursor: null });
    expect([...locs1.body.items, ...locs2.body.items].map((l) => l.id).sort()).toEqual(
      [central, regional, shop].sort(),
    );
    expect(
      (
        await h.request<{ items: Array<{ id: string }> }>('GET', '/api/v1/inventory/locations', {
          token: store.manager.token,
        })
      ).body.items.map((l) => l.id),
    ).toEqual([shop]);
    const detail = await h.request<{ stock: Array<{ locationId: string; onHandMilli: number }> }>(
      'GET',
      `/api/v1/inventory/parts/${parts.oil}`,
      {
        token: chainAdmin.token,
      },
    );
    expect(detail.body.stock.map((s) => s.locationId).sort()).toEqual([central, regional, shop].sort());
  });
});

describe('bad input is a typed 4xx', () => {
  it('negative, fractional, malformed quantities; unknown codes; wrong roles', async () => {
    const cases: Array<[unknown, number, string]> = [
      [-1, 422, 'inventory.negative_qty'],
      [1.5, 422, 'inventory.fractional_qty'],
      ['1.2345', 422, 'inventory.bad_qty'],
      ['abc', 422, 'inventory.bad_qty'],
      [0, 422, 'inventory.bad_qty'],
    ];
    for (const [qty, status, code] of cases) {
      const r = await h.request('POST', '/api/v1/inventory/receipts', {
        token: store.manager.token,
        body: { locationId: shop, partId: parts.filter, qty },
      });
      expect([qty, r.status]).toEqual([qty, status]);
      expect(err(r).code).toBe(code);
    }
    const negRes = await h.request('POST', '/api/v1/inventory/reservations', {
      token: store.manager.token,
      body: { locationId: shop, partId: parts.oil, qty: '-1' },
    });
    expect(err(negRes).code).toBe('inventory.negative_qty');
    const rts = await h.request('POST', '/api/v1/inventory/adjustments', {
      token: store.manager.token,
      body: { locationId: shop, partId: parts.oil, kind: 'return_to_supplier', qty: '-2', reason: 'x' },
    });
    expect(err(rts).code).toBe('inventory.negative_qty');
    const traced = await h.request('POST', '/api/v1/inventory/adjustments', {
      token: chainAdmin.token,
      body: { locationId: central, partId: parts.filter, kind: 'adjustment', qty: -1, reason: 'x' },
    });
    expect(err(traced).code).toBe('inventory.traced_needs_codes');
    const unknown = await h.request<{ result: string; sku: string | null }>(
      'GET',
      `/api/v1/inventory/trace/${makeTraceCode()}`,
      {
        token: store.manager.token,
      },
    );
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ result: 'unknown', sku: null });
    const garbage = await h.request('GET', '/api/v1/inventory/trace/HELLO', { token: store.manager.token });
    expect(garbage.status).toBe(422);
    expect(err(garbage).code).toBe('inventory.bad_trace_code');
    const tech = await h.staff(store.storeId, 'technician');
    expect(
      (
        await h.request('POST', '/api/v1/inventory/receipts', {
          token: tech.token,
          body: { locationId: shop, partId: parts.oil, qty: 1 },
        })
      ).status,
    ).toBe(403);
    const unauth = await h.request('GET', '/api/v1/inventory/locations');
    expect(unauth.status).toBe(401);
    const warehouseLoc = await h.request('POST', '/api/v1/inventory/locations', {
      token: store.manager.token,
      body: { kind: 'store', name: 'again', storeId: store.storeId },
    });
    expect(err(warehouseLoc).code).toBe('inventory.store_location_exists');
  });
});

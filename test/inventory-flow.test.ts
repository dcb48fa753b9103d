/**
 * Done-when of issue 5, through HTTP: stock arrives with trace codes → a booking hold reserves the
 * parts with the hold's expiry → confirmation keeps them → the work order consumes them (the
 * filter scanned onto its line) → the owner's service book shows the scanned part; the ledger
 * reconciles and the quote used the store's SKU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Session } from '../src/testing/harness.js';
import { LAVIDA, newOwnerWithVehicle, newReadyStore, type StoreFixture } from '../src/testing/o2o.js';
import { newLocation, oilChangeParts, receiveStock, stockOf } from '../src/testing/inventory.js';
import { makeTraceCode } from '../src/modules/inventory/index.js';
import { events } from '../src/platform/schema.js';
import { invTraceUnits } from '../src/modules/inventory/schema.js';
import { eq } from 'drizzle-orm';

let h: Harness;
let store: StoreFixture;
let tech: Session;
let chainAdmin: Session;

interface Line {
  id: string;
  kind: string;
  partTypeCode: string | null;
  qtyMilli: number;
  approval: string;
}
interface Detail {
  id: string;
  status: string;
  totalFen: number;
  inspection: Array<{ id: string }>;
  estimate: Line[];
  steps: Array<{ id: string }>;
}
interface Reservation {
  id: string;
  partId: string;
  qtyMilli: number;
  openMilli: number;
  status: string;
  expiresAt: string | null;
  workOrderId: string | null;
  sku: string;
}

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
  chainAdmin = await h.staff(store.chainId, 'chain_admin');
});
afterAll(async () => h.close());

describe('hold → reservation → confirmation → work order → scan → service book', () => {
  it('runs end to end through HTTP', async () => {
    const { filter, oil } = await oilChangeParts(h, chainAdmin);
    const central = await newLocation(h, chainAdmin, { kind: 'central_warehouse', name: '杭州中心仓' });
    const shop = await newLocation(h, store.manager, {
      kind: 'store',
      name: '门店库',
      storeId: store.storeId,
      bins: ['A-01', 'A-02'],
    });

    // Five filters arrive at the central warehouse, each with its own trace code; three go to the store.
    const codes = await receiveStock(h, chainAdmin, {
      locationId: central,
      partId: filter,
      qty: 5,
      batch: 'B2606',
    });
    expect(codes).toHaveLength(5);
    const tr = await h.request<{ id: string; status: string }>('POST', '/api/v1/inventory/transfers', {
      token: chainAdmin.token,
      body: { fromLocationId: central, toLocationId: shop, lines: [{ partId: filter, qty: 3 }] },
    });
    expect(tr.status).toBe(201);
    expect(tr.body.status).toBe('in_transit');
    const got = await h.request<{ status: string }>(
      'POST',
      `/api/v1/inventory/transfers/${tr.body.id}/receive`,
      {
        token: store.manager.token,
        body: { lines: [{ partId: filter, qty: 3 }] },
      },
    );
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('received');
    await receiveStock(h, store.manager, { locationId: shop, partId: oil, qty: '20.5', bin: 'A-02' });
    expect(await stockOf(h, store.manager, shop, oil)).toMatchObject({
      onHandMilli: 20_500,
      reservedMilli: 0,
    });

    // Which codes are at the store now: the authenticity check knows them; the rest stay central.
    const atStore: string[] = [];
    for (const c of codes) {
      const a = await h.request<{ result: string }>('GET', `/api/v1/inventory/trace/${c}`, {
        token: store.manager.token,
      });
      expect(a.body.result).toBe('known');
    }
    const ledger = await h.request<{ items: Array<{ kind: string; traceCode: string | null }> }>(
      'GET',
      `/api/v1/inventory/locations/${shop}/ledger?partId=${filter}`,
      { token: store.manager.token },
    );
    expect(ledger.body.items.map((m) => m.kind)).toEqual(['transfer_in']);

    // The quote switches from the part-type price to the store's SKU.
    const quote = await h.request<{
      lines: Array<{
        kind: string;
        partTypeCode?: string;
        sku?: string;
        unitPriceFen: number;
        qtyMilli: number;
      }>;
    }>('POST', '/api/v1/catalog/quote', {
      body: { storeId: store.storeId, vehicleModelId: LAVIDA, items: ['oil_change'] },
    });
    expect(quote.status).toBe(200);
    const qFilter = quote.body.lines.find((l) => l.partTypeCode === 'oil_filter')!;
    const qOil = quote.body.lines.find((l) => l.partTypeCode === 'engine_oil')!;
    expect(qFilter.sku).toMatch(/^OF-/);
    expect(qFilter.unitPriceFen).toBe(6_800);
    expect(qOil.sku).toMatch(/^OIL-/);
    expect(qOil.unitPriceFen).toBe(9_900);

    // Hold: the parts are reserved with the hold's expiry.
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const b = await h.request<{ id: string; status: string; holdExpiresAt: string | null }>(
      'POST',
      '/api/v1/bookings',
      {
        token: owner.token,
        body: {
          storeId: store.storeId,
          vehicleId,
          items: ['oil_change'],
          startAt: '2026-06-01T03:00:00.000Z',
        },
      },
    );
    expect(b.status).toBe(201);
    expect(b.body.status).toBe('held');
    await h.ctx.bus.drain();
    const held = await h.request<{ items: Reservation[] }>(
      'GET',
      `/api/v1/inventory/reservations?bookingId=${b.body.id}`,
      {
        token: store.manager.token,
      },
    );
    expect(held.body.items).toHaveLength(2);
    expect(held.body.items.every((r) => r.status === 'active')).toBe(true);
    expect(held.body.items.every((r) => r.expiresAt === b.body.holdExpiresAt)).toBe(true);
    expect(held.body.items.find((r) => r.partId === filter)!.qtyMilli).toBe(1000);
    expect(held.body.items.find((r) => r.partId === oil)!.qtyMilli).toBe(qOil.qtyMilli);
    expect(await stockOf(h, store.manager, shop, filter)).toMatchObject({
      onHandMilli: 3000,
      reservedMilli: 1000,
      availableMilli: 2000,
    });

    // Confirmation keeps them (no expiry any more).
    const conf = await h.request('POST', `/api/v1/bookings/${b.body.id}/confirm`, {
      token: owner.token,
      body: {},
    });
    expect(conf.status).toBe(200);
    await h.ctx.bus.drain();
    const kept = await h.request<{ items: Reservation[] }>(
      'GET',
      `/api/v1/inventory/reservations?bookingId=${b.body.id}`,
      {
        token: store.manager.token,
      },
    );
    expect(kept.body.items.every((r) => r.status === 'active' && r.expiresAt === null)).toBe(true);

    // Check-in: the reservations follow the work order.
    h.clock.set('2026-06-01T02:55:00Z');
    const ci = await h.request<Detail>('POST', '/api/v1/work-orders/check-in', {
      token: store.desk.token,
      body: { bookingId: b.body.id, odometerKm: 42_150, fuelLevelPct: 60 },
    });
    expect(ci.status).toBe(201);
    const woId = ci.body.id;
    await h.ctx.bus.drain();
    const linked = await h.request<{ items: Reservation[] }>(
      'GET',
      `/api/v1/inventory/reservations?workOrderId=${woId}`,
      {
        token: store.manager.token,
      },
    );
    expect(linked.body.items).toHaveLength(2);

    for (const p of ci.body.inspection)
      expect(
        (
          await h.request('PUT', `/api/v1/work-orders/${woId}/inspection/${p.id}`, {
            token: tech.token,
            body: { result: 'green' },
          })
        ).status,
      ).toBe(200);
    expect(
      (await h.request('POST', `/api/v1/work-orders/${woId}/send-estimate`, { token: store.desk.token }))
        .status,
    ).toBe(200);
    const appr = await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/approval`, {
      token: owner.token,
      body: { decisions: [] },
    });
    expect(appr.status).toBe(200);
    expect(appr.body.status).toBe('approved');
    const started = await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/start`, {
      token: tech.token,
    });
    expect(started.body.status).toBe('in_progress');

    // The technician scans the filter's code onto the filter line: consumed from the reservation.
    const filterLine = started.body.estimate.find(
      (l) => l.kind === 'part' && l.partTypeCode === 'oil_filter',
    )!;
    const oilLine = started.body.estimate.find((l) => l.kind === 'part' && l.partTypeCode === 'engine_oil')!;
    // The store holds the codes that were transferred (the three oldest); find one by its authenticity + ledger.
    const storeCodes = await codesAt(shop);
    expect(storeCodes).toHaveLength(3);
    atStore.push(...storeCodes);
    const centralCode = codes.find((c) => !atStore.includes(c))!;
    const wrongPlace = await h.request('POST', '/api/v1/inventory/scans', {
      token: tech.token,
      body: { code: centralCode, workOrderId: woId, lineId: filterLine.id },
    });
    expect(wrongPlace.status).toBe(409);
    expect(wrongPlace.body).toMatchObject({ error: { code: 'inventory.wrong_location' } });
    // A unit past its best-before is not fitted, and the manager sees the refused scan.
    await h.ctx.db
      .update(invTraceUnits)
      .set({ expiresOn: '2026-05-31' })
      .where(eq(invTraceUnits.code, atStore[2]!));
    const stale = await h.request('POST', '/api/v1/inventory/scans', {
      token: tech.token,
      body: { code: atStore[2], workOrderId: woId, lineId: filterLine.id },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: 'inventory.unit_expired' } });
    const refused = await h.request<{ items: Array<{ code: string; result: string }> }>(
      'GET',
      '/api/v1/inventory/scan-alerts',
      { token: store.manager.token },
    );
    expect(refused.body.items).toContainEqual(
      expect.objectContaining({ code: atStore[2], result: 'expired' }),
    );
    const scan = await h.request<{ result: string; fromReservation: boolean; sku: string }>(
      'POST',
      '/api/v1/inventory/scans',
      {
        token: tech.token,
        body: { code: atStore[0], workOrderId: woId, lineId: filterLine.id },
      },
    );
    expect(scan.status).toBe(201);
    expect(scan.body).toMatchObject({ result: 'consumed', fromReservation: true });
    expect(await stockOf(h, store.manager, shop, filter)).toMatchObject({
      onHandMilli: 2000,
      reservedMilli: 0,
    });

    // A second scan of the same code is refused and flagged to the operator.
    const twice = await h.request('POST', '/api/v1/inventory/scans', {
      token: tech.token,
      body: { code: atStore[0], workOrderId: woId, lineId: filterLine.id },
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: { code: 'inventory.double_scan' } });
    const unknown = await h.request('POST', '/api/v1/inventory/scans', {
      token: tech.token,
      body: { code: makeTraceCode(), workOrderId: woId, lineId: filterLine.id },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'inventory.unknown_trace_code' } });
    const garbled = atStore[1]!.slice(0, -1) + (atStore[1]!.endsWith('0') ? '1' : '0');
    const bad = await h.request('POST', '/api/v1/inventory/scans', {
      token: tech.token,
      body: { code: garbled, workOrderId: woId, lineId: filterLine.id },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: { code: 'inventory.bad_trace_code' } });
    const wrongLine = await h.request('POST', '/api/v1/inventory/scans', {
      token: tech.token,
      body: { code: atStore[1], workOrderId: woId, lineId: oilLine.id },
    });
    expect(wrongLine.status).toBe(409);
    expect(wrongLine.body).toMatchObject({ error: { code: 'inventory.wrong_sku' } });
    const alerts = await h.request<{
      items: Array<{ code: string; result: string; counterfeitSignal: boolean }>;
    }>('GET', '/api/v1/inventory/scan-alerts', { token: store.manager.token });
    expect(alerts.body.items.map((a) => a.result).sort()).toEqual([
      'already_consumed',
      'expired',
      'unknown',
      'wrong_location',
      'wrong_sku',
    ]);
    expect(alerts.body.items.find((a) => a.result === 'already_consumed')).toMatchObject({
      code: atStore[0],
      counterfeitSignal: true,
    });
    const auth = await h.request<{ result: string }>('GET', `/api/v1/inventory/trace/${atStore[0]}`, {
      token: store.manager.token,
    });
    expect(auth.body.result).toBe('already_consumed');
    const wrongSku = await h.request<{ result: string }>(
      'GET',
      `/api/v1/inventory/trace/${atStore[1]}?sku=NOPE`,
      {
        token: store.manager.token,
      },
    );
    expect(wrongSku.body.result).toBe('wrong_sku');

    // Finish the job, QC, pay, hand over: the oil (not traced) is consumed at completion.
    let d = (await h.request<Detail>('GET', `/api/v1/work-orders/${woId}`, { token: tech.token })).body;
    for (const s of d.steps) {
      h.clock.advance(5 * 60_000);
      expect(
        (await h.request('POST', `/api/v1/work-orders/${woId}/steps/${s.id}/done`, { token: tech.token }))
          .status,
      ).toBe(200);
    }
    d = (await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/finish`, { token: tech.token })).body;
    expect(d.status).toBe('quality_check');
    expect(
      (
        await h.request('POST', `/api/v1/work-orders/${woId}/qc`, {
          token: store.manager.token,
          body: { passed: true },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await h.request('POST', `/api/v1/work-orders/${woId}/payments`, {
          token: store.desk.token,
          body: { method: 'wechat', amountFen: d.totalFen },
        })
      ).status,
    ).toBe(201);
    const done = await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/hand-over`, {
      token: store.desk.token,
    });
    expect(done.body.status).toBe('handed_over');
    await h.ctx.bus.drain();

    expect(await stockOf(h, store.manager, shop, oil)).toMatchObject({
      onHandMilli: 20_500 - oilLine.qtyMilli,
      reservedMilli: 0,
    });
    expect(await stockOf(h, store.manager, shop, filter)).toMatchObject({
      onHandMilli: 2000,
      reservedMilli: 0,
    });
    const after = await h.request<{ items: Reservation[] }>(
      'GET',
      `/api/v1/inventory/reservations?workOrderId=${woId}`,
      {
        token: store.manager.token,
      },
    );
    expect(after.body.items.every((r) => r.status === 'consumed' && r.openMilli === 0)).toBe(true);

    // Replenishment hears of both consumptions (the scanned filter and the oil at completion).
    const consumed = await h.ctx.db.select().from(events).where(eq(events.type, 'inventory.consumed'));
    expect(consumed.map((e) => (e.payload as { partId: string; qtyMilli: number }).partId).sort()).toEqual(
      [filter, oil].sort(),
    );
    expect(consumed.find((e) => (e.payload as { partId: string }).partId === filter)!.payload).toMatchObject({
      traceCode: atStore[0],
      qtyMilli: 1000,
    });

    // The owner's service book shows the scanned filter on its line.
    const book = await h.request<{
      entries: Array<{
        workOrderId: string;
        parts: Array<{
          lineId: string;
          partTypeCode: string | null;
          traced: Array<{ code: string; sku: string; batch: string | null }>;
        }>;
      }>;
    }>('GET', `/api/v1/me/vehicles/${vehicleId}/service-book`, { token: owner.token });
    expect(book.status).toBe(200);
    const entry = book.body.entries.find((e) => e.workOrderId === woId)!;
    const fl = entry.parts.find((p) => p.partTypeCode === 'oil_filter')!;
    expect(fl.traced).toEqual([expect.objectContaining({ code: atStore[0], batch: 'B2606' })]);
    expect(fl.traced[0]!.sku).toMatch(/^OF-/);

    // The ledger reconciles for the chain and for the store.
    for (const who of [chainAdmin, store.manager]) {
      const rec = await h.request<{ ok: boolean; checked: number }>(
        'GET',
        '/api/v1/inventory/reconciliation',
        { token: who.token },
      );
      expect(rec.body.ok).toBe(true);
      expect(rec.body.checked).toBeGreaterThan(0);
    }
  });
});

/** Codes in stock at a location, read through the ledger of its receipts (transfer_in has no code). */
async function codesAt(locationId: string): Promise<string[]> {
  const { invTraceUnits } = await import('../src/modules/inventory/schema.js');
  const { and, eq } = await import('drizzle-orm');
  const rows = await h.ctx.db
    .select({ code: invTraceUnits.code })
    .from(invTraceUnits)
    .where(and(eq(invTraceUnits.locationId, locationId), eq(invTraceUnits.status, 'in_stock')));
  return rows.map((r) => r.code).sort();
}

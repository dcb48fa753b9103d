/**
 * Demand history from the real ledger: consumption on cars counts (net of customer returns),
 * transfers and receipts do not; periods are local days, Monday weeks or months, zero-filled; the
 * endpoint is scoped to the caller's org and validates its range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { newReadyStore, type StoreFixture } from '../src/testing/o2o.js';
import { newLocation, oilChangeParts } from '../src/testing/inventory.js';
import { postMovement } from '../src/modules/inventory/index.js';
import { invLocations } from '../src/modules/inventory/schema.js';
import { eq } from 'drizzle-orm';
import { periodStart, periodsBetween } from '../src/modules/replenishment/index.js';
import type { MovementKind } from '../src/modules/inventory/index.js';

describe('demand history', () => {
  let h: Harness;
  let store: StoreFixture;
  let shop: string;
  let oil: string;
  let orgPath: string;

  /** Posts a ledger row directly: the movement kinds a store's flows produce, at chosen times. */
  async function move(kind: MovementKind, qtyMilli: number, at: string): Promise<void> {
    await h.ctx.db.transaction((tx) =>
      postMovement(tx, {
        orgPath,
        partId: oil,
        sku: 'OIL',
        locationId: shop,
        kind,
        onHandDeltaMilli: qtyMilli,
        reservedDeltaMilli: 0,
        unitCostFen: 5_000,
        at: new Date(at),
      }),
    );
  }

  beforeAll(async () => {
    h = await createHarness();
    store = await newReadyStore(h);
    const chainAdmin = await h.staff(store.chainId, 'chain_admin');
    ({ oil } = await oilChangeParts(h, chainAdmin));
    shop = await newLocation(h, chainAdmin, { kind: 'store', name: '门店库', storeId: store.storeId });
    const [row] = await h.ctx.db
      .select({ orgPath: invLocations.orgPath })
      .from(invLocations)
      .where(eq(invLocations.id, shop));
    orgPath = row!.orgPath;
    await move('receipt', 40_000, '2026-05-01T02:00:00Z');
    // Monday 2026-05-04 (local): 4.5 L on a car, then 0.5 L back from a customer.
    await move('consumption', -4_500, '2026-05-04T03:00:00Z');
    await move('customer_return', 500, '2026-05-04T06:00:00Z');
    // Sunday 2026-05-10 23:30 local is still that week; 2026-05-10T16:30Z is Monday 00:30 local.
    await move('consumption', -4_000, '2026-05-10T15:30:00Z');
    await move('consumption', -3_500, '2026-05-10T16:30:00Z');
    // Moving stock away is not demand.
    await move('transfer_out', -10_000, '2026-05-12T02:00:00Z');
  });
  afterAll(() => h?.close());

  it('splits periods on local Mondays and month starts', () => {
    expect(periodStart('2026-05-10', 'week')).toBe('2026-05-04');
    expect(periodStart('2026-05-11', 'week')).toBe('2026-05-11');
    expect(periodStart('2026-05-31', 'month')).toBe('2026-05-01');
    expect(periodsBetween('2026-04-29', '2026-05-12', 'week')).toEqual([
      '2026-04-27',
      '2026-05-04',
      '2026-05-11',
    ]);
    expect(periodsBetween('2026-01-31', '2026-03-01', 'month')).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
  });

  it('counts consumption net of returns, by week, zero-filled, without transfers', async () => {
    const r = await h.request<{
      periods: string[];
      items: Array<{ partId: string; milli: number[]; totalMilli: number; unit: string }>;
    }>('GET', `/api/v1/replenishment/locations/${shop}/demand?period=week&from=2026-04-27&to=2026-05-24`, {
      token: store.manager.token,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.periods).toEqual(['2026-04-27', '2026-05-04', '2026-05-11', '2026-05-18']);
    expect(r.body.items).toHaveLength(1);
    expect(r.body.items[0]).toMatchObject({
      partId: oil,
      unit: 'litre',
      milli: [0, 8_000, 3_500, 0],
      totalMilli: 11_500,
    });
    const daily = await h.request<{ periods: string[]; items: Array<{ milli: number[] }> }>(
      'GET',
      `/api/v1/replenishment/locations/${shop}/demand?period=day&from=2026-05-04&to=2026-05-11`,
      { token: store.manager.token },
    );
    expect(daily.body.items[0]!.milli).toEqual([4_000, 0, 0, 0, 0, 0, 4_000, 3_500]);
  });

  it('keeps other chains out and explains a bad range', async () => {
    const other = await newReadyStore(h);
    const foreign = await h.request('GET', `/api/v1/replenishment/locations/${shop}/demand`, {
      token: other.manager.token,
    });
    expect(foreign.status).toBe(404);
    const desk = await h.request('GET', `/api/v1/replenishment/locations/${shop}/demand`, {
      token: store.desk.token,
    });
    expect(desk.status).toBe(403);
    const backwards = await h.request(
      'GET',
      `/api/v1/replenishment/locations/${shop}/demand?from=2026-05-10&to=2026-05-01`,
      {
        token: store.manager.token,
      },
    );
    expect(backwards.status).toBe(422);
    expect(backwards.body).toMatchObject({ error: { code: 'replenishment.bad_range' } });
  });
});

/** The booking path through HTTP: search, hold, confirm, expiry, double booking, cancel, reschedule, tenancy. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../src/testing/harness.js';
import {
  LAVIDA,
  WEST_LAKE,
  newOwnerWithVehicle,
  newReadyStore,
  type StoreFixture,
} from '../src/testing/o2o.js';

let h: Harness;
let store: StoreFixture;

beforeAll(async () => {
  h = await createHarness();
  store = await newReadyStore(h);
});
afterAll(async () => h.close());

interface Slots {
  days: Array<{ day: string; slots: Array<{ startAt: string }> }>;
}
const slotsOf = async (storeId: string, items = 'minor_service', day = '2026-06-01') =>
  (
    await h.request<Slots>(
      'GET',
      `/api/v1/stores/${storeId}/availability?vehicleModelId=${LAVIDA}&items=${items}&day=${day}`,
    )
  ).body.days[0]!.slots.map((s) => s.startAt);

describe('quote and search', () => {
  it('quotes labour and parts in fen, with the package discount', async () => {
    const r = await h.request<{
      labourFen: number;
      partsFen: number;
      discountFen: number;
      totalFen: number;
      durationMinutes: number;
      lines: Array<{ kind: string; partTypeCode?: string; qtyMilli: number }>;
    }>('POST', '/api/v1/catalog/quote', {
      body: { storeId: store.storeId, vehicleModelId: LAVIDA, items: ['minor_service'] },
    });
    expect(r.status).toBe(200);
    // Oil change 30 min + inspection 20 min at ¥120/h = ¥100 labour; 4.0 L oil + filter at economy tier.
    expect(r.body.labourFen).toBe(10_000);
    const oil = r.body.lines.find((l) => l.partTypeCode === 'engine_oil')!;
    expect(oil.qtyMilli).toBe(4000);
    expect(r.body.partsFen).toBe(4 * 4800 + 3600);
    expect(r.body.discountFen).toBe(Math.round((10_000 + 4 * 4800 + 3600) * 0.05));
    expect(r.body.totalFen).toBe(r.body.labourFen + r.body.partsFen - r.body.discountFen);
    expect(r.body.durationMinutes).toBe(60);
  });

  it('refuses items that do not fit the vehicle', async () => {
    const r = await h.request('POST', '/api/v1/catalog/quote', {
      body: { storeId: store.storeId, vehicleModelId: LAVIDA, items: ['nev_battery_check'] },
    });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ error: { code: 'catalog.not_applicable' } });
  });

  it('finds the store with ranked reasons and slots after the notice period', async () => {
    const r = await h.request<{
      options: Array<{
        storeId: string;
        slots: Array<{ startAt: string }>;
        reasons: Array<{ code: string }>;
      }>;
    }>('POST', '/api/v1/search', {
      body: {
        near: { ...WEST_LAKE, coord: 'gcj02' },
        vehicleModelId: LAVIDA,
        items: ['minor_service'],
        days: 1,
      },
    });
    expect(r.status).toBe(200);
    const opt = r.body.options.find((o) => o.storeId === store.storeId)!;
    expect(opt).toBeDefined();
    // Clock is 10:00 Shanghai; 30 minutes' notice → first start 10:30.
    expect(opt.slots[0]!.startAt).toBe('2026-06-01T02:30:00.000Z');
    // The dispatch module registers its ranking; travel time carries the distance.
    const travel = opt.reasons.find((x) => x.code === 'travel') as { en?: string } | undefined;
    expect(travel?.en).toMatch(/km\)$/);
  });
});

describe('holds and bookings', () => {
  it('hold → confirm, then the slot is gone; an expired hold frees it', async () => {
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const start = '2026-06-01T03:00:00.000Z';
    const hold = await h.request<{ id: string; status: string; holdExpiresAt: string }>(
      'POST',
      '/api/v1/bookings',
      {
        token: owner.token,
        body: { storeId: store.storeId, vehicleId, items: ['minor_service'], startAt: start },
      },
    );
    expect(hold.status).toBe(201);
    expect(hold.body.status).toBe('held');
    expect(await slotsOf(store.storeId)).not.toContain(start);
    const conf = await h.request<{ status: string }>('POST', `/api/v1/bookings/${hold.body.id}/confirm`, {
      token: owner.token,
      body: {},
    });
    expect(conf.body.status).toBe('confirmed');

    const late = await h.request<{ id: string }>('POST', '/api/v1/bookings', {
      token: owner.token,
      body: {
        storeId: store.storeId,
        vehicleId,
        items: ['minor_service'],
        startAt: '2026-06-01T05:00:00.000Z',
      },
    });
    h.clock.advance(11 * 60_000);
    const expired = await h.request('POST', `/api/v1/bookings/${late.body.id}/confirm`, {
      token: owner.token,
      body: {},
    });
    expect(expired.status).toBe(409);
    expect(expired.body).toMatchObject({ error: { code: 'booking.hold_expired' } });
    expect(await slotsOf(store.storeId)).toContain('2026-06-01T05:00:00.000Z');
    const other = await newOwnerWithVehicle(h);
    const taken = await h.request('POST', '/api/v1/bookings', {
      token: other.owner.token,
      body: {
        storeId: store.storeId,
        vehicleId: other.vehicleId,
        items: ['minor_service'],
        startAt: '2026-06-01T05:00:00.000Z',
        confirm: true,
      },
    });
    expect(taken.status).toBe(201);
  });

  it('50 concurrent holds and 50 concurrent direct bookings of one single-capacity slot: exactly one each', async () => {
    const owners = await Promise.all(Array.from({ length: 10 }, () => newOwnerWithVehicle(h)));
    for (const [startAt, confirm] of [
      ['2026-06-02T02:00:00.000Z', false],
      ['2026-06-02T04:00:00.000Z', true],
    ] as const) {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const o = owners[i % owners.length]!;
          return h.request('POST', '/api/v1/bookings', {
            token: o.owner.token,
            body: {
              storeId: store.storeId,
              vehicleId: o.vehicleId,
              items: ['minor_service'],
              startAt,
              confirm,
            },
          });
        }),
      );
      const codes = results.map((r) => r.status);
      expect(codes.filter((c) => c === 201)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(49);
      expect(results.find((r) => r.status === 409)!.body).toMatchObject({
        error: { code: 'booking.slot_taken' },
      });
    }
  });

  it('rejects off-grid, too-soon and closed-hours starts with clear errors', async () => {
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const body = (startAt: string) => ({
      token: owner.token,
      body: { storeId: store.storeId, vehicleId, items: ['minor_service'], startAt },
    });
    expect(
      (await h.request('POST', '/api/v1/bookings', body('2026-06-03T02:10:00.000Z'))).body,
    ).toMatchObject({ error: { code: 'booking.off_grid' } });
    expect(
      (
        await h.request(
          'POST',
          '/api/v1/bookings',
          body(
            h.clock
              .now()
              .toISOString()
              .replace(/:\d\d\.\d+Z/, ':00.000Z'),
          ),
        )
      ).status,
    ).toBe(422);
    expect(
      (await h.request('POST', '/api/v1/bookings', body('2026-06-03T12:00:00.000Z'))).body,
    ).toMatchObject({ error: { code: 'booking.store_closed' } });
  });

  it('cancel frees the slot; reschedule moves it; owners cannot cancel after the cut-off', async () => {
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const b = await h.request<{ id: string }>('POST', '/api/v1/bookings', {
      token: owner.token,
      body: {
        storeId: store.storeId,
        vehicleId,
        items: ['minor_service'],
        startAt: '2026-06-04T02:00:00.000Z',
        confirm: true,
      },
    });
    const moved = await h.request<{ startAt: string }>('POST', `/api/v1/bookings/${b.body.id}/reschedule`, {
      token: owner.token,
      body: { startAt: '2026-06-04T06:00:00.000Z' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.startAt).toBe('2026-06-04T06:00:00.000Z');
    expect(await slotsOf(store.storeId, 'minor_service', '2026-06-04')).toContain('2026-06-04T02:00:00.000Z');
    expect(await slotsOf(store.storeId, 'minor_service', '2026-06-04')).not.toContain(
      '2026-06-04T06:00:00.000Z',
    );
    const c = await h.request<{ status: string }>('POST', `/api/v1/bookings/${b.body.id}/cancel`, {
      token: owner.token,
      body: { reason: 'plans changed' },
    });
    expect(c.body.status).toBe('cancelled');
    expect(await slotsOf(store.storeId, 'minor_service', '2026-06-04')).toContain('2026-06-04T06:00:00.000Z');
    const again = await h.request('POST', `/api/v1/bookings/${b.body.id}/cancel`, {
      token: owner.token,
      body: {},
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      error: { code: 'booking.illegal_transition', details: { from: 'cancelled', to: 'cancelled' } },
    });

    const soon = await h.request<{ id: string }>('POST', '/api/v1/bookings', {
      token: owner.token,
      body: {
        storeId: store.storeId,
        vehicleId,
        items: ['minor_service'],
        startAt: '2026-06-05T02:00:00.000Z',
        confirm: true,
      },
    });
    h.clock.set('2026-06-05T01:00:00Z');
    const tooLate = await h.request('POST', `/api/v1/bookings/${soon.body.id}/cancel`, {
      token: owner.token,
      body: {},
    });
    expect(tooLate.body).toMatchObject({ error: { code: 'booking.too_late_to_cancel' } });
    const byStore = await h.request<{ status: string }>('POST', `/api/v1/bookings/${soon.body.id}/cancel`, {
      token: store.desk.token,
      body: { reason: 'customer called' },
    });
    expect(byStore.body.status).toBe('cancelled');
    h.clock.set('2026-06-01T02:11:00Z');
  });

  it('another tenant’s booking is a 404, another owner’s too', async () => {
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const b = await h.request<{ id: string }>('POST', '/api/v1/bookings', {
      token: owner.token,
      body: {
        storeId: store.storeId,
        vehicleId,
        items: ['minor_service'],
        startAt: '2026-06-06T02:00:00.000Z',
        confirm: true,
      },
    });
    const foreign = await newReadyStore(h);
    expect(
      (await h.request('GET', `/api/v1/bookings/${b.body.id}`, { token: foreign.manager.token })).status,
    ).toBe(404);
    expect(
      (await h.request('GET', `/api/v1/bookings/${b.body.id}`, { token: store.manager.token })).status,
    ).toBe(200);
    const stranger = await h.owner();
    expect((await h.request('GET', `/api/v1/bookings/${b.body.id}`, { token: stranger.token })).status).toBe(
      404,
    );
    expect(
      (
        await h.request('POST', `/api/v1/bookings/${b.body.id}/cancel`, {
          token: foreign.manager.token,
          body: {},
        })
      ).status,
    ).toBe(404);
  });
});

describe('payments', () => {
  it('prepays through the sandbox with a signed callback; forged and replayed callbacks are rejected and logged', async () => {
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const b = await h.request<{ id: string; totalFen: number }>('POST', '/api/v1/bookings', {
      token: owner.token,
      body: {
        storeId: store.storeId,
        vehicleId,
        items: ['minor_service'],
        startAt: '2026-06-08T02:00:00.000Z',
        confirm: true,
      },
    });
    const start = await h.request<{ payment: { id: string; amountFen: number; status: string } }>(
      'POST',
      `/api/v1/bookings/${b.body.id}/payments`,
      { token: owner.token },
    );
    expect(start.status).toBe(201);
    expect(start.body.payment).toMatchObject({ amountFen: b.body.totalFen, status: 'pending' });
    const payId = start.body.payment.id;

    const { sandbox } = await import('../src/modules/booking/index.js');
    const sb = sandbox(h.ctx);
    const { paymentsFor } = await import('../src/modules/booking/index.js');
    const ref = (await paymentsFor(h.ctx.db, { bookingId: b.body.id }))[0]!.providerRef!;
    const cb = sb.makeCallback(
      { paymentId: payId, providerRef: ref, status: 'succeeded', amountFen: b.body.totalFen },
      h.clock.now(),
    );
    const forged = await h.request('POST', '/api/v1/payments/callbacks/sandbox', {
      payload: cb.rawBody.replace(String(b.body.totalFen), '1'),
      headers: { ...cb.headers, 'content-type': 'application/json' },
    });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'payment.bad_signature' } });
    const ok = await h.request<{ status: string }>('POST', '/api/v1/payments/callbacks/sandbox', {
      payload: cb.rawBody,
      headers: { ...cb.headers, 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('succeeded');
    const replay = await h.request('POST', '/api/v1/payments/callbacks/sandbox', {
      payload: cb.rawBody,
      headers: { ...cb.headers, 'content-type': 'application/json' },
    });
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({ error: { code: 'payment.replayed' } });
    const { sql } = await import('drizzle-orm');
    const log = (await h.ctx.db.execute(
      sql`select outcome from payment_callbacks order by id`,
    )) as unknown as { rows: Array<{ outcome: string }> };
    expect(log.rows.map((r) => r.outcome)).toEqual(['payment.bad_signature', 'accepted', 'payment.replayed']);

    const receipt = await h.request('GET', `/api/v1/payments/${payId}/receipt`, { token: owner.token });
    expect(receipt.status).toBe(200);
    expect(String(receipt.body)).toContain('¥');
    const inv = await h.request('POST', `/api/v1/payments/${payId}/invoice-requests`, {
      token: owner.token,
      body: { buyerKind: 'company', buyerName: '杭州某某科技有限公司', taxId: '91330100MA27XYZ123' },
    });
    expect(inv.status).toBe(422);
    const inv2 = await h.request('POST', `/api/v1/payments/${payId}/invoice-requests`, {
      token: owner.token,
      body: { buyerKind: 'company', buyerName: '杭州某某科技有限公司', taxId: '91350100M000100Y43' },
    });
    expect(inv2.status).toBe(201);
    const refund = await h.request<{ status: string; refundedFen: number }>(
      'POST',
      `/api/v1/payments/${payId}/refunds`,
      { token: store.manager.token, body: { amountFen: 1000, reason: '优惠补偿' } },
    );
    expect(refund.body).toMatchObject({ status: 'partially_refunded', refundedFen: 1000 });
    const settle = await h.request<{
      grossFen: number;
      refundsFen: number;
      commissionFen: number;
      payoutDueFen: number;
      onlineCollectedFen: number;
    }>('GET', `/api/v1/stores/${store.storeId}/settlement?day=2026-06-01`, { token: store.manager.token });
    expect(settle.body.grossFen).toBe(b.body.totalFen);
    expect(settle.body.refundsFen).toBe(1000);
    expect(settle.body.commissionFen).toBe(Math.round((b.body.totalFen - 1000) * 0.12));
    expect(settle.body.payoutDueFen).toBe(b.body.totalFen - 1000 - settle.body.commissionFen);
  });
});

/**
 * The whole owner → store → owner path through HTTP: book, check in, inspect with a photo (GPS
 * stripped), estimate with extra work approved line by line through the signed link, SOP steps, QC by
 * a second person, payment, hand-over with warranty, review, service book — and its failure paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { newOwnerWithVehicle, newReadyStore, type StoreFixture } from '../src/testing/o2o.js';
import {
  buildJpeg,
  jpegComment,
  jpegExifSegment,
  jpegXmpSegment,
  SECRET,
} from '../src/platform/blobs/photo-fixtures.js';

let h: Harness;
let store: StoreFixture;
let tech: { token: string; userId: string };

interface Detail {
  id: string;
  status: string;
  totalFen: number;
  dueFen: number;
  paidFen: number;
  bookingId: string | null;
  inspection: Array<{ id: string; code: string; result: string | null; photoIds: string[] }>;
  estimate: Array<{
    id: string;
    itemCode: string;
    approval: string;
    amountFen: number;
    recommended: boolean;
  }>;
  steps: Array<{ id: string; doneAt: string | null; minutes: number | null }>;
  warrantyUntil: string | null;
  nextEvents: string[];
}

function multipart(
  file: Buffer,
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----pitlane' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  h = await createHarness();
  store = await newReadyStore(h, {
    technicians: [{ name: '李师傅', skills: ['general', 'brakes', 'tyres', 'engine'] }],
  });
  tech = await h.staff(store.storeId, 'technician');
  // Link the technician account to the roster entry, as a manager would.
  await h.request('PATCH', `/api/v1/technicians/${store.technicianIds[0]}`, {
    token: store.manager.token,
    body: { userId: tech.userId },
  });
});
afterAll(async () => h.close());

describe('standardized work order, end to end', () => {
  it('owner books, store fulfils, owner approves, pays, reviews; the service book shows it', async () => {
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const b = await h.request<{ id: string; totalFen: number }>('POST', '/api/v1/bookings', {
      token: owner.token,
      body: {
        storeId: store.storeId,
        vehicleId,
        items: ['minor_service'],
        startAt: '2026-06-01T03:00:00.000Z',
        confirm: true,
      },
    });
    expect(b.status).toBe(201);
    h.clock.set('2026-06-01T02:55:00Z');

    const ci = await h.request<Detail>('POST', '/api/v1/work-orders/check-in', {
      token: store.desk.token,
      body: { bookingId: b.body.id, odometerKm: 42_150, fuelLevelPct: 60 },
    });
    expect(ci.status).toBe(201);
    const woId = ci.body.id;
    expect(ci.body.status).toBe('checked_in');
    expect(ci.body.totalFen).toBe(b.body.totalFen);
    const again = await h.request('POST', '/api/v1/work-orders/check-in', {
      token: store.desk.token,
      body: { bookingId: b.body.id, odometerKm: 42_150, fuelLevelPct: 60 },
    });
    expect(again.status).toBe(409);

    // Illegal transition: hand-over straight after check-in.
    const early = await h.request('POST', `/api/v1/work-orders/${woId}/hand-over`, {
      token: store.desk.token,
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      error: { code: 'workorder.illegal_transition', details: { from: 'checked_in', to: 'handed_over' } },
    });

    // Inspection by the technician: a photo with GPS, all points recorded, front pads red.
    const points = ci.body.inspection;
    const pads = points.find((p) => p.code === 'brakes_front')!;
    const jpeg = buildJpeg({ segments: [jpegExifSegment(), jpegXmpSegment(), jpegComment()] });
    expect(jpeg.includes(SECRET)).toBe(true);
    const up = await h.request<{ id: string }>('POST', `/api/v1/work-orders/${woId}/photos`, {
      token: tech.token,
      ...multipart(jpeg, { inspectionItemId: pads.id }),
    });
    expect(up.status).toBe(201);
    const bad = await h.request('POST', `/api/v1/work-orders/${woId}/photos`, {
      token: tech.token,
      ...multipart(Buffer.from('%PDF-1.4 not a photo')),
    });
    expect(bad.status).toBe(415);
    for (const p of points) {
      const r = await h.request('PUT', `/api/v1/work-orders/${woId}/inspection/${p.id}`, {
        token: tech.token,
        body: {
          result: p.code === 'brakes_front' ? 'red' : 'green',
          note: p.code === 'brakes_front' ? '剩余 2 mm' : undefined,
        },
      });
      expect(r.status).toBe(200);
    }
    const photo = await h.app.inject({
      method: 'GET',
      url: `/api/v1/work-orders/${woId}/photos/${up.body.id}`,
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.rawPayload.includes(SECRET)).toBe(false);

    // Estimate: the store recommends front pads; the owner approves them via the signed link.
    const est = await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/estimate-lines`, {
      token: store.desk.token,
      body: { itemCode: 'brake_pads_front' },
    });
    expect(est.body.status).toBe('estimate');
    await h.request('POST', `/api/v1/work-orders/${woId}/estimate-lines`, {
      token: store.desk.token,
      body: { custom: { kind: 'labour', description: '清洗节气门', qtyMilli: 1000, unitPriceFen: 8000 } },
    });
    const sent = await h.request<{ approvalUrl: string }>(
      'POST',
      `/api/v1/work-orders/${woId}/send-estimate`,
      { token: store.desk.token },
    );
    expect(sent.status).toBe(200);
    const token = sent.body.approvalUrl.split('/approve/')[1]!;
    const view = await h.request<{
      lines: Array<{ id: string; approval: string; itemCode: string; amountFen: number }>;
    }>('GET', `/api/v1/approvals/${token}`);
    expect(view.status).toBe(200);
    const pending = view.body.lines.filter((l) => l.approval === 'pending');
    expect(pending.length).toBeGreaterThan(1);
    const tampered = await h.request('GET', `/api/v1/approvals/${token.slice(0, -2)}xx`);
    expect(tampered.status).toBe(404);
    const partial = await h.request('POST', `/api/v1/approvals/${token}`, {
      body: { decisions: [{ lineId: pending[0]!.id, approve: true }] },
    });
    expect(partial.status).toBe(422);
    const decided = await h.request<Detail>('POST', `/api/v1/approvals/${token}`, {
      body: { decisions: pending.map((l) => ({ lineId: l.id, approve: l.itemCode !== 'custom' })) },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('approved');
    const padsFen = pending.filter((l) => l.itemCode !== 'custom').reduce((s, l) => s + l.amountFen, 0);
    expect(decided.body.totalFen).toBe(b.body.totalFen + padsFen);
    expect(decided.body.estimate.find((l) => l.itemCode === 'custom')!.approval).toBe('declined');
    const reuse = await h.request('POST', `/api/v1/approvals/${token}`, { body: { decisions: [] } });
    expect(reuse.status).toBe(409);

    // Work: the technician ticks every SOP step, then QC by a second person.
    let d = (await h.request<Detail>('GET', `/api/v1/work-orders/${woId}`, { token: tech.token })).body;
    expect(d.steps.length).toBeGreaterThan(4);
    expect(
      (await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/start`, { token: tech.token })).body
        .status,
    ).toBe('in_progress');
    for (const s of d.steps) {
      h.clock.advance(5 * 60_000);
      const r = await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/steps/${s.id}/done`, {
        token: tech.token,
      });
      expect(r.status).toBe(200);
    }
    d = (await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/finish`, { token: tech.token })).body;
    expect(d.status).toBe('quality_check');
    expect(d.steps.every((s) => s.minutes === 5)).toBe(true);
    const selfQc = await h.request('POST', `/api/v1/work-orders/${woId}/qc`, {
      token: store.manager.token,
      body: { passed: true },
    });
    expect(selfQc.status).toBe(200);
    expect((selfQc.body as unknown as Detail).status).toBe('ready');

    // Payment and hand-over.
    const unpaid = await h.request('POST', `/api/v1/work-orders/${woId}/hand-over`, {
      token: store.desk.token,
    });
    expect(unpaid.status).toBe(409);
    expect(unpaid.body).toMatchObject({ error: { code: 'workorder.unpaid' } });
    const pay = await h.request('POST', `/api/v1/work-orders/${woId}/payments`, {
      token: store.desk.token,
      body: { method: 'wechat', amountFen: decided.body.totalFen },
    });
    expect(pay.status).toBe(201);
    const done = await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/hand-over`, {
      token: store.desk.token,
    });
    expect(done.body.status).toBe('handed_over');
    expect(done.body.warrantyUntil).toBeTruthy();
    const booking = await h.request<{ status: string }>('GET', `/api/v1/bookings/${b.body.id}`, {
      token: owner.token,
    });
    expect(booking.body.status).toBe('completed');

    // Review, timeline, service book.
    const rv = await h.request<Detail>('POST', `/api/v1/work-orders/${woId}/review`, {
      token: owner.token,
      body: { stars: 5, tags: ['专业'], text: '很快' },
    });
    expect(rv.body.status).toBe('reviewed');
    const tl = await h.request<{ items: Array<{ event: string; at: string; actorRole: string | null }> }>(
      'GET',
      `/api/v1/work-orders/${woId}/timeline`,
      { token: owner.token },
    );
    const events = tl.body.items.map((e) => e.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'check_in',
        'start_inspection',
        'photo',
        'build_estimate',
        'send_estimate',
        'approve',
        'start_work',
        'step_done',
        'finish_work',
        'qc_pass',
        'hand_over',
        'review',
      ]),
    );
    expect(tl.body.items.every((e) => e.at)).toBe(true);
    const book = await h.request<{
      entries: Array<{ workOrderId: string; items: Array<{ code: string }>; odometerKm: number }>;
    }>('GET', `/api/v1/me/vehicles/${vehicleId}/service-book`, { token: owner.token });
    expect(book.body.entries[0]!.workOrderId).toBe(woId);
    expect(book.body.entries[0]!.items.map((i) => i.code)).toContain('brake_pads_front');
    expect(book.body.entries[0]!.odometerKm).toBe(42_150);

    // A comeback under warranty links to the original; another store cannot see either.
    const cb = await h.request<{ id: string; comebackOf: string }>(
      'POST',
      `/api/v1/work-orders/${woId}/comeback`,
      { token: store.desk.token, body: { odometerKm: 43_000, fuelLevelPct: 50, notes: '刹车异响' } },
    );
    expect(cb.status).toBe(201);
    expect(cb.body.comebackOf).toBe(woId);
    const foreign = await newReadyStore(h);
    expect(
      (await h.request('GET', `/api/v1/work-orders/${woId}`, { token: foreign.manager.token })).status,
    ).toBe(404);
    expect(
      (
        await h.request('POST', `/api/v1/work-orders/${woId}/comeback`, {
          token: foreign.desk.token,
          body: { odometerKm: 1, fuelLevelPct: 1, notes: 'x' },
        })
      ).status,
    ).toBe(404);
  });

  it('QC cannot be done by the technician who did the work', async () => {
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    const b = await h.request<{ id: string }>('POST', '/api/v1/bookings', {
      token: owner.token,
      body: {
        storeId: store.storeId,
        vehicleId,
        items: ['wipers'],
        startAt: '2026-06-09T02:00:00.000Z',
        confirm: true,
      },
    });
    h.clock.set('2026-06-09T01:55:00Z');
    const ci = await h.request<Detail>('POST', '/api/v1/work-orders/check-in', {
      token: store.desk.token,
      body: { bookingId: b.body.id, odometerKm: 10, fuelLevelPct: 10 },
    });
    const woId = ci.body.id;
    for (const p of ci.body.inspection)
      await h.request('PUT', `/api/v1/work-orders/${woId}/inspection/${p.id}`, {
        token: tech.token,
        body: { result: 'green' },
      });
    await h.request('POST', `/api/v1/work-orders/${woId}/send-estimate`, { token: store.desk.token });
    await h.request('POST', `/api/v1/work-orders/${woId}/approval`, {
      token: owner.token,
      body: { decisions: [] },
    });
    const d = (await h.request<Detail>('GET', `/api/v1/work-orders/${woId}`, { token: tech.token })).body;
    expect(d.status).toBe('approved');
    // The manager does the work this time, so the manager may not also pass the QC.
    for (const s of d.steps)
      await h.request('POST', `/api/v1/work-orders/${woId}/steps/${s.id}/done`, {
        token: store.manager.token,
      });
    await h.request('POST', `/api/v1/work-orders/${woId}/finish`, { token: store.manager.token });
    const own = await h.request('POST', `/api/v1/work-orders/${woId}/qc`, {
      token: store.manager.token,
      body: { passed: true },
    });
    expect(own.status).toBe(409);
    expect(own.body).toMatchObject({ error: { code: 'qc.same_person' } });
    const byDesk = await h.request('POST', `/api/v1/work-orders/${woId}/qc`, {
      token: store.desk.token,
      body: { passed: false, notes: '雨刮异响' },
    });
    expect((byDesk.body as unknown as Detail).status).toBe('in_progress');
    const redo = (await h.request<Detail>('GET', `/api/v1/work-orders/${woId}`, { token: tech.token })).body;
    expect(redo.steps.every((s) => s.doneAt === null)).toBe(true);
  });

  it('walk-ins are registered by plate and phone and need a model for a new vehicle', async () => {
    const noModel = await h.request('POST', '/api/v1/work-orders/walk-in', {
      token: store.desk.token,
      body: {
        storeId: store.storeId,
        plate: '浙A12345',
        phone: '13700001111',
        items: ['wipers'],
        odometerKm: 1000,
        fuelLevelPct: 30,
      },
    });
    expect(noModel.status).toBe(422);
    expect(noModel.body).toMatchObject({ error: { code: 'workorder.vehicle_model_needed' } });
    const { LAVIDA } = await import('../src/testing/o2o.js');
    const ok = await h.request<Detail>('POST', '/api/v1/work-orders/walk-in', {
      token: store.desk.token,
      body: {
        storeId: store.storeId,
        plate: '浙a·12345',
        phone: '137 0000 1111',
        name: '赵先生',
        vehicleModelId: LAVIDA,
        items: ['wipers'],
        odometerKm: 1000,
        fuelLevelPct: 30,
      },
    });
    expect(ok.status).toBe(201);
    const found = await h.request<{ items: Array<{ plate: string; ownerPhone: string }> }>(
      'GET',
      `/api/v1/customers/lookup?plate=${encodeURIComponent('浙A12345')}`,
      { token: store.desk.token },
    );
    expect(found.body.items[0]!.plate).toBe('浙A12345');
    const techLookup = await h.request(
      'GET',
      `/api/v1/customers/lookup?plate=${encodeURIComponent('浙A12345')}`,
      { token: tech.token },
    );
    expect(techLookup.status).toBe(403);
  });
});

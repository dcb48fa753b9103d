/**
 * The availability index (claims, roster, hours and quotes held in memory per store) never answers
 * from before a write made in this process: each test first lets the index settle and warms it with
 * the same question, then writes through HTTP and asks again. A write made behind the process's back
 * (another `pitlane serve` on the same database) shows within INDEX_MAX_AGE_MS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Session } from '../src/testing/harness.js';
import { LAVIDA, newOwnerWithVehicle, newReadyStore, type StoreFixture } from '../src/testing/o2o.js';
import { DIRTY_MS, INDEX_MAX_AGE_MS } from '../src/modules/booking/availability-index.js';
import { slotClaims } from '../src/modules/booking/schema.js';
import { eq } from 'drizzle-orm';

let h: Harness;
let store: StoreFixture;
let owner: { owner: Session; vehicleId: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  totalFen: number;
  days: Array<{ day: string; closed: boolean; slots: Array<{ startAt: string }> }>;
}
async function ask(day: string, items = 'minor_service'): Promise<Answer> {
  const r = await h.request<Answer>(
    'GET',
    `/api/v1/stores/${store.storeId}/availability?vehicleModelId=${LAVIDA}&items=${items}&day=${day}`,
  );
  expect(r.status).toBe(200);
  return r.body;
}
const starts = async (day: string) => (await ask(day)).days[0]!.slots.map((s) => s.startAt);

/** Waits out the post-write window (in which the store is not indexed), then warms the index. */
async function warm(day: string): Promise<string[]> {
  await sleep(DIRTY_MS + 50);
  await starts(day);
  return starts(day);
}

async function book(startAt: string, confirm: boolean): Promise<string> {
  const r = await h.request<{ id: string }>('POST', '/api/v1/bookings', {
    token: owner.owner.token,
    body: { storeId: store.storeId, vehicleId: owner.vehicleId, items: ['minor_service'], startAt, confirm },
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

beforeAll(async () => {
  h = await createHarness();
  store = await newReadyStore(h);
  owner = await newOwnerWithVehicle(h);
});
afterAll(async () => h.close());

describe('availability index stays fresh after writes in this process', () => {
  it('a hold takes its slot at once', async () => {
    const start = '2026-06-08T02:00:00.000Z';
    expect(await warm('2026-06-08')).toContain(start);
    await book(start, false);
    expect(await starts('2026-06-08')).not.toContain(start);
  });

  it('a cancel frees its slot at once', async () => {
    const start = '2026-06-09T02:00:00.000Z';
    const id = await book(start, true);
    expect(await warm('2026-06-09')).not.toContain(start);
    const c = await h.request<{ status: string }>('POST', `/api/v1/bookings/${id}/cancel`, {
      token: owner.owner.token,
      body: { reason: 'plans changed' },
    });
    expect(c.body.status).toBe('cancelled');
    expect(await starts('2026-06-09')).toContain(start);
  });

  it('a reschedule frees the old slot and takes the new one at once', async () => {
    const from = '2026-06-10T02:00:00.000Z';
    const to = '2026-06-10T06:00:00.000Z';
    const id = await book(from, true);
    const before = await warm('2026-06-10');
    expect(before).not.toContain(from);
    expect(before).toContain(to);
    const moved = await h.request<{ startAt: string }>('POST', `/api/v1/bookings/${id}/reschedule`, {
      token: owner.owner.token,
      body: { startAt: to },
    });
    expect(moved.status).toBe(200);
    const after = await starts('2026-06-10');
    expect(after).toContain(from);
    expect(after).not.toContain(to);
  });

  it('a technician’s time off and a change of opening hours show at once', async () => {
    // 2026-06-11 is a Thursday: the only technician takes the morning off.
    expect(await warm('2026-06-11')).toContain('2026-06-11T01:00:00.000Z');
    const off = await h.request('POST', `/api/v1/technicians/${store.technicianIds[0]}/time-off`, {
      token: store.manager.token,
      body: { startsAt: '2026-06-11T01:00:00.000Z', endsAt: '2026-06-11T04:00:00.000Z', reason: 'training' },
    });
    expect(off.status).toBe(201);
    const after = await starts('2026-06-11');
    expect(after).not.toContain('2026-06-11T01:00:00.000Z');
    expect(after).toContain('2026-06-11T04:00:00.000Z');

    expect((await ask('2026-06-12')).days[0]!.closed).toBe(false);
    await sleep(DIRTY_MS + 50);
    expect((await ask('2026-06-12')).days[0]!.closed).toBe(false);
    // Friday (weekday 5) left out: closed.
    const hours = [1, 2, 3, 4, 6, 7].map((weekday) => ({ weekday, open: '09:00', close: '18:00' }));
    const put = await h.request('PUT', `/api/v1/stores/${store.storeId}/hours`, {
      token: store.manager.token,
      body: { hours },
    });
    expect(put.status).toBe(204);
    const fri = (await ask('2026-06-12')).days[0]!;
    expect(fri.closed).toBe(true);
    expect(fri.slots).toHaveLength(0);
  });

  it('a price change shows in the quoted total at once', async () => {
    await sleep(DIRTY_MS + 50);
    const before = (await ask('2026-06-15')).totalFen;
    expect((await ask('2026-06-15')).totalFen).toBe(before);
    const op = await h.operator();
    const put = await h.request('PUT', `/api/v1/catalog/prices/${store.storeId}`, {
      token: op.token,
      body: { partPrices: { engine_oil: 9_900 } },
    });
    expect(put.status).toBe(204);
    const after = (await ask('2026-06-15')).totalFen;
    expect(after).toBeGreaterThan(before);
  });
});

describe('availability index across processes', () => {
  it(`shows a claim written behind this process's back within ${INDEX_MAX_AGE_MS} ms`, async () => {
    const start = '2026-06-16T03:00:00.000Z';
    // A second store indexed alongside: reloads cover several stores in one query, and must not
    // hand one store's claims to another.
    const other = await newReadyStore(h, { chainId: store.chainId });
    const otherStarts = async () =>
      (
        await h.request<Answer>(
          'GET',
          `/api/v1/stores/${other.storeId}/availability?vehicleModelId=${LAVIDA}&items=minor_service&day=2026-06-16`,
        )
      ).body.days[0]!.slots.map((x) => x.startAt);
    expect(await warm('2026-06-16')).toContain(start);
    expect(await otherStarts()).toContain(start);
    // As another server would: claim the only bay for the hour, with no invalidation here.
    const cells = [0, 1, 2, 3].map((i) => new Date(Date.parse(start) + i * 15 * 60_000));
    await h.ctx.db
      .insert(slotClaims)
      .values(
        cells.map((cellStart) => ({ resourceId: store.bayIds[0]!, cellStart, bookingId: 'bk_elsewhere' })),
      );
    await sleep(INDEX_MAX_AGE_MS + 50);
    expect(await otherStarts()).toContain(start);
    expect(await starts('2026-06-16')).not.toContain(start);
    expect(await otherStarts()).toContain(start);
    await h.ctx.db.delete(slotClaims).where(eq(slotClaims.bookingId, 'bk_elsewhere'));
    await sleep(INDEX_MAX_AGE_MS + 50);
    expect(await starts('2026-06-16')).toContain(start);
  });
});

/**
 * The multi-echelon plan on the demo city's real ledger: policies for every stocked part, and
 * suggestions only where the inventory position is at or below the reorder point, each bringing it
 * to the order-up-to level — transfers from the regional warehouse to stores, from the central one
 * to regionals, purchase orders for the central warehouse. Approving ships the transfer; the next
 * plan counts it as inbound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { loadDemo, DEMO_PASSWORD } from '../src/demo/load-demo.js';
import { invBalances, invLocations } from '../src/modules/inventory/schema.js';
import { chainPrefix, supplyNetwork } from '../src/modules/replenishment/plan.js';

interface Sug {
  id: string;
  locationId: string;
  partId: string;
  kind: 'transfer' | 'purchase';
  fromLocationId: string | null;
  qtyMilli: number;
  positionMilli: number;
  reorderPointMilli: number;
  orderUpToMilli: number;
  status: string;
  documentId: string | null;
  forecast: { weeklyMeanMilli: number; historyMilli: number[]; method: string };
}
interface Plan {
  locations: number;
  series: number;
  method: string;
  policies: number;
  suggestions: Sug[];
}

describe('replenishment plan on the demo ledger', () => {
  let h: Harness;
  let token: string;
  let plan: Plan;
  const kindOf = new Map<string, string>();

  beforeAll(async () => {
    h = await createHarness();
    await loadDemo(h.ctx, { seed: 11, city: 'hangzhou', owners: 300, historyDays: 45 });
    const r = await h.request<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', {
      body: { login: 'hq-admin', password: DEMO_PASSWORD },
    });
    token = r.body.accessToken;
    for (const l of await h.ctx.db.select().from(invLocations)) kindOf.set(l.id, l.kind);
    const p = await h.request<Plan>('POST', '/api/v1/replenishment/plan', {
      token,
      body: { fillRate: 0.95 },
    });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    plan = p.body;
  }, 300_000);
  afterAll(() => h?.close());

  it('sets policies from the ledger and suggests only what is due, up to the order-up-to level', () => {
    expect(plan.locations).toBeGreaterThanOrEqual(35);
    expect(plan.policies).toBe(plan.series);
    expect(plan.suggestions.length).toBeGreaterThan(0);
    for (const s of plan.suggestions) {
      expect(s.positionMilli).toBeLessThanOrEqual(s.reorderPointMilli);
      expect(s.qtyMilli).toBe(s.orderUpToMilli - s.positionMilli);
      expect(s.qtyMilli).toBeGreaterThan(0);
      const kind = kindOf.get(s.locationId);
      if (kind === 'central_warehouse') expect(s.kind).toBe('purchase');
      else {
        expect(s.kind).toBe('transfer');
        const from = kindOf.get(s.fromLocationId!);
        expect(from).toBe(kind === 'regional_warehouse' ? 'central_warehouse' : 'regional_warehouse');
      }
    }
    // Demand history is the real consumption: some suggestion rests on non-zero history.
    expect(plan.suggestions.some((s) => s.forecast.historyMilli.some((v) => v > 0))).toBe(true);
  });

  it('ships an approved transfer and counts it as inbound in the next plan', async () => {
    // One whose warehouse has the stock (others wait for the warehouse's own replenishment).
    const stock = await h.ctx.db.select().from(invBalances);
    const available = (loc: string, part: string) => {
      const b = stock.find((x) => x.locationId === loc && x.partId === part);
      return b ? b.onHandMilli - b.reservedMilli : 0;
    };
    const t = plan.suggestions.find(
      (s) => s.kind === 'transfer' && available(s.fromLocationId!, s.partId) >= s.qtyMilli,
    )!;
    expect(t).toBeDefined();
    const short = plan.suggestions.find(
      (s) => s.kind === 'transfer' && available(s.fromLocationId!, s.partId) < s.qtyMilli,
    );
    if (short) {
      const refused = await h.request('POST', `/api/v1/replenishment/suggestions/${short.id}/approve`, {
        token,
        body: {},
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ error: { code: 'inventory.insufficient_stock' } });
    }
    const ok = await h.request<Sug>('POST', `/api/v1/replenishment/suggestions/${t.id}/approve`, {
      token,
      body: {},
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved' });
    expect(ok.body.documentId).toMatch(/^trf_|^tr/);
    const again = await h.request('POST', `/api/v1/replenishment/suggestions/${t.id}/approve`, {
      token,
      body: {},
    });
    expect(again.status).toBe(409);

    const next = await h.request<Plan>('POST', '/api/v1/replenishment/plan', { token, body: {} });
    expect(
      next.body.suggestions.find((s) => s.locationId === t.locationId && s.partId === t.partId),
    ).toBeUndefined();
    const list = await h.request<{ items: Sug[] }>(
      'GET',
      '/api/v1/replenishment/suggestions?status=approved',
      {
        token,
      },
    );
    expect(list.body.items.map((s) => s.id)).toContain(t.id);
  });

  it('keeps plans to the caller’s org and validates the fill rate', async () => {
    const desk = await h.request<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', {
      body: { login: 'store1-desk', password: DEMO_PASSWORD },
    });
    const forbidden = await h.request('POST', '/api/v1/replenishment/plan', {
      token: desk.body.accessToken,
      body: {},
    });
    expect(forbidden.status).toBe(403);
    const bad = await h.request('POST', '/api/v1/replenishment/plan', { token, body: { fillRate: 1.2 } });
    expect(bad.status).toBe(422);
    const mgr = await h.request<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', {
      body: { login: 'store1-manager', password: DEMO_PASSWORD },
    });
    const mine = await h.request<{ items: Sug[] }>('GET', '/api/v1/replenishment/suggestions', {
      token: mgr.body.accessToken,
    });
    expect(mine.status).toBe(200);
    const locs = new Set(mine.body.items.map((s) => kindOf.get(s.locationId)));
    expect([...locs].every((k) => k === 'store' || k === 'van')).toBe(true);
    // A store manager's own plan still sends the store to its regional warehouse.
    const own = await h.request<Plan>('POST', '/api/v1/replenishment/plan', {
      token: mgr.body.accessToken,
      body: {},
    });
    expect(own.status).toBe(200);
    expect(own.body.locations).toBeLessThan(plan.locations);
    expect(own.body.policies).toBeGreaterThan(0);
    for (const s of own.body.suggestions) {
      expect(kindOf.get(s.locationId)).toMatch(/^(store|van)$/);
      expect(s.kind).toBe('transfer');
      expect(kindOf.get(s.fromLocationId!)).toBe('regional_warehouse');
    }
  });
});

describe('supplyNetwork', () => {
  it('sends stores to the nearest regional warehouse in the org tree, regionals to the central one', () => {
    const l = (id: string, kind: string, orgPath: string) =>
      ({ id, kind, orgPath, name: id, storeId: null, bins: [], createdAt: new Date(0) }) as never;
    const up = supplyNetwork([
      l('c', 'central_warehouse', '/p/chain/'),
      l('r1', 'regional_warehouse', '/p/chain/'),
      l('r2', 'regional_warehouse', '/p/chain/f2/'),
      l('s1', 'store', '/p/chain/s1/'),
      l('s2', 'store', '/p/chain/f2/s2/'),
    ]);
    expect(Object.fromEntries(up)).toEqual({ c: null, r1: 'c', r2: 'c', s1: 'r1', s2: 'r2' });
    expect(chainPrefix('/p/chain/f2/s2/')).toBe('/p/chain/');
    expect(chainPrefix('/p/')).toBe('/p/');
  });
});

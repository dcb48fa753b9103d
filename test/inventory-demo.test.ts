/**
 * The demo's inventory: a central warehouse, two regional warehouses, a location per store and two
 * vans; a catalogue fitted to the demo models; a ledger that reconciles, consistent with the demo
 * work orders (every finished part line consumed, traced units shown in service books) and with
 * reservations for the upcoming confirmed bookings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { loadDemo, DEMO_PASSWORD } from '../src/demo/load-demo.js';
import { reconcile } from '../src/modules/inventory/index.js';
import {
  invLocations,
  invMovements,
  invReservations,
  invTraceUnits,
} from '../src/modules/inventory/schema.js';
import { serviceBook } from '../src/modules/workorders/index.js';

let h: Harness;
let summary: Record<string, number | string>;

beforeAll(async () => {
  h = await createHarness();
  summary = await loadDemo(h.ctx, { seed: 11, city: 'hangzhou', owners: 300, historyDays: 30 });
}, 300_000);
afterAll(async () => h.close());

describe('demo inventory', () => {
  it('has the locations, a fitted catalogue, and a ledger that reconciles', async () => {
    expect(Number(summary.inventoryParts)).toBeGreaterThan(20);
    const locs = await h.ctx.db
      .select({ kind: invLocations.kind, n: sql<number>`count(*)::int` })
      .from(invLocations)
      .groupBy(invLocations.kind);
    expect(Object.fromEntries(locs.map((l) => [l.kind, l.n]))).toEqual({
      central_warehouse: 1,
      regional_warehouse: 2,
      store: 30,
      van: 2,
    });
    const rec = await reconcile(h.ctx.db);
    expect(rec.checked).toBeGreaterThan(100);
    expect(rec.mismatches).toEqual([]);
  });

  it('consumed every finished work order part line, and service books show traced units', async () => {
    const lines = (await h.ctx.db.execute(sql`
      select count(*)::int as n from work_orders wo join estimate_lines l on l.work_order_id = wo.id
      where wo.status in ('handed_over','reviewed') and l.kind = 'part' and l.approval = 'approved'`)) as unknown as {
      rows: Array<{ n: number }>;
    };
    const consumed = await h.ctx.db
      .select({ n: sql<number>`count(distinct ${invMovements.workOrderLineId})::int` })
      .from(invMovements)
      .where(eq(invMovements.kind, 'consumption'));
    expect(lines.rows[0]!.n).toBeGreaterThan(100);
    expect(consumed[0]!.n).toBe(lines.rows[0]!.n);
    const [unit] = await h.ctx.db
      .select()
      .from(invTraceUnits)
      .where(and(eq(invTraceUnits.status, 'consumed'), isNotNull(invTraceUnits.vehicleId)))
      .limit(1);
    expect(unit).toBeDefined();
    const book = await serviceBook(h.ctx.db, h.ctx.db, unit!.vehicleId!);
    const traced = book.flatMap((e) => e.parts.flatMap((p) => p.traced.map((t) => t.code)));
    expect(traced).toContain(unit!.code);
    const reserved = await h.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(invReservations)
      .where(eq(invReservations.status, 'active'));
    expect(reserved[0]!.n).toBeGreaterThan(0);
  });

  it('shows a store manager believable numbers', async () => {
    const s = await h.request<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', {
      body: { login: 'store1-manager', password: DEMO_PASSWORD },
    });
    expect(s.status).toBe(200);
    const locs = await h.request<{ items: Array<{ id: string; kind: string }> }>(
      'GET',
      '/api/v1/inventory/locations',
      {
        token: s.body.accessToken,
      },
    );
    const shop = locs.body.items.find((l) => l.kind === 'store')!;
    expect(locs.body.items.map((l) => l.kind).sort()).toEqual(['store', 'van']);
    const n = await h.request<{
      valueOnHandFen: number;
      turnoverDays: number | null;
      fillRate: number | null;
      consumedCostFen: number;
    }>('GET', `/api/v1/inventory/locations/${shop.id}/numbers`, { token: s.body.accessToken });
    expect(n.status).toBe(200);
    expect(n.body.valueOnHandFen).toBeGreaterThan(0);
    expect(n.body.consumedCostFen).toBeGreaterThan(0);
    expect(n.body.turnoverDays).toBeGreaterThan(0);
    expect(n.body.turnoverDays).toBeLessThan(60);
    expect(n.body.fillRate).toBe(1);
  });
});

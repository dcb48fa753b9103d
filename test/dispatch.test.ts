/** Dispatch through HTTP: the recommendation's reasons, technician assignment (batch and walk-in), team board. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { LAVIDA, MODEL_3, WEST_LAKE, newReadyStore, type StoreFixture } from '../src/testing/o2o.js';

let h: Harness;
let store: StoreFixture;

beforeAll(async () => {
  h = await createHarness();
  store = await newReadyStore(h, {
    bays: [
      { name: 'L1', type: 'general_lift' },
      { name: 'L2', type: 'general_lift' },
      { name: 'NEV', type: 'nev_safe' },
    ],
    technicians: [
      {
        name: '王师傅',
        skills: ['general', 'brakes', 'nev'],
        certifications: [{ code: 'nev_hv', expiresOn: '2027-12-31' }],
      },
      { name: '李师傅', skills: ['general', 'brakes'] },
    ],
  });
});
afterAll(async () => h.close());

const walkIn = async (plate: string, phone: string, items: string[], model = LAVIDA) =>
  h.request<{ id: string; technicianId: string | null }>('POST', '/api/v1/work-orders/walk-in', {
    token: store.desk.token,
    body: {
      storeId: store.storeId,
      plate,
      phone,
      vehicleModelId: model,
      items,
      odometerKm: 1000,
      fuelLevelPct: 50,
    },
  });

describe('dispatch', () => {
  it('ranks search options with the explainable recommendation', async () => {
    const r = await h.request<{
      options: Array<{ reasons: Array<{ code: string; weight: number }>; score: number }>;
    }>('POST', '/api/v1/search', {
      body: {
        near: { ...WEST_LAKE, coord: 'gcj02' },
        vehicleModelId: LAVIDA,
        items: ['minor_service'],
        days: 1,
      },
    });
    const codes = r.body.options[0]!.reasons.map((x) => x.code);
    expect(codes).toEqual(expect.arrayContaining(['travel', 'earliest', 'rating', 'price', 'parts']));
  });

  it('places a walk-in on a qualified technician and takes that time', async () => {
    const wo = await walkIn('浙A88881', '13611110001', ['nev_hv_inspection'], MODEL_3);
    expect(wo.status).toBe(201);
    expect(wo.body.technicianId).toBeNull();
    const r = await h.request<{
      placed: boolean;
      assignment: { technicianId: string; start: string; reasons: string[] };
    }>('POST', `/api/v1/work-orders/${wo.body.id}/auto-assign`, {
      token: store.manager.token,
      body: { storeId: store.storeId },
    });
    expect(r.status).toBe(200);
    expect(r.body.placed).toBe(true);
    // Only 王师傅 holds the NEV high-voltage certificate.
    expect(r.body.assignment.technicianId).toBe(store.technicianIds[0]);
    expect(r.body.assignment.reasons.length).toBeGreaterThan(0);
    const after = await h.request<{ technicianId: string }>('GET', `/api/v1/work-orders/${wo.body.id}`, {
      token: store.manager.token,
    });
    expect(after.body.technicianId).toBe(store.technicianIds[0]);
    const again = await h.request('POST', `/api/v1/work-orders/${wo.body.id}/auto-assign`, {
      token: store.manager.token,
      body: { storeId: store.storeId },
    });
    expect(again.status).toBe(409);
  });

  it('plans and applies a batch without overlaps, and explains the jobs it cannot place', async () => {
    const a = await walkIn('浙A88882', '13611110002', ['brake_pads_front']);
    const b = await walkIn('浙A88883', '13611110003', ['brake_pads_rear']);
    const c = await walkIn('浙A88884', '13611110004', ['wheel_alignment']); // nobody has the alignment skill
    const plan = await h.request<{
      assignments: Array<{ jobId: string; technicianId: string; start: string; end: string }>;
      unassigned: Array<{ jobId: string; code: string }>;
      applied: number;
    }>('POST', `/api/v1/stores/${store.storeId}/dispatch/assign`, {
      token: store.manager.token,
      body: { apply: true },
    });
    expect(plan.status).toBe(200);
    const ids = plan.body.assignments.map((x) => x.jobId);
    expect(ids).toEqual(expect.arrayContaining([a.body.id, b.body.id]));
    expect(plan.body.unassigned.find((u) => u.jobId === c.body.id)?.code).toBe('missing_skills');
    expect(plan.body.applied).toBe(plan.body.assignments.length);
    const byTech = new Map<string, Array<[number, number]>>();
    for (const x of plan.body.assignments)
      byTech.set(x.technicianId, [
        ...(byTech.get(x.technicianId) ?? []),
        [Date.parse(x.start), Date.parse(x.end)],
      ]);
    for (const spans of byTech.values()) {
      spans.sort((p, q) => p[0] - q[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    }
  });

  it('shows the team board and certification coverage', async () => {
    const team = await h.request<{ items: Array<{ name: string; performance: { stars: number } }> }>(
      'GET',
      `/api/v1/stores/${store.storeId}/team`,
      { token: store.manager.token },
    );
    expect(team.status).toBe(200);
    expect(team.body.items).toHaveLength(2);
    expect(team.body.items[0]!.performance.stars).toBeGreaterThan(0);
    const tr = await h.request('POST', `/api/v1/technicians/${store.technicianIds[1]}/training`, {
      token: store.manager.token,
      body: { course: '新能源高压安全', completedOn: '2026-05-20', hours: 16 },
    });
    expect(tr.status).toBe(201);
    const op = await h.operator();
    const cov = await h.request<{ items: Array<{ city: string; storesCovered: number; certified: number }> }>(
      'GET',
      '/api/v1/dispatch/certification-coverage',
      { token: op.token },
    );
    const hz = cov.body.items.find((x) => x.city === '杭州')!;
    expect(hz.certified).toBeGreaterThanOrEqual(1);
    expect(hz.storesCovered).toBeGreaterThanOrEqual(1);
  });
});

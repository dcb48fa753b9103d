/** Factories for inventory tests: a chain catalogue, a central warehouse and a store location, via HTTP. */
import type { Harness, Session } from './harness.js';
import { LAVIDA } from './o2o.js';

export interface PartBody {
  sku: string;
  name?: string;
  brand?: string;
  category?: string;
  partTypeCode: string;
  unit: 'each' | 'litre' | 'kg';
  costFen: number;
  priceFen: number;
  traced?: boolean;
  fitment?: string[];
  powertrain?: 'ICE' | 'NEV' | 'ANY';
  shelfLifeDays?: number | null;
  oeNumbers?: string[];
}

export async function newPart(h: Harness, who: Session, b: PartBody): Promise<string> {
  const r = await h.request<{ id: string }>('POST', '/api/v1/inventory/parts', {
    token: who.token,
    body: { name: b.sku, brand: 'Bosch', category: 'maintenance', ...b },
  });
  if (r.status !== 201) throw new Error(`part: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

export async function newLocation(
  h: Harness,
  who: Session,
  body: { kind: string; name: string; storeId?: string; bins?: string[] },
): Promise<string> {
  const r = await h.request<{ id: string }>('POST', '/api/v1/inventory/locations', {
    token: who.token,
    body,
  });
  if (r.status !== 201) throw new Error(`location: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

export async function receiveStock(
  h: Harness,
  who: Session,
  body: {
    locationId: string;
    partId: string;
    qty: number | string;
    batch?: string;
    bin?: string;
    expiresOn?: string;
  },
): Promise<string[]> {
  const r = await h.request<{ traceCodes: string[] }>('POST', '/api/v1/inventory/receipts', {
    token: who.token,
    body,
  });
  if (r.status !== 201) throw new Error(`receipt: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.traceCodes;
}

export interface Balance {
  partId: string;
  sku: string;
  onHandMilli: number;
  reservedMilli: number;
  availableMilli: number;
}

export async function stockOf(
  h: Harness,
  who: Session,
  locationId: string,
  partId: string,
): Promise<Balance> {
  const r = await h.request<{ items: Balance[] }>('GET', `/api/v1/inventory/locations/${locationId}/stock`, {
    token: who.token,
  });
  if (r.status !== 200) throw new Error(`stock: ${r.status} ${JSON.stringify(r.body)}`);
  return (
    r.body.items.find((i) => i.partId === partId) ?? {
      partId,
      sku: '',
      onHandMilli: 0,
      reservedMilli: 0,
      availableMilli: 0,
    }
  );
}

/** An oil filter (traced, fits the Lavida) and engine oil (litres) in a chain's catalogue. */
export async function oilChangeParts(
  h: Harness,
  chainAdmin: Session,
): Promise<{ filter: string; oil: string }> {
  const filter = await newPart(h, chainAdmin, {
    sku: `OF-${Math.random().toString(36).slice(2, 8)}`,
    name: '博世机油滤清器',
    partTypeCode: 'oil_filter',
    unit: 'each',
    costFen: 2_500,
    priceFen: 6_800,
    traced: true,
    fitment: [LAVIDA],
    powertrain: 'ICE',
    oeNumbers: ['04E115561H'],
  });
  const oil = await newPart(h, chainAdmin, {
    sku: `OIL-${Math.random().toString(36).slice(2, 8)}`,
    name: '美孚 1 号 0W-20',
    brand: 'Mobil',
    partTypeCode: 'engine_oil',
    unit: 'litre',
    costFen: 5_000,
    priceFen: 9_900,
    powertrain: 'ICE',
    shelfLifeDays: 1825,
  });
  return { filter, oil };
}

/**
 * Takes a checked-in work order through inspection (all green), estimate approval by the owner,
 * work, QC, payment and hand-over. Returns the detail after `start` (for scanning) via `onStarted`.
 */
export async function completeWorkOrder(
  h: Harness,
  woId: string,
  who: { tech: Session; desk: Session; manager: Session; owner: Session },
  onStarted?: (detail: {
    estimate: Array<{ id: string; kind: string; partTypeCode: string | null; qtyMilli: number }>;
  }) => Promise<void>,
): Promise<void> {
  const must = async (p: Promise<{ status: number; body: unknown }>, status: number, what: string) => {
    const r = await p;
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Record<string, unknown>;
  };
  const d = (await must(
    h.request('GET', `/api/v1/work-orders/${woId}`, { token: who.tech.token }),
    200,
    'detail',
  )) as {
    inspection: Array<{ id: string }>;
  };
  for (const p of d.inspection)
    await must(
      h.request('PUT', `/api/v1/work-orders/${woId}/inspection/${p.id}`, {
        token: who.tech.token,
        body: { result: 'green' },
      }),
      200,
      'inspection',
    );
  await must(
    h.request('POST', `/api/v1/work-orders/${woId}/send-estimate`, { token: who.desk.token }),
    200,
    'send estimate',
  );
  const pending = (await must(
    h.request('GET', `/api/v1/work-orders/${woId}`, { token: who.owner.token }),
    200,
    'owner detail',
  )) as {
    estimate: Array<{ id: string; approval: string }>;
  };
  await must(
    h.request('POST', `/api/v1/work-orders/${woId}/approval`, {
      token: who.owner.token,
      body: {
        decisions: pending.estimate
          .filter((l) => l.approval === 'pending')
          .map((l) => ({ lineId: l.id, approve: true })),
      },
    }),
    200,
    'approval',
  );
  const started = (await must(
    h.request('POST', `/api/v1/work-orders/${woId}/start`, { token: who.tech.token }),
    200,
    'start',
  )) as {
    estimate: Array<{ id: string; kind: string; partTypeCode: string | null; qtyMilli: number }>;
    steps: Array<{ id: string }>;
  };
  if (onStarted) await onStarted(started);
  for (const s of started.steps) {
    h.clock.advance(5 * 60_000);
    await must(
      h.request('POST', `/api/v1/work-orders/${woId}/steps/${s.id}/done`, { token: who.tech.token }),
      200,
      'step',
    );
  }
  const fin = (await must(
    h.request('POST', `/api/v1/work-orders/${woId}/finish`, { token: who.tech.token }),
    200,
    'finish',
  )) as {
    totalFen: number;
  };
  await must(
    h.request('POST', `/api/v1/work-orders/${woId}/qc`, { token: who.manager.token, body: { passed: true } }),
    200,
    'qc',
  );
  await must(
    h.request('POST', `/api/v1/work-orders/${woId}/payments`, {
      token: who.desk.token,
      body: { method: 'wechat', amountFen: fin.totalFen },
    }),
    201,
    'payment',
  );
  await must(
    h.request('POST', `/api/v1/work-orders/${woId}/hand-over`, { token: who.desk.token }),
    200,
    'hand-over',
  );
}

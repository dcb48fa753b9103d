/**
 * Demo inventory: the chain's parts catalogue fitted to the demo vehicle models, a central warehouse,
 * a regional warehouse per franchisee, a stock location per store and two service vans; 60 days of
 * movements consistent with the demo work orders — a purchase order into the central warehouse,
 * two replenishment waves (central → regional → stores), consumption on every finished work order's
 * part lines (traced units linked to the line, so service books show them) — and reservations for
 * the upcoming confirmed bookings. Written in bulk; balances are the sums of the ledger rows.
 */
import { sql } from 'drizzle-orm';
import { newId } from '../platform/domain/ids.js';
import { randomInt } from '../platform/domain/random.js';
import { SEED_MODELS, vehicleModelId } from '../modules/catalog/index.js';
import { SEED_PART_TYPES } from '../modules/catalog/seed.js';
import { makeTraceCode } from '../modules/inventory/index.js';
import {
  invBalances,
  invDemand,
  invLocations,
  invMovements,
  invParts,
  invPurchaseOrders,
  invReservations,
  invTraceUnits,
  invTransfers,
  type DocLine,
  type MovementKind,
  type PartPowertrain,
} from '../modules/inventory/schema.js';
import { insertBatches, type DemoStep, type DemoWorld } from './load-demo.js';

const DAY = 86_400_000;
/** Part types fitted per make (one SKU per make); tyres per size; the rest are universal. */
const PER_MAKE = new Set([
  'oil_filter',
  'air_filter',
  'cabin_filter',
  'brake_pad_front',
  'brake_pad_rear',
  'spark_plug',
  'wiper_blade',
]);
const TRACED = new Set([
  'oil_filter',
  'brake_pad_front',
  'brake_pad_rear',
  'spark_plug',
  'tyre',
  'battery_12v',
]);
const BRANDS: Record<string, string> = {
  oil_filter: '曼牌 MANN',
  air_filter: '马勒 MAHLE',
  cabin_filter: '博世 Bosch',
  brake_pad_front: '天合 TRW',
  brake_pad_rear: '天合 TRW',
  spark_plug: 'NGK',
  wiper_blade: '法雷奥 Valeo',
  tyre: '米其林 Michelin',
  engine_oil: '美孚 Mobil',
  battery_12v: '瓦尔塔 VARTA',
  brake_fluid: '博世 Bosch',
  coolant: '壳牌 Shell',
  ac_refrigerant: '科慕 Chemours',
};

interface DemoPart {
  id: string;
  sku: string;
  partTypeCode: string;
  unit: 'each' | 'litre' | 'kg';
  costFen: number;
  traced: boolean;
  fitment: string[];
}

interface Move {
  partId: string;
  locationId: string;
  orgPath: string;
  kind: MovementKind;
  dOn: number;
  dRes: number;
  at: Date;
  refType: string;
  refId: string;
  lineId?: string;
}

export const inventoryStep: DemoStep = async (_ctx, tx, w) => {
  // Stock arrives before the first demo work order; every shipment lands 6 hours after it leaves.
  const start = new Date(w.now.getTime() - (w.historyDays + 3) * DAY);
  const mid = new Date(w.now.getTime() - Math.floor(w.historyDays / 2) * DAY);

  // ── catalogue ────────────────────────────────────────────────────────────────────────────────
  const models = SEED_MODELS.map((m) => ({ ...m, id: vehicleModelId(m.make, m.model) }));
  const parts: DemoPart[] = [];
  const partRows: Array<typeof invParts.$inferInsert> = [];
  const addPart = (
    t: (typeof SEED_PART_TYPES)[number],
    suffix: string,
    label: string,
    fitment: string[],
    powertrain: PartPowertrain,
  ) => {
    const id = newId('prt');
    const sku = `${t.code.toUpperCase().replace(/_/g, '-')}-${suffix}`;
    const costFen = Math.round(t.priceFen * 0.55);
    const traced = TRACED.has(t.code) && t.unit === 'each';
    parts.push({ id, sku, partTypeCode: t.code, unit: t.unit, costFen, traced, fitment });
    partRows.push({
      id,
      orgPath: w.chain.path,
      sku,
      name: `${BRANDS[t.code] ?? '途安优选'} ${t.nameZh}${label ? ` · ${label}` : ''}`,
      brand: (BRANDS[t.code] ?? '途安优选').split(' ')[0]!,
      oeNumbers: [],
      category: t.category,
      partTypeCode: t.code,
      fitment,
      unit: t.unit,
      costFen,
      priceFen: t.priceFen,
      powertrain,
      shelfLifeDays: t.category === 'fluids' ? 1825 : t.code === 'tyre' ? 1825 : null,
      traced,
      createdAt: start,
    });
  };
  for (const t of SEED_PART_TYPES) {
    if (PER_MAKE.has(t.code)) {
      const makes = [...new Set(models.map((m) => m.make))];
      for (const make of makes) {
        const mine = models.filter((m) => m.make === make && (t.code !== 'spark_plug' || m.cylinders > 0));
        if (!mine.length) continue;
        addPart(
          t,
          make.slice(0, 3).toUpperCase(),
          mine[0]!.makeZh,
          mine.map((m) => m.id),
          'ANY',
        );
      }
    } else if (t.code === 'tyre') {
      for (const size of [...new Set(models.map((m) => m.tyreSize))]) {
        addPart(
          t,
          size.replace(/[^0-9]/g, ''),
          size,
          models.filter((m) => m.tyreSize === size).map((m) => m.id),
          'ANY',
        );
      }
    } else {
      addPart(t, 'STD', '', [], t.code === 'engine_oil' ? 'ICE' : 'ANY');
    }
  }
  await insertBatches(tx, invParts, partRows);
  const byType = new Map<string, DemoPart[]>();
  for (const p of parts) byType.set(p.partTypeCode, [...(byType.get(p.partTypeCode) ?? []), p]);
  const skuFor = (partTypeCode: string, modelId: string): DemoPart | undefined => {
    const c = byType.get(partTypeCode) ?? [];
    return c.find((p) => p.fitment.includes(modelId)) ?? c.find((p) => p.fitment.length === 0);
  };

  // ── locations ────────────────────────────────────────────────────────────────────────────────
  const locRows: Array<typeof invLocations.$inferInsert> = [];
  const mkLoc = (
    kind: (typeof invLocations.$inferInsert)['kind'],
    name: string,
    orgPath: string,
    storeId: string | null,
    bins: string[],
  ) => {
    const id = newId('loc');
    locRows.push({ id, kind, name, orgPath, storeId, bins, createdAt: start });
    return { id, orgPath };
  };
  const central = mkLoc('central_warehouse', `${w.city.name}中心仓`, w.chain.path, null, [
    'A-01',
    'A-02',
    'B-01',
    'B-02',
    'C-01',
  ]);
  const regional = w.franchisees.map((f, i) =>
    mkLoc('regional_warehouse', `${w.city.name}${i ? '东' : '西'}区仓`, f.path, null, ['A-01', 'B-01']),
  );
  const storeLoc = new Map(
    w.stores.map((s) => [s.id, mkLoc('store', `${s.name} 配件库`, s.path, s.id, ['A-01', 'A-02', 'B-01'])]),
  );
  const vans = w.stores
    .slice(0, 2)
    .map((s, i) => mkLoc('van', `移动服务车 ${i + 1}（${s.name}）`, s.path, s.id, []));
  await insertBatches(tx, invLocations, locRows);
  const supplierOf = (storeIndex: number) =>
    storeIndex <= 10 ? central : regional[storeIndex <= 20 ? 0 : 1]!;

  // ── demand: finished work orders' part lines, and upcoming confirmed bookings ───────────────────
  const lines = (
    (await tx.execute(sql`
      select wo.id as wo_id, wo.store_id, wo.vehicle_id, wo.vehicle_model_id, wo.handed_over_at,
             l.id as line_id, l.part_type_code, l.qty_milli
      from work_orders wo join estimate_lines l on l.work_order_id = wo.id
      where wo.status in ('handed_over', 'reviewed') and wo.handed_over_at is not null
        and l.kind = 'part' and l.approval = 'approved' and l.part_type_code is not null
      order by wo.handed_over_at, l.id`)) as unknown as {
      rows: Array<{
        wo_id: string;
        store_id: string;
        vehicle_id: string;
        vehicle_model_id: string;
        handed_over_at: Date | string;
        line_id: string;
        part_type_code: string;
        qty_milli: number;
      }>;
    }
  ).rows;
  const upcoming = (
    (await tx.execute(sql`
      select id, store_id, vehicle_id, quote from bookings where status = 'confirmed' and start_at > ${w.now}`)) as unknown as {
      rows: Array<{
        id: string;
        store_id: string;
        vehicle_id: string;
        quote: Array<{ kind: string; partTypeCode?: string; qtyMilli: number }>;
      }>;
    }
  ).rows;
  const modelOfVehicle = new Map(w.vehicles.map((v) => [v.id, v.modelId]));
  const storeIndex = new Map(w.stores.map((s) => [s.id, s.index]));
  const units = (p: DemoPart, milli: number) => (p.unit === 'each' ? Math.ceil(milli / 1000) * 1000 : milli);

  interface Use {
    at: Date;
    part: DemoPart;
    qty: number;
    woId: string;
    lineId: string;
    vehicleId: string;
  }
  const uses = new Map<string, Use[]>(); // store id → uses in time order
  for (const l of lines) {
    const part = skuFor(l.part_type_code, l.vehicle_model_id);
    if (!part || !storeLoc.has(l.store_id)) continue;
    const list = uses.get(l.store_id) ?? [];
    list.push({
      at: new Date(l.handed_over_at),
      part,
      qty: units(part, l.qty_milli),
      woId: l.wo_id,
      lineId: l.line_id,
      vehicleId: l.vehicle_id,
    });
    uses.set(l.store_id, list);
  }
  interface Hold {
    bookingId: string;
    part: DemoPart;
    qty: number;
    partTypeCode: string;
  }
  const holds = new Map<string, Hold[]>();
  for (const b of upcoming) {
    const model = modelOfVehicle.get(b.vehicle_id);
    if (!model || !storeLoc.has(b.store_id)) continue;
    const need = new Map<string, number>();
    for (const q of b.quote)
      if (q.kind === 'part' && q.partTypeCode)
        need.set(q.partTypeCode, (need.get(q.partTypeCode) ?? 0) + q.qtyMilli);
    for (const [code, milli] of need) {
      const part = skuFor(code, model);
      if (!part) continue;
      holds.set(b.store_id, [
        ...(holds.get(b.store_id) ?? []),
        { bookingId: b.id, part, qty: units(part, milli), partTypeCode: code },
      ]);
    }
  }

  // ── plan the supply: two waves per store, sized to what it will use, plus a safety margin ──────
  const moves: Move[] = [];
  const transfers: Array<typeof invTransfers.$inferInsert> = [];
  const safety = (p: DemoPart, milli: number) =>
    p.unit === 'each'
      ? Math.ceil((milli * 0.2) / 1000) * 1000 + 2000
      : Math.ceil((milli * 0.2) / 1000) * 1000 + 5000;
  const sum = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const waves: Array<{ at: Date; until: Date }> = [
    { at: new Date(start.getTime() + 2 * DAY), until: mid },
    { at: mid, until: new Date(w.now.getTime() + 365 * DAY) },
  ];
  const partById = new Map(parts.map((p) => [p.id, p]));
  const storeWave = new Map<string, Map<string, number>>(); // `${store}|${wave}` → part → qty
  const regionalWave = new Map<string, Map<string, number>>(); // `${regional}|${wave}` → part → qty
  for (const s of w.stores) {
    const sup = supplierOf(s.index);
    waves.forEach((wave, wi) => {
      const need = new Map<string, number>();
      for (const u of uses.get(s.id) ?? [])
        if (u.at >= wave.at && u.at < wave.until) sum(need, u.part.id, u.qty);
      if (wi === 1) for (const hd of holds.get(s.id) ?? []) sum(need, hd.part.id, hd.qty);
      if (wi === 0) for (const u of uses.get(s.id) ?? []) if (u.at < wave.at) sum(need, u.part.id, u.qty);
      for (const [pid, q] of need) need.set(pid, q + safety(partById.get(pid)!, q));
      if (!need.size) return;
      storeWave.set(`${s.id}|${wi}`, need);
      if (sup !== central) {
        const k = `${sup.id}|${wi}`;
        const r = regionalWave.get(k) ?? new Map<string, number>();
        for (const [pid, q] of need) sum(r, pid, q);
        regionalWave.set(k, r);
      }
    });
  }
  // The two vans carry a small kit of fluids and wipers from their store's first wave.
  const kit = parts.filter(
    (p) =>
      ['engine_oil', 'coolant', 'wiper_blade', 'brake_fluid'].includes(p.partTypeCode) &&
      p.fitment.length === 0,
  );

  // Central receives one purchase order covering everything, plus a reserve.
  const centralNeed = new Map<string, number>();
  for (const [k, need] of [...storeWave, ...regionalWave]) {
    const [locOrStore] = k.split('|');
    const isRegional = regional.some((r) => r.id === locOrStore);
    const isCentralStore = !isRegional && supplierOf(storeIndex.get(locOrStore!) ?? 0) === central;
    if (isRegional || isCentralStore) for (const [pid, q] of need) sum(centralNeed, pid, q);
  }
  for (const p of kit) sum(centralNeed, p.id, 10_000);
  for (const p of parts) sum(centralNeed, p.id, p.unit === 'each' ? 10_000 : 40_000);
  const po = newId('po');
  const poLines: DocLine[] = [...centralNeed].map(([partId, q]) => ({
    partId,
    qtyMilli: q,
    receivedMilli: q,
    unitCostFen: partById.get(partId)!.costFen,
  }));
  for (const l of poLines)
    moves.push({
      partId: l.partId,
      locationId: central.id,
      orgPath: central.orgPath,
      kind: 'receipt',
      dOn: l.qtyMilli,
      dRes: 0,
      at: start,
      refType: 'purchase_order',
      refId: po,
    });

  // Trace codes: issued at the central receipt, then they travel FIFO with the stock.
  const queues = new Map<string, string[]>(); // `${loc}|${part}` → codes in stock there
  const unitRows = new Map<string, typeof invTraceUnits.$inferInsert>();
  const batch = `B${start.toISOString().slice(2, 10).replace(/-/g, '')}`;
  for (const l of poLines) {
    const p = partById.get(l.partId)!;
    if (!p.traced) continue;
    const codes = Array.from({ length: l.qtyMilli / 1000 }, () => makeTraceCode(bytes(w)));
    queues.set(`${central.id}|${p.id}`, codes);
    for (const code of codes)
      unitRows.set(code, {
        code,
        orgPath: central.orgPath,
        partId: p.id,
        locationId: central.id,
        batch,
        serial: null,
        dotWeek: p.partTypeCode === 'tyre' ? dotWeek(start) : null,
        expiresOn: null,
        status: 'in_stock',
        receivedAt: start,
        receiptRef: po,
      });
  }
  const moveUnits = (from: { id: string }, to: { id: string; orgPath: string }, p: DemoPart, qty: number) => {
    if (!p.traced) return;
    const src = queues.get(`${from.id}|${p.id}`) ?? [];
    const moved = src.splice(0, qty / 1000);
    const dst = queues.get(`${to.id}|${p.id}`) ?? [];
    dst.push(...moved);
    queues.set(`${to.id}|${p.id}`, dst);
    for (const c of moved) Object.assign(unitRows.get(c)!, { locationId: to.id, orgPath: to.orgPath });
  };
  const ship = (
    from: { id: string; orgPath: string },
    to: { id: string; orgPath: string },
    need: Map<string, number>,
    at: Date,
  ) => {
    const id = newId('trf');
    const arrive = new Date(at.getTime() + 6 * 3600_000);
    const tl: DocLine[] = [];
    for (const [pid, q] of need) {
      const p = partById.get(pid)!;
      moves.push({
        partId: pid,
        locationId: from.id,
        orgPath: from.orgPath,
        kind: 'transfer_out',
        dOn: -q,
        dRes: 0,
        at,
        refType: 'transfer',
        refId: id,
      });
      moves.push({
        partId: pid,
        locationId: to.id,
        orgPath: to.orgPath,
        kind: 'transfer_in',
        dOn: q,
        dRes: 0,
        at: arrive,
        refType: 'transfer',
        refId: id,
      });
      moveUnits(from, to, p, q);
      tl.push({ partId: pid, qtyMilli: q, receivedMilli: q });
    }
    transfers.push({
      id,
      orgPath: from.orgPath,
      fromLocationId: from.id,
      toLocationId: to.id,
      fromOrgPath: from.orgPath,
      toOrgPath: to.orgPath,
      status: 'received',
      lines: tl,
      shippedAt: at,
      receivedAt: arrive,
    });
  };
  waves.forEach((wave, wi) => {
    for (const r of regional) {
      const need = regionalWave.get(`${r.id}|${wi}`);
      if (need) ship(central, r, need, new Date(wave.at.getTime() - 24 * 3600_000));
    }
    for (const s of w.stores) {
      const need = storeWave.get(`${s.id}|${wi}`);
      if (need)
        ship(supplierOf(s.index), storeLoc.get(s.id)!, need, new Date(wave.at.getTime() - 12 * 3600_000));
    }
  });
  vans.forEach((v) =>
    ship(central, v, new Map(kit.map((p) => [p.id, p.unit === 'each' ? 4000 : 8000])), waves[0]!.at),
  );

  // Consumption on every finished work order, oldest traced units first.
  const demand: Array<typeof invDemand.$inferInsert> = [];
  for (const [storeId, list] of uses) {
    const sl = storeLoc.get(storeId)!;
    for (const u of list) {
      moves.push({
        partId: u.part.id,
        locationId: sl.id,
        orgPath: sl.orgPath,
        kind: 'consumption',
        dOn: -u.qty,
        dRes: 0,
        at: u.at,
        refType: 'work_order',
        refId: u.woId,
        lineId: u.lineId,
      });
      demand.push({
        orgPath: sl.orgPath,
        locationId: sl.id,
        partId: u.part.id,
        partTypeCode: u.part.partTypeCode,
        requestedMilli: u.qty,
        filledMilli: u.qty,
        refType: 'work_order',
        refId: u.woId,
        at: u.at,
      });
      if (u.part.traced) {
        const q = queues.get(`${sl.id}|${u.part.id}`) ?? [];
        for (const c of q.splice(0, u.qty / 1000))
          Object.assign(unitRows.get(c)!, {
            status: 'consumed',
            locationId: null,
            consumedAt: u.at,
            workOrderId: u.woId,
            workOrderLineId: u.lineId,
            vehicleId: u.vehicleId,
          });
      }
    }
  }
  // Reservations for the upcoming confirmed bookings.
  const reservations: Array<typeof invReservations.$inferInsert> = [];
  for (const [storeId, list] of holds) {
    const sl = storeLoc.get(storeId)!;
    for (const hd of list) {
      const id = newId('rsv');
      reservations.push({
        id,
        orgPath: sl.orgPath,
        partId: hd.part.id,
        locationId: sl.id,
        qtyMilli: hd.qty,
        openMilli: hd.qty,
        status: 'active',
        bookingId: hd.bookingId,
        partTypeCode: hd.partTypeCode,
        expiresAt: null,
        createdAt: w.now,
      });
      moves.push({
        partId: hd.part.id,
        locationId: sl.id,
        orgPath: sl.orgPath,
        kind: 'reservation',
        dOn: 0,
        dRes: hd.qty,
        at: w.now,
        refType: 'booking',
        refId: hd.bookingId,
      });
      demand.push({
        orgPath: sl.orgPath,
        locationId: sl.id,
        partId: hd.part.id,
        partTypeCode: hd.partTypeCode,
        requestedMilli: hd.qty,
        filledMilli: hd.qty,
        refType: 'booking',
        refId: hd.bookingId,
        at: w.now,
      });
    }
  }

  // ── write: ledger in time order, balances as its sums, documents ─────────────────────────────────
  moves.sort((a, b) => a.at.getTime() - b.at.getTime());
  const bal = new Map<
    string,
    { partId: string; locationId: string; orgPath: string; on: number; res: number }
  >();
  for (const m of moves) {
    const k = `${m.partId}|${m.locationId}`;
    const b = bal.get(k) ?? { partId: m.partId, locationId: m.locationId, orgPath: m.orgPath, on: 0, res: 0 };
    b.on += m.dOn;
    b.res += m.dRes;
    if (b.on < 0 || b.res > b.on) throw new Error(`demo inventory would go negative at ${k}`);
    bal.set(k, b);
  }
  await insertBatches(
    tx,
    invMovements,
    moves.map((m) => ({
      orgPath: m.orgPath,
      partId: m.partId,
      locationId: m.locationId,
      kind: m.kind,
      onHandDeltaMilli: m.dOn,
      reservedDeltaMilli: m.dRes,
      unitCostFen: partById.get(m.partId)!.costFen,
      refType: m.refType,
      refId: m.refId,
      workOrderLineId: m.lineId ?? null,
      batch: partById.get(m.partId)!.traced ? batch : null,
      at: m.at,
    })),
  );
  // Reorder policy at stores: about a week of use as the reorder point, two weeks as order-up-to.
  const weekly = new Map<string, number>();
  for (const [storeId, list] of uses)
    for (const u of list) sum(weekly, `${u.part.id}|${storeLoc.get(storeId)!.id}`, u.qty);
  await insertBatches(
    tx,
    invBalances,
    [...bal.values()].map((b) => {
      const used = weekly.get(`${b.partId}|${b.locationId}`);
      const p = partById.get(b.partId)!;
      const week = used ? roundUnit(p, (used * 7) / w.historyDays) : null;
      return {
        partId: b.partId,
        locationId: b.locationId,
        orgPath: b.orgPath,
        bin: ['A-01', 'A-02', 'B-01'][randomInt(w.rng, 3)]!,
        onHandMilli: b.on,
        reservedMilli: b.res,
        reorderPointMilli: week,
        orderUpToMilli: week === null ? null : week * 2,
        updatedAt: w.now,
      };
    }),
  );
  await insertBatches(tx, invTraceUnits, [...unitRows.values()]);
  await insertBatches(tx, invTransfers, transfers);
  await insertBatches(tx, invReservations, reservations);
  await insertBatches(tx, invDemand, demand);
  await tx.insert(invPurchaseOrders).values([
    {
      id: po,
      orgPath: central.orgPath,
      locationId: central.id,
      supplier: '博世汽车配件（华东）有限公司',
      status: 'received',
      lines: poLines,
      createdAt: start,
      sentAt: start,
      receivedAt: start,
    },
    {
      id: newId('po'),
      orgPath: central.orgPath,
      locationId: central.id,
      supplier: '米其林（中国）投资有限公司',
      status: 'sent',
      lines: (byType.get('tyre') ?? [])
        .slice(0, 3)
        .map((p) => ({ partId: p.id, qtyMilli: 40_000, receivedMilli: 0, unitCostFen: p.costFen })),
      createdAt: new Date(w.now.getTime() - 2 * DAY),
      sentAt: new Date(w.now.getTime() - 2 * DAY),
    },
  ]);
  w.summary.inventoryParts = parts.length;
  w.summary.inventoryLocations = locRows.length;
  w.summary.inventoryMovements = moves.length;
  w.summary.traceCodes = unitRows.size;
};

const roundUnit = (p: DemoPart, milli: number) =>
  p.unit === 'each' ? Math.max(1000, Math.ceil(milli / 1000) * 1000) : Math.max(1000, Math.ceil(milli));

function bytes(w: DemoWorld): Uint8Array {
  return Uint8Array.from({ length: 8 }, () => randomInt(w.rng, 256));
}

/** DOT date code: week and two-digit year (WWYY). */
function dotWeek(d: Date): string {
  const yy = String(d.getUTCFullYear()).slice(2);
  const week = String(
    1 + Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / (7 * DAY)),
  ).padStart(2, '0');
  return `${week}${yy}`;
}

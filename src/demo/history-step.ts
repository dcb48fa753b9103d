/**
 * Demo: 60 days of history — searches, holds, bookings, work orders with their timelines, payments,
 * reviews and comebacks — with believable rates (search → booking ≈ 15 %, about 40 % of customers
 * coming back within six months), plus confirmed bookings for the coming days made through the
 * real booking service so their slots are truly taken.
 */
import type { AppContext } from '../platform/context.js';
import type { Executor, Tx } from '../platform/db/types.js';
import { newId } from '../platform/domain/ids.js';
import { randomInt, type Rng } from '../platform/domain/random.js';
import { convert, haversineMeters } from '../platform/domain/geo.js';
import { addDays, localToUtc, utcToLocal, weekdayOf } from '../platform/time.js';
import { buildQuote, catalogSnapshot, priceBookFor, type Quote } from '../modules/catalog/index.js';
import {
  createHold,
  importBookingHistory,
  type DemoBookingHistoryRow,
  type DemoBookingRow,
  type DemoFunnelRow,
  type DemoPaymentRow,
} from '../modules/booking/index.js';
import {
  importWorkOrderHistory,
  ratingsByStore,
  type DemoEventRow,
  type DemoLineRow,
  type DemoReviewRow,
  type DemoStepRow,
  type DemoQcRow,
  type DemoWorkOrderRow,
} from '../modules/workorders/index.js';
import { loadTechnicians, type Technician } from '../modules/technicians/index.js';
import { linkCustomer, vehiclesByIds } from '../modules/customers/index.js';
import { setStoreRating, listBays } from '../modules/stores/index.js';
import type { DemoWorld } from './load-demo.js';

const SEARCH_TO_BOOKING = 0.15;
/** Share of bookings by a store's returning customers (gives ~40 % repurchase over the window). */
const RETURN_SHARE = 0.42;

/** Service mix by powertrain family: [item codes, weight]. */
const MIX_ENGINE: Array<[string[], number]> = [
  [['minor_service'], 30],
  [['major_service'], 8],
  [['brake_pads_front'], 8],
  [['brake_pads_rear'], 5],
  [['tyre_rotate'], 5],
  [['wheel_alignment'], 6],
  [['battery_12v'], 4],
  [['ac_service'], 7],
  [['wipers'], 5],
  [['diagnostic_scan'], 5],
  [['brake_fluid'], 4],
  [['coolant'], 3],
  [['wheel_balance'], 3],
  [['minor_service', 'wipers'], 4],
  [['minor_service', 'cabin_filter'], 3],
];
const MIX_BEV: Array<[string[], number]> = [
  [['nev_battery_check'], 14],
  [['nev_hv_inspection'], 8],
  [['tyre_rotate'], 12],
  [['wheel_alignment'], 8],
  [['brake_fluid'], 6],
  [['cabin_filter'], 10],
  [['ac_service'], 8],
  [['wipers'], 8],
  [['battery_12v'], 5],
  [['brake_pads_front'], 4],
  [['multipoint_inspection'], 10],
  [['wheel_balance'], 4],
];

function pick<T>(rng: Rng, mix: Array<[T, number]>): T {
  const total = mix.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [v, w] of mix) {
    x -= w;
    if (x < 0) return v;
  }
  return mix[0]![0];
}

function poisson(rng: Rng, mean: number): number {
  let l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng();
  } while (p > l);
  l = 0;
  return k - 1;
}

export async function historyStep(ctx: AppContext, tx: Executor, w: DemoWorld): Promise<void> {
  const rng = w.rng;
  const tz = ctx.config.timezone;
  const today = utcToLocal(w.now, tz).day;
  const cat = await catalogSnapshot({}, tx);
  const books = new Map<string, Awaited<ReturnType<typeof priceBookFor>>>();
  for (const s of w.stores) books.set(s.id, await priceBookFor({}, tx, s.path, { fresh: true }));
  const techs = await loadTechnicians(tx, { storeIds: w.stores.map((s) => s.id), activeOnly: true });
  const techsByStore = new Map<string, Technician[]>();
  for (const t of techs) techsByStore.set(t.storeId, [...(techsByStore.get(t.storeId) ?? []), t]);
  const bays = new Map<string, string[]>();
  for (const s of w.stores)
    bays.set(
      s.id,
      (await listBays(tx, s.id)).map((b) => b.id),
    );

  // Each owner's home stores: the three nearest.
  const storePos = w.stores.map((s) => ({ s, wgs: convert(s.gcj, 'gcj02', 'wgs84') }));
  const nearest = w.owners.map((o) => {
    const home = convert(o.home, 'gcj02', 'wgs84');
    return storePos
      .map((x) => ({ s: x.s, d: haversineMeters(home, x.wgs) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((x) => x.s);
  });
  const vehiclesByOwner = new Map<number, DemoWorld['vehicles']>();
  for (const v of w.vehicles)
    vehiclesByOwner.set(v.ownerIndex, [...(vehiclesByOwner.get(v.ownerIndex) ?? []), v]);
  const customersOf = new Map<string, number[]>();
  const visited = new Set<number>();
  // Owners by the stores near them, shuffled, for picking new customers.
  const localOwners = new Map<string, number[]>();
  nearest.forEach((ss, i) =>
    ss.forEach((st) => localOwners.set(st.id, [...(localOwners.get(st.id) ?? []), i])),
  );
  for (const list of localOwners.values()) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = randomInt(rng, i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
  }

  const out = {
    bookings: [] as DemoBookingRow[],
    history: [] as DemoBookingHistoryRow[],
    payments: [] as DemoPaymentRow[],
    funnel: [] as DemoFunnelRow[],
    workOrders: [] as DemoWorkOrderRow[],
    events: [] as DemoEventRow[],
    lines: [] as DemoLineRow[],
    reviews: [] as DemoReviewRow[],
    steps: [] as DemoStepRow[],
    qc: [] as DemoQcRow[],
  };
  // Each technician has a pace (standard minutes ÷ clocked) and a first-time QC pass rate.
  const pace = new Map(techs.map((t) => [t.id, 0.8 + 0.1 * t.level + (rng() - 0.5) * 0.1]));
  const qcSkill = new Map(techs.map((t) => [t.id, 0.88 + 0.03 * t.level]));
  const links = new Map<string, { ownerId: string; storeId: string; orgPath: string; at: Date }>();
  const finished: Array<{ wo: DemoWorkOrderRow; quote: Quote; at: Date }> = [];
  let woSeq = 0;

  for (let d = w.historyDays; d >= 1; d--) {
    const day = addDays(today, -d);
    const wd = weekdayOf(day);
    for (const s of w.stores) {
      const open = wd >= 6 ? [9 * 60, 18 * 60] : [8 * 60 + 30, 18 * 60 + 30];
      const n = poisson(rng, wd >= 6 ? 2 : 1.3);
      const storeTechs = techsByStore.get(s.id) ?? [];
      for (let k = 0; k < n; k++) {
        // Returning customers of this store come back; others are new, from owners living nearby.
        const known = customersOf.get(s.id) ?? [];
        let ownerIndex: number | undefined;
        if (known.length > 0 && rng() < RETURN_SHARE) ownerIndex = known[randomInt(rng, known.length)]!;
        else {
          const pool = localOwners.get(s.id) ?? [];
          while (pool.length && visited.has(pool[pool.length - 1]!)) pool.pop();
          ownerIndex = pool.pop();
          if (ownerIndex === undefined) {
            const left = w.owners.findIndex((_o, i) => !visited.has(i));
            ownerIndex = left >= 0 ? left : known[randomInt(rng, Math.max(1, known.length))];
          }
        }
        if (ownerIndex === undefined) continue;
        visited.add(ownerIndex);
        const owner = w.owners[ownerIndex]!;
        const vs = vehiclesByOwner.get(ownerIndex) ?? [];
        const v = vs[randomInt(rng, vs.length)];
        if (!v) continue;
        const model = cat.models.get(v.modelId)!;
        const mix = model.powertrain === 'BEV' ? MIX_BEV : MIX_ENGINE;
        let items = pick(rng, mix);
        if (model.powertrain === 'PHEV' && rng() < 0.25) items = ['nev_battery_check'];
        let quote: Quote;
        try {
          quote = buildQuote(cat.items, cat.partTypes, books.get(s.id)!, model, items);
        } catch {
          continue;
        }
        const slots = Math.max(1, Math.floor((open[1]! - open[0]! - quote.durationMinutes) / 15));
        const startMin = open[0]! + randomInt(rng, slots) * 15;
        const startAt = localToUtc(day, startMin, tz);
        const endAt = new Date(startAt.getTime() + quote.durationMinutes * 60_000);
        const createdAt = new Date(startAt.getTime() - (1 + randomInt(rng, 72)) * 3600_000);
        const tech = storeTechs[randomInt(rng, Math.max(1, storeTechs.length))];
        const bookingId = newId('bk');
        const fate = rng();
        const status = fate < 0.06 ? 'cancelled' : fate < 0.1 ? 'no_show' : 'completed';
        const source = rng() < 0.08 ? 'phone' : 'web';
        out.bookings.push({
          id: bookingId,
          storeId: s.id,
          orgPath: s.path,
          ownerId: owner.userId,
          vehicleId: v.id,
          items,
          status,
          source,
          startAt,
          endAt,
          bayId: bays.get(s.id)![randomInt(rng, bays.get(s.id)!.length)]!,
          technicianId: tech?.id ?? 'tc_none',
          holdExpiresAt: null,
          quote: quote.lines,
          totalFen: quote.totalFen,
          createdAt,
          confirmedAt: createdAt,
          cancelledAt: status === 'cancelled' ? new Date(createdAt.getTime() + 3600_000) : null,
          cancelReason: status === 'cancelled' ? '行程有变' : null,
          reminderSentAt: new Date(startAt.getTime() - 86_400_000),
        });
        out.history.push(
          { bookingId, at: createdAt, fromStatus: null, toStatus: 'held' },
          { bookingId, at: createdAt, fromStatus: 'held', toStatus: 'confirmed' },
        );
        out.funnel.push(
          { at: createdAt, kind: 'hold', ownerId: owner.userId, storeId: s.id, items, bookingId },
          { at: createdAt, kind: 'confirm', ownerId: owner.userId, storeId: s.id, items, bookingId },
        );
        // The searches that led here, and the ones that did not convert.
        const searches = Math.max(1, Math.round((1 / SEARCH_TO_BOOKING) * (0.6 + rng() * 0.8)));
        for (let i = 0; i < searches; i++) {
          out.funnel.push({
            at: new Date(createdAt.getTime() - randomInt(rng, 7200) * 1000),
            kind: 'search',
            ownerId: i === 0 ? owner.userId : null,
            storeId: s.id,
            items,
            resultCount: 3 + randomInt(rng, 8),
          });
        }
        if (status !== 'completed') {
          out.history.push({
            bookingId,
            at:
              status === 'cancelled'
                ? new Date(createdAt.getTime() + 3600_000)
                : new Date(startAt.getTime() + 1800_000),
            fromStatus: 'confirmed',
            toStatus: status,
          });
          continue;
        }
        if (!known.includes(ownerIndex)) known.push(ownerIndex);
        customersOf.set(s.id, known);
        links.set(`${owner.userId}|${s.id}`, {
          ownerId: owner.userId,
          storeId: s.id,
          orgPath: s.path,
          at: startAt,
        });
        const woId = newId('wo');
        const checkIn = new Date(startAt.getTime() + randomInt(rng, 10) * 60_000);
        const done = new Date(endAt.getTime() + randomInt(rng, 30) * 60_000);
        const handed = new Date(done.getTime() + (10 + randomInt(rng, 90)) * 60_000);
        const reviewed = rng() < 0.62;
        const odo = v.odometerKm - d * (20 + randomInt(rng, 40));
        const months = Math.max(0, ...items.map((c) => cat.items.get(c)?.warrantyMonths ?? 0));
        const until = new Date(handed);
        until.setUTCMonth(until.getUTCMonth() + months);
        const wo: DemoWorkOrderRow = {
          id: woId,
          number: `WO${day.replace(/-/g, '')}-${String(++woSeq).padStart(6, '0')}`,
          storeId: s.id,
          orgPath: s.path,
          bookingId,
          ownerId: owner.userId,
          vehicleId: v.id,
          plate: '',
          vehicleModelId: v.modelId,
          items,
          status: reviewed ? 'reviewed' : 'handed_over',
          source: 'booking',
          technicianId: tech?.id ?? null,
          bayId: null,
          odometerKm: odo,
          fuelLevelPct: 20 + randomInt(rng, 70),
          totalFen: quote.totalFen,
          paidFen: quote.totalFen,
          warrantyUntil: months ? until : null,
          createdAt: checkIn,
          updatedAt: reviewed ? new Date(handed.getTime() + 86_400_000) : handed,
          handedOverAt: handed,
        };
        out.bookings.at(-1)!.workOrderId = woId;
        out.workOrders.push(wo);
        finished.push({ wo, quote, at: handed });
        out.history.push(
          { bookingId, at: checkIn, fromStatus: 'confirmed', toStatus: 'checked_in' },
          { bookingId, at: handed, fromStatus: 'checked_in', toStatus: 'completed' },
        );
        const actor = tech?.userId ?? null;
        const ev = (event: string, at: Date, from: string | null, to: string, role = 'technician') =>
          out.events.push({
            workOrderId: woId,
            at,
            actorId: role === 'technician' ? actor : null,
            actorRole: role,
            event,
            fromStatus: from,
            toStatus: to,
          });
        const t = (m: number) => new Date(checkIn.getTime() + m * 60_000);
        ev('check_in', checkIn, null, 'checked_in', 'front_desk');
        ev('start_inspection', t(3), 'checked_in', 'inspection');
        ev('build_estimate', t(12), 'inspection', 'estimate', 'front_desk');
        ev('send_estimate', t(13), 'estimate', 'awaiting_approval', 'front_desk');
        ev('approve', t(18), 'awaiting_approval', 'approved', 'owner');
        ev('start_work', t(20), 'approved', 'in_progress');
        // SOP steps, timed at the technician's pace with some noise.
        let at = t(20).getTime();
        let idx = 0;
        for (const code of items) {
          for (const child of cat.items.get(code)?.packageItems.length
            ? cat.items.get(code)!.packageItems
            : [code]) {
            for (const st of cat.items.get(child)?.sopSteps ?? []) {
              const mins = Math.max(
                1,
                Math.round((st.minutes / (pace.get(tech?.id ?? '') ?? 1)) * (0.85 + rng() * 0.3)),
              );
              const started = new Date(at);
              at += mins * 60_000;
              out.steps.push({
                id: newId('sp'),
                workOrderId: woId,
                itemCode: child,
                stepCode: st.code,
                stepIndex: idx++,
                zh: st.zh,
                en: st.en,
                standardMinutes: st.minutes,
                startedAt: started,
                doneAt: new Date(at),
                doneBy: actor,
              });
            }
          }
        }
        const firstPass = rng() < (qcSkill.get(tech?.id ?? '') ?? 0.9);
        out.qc.push({
          id: newId('qc'),
          workOrderId: woId,
          checkedBy: storeTechs.find((x) => x.id !== tech?.id)?.userId ?? 'demo',
          passed: firstPass,
          notes: firstPass ? null : '复检不合格，返工',
          at: done,
        });
        if (!firstPass)
          out.qc.push({
            id: newId('qc'),
            workOrderId: woId,
            checkedBy: storeTechs.find((x) => x.id !== tech?.id)?.userId ?? 'demo',
            passed: true,
            notes: null,
            at: new Date(done.getTime() + 20 * 60_000),
          });
        ev('finish_work', done, 'in_progress', 'quality_check');
        ev('qc_pass', new Date(done.getTime() + 5 * 60_000), 'quality_check', 'ready', 'store_manager');
        ev('hand_over', handed, 'ready', 'handed_over', 'front_desk');
        for (const l of quote.lines) {
          out.lines.push({
            id: newId('el'),
            workOrderId: woId,
            kind: l.kind,
            itemCode: l.itemCode,
            partTypeCode: l.partTypeCode ?? null,
            description: l.description,
            qtyMilli: l.qtyMilli,
            unitPriceFen: l.unitPriceFen,
            amountFen: l.amountFen,
            recommended: false,
            approval: 'approved',
            decidedAt: createdAt,
          });
        }
        const prepay = source === 'web' && rng() < 0.3;
        const method = prepay
          ? 'sandbox'
          : (['wechat', 'wechat', 'alipay', 'card', 'cash'] as const)[randomInt(rng, 5)]!;
        out.payments.push({
          id: newId('pay'),
          storeId: s.id,
          orgPath: s.path,
          ownerId: owner.userId,
          bookingId,
          workOrderId: prepay ? null : woId,
          kind: prepay ? 'prepay' : 'in_store',
          method,
          provider: prepay ? 'sandbox' : 'in_store',
          providerRef: prepay ? `sbx_demo_${woSeq}` : null,
          amountFen: quote.totalFen,
          status: 'succeeded',
          createdAt: prepay ? createdAt : handed,
          paidAt: prepay ? createdAt : handed,
        });
        if (reviewed) {
          const stars = rng() < 0.7 ? 5 : rng() < 0.8 ? 4 : 1 + randomInt(rng, 3);
          const reviewAt = new Date(handed.getTime() + (1 + randomInt(rng, 40)) * 3600_000);
          out.reviews.push({
            id: newId('rv'),
            workOrderId: woId,
            storeId: s.id,
            orgPath: s.path,
            ownerId: owner.userId,
            technicianId: tech?.id ?? null,
            stars,
            tags: stars >= 4 ? ['专业', '守时'] : ['等待久'],
            text: null,
            at: reviewAt,
          });
          out.events.push({
            workOrderId: woId,
            at: reviewAt,
            actorId: owner.userId,
            actorRole: 'owner',
            event: 'review',
            fromStatus: 'handed_over',
            toStatus: 'reviewed',
            data: { stars },
          });
        }
      }
    }
  }
  // Plates come from the vehicles (one query), comebacks for ~2 % of warrantied jobs.
  const plates = new Map<string, string>();
  for (const v of await vehiclesByIds(
    tx,
    w.vehicles.map((x) => x.id),
  ))
    plates.set(v[0], v[1].plate);
  for (const wo of out.workOrders) wo.plate = plates.get(wo.vehicleId) ?? '';
  for (const f of finished) {
    if (!f.wo.warrantyUntil || rng() > 0.02) continue;
    const at = new Date(f.at.getTime() + (3 + randomInt(rng, 10)) * 86_400_000);
    if (at >= w.now) continue;
    const id = newId('wo');
    out.workOrders.push({
      ...f.wo,
      id,
      number: `${f.wo.number}-R`,
      bookingId: null,
      source: 'comeback',
      comebackOf: f.wo.id,
      status: 'handed_over',
      totalFen: 0,
      paidFen: 0,
      createdAt: at,
      updatedAt: at,
      handedOverAt: new Date(at.getTime() + 3600_000),
    });
    out.events.push({
      workOrderId: id,
      at,
      actorRole: 'front_desk',
      event: 'check_in',
      fromStatus: null,
      toStatus: 'checked_in',
      data: { comebackOf: f.wo.id },
    });
  }
  await importBookingHistory(tx, out);
  await importWorkOrderHistory(tx, out);
  for (const l of links.values())
    await linkCustomer(tx, l.ownerId, { id: l.storeId, orgPath: l.orgPath }, l.at);
  for (const r of await ratingsByStore(tx)) await setStoreRating(tx, r.storeId, r.avg, r.n);
  w.summary.pastBookings = out.bookings.length;
  w.summary.workOrders = out.workOrders.length;
  w.summary.searches = out.funnel.filter((f) => f.kind === 'search').length;
  w.summary.reviews = out.reviews.length;
  await upcoming(ctx, tx as Tx, w, today);
}

/** Confirmed bookings for today and the next days, through the booking service (slots really taken). */
async function upcoming(ctx: AppContext, tx: Tx, w: DemoWorld, today: string): Promise<void> {
  let made = 0;
  const searches: DemoFunnelRow[] = [];
  const tz = ctx.config.timezone;
  for (let d = 0; d <= 4; d++) {
    const day = addDays(today, d);
    for (const s of w.stores) {
      for (let k = 0; k < 3; k++) {
        const v = w.vehicles[randomInt(w.rng, w.vehicles.length)]!;
        const items = v.powertrain === 'BEV' ? ['tyre_rotate'] : ['minor_service'];
        const startAt = localToUtc(day, 9 * 60 + 30 + randomInt(w.rng, 30) * 15, tz);
        if (startAt.getTime() < w.now.getTime() + 3600_000) continue;
        try {
          // Booked some time in the last three days, as real customers would have.
          const bookedAt = new Date(w.now.getTime() - randomInt(w.rng, 3 * 24 * 60) * 60_000);
          const at = { ...ctx, clock: { now: () => bookedAt } };
          await tx.transaction(async (sp) => {
            await createHold(at, sp, {
              ownerId: w.owners[v.ownerIndex]!.userId,
              vehicleId: v.id,
              storeId: s.id,
              items,
              startAt,
              source: 'web',
              confirm: true,
              noNotice: true,
            });
          });
          searches.push(
            ...Array.from(
              { length: Math.max(1, Math.round((1 / SEARCH_TO_BOOKING) * (0.6 + w.rng() * 0.8))) },
              (_x, i) => ({
                at: new Date(bookedAt.getTime() - randomInt(w.rng, 7200) * 1000),
                kind: 'search' as const,
                ownerId: i === 0 ? w.owners[v.ownerIndex]!.userId : null,
                storeId: s.id,
                items,
                resultCount: 3 + randomInt(w.rng, 8),
              }),
            ),
          );
          made++;
        } catch {
          // Taken or closed: the demo simply skips that one.
        }
      }
    }
  }
  await importBookingHistory(tx, { bookings: [], history: [], payments: [], funnel: searches });
  w.summary.upcomingBookings = made;
}

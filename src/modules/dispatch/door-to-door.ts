/**
 * Live door-to-door routing (上门服务 and 上门取送车). When an owner's request arrives, the store's day
 * is re-planned with the VRPTW solver: mobile technicians (skill `door_to_door`) on their shifts,
 * each request a job with the owner's time window, an on-site job serving the items' standard
 * labour minutes, a 取送车 request a pickup-and-delivery pair with precedence (collect the car and
 * drive it to the store; after the work, drive it back), on the same driver.
 *
 * Promises are kept: a request already scheduled keeps its 30-minute arrival window as a hard time
 * window in every re-plan, and one whose window starts within the next 30 minutes is frozen (the
 * technician is on the way). If the new plan would drop an earlier promise, the new requests are
 * declined instead and the earlier plan stands. The store row is locked for the planning, so two
 * requests arriving together are planned one after the other.
 */
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/types.js';
import { haversineMeters } from '../../platform/domain/geo.js';
import { enqueueNotification } from '../../platform/notify/outbox.js';
import { addDays, localToUtc, utcToLocal, weekdayOf } from '../../platform/time.js';
import { doorToDoorRequests } from '../booking/schema.js';
import { catalogSnapshot, expandItems, type CatalogSnapshot } from '../catalog/index.js';
import { getStoreRaw } from '../stores/index.js';
import { loadTechnicians, type Technician } from '../technicians/index.js';
import { travelMinutes } from './recommend.js';
import { solve, type Job, type PickupDelivery, type Vehicle } from './vrptw/index.js';

/** Technicians with this skill go out on door-to-door jobs. */
export const MOBILE_SKILL = 'door_to_door';
/** The customer is told an arrival window this wide around the planned start. */
export const PROMISE_MINUTES = 30;
/** A scheduled request starting sooner than this is not moved any more. */
const FREEZE_MINUTES = 30;
/** Handing over the keys / parking at the store, for pick-ups. */
const HANDOVER_MINUTES = 10;
/** Travel times assume rush-hour speed, so promised windows hold at any hour. */
const PLANNING_HOUR = 8;

export type D2dRow = typeof doorToDoorRequests.$inferSelect;

export interface PlannedStop {
  requestId: string;
  /**
   * `onsite` service at the address; `pickup`: collect the car there and drive it to the store;
   * `return`: take it from the store back to the owner. Position = where the stop begins.
   */
  kind: 'onsite' | 'pickup' | 'return';
  start: Date;
  end: Date;
  lon: number;
  lat: number;
}

export interface PlannedRoute {
  technicianId: string;
  technicianName: string;
  shiftStart: Date;
  shiftEnd: Date;
  stops: PlannedStop[];
  distanceM: number;
}

export interface DayPlan {
  storeId: string;
  day: string;
  store: { lon: number; lat: number };
  routes: PlannedRoute[];
  /** Requests of the day that could not be served. */
  declined: string[];
  /** Requests scheduled (or re-confirmed) by this run. */
  scheduled: string[];
  /** Requests left untouched because they start within the freeze horizon. */
  frozen: string[];
  technicians: number;
}

interface Node {
  request: D2dRow;
  job: number;
  /** Earliest and latest start of service, as minutes of the day. */
  ready: number;
  due: number;
}

const minuteOfDay = (at: Date, dayStart: Date): number => (at.getTime() - dayStart.getTime()) / 60_000;

/**
 * Re-plans a store's door-to-door day. Writes statuses, arrival windows and assignees, publishes
 * `d2d.scheduled` / `d2d.declined` and notifies owners of the outcome. Deterministic for the same
 * data (fixed seed and step budget).
 */
export async function planDoorToDoorDay(
  ctx: AppContext,
  tx: Tx,
  storeId: string,
  day: string,
  opts: { timeLimitMs?: number } = {},
): Promise<DayPlan> {
  // One planner per store at a time: the row lock serializes concurrent requests.
  await tx.execute(sql`select id from stores where id = ${storeId} for update`);
  const store = await getStoreRaw(tx, storeId);
  if (!store) throw new Error(`store ${storeId} vanished`);
  const tz = ctx.config.timezone;
  const dayStart = localToUtc(day, 0, tz);
  const dayEnd = localToUtc(addDays(day, 1), 0, tz);
  const now = ctx.clock.now();
  const nowMin = minuteOfDay(now, dayStart);

  const requests = await tx
    .select()
    .from(doorToDoorRequests)
    .where(
      and(
        eq(doorToDoorRequests.storeId, storeId),
        gte(doorToDoorRequests.windowStart, dayStart),
        lt(doorToDoorRequests.windowStart, dayEnd),
        inArray(doorToDoorRequests.status, ['requested', 'scheduled', 'en_route']),
      ),
    )
    .orderBy(doorToDoorRequests.createdAt, doorToDoorRequests.id);
  const frozen = requests.filter(
    (r) =>
      r.status === 'en_route' ||
      (r.status === 'scheduled' &&
        r.arrivalFrom &&
        minuteOfDay(r.arrivalFrom, dayStart) < nowMin + FREEZE_MINUTES),
  );
  const open = requests.filter((r) => !frozen.includes(r));

  const weekday = weekdayOf(day);
  const techs = (
    await loadTechnicians(tx, { storeIds: [storeId], from: dayStart, to: dayEnd, activeOnly: true })
  )
    .filter((t) => t.skills.includes(MOBILE_SKILL))
    .map((t) => ({ t, shift: t.shifts.find((s) => s.weekday === weekday) }))
    .filter((x): x is { t: Technician; shift: NonNullable<typeof x.shift> } => !!x.shift)
    .filter(({ t, shift }) => !t.timeOff.some((o) => overlaps(o, dayStart, shift.startMin, shift.endMin)));

  const catalog = await catalogSnapshot(ctx.db, tx);
  const serviceOf = (r: D2dRow): number => serviceMinutes(catalog, r);

  // Each location has the point where the technician arrives and the point they leave from: a
  // pick-up is reached at the owner's address and left at the store (the car is driven there), a
  // return the other way round. Location 0 is the store.
  const storePt = { lon: store.lon, lat: store.lat };
  const ends: Array<{ in: { lon: number; lat: number }; out: { lon: number; lat: number } }> = [
    { in: storePt, out: storePt },
  ];
  const drive = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) =>
    travelMinutes(haversineMeters(a, b), PLANNING_HOUR);
  const jobs: Job[] = [];
  const pairs: PickupDelivery[] = [];
  const nodes: Node[] = [];
  const returnOf = new Map<number, Node>();
  const expired: D2dRow[] = [];
  for (const r of open) {
    const home = { lon: r.lon, lat: r.lat };
    let ready = Math.max(minuteOfDay(r.windowStart, dayStart), nowMin);
    // The owner's window bounds the technician's arrival (start of service), as 上门 windows do.
    let due = minuteOfDay(r.windowEnd, dayStart);
    if (r.status === 'scheduled' && r.arrivalFrom && r.arrivalTo) {
      ready = Math.max(ready, minuteOfDay(r.arrivalFrom, dayStart));
      due = Math.min(due, minuteOfDay(r.arrivalTo, dayStart));
    }
    if (due < ready) {
      // The owner's window has passed without a plan: nobody can come any more.
      expired.push(r);
      continue;
    }
    const job = jobs.length;
    const node = { request: r, job, ready, due };
    nodes.push(node);
    if (r.kind === 'onsite') {
      ends.push({ in: home, out: home });
      jobs.push({ location: ends.length - 1, serviceTime: serviceOf(r), ready, due });
      continue;
    }
    // 上门取送车: collect the car, drive it to the store; after the work, drive it back.
    const leg = 2 * HANDOVER_MINUTES + drive(home, storePt);
    ends.push({ in: home, out: storePt });
    jobs.push({ location: ends.length - 1, serviceTime: leg, ready, due });
    ends.push({ in: storePt, out: home });
    const back = jobs.length;
    jobs.push({
      location: ends.length - 1,
      serviceTime: leg,
      // The store needs the car for the items' labour plus an hour of slack.
      ready: ready + leg + labourMinutes(catalog, r.items) + 60,
    });
    pairs.push({ pickup: job, delivery: back, load: 0 });
    returnOf.set(back, node);
  }
  const meters = ends.map((a) => ends.map((b) => Math.round(haversineMeters(a.out, b.in) * 1.3)));
  const minutes = ends.map((a) => ends.map((b) => (a === b ? 0 : drive(a.out, b.in))));
  // A technician busy with a frozen job is free again once it is done and they are back at the
  // store (a frozen pick-up's return leg stays with the driver who collected the car).
  const busyUntil = new Map<string, number>();
  for (const r of frozen) {
    if (!r.assignee || !r.arrivalTo) continue;
    const service = r.kind === 'onsite' ? serviceOf(r) : 2 * HANDOVER_MINUTES;
    const free = minuteOfDay(r.arrivalTo, dayStart) + service + drive({ lon: r.lon, lat: r.lat }, storePt);
    busyUntil.set(r.assignee, Math.max(busyUntil.get(r.assignee) ?? 0, free));
  }
  // Technicians with time left today; `fleet[v]` is vehicle v.
  const fleet = techs
    .map((x) => ({ ...x, from: Math.max(x.shift.startMin, nowMin, busyUntil.get(x.t.id) ?? 0) }))
    .filter((x) => x.from < x.shift.endMin);
  const vehicles: Vehicle[] = fleet.map(({ shift, from }) => ({
    startLocation: 0,
    endLocation: 0,
    capacity: 1,
    shiftStart: from,
    shiftEnd: shift.endMin,
  }));
  const infeasibleAll = vehicles.length === 0;

  const solution =
    jobs.length && !infeasibleAll
      ? solve(
          { name: `${storeId}/${day}`, travelTime: minutes, distance: meters, jobs, vehicles, pairs },
          { timeLimitMs: opts.timeLimitMs ?? 2_000, seed: 1, maxIterations: 4_000 + 400 * jobs.length },
        )
      : null;
  const unassignedJobs = new Set(solution ? solution.unassigned : jobs.map((_, j) => j));
  const lostPromise = nodes.some((n) => n.request.status === 'scheduled' && unassignedJobs.has(n.job));

  const result: DayPlan = {
    storeId,
    day,
    store: { lon: store.lon, lat: store.lat },
    routes: [],
    declined: [],
    scheduled: [],
    frozen: frozen.map((r) => r.id),
    technicians: techs.length,
  };
  const at = (m: number) => new Date(dayStart.getTime() + m * 60_000);

  if (lostPromise || !solution) {
    // Keep what was promised; only the new requests are declined.
    for (const n of nodes) {
      if (n.request.status === 'requested') await decline(ctx, tx, n.request, result);
    }
    for (const r of expired) await decline(ctx, tx, r, result);
    return result;
  }
  const nodeByJob = new Map(nodes.map((n) => [n.job, n]));
  for (const route of solution.routes) {
    const { t, shift } = fleet[route.vehicle]!;
    const stops: PlannedStop[] = [];
    for (const s of route.stops) {
      const back = returnOf.get(s.job);
      const n = back ?? nodeByJob.get(s.job)!;
      const r = n.request;
      const where = ends[jobs[s.job]!.location]!.in;
      stops.push({
        requestId: r.id,
        kind: back ? 'return' : r.kind === 'pickup_return' ? 'pickup' : 'onsite',
        start: at(Math.round(s.start)),
        end: at(Math.round(s.departure)),
        lon: where.lon,
        lat: where.lat,
      });
      if (back) continue;
      let from = r.arrivalFrom;
      let to = r.arrivalTo;
      if (r.status !== 'scheduled' || !from || !to) {
        // A window of PROMISE_MINUTES around the planned start, inside the owner's window; the
        // planned start is always inside it, so later re-plans can keep it as a hard window.
        const lo = Math.max(n.ready, s.start - PROMISE_MINUTES / 2);
        const hi = Math.min(n.due, lo + PROMISE_MINUTES);
        from = at(Math.floor(Math.max(n.ready, Math.min(lo, hi - PROMISE_MINUTES))));
        to = at(Math.ceil(hi));
      }
      await tx
        .update(doorToDoorRequests)
        .set({ status: 'scheduled', assignee: t.id, arrivalFrom: from, arrivalTo: to })
        .where(eq(doorToDoorRequests.id, r.id));
      result.scheduled.push(r.id);
      if (r.status !== 'scheduled') {
        await ctx.bus.publish(
          tx,
          'd2d.scheduled',
          {
            requestId: r.id,
            storeId,
            technicianId: t.id,
            arrivalFrom: from.toISOString(),
            arrivalTo: to.toISOString(),
          },
          store.orgPath,
        );
        await enqueueNotification(tx, {
          channel: 'in_app',
          template: 'd2d_scheduled',
          recipientUserId: r.ownerId,
          payload: {
            requestId: r.id,
            storeName: store.name,
            arrivalFrom: from.toISOString(),
            arrivalTo: to.toISOString(),
          },
          at: now,
        });
      }
    }
    result.routes.push({
      technicianId: t.id,
      technicianName: t.name,
      shiftStart: localToUtc(day, shift.startMin, tz),
      shiftEnd: localToUtc(day, shift.endMin, tz),
      stops,
      distanceM: route.distance,
    });
  }
  for (const n of nodes) if (unassignedJobs.has(n.job)) await decline(ctx, tx, n.request, result);
  for (const r of expired) await decline(ctx, tx, r, result);
  return result;
}

async function decline(ctx: AppContext, tx: Tx, r: D2dRow, result: DayPlan): Promise<void> {
  await tx
    .update(doorToDoorRequests)
    .set({ status: 'declined', assignee: null, arrivalFrom: null, arrivalTo: null })
    .where(eq(doorToDoorRequests.id, r.id));
  result.declined.push(r.id);
  await ctx.bus.publish(tx, 'd2d.declined', { requestId: r.id, storeId: r.storeId }, r.orgPath);
  await enqueueNotification(tx, {
    channel: 'in_app',
    template: 'd2d_declined',
    recipientUserId: r.ownerId,
    payload: {
      requestId: r.id,
      windowStart: r.windowStart.toISOString(),
      windowEnd: r.windowEnd.toISOString(),
    },
    at: ctx.clock.now(),
  });
}

/** Minutes a request keeps its technician at the address (on site: the items' standard labour). */
export function serviceMinutes(catalog: CatalogSnapshot, r: Pick<D2dRow, 'kind' | 'items'>): number {
  return r.kind === 'pickup_return' ? HANDOVER_MINUTES : Math.max(15, labourMinutes(catalog, r.items));
}

function labourMinutes(catalog: CatalogSnapshot, codes: readonly string[]): number {
  try {
    return expandItems(catalog.items, codes).reduce((m, x) => m + x.item.labourMinutes, 0);
  } catch {
    // An item retired since the request: plan with what is still known.
    return codes.reduce((m, c) => m + (catalog.items.get(c)?.labourMinutes ?? 0), 0);
  }
}

function overlaps(
  o: { startsAt: Date; endsAt: Date },
  dayStart: Date,
  startMin: number,
  endMin: number,
): boolean {
  const from = dayStart.getTime() + startMin * 60_000;
  const to = dayStart.getTime() + endMin * 60_000;
  return o.startsAt.getTime() < to && o.endsAt.getTime() > from;
}

/** The local day a request belongs to (its window start). */
export function requestDay(windowStart: Date, tz: string): string {
  return utcToLocal(windowStart, tz).day;
}

/**
 * Today's (or any day's) routes as stored: scheduled requests per technician in arrival order, for
 * the dispatch board. Does not re-plan.
 */
export async function storedRoutes(
  tx: Executor,
  storeId: string,
  day: string,
  tz: string,
): Promise<{ scheduled: D2dRow[]; waiting: D2dRow[]; declined: D2dRow[] }> {
  const from = localToUtc(day, 0, tz);
  const to = localToUtc(addDays(day, 1), 0, tz);
  const rows = await tx
    .select()
    .from(doorToDoorRequests)
    .where(
      and(
        eq(doorToDoorRequests.storeId, storeId),
        gte(doorToDoorRequests.windowStart, from),
        lt(doorToDoorRequests.windowStart, to),
      ),
    )
    .orderBy(doorToDoorRequests.arrivalFrom, doorToDoorRequests.windowStart);
  return {
    scheduled: rows.filter((r) => r.status === 'scheduled' || r.status === 'en_route' || r.status === 'done'),
    waiting: rows.filter((r) => r.status === 'requested'),
    declined: rows.filter((r) => r.status === 'declined'),
  };
}

/** Plans the day of every new request (the `d2d.requested` consumer). */
export function registerDoorToDoorPlanning(ctx: AppContext): void {
  ctx.bus.subscribe('dispatch.plan-door-to-door', ['d2d.requested'], async (tx, ev) => {
    const e = ev.payload as { requestId: string; storeId: string; windowStart: string };
    await planDoorToDoorDay(ctx, tx, e.storeId, requestDay(new Date(e.windowStart), ctx.config.timezone));
  });
}

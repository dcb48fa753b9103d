/**
 * Technician assignment at a store: the waiting jobs (work orders without a technician) are placed
 * on technicians' free time today — shift ∩ opening hours, minus absences and cells already
 * claimed — with skills and certifications as hard constraints and rating, load and continuity as
 * costs (dispatch/assignment). Applying a plan claims the technicians' cells and assigns the work
 * orders, in one transaction.
 */
import type { AppContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { requireStaff, type Principal } from '../../platform/auth/principal.js';
import { localToUtc, utcToLocal } from '../../platform/time.js';
import { catalogSnapshot, expandItems } from '../catalog/index.js';
import { claimCellsFor, claimedCells, invalidateAvailability } from '../booking/index.js';
import { getStoreScoped, holidaysBetween, openingOn, storeSetupFresh } from '../stores/index.js';
import { loadTechnicians, qualifies } from '../technicians/index.js';
import { assignWorkOrderTechnician, listWorkOrders, type WorkOrder } from '../workorders/index.js';
import {
  assignJobs,
  placeWalkIn,
  type AssignmentPlan,
  type DispatchJob,
  type PlacedJob,
  type Technician as SolverTech,
} from './assignment/index.js';
import { teamPerformance } from './team.js';

const OPEN_STATES = new Set([
  'checked_in',
  'inspection',
  'estimate',
  'awaiting_approval',
  'approved',
  'in_progress',
]);
const toMin = (ms: number) => Math.floor(ms / 60_000);

interface Inputs {
  jobs: DispatchJob[];
  technicians: SolverTech[];
  placed: PlacedJob[];
  workOrders: Map<string, WorkOrder>;
}

async function inputs(ctx: AppContext, tx: Tx, p: Principal, storeId: string): Promise<Inputs> {
  const now = ctx.clock.now();
  const tz = ctx.config.timezone;
  const day = utcToLocal(now, tz).day;
  const store = await getStoreScoped(tx, p, storeId);
  const setup = await storeSetupFresh(tx, store.id);
  const hol = await holidaysBetween(tx, day, day);
  const o = setup
    ? openingOn(day, setup.hours, setup.exceptions, hol.get(day), setup.store.holidayMode)
    : null;
  if (!o) throw new AppError('dispatch.store_closed', 'conflict', 'The store is closed today');
  const open: [number, number] = [
    localToUtc(day, o.openMin, tz).getTime(),
    localToUtc(day, o.closeMin, tz).getTime(),
  ];
  const cat = await catalogSnapshot(ctx.db, tx);
  const wos = (await listWorkOrders(tx, p, { storeId, limit: 200 })).filter((w) => OPEN_STATES.has(w.status));
  const techs = await loadTechnicians(tx, {
    storeIds: [storeId],
    activeOnly: true,
    from: new Date(open[0]),
    to: new Date(open[1]),
  });
  const perf = new Map((await teamPerformance(ctx, tx, techs)).map((m) => [m.technician.id, m.performance]));
  const claimed = await claimedCells(
    tx,
    techs.map((t) => t.id),
    new Date(open[0]),
    new Date(open[1]),
    now,
  );
  const startFloor = Math.max(open[0], Math.ceil(now.getTime() / 900_000) * 900_000);
  const technicians: SolverTech[] = [];
  for (const t of techs) {
    const shift = t.shifts.find((s) => s.weekday === o.effectiveWeekday);
    if (!shift) continue;
    let a = Math.max(startFloor, localToUtc(day, shift.startMin, tz).getTime());
    const b = Math.min(open[1], localToUtc(day, shift.endMin, tz).getTime());
    const free: Array<{ start: number; end: number }> = [];
    let busyMin = 0;
    for (let c = open[0]; c < open[1]; c += 900_000) if (claimed.has(`${t.id}|${c}`)) busyMin += 15;
    // Walk the quarter-hours, cutting at claimed cells and absences.
    let runStart: number | null = null;
    for (; a < b; a += 900_000) {
      const away = t.timeOff.some((x) => x.startsAt.getTime() < a + 900_000 && x.endsAt.getTime() > a);
      const taken = claimed.has(`${t.id}|${a}`) || away;
      if (!taken && runStart === null) runStart = a;
      if (taken && runStart !== null) {
        free.push({ start: toMin(runStart), end: toMin(a) });
        runStart = null;
      }
    }
    if (runStart !== null && b > runStart) free.push({ start: toMin(runStart), end: toMin(b) });
    technicians.push({
      id: t.id,
      skills: t.skills.includes('general') ? t.skills : [...t.skills, 'general'],
      certs: t.certifications.filter((c) => c.expiresOn === null || c.expiresOn >= day).map((c) => c.code),
      rating: perf.get(t.id)?.stars ?? 4.5,
      loadMin: busyMin,
      free,
    });
  }
  const jobs: DispatchJob[] = [];
  const placed: PlacedJob[] = [];
  for (const w of wos) {
    const items = expandItems(cat.items, w.items).map((x) => x.item);
    const minutes = Math.max(15, Math.ceil(items.reduce((s, i) => s + i.labourMinutes, 0) / 15) * 15);
    if (w.technicianId) continue;
    const earliest = toMin(startFloor);
    const latest = toMin(open[1]) - minutes;
    if (latest < earliest) continue;
    jobs.push({
      id: w.id,
      requiredSkills: [...new Set(items.flatMap((i) => i.skills))],
      requiredCerts: [...new Set(items.flatMap((i) => i.certifications))],
      durationMin: minutes,
      earliestStart: earliest,
      latestStart: latest - ((latest - earliest) % 15),
    });
  }
  void qualifies;
  return { jobs, technicians, placed, workOrders: new Map(wos.map((w) => [w.id, w])) };
}

/** Plans (and with `apply`, makes) today's assignments of the store's waiting jobs. */
export async function planAssignments(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  storeId: string,
  apply: boolean,
): Promise<AssignmentPlan & { applied: number }> {
  requireStaff(p);
  const inp = await inputs(ctx, tx, p, storeId);
  const plan = assignJobs(inp.jobs, inp.technicians, { slotMinutes: 15 });
  let applied = 0;
  if (apply) {
    for (const a of plan.assignments) {
      const ok = await tx.transaction(async (sp) =>
        claimCellsFor(sp, a.technicianId, a.start * 60_000, a.end * 60_000, a.jobId),
      );
      if (!ok) continue;
      await assignWorkOrderTechnician(ctx, tx, p, a.jobId, a.technicianId, {
        start: new Date(a.start * 60_000),
        reasons: a.reasons,
      });
      applied++;
    }
    invalidateAvailability(ctx.db, storeId);
  }
  return { ...plan, applied };
}

/** Places one walk-in without moving anyone (incremental assignment). */
export async function autoAssignWalkIn(
  ctx: AppContext,
  tx: Tx,
  p: Principal,
  storeId: string,
  workOrderId: string,
) {
  const inp = await inputs(ctx, tx, p, storeId);
  const job = inp.jobs.find((j) => j.id === workOrderId);
  if (!job)
    throw new AppError(
      'dispatch.not_waiting',
      'conflict',
      'This work order is not waiting for a technician today',
    );
  const r = placeWalkIn(job, inp.technicians, inp.placed, { slotMinutes: 15 });
  if (!r.placed) return r;
  const ok = await tx.transaction(async (sp) =>
    claimCellsFor(
      sp,
      r.assignment.technicianId,
      r.assignment.start * 60_000,
      r.assignment.end * 60_000,
      workOrderId,
    ),
  );
  if (!ok)
    throw new AppError('dispatch.slot_taken', 'conflict', 'That technician’s time was just taken; try again');
  await assignWorkOrderTechnician(ctx, tx, p, workOrderId, r.assignment.technicianId, {
    start: new Date(r.assignment.start * 60_000),
    reasons: r.assignment.reasons,
  });
  invalidateAvailability(ctx.db, storeId);
  return r;
}

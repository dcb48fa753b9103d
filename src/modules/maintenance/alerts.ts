/**
 * The closed loop: findings become alerts (one active per vehicle and component), owners are told
 * through the outbox and reminded when they ignore it, an actionable alert gets a proposal — the
 * best capable store near the vehicle with a free slot (booking's search and ranking), held for 24
 * hours as a `proposal` booking, which reserves its parts through inventory — the owner accepts in
 * one tap, and the completed work order resolves the alert and resets the component's model.
 */
import { and, asc, desc, eq, gte, inArray, lte, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { enqueueNotification } from '../../platform/notify/outbox.js';
import { utcToLocal } from '../../platform/time.js';
import type { Principal } from '../../platform/auth/principal.js';
import { confirmBooking, createHold, HOLD_MINUTES, searchOptions, type Booking } from '../booking/index.js';
import { ownerVehicle } from '../customers/index.js';
import { getStoreRaw } from '../stores/index.js';
import { actionable } from './detect/detectors.js';
import type { Component, Finding, ServiceEvent, Severity } from './detect/types.js';
import {
  ACTIVE_ALERT_STATUSES,
  maintenanceAlerts,
  maintenanceProposals,
  maintenanceServices,
  type AlertStatus,
} from './schema.js';

export type Alert = typeof maintenanceAlerts.$inferSelect;
export type Proposal = typeof maintenanceProposals.$inferSelect;

/** The service items that fix each component (what a proposal books). */
export const COMPONENT_ITEMS: Record<Component, string[]> = {
  oil_service: ['minor_service'],
  brake_pads: ['brake_pads_front'],
  battery_12v: ['battery_12v'],
  traction_battery: ['nev_battery_check'],
  tyre_leak: ['tyre_replace'],
  coolant: ['coolant'],
  misfire: ['spark_plugs', 'diagnostic_scan'],
  catalyst: ['diagnostic_scan'],
  fuel_trim: ['diagnostic_scan'],
  network: ['diagnostic_scan'],
};

/** Service items that reset a component's wear model when a work order completes them. */
export const ITEM_RESETS: Record<string, ServiceEvent['component'][]> = {
  oil_change: ['oil_service'],
  minor_service: ['oil_service'],
  major_service: ['oil_service'],
  brake_pads_front: ['brake_pads'],
  brake_pads_rear: ['brake_pads'],
  battery_12v: ['battery_12v'],
  tyre_replace: ['tyres'],
  coolant: ['coolant'],
};

/** Days an ignored alert waits before each reminder, and how many reminders at most. */
export const REMINDER_DAYS = 3;
export const MAX_REMINDERS = 3;
/** A dismissed alert stays quiet this long unless its severity rises. */
export const DISMISS_QUIET_DAYS = 30;
const SEVERITY_RANK: Record<Severity, number> = { watch: 0, soon: 1, urgent: 2 };

async function activeAlert(
  tx: Executor,
  vehicleId: string,
  component: Component,
): Promise<Alert | undefined> {
  const [a] = await tx
    .select()
    .from(maintenanceAlerts)
    .where(
      and(
        eq(maintenanceAlerts.vehicleId, vehicleId),
        eq(maintenanceAlerts.component, component),
        inArray(maintenanceAlerts.status, [...ACTIVE_ALERT_STATUSES]),
      ),
    )
    .for('update');
  return a;
}

/**
 * Turns a vehicle's current findings into alerts: opens one per newly actionable component, keeps
 * the evidence of standing alerts current, re-notifies when the severity rises, and wakes a snoozed
 * alert when its snooze is over. Returns the ids opened.
 */
export async function applyFindings(
  ctx: AppContext,
  tx: Tx,
  v: { vehicleId: string; ownerId: string; city?: string | null },
  findings: readonly Finding[],
): Promise<string[]> {
  const now = ctx.clock.now();
  const opened: string[] = [];
  for (const f of findings) {
    if (!actionable(f)) continue;
    const cur = await activeAlert(tx, v.vehicleId, f.component);
    if (!cur) {
      // An owner who dismissed this component's alert is not asked again for a month, unless it
      // has become more severe than what they dismissed.
      const [dismissed] = await tx
        .select()
        .from(maintenanceAlerts)
        .where(
          and(
            eq(maintenanceAlerts.vehicleId, v.vehicleId),
            eq(maintenanceAlerts.component, f.component),
            eq(maintenanceAlerts.status, 'dismissed'),
            gte(maintenanceAlerts.closedAt, new Date(now.getTime() - DISMISS_QUIET_DAYS * 86_400_000)),
          ),
        )
        .orderBy(desc(maintenanceAlerts.closedAt))
        .limit(1);
      if (dismissed && SEVERITY_RANK[f.severity] <= SEVERITY_RANK[dismissed.severity]) continue;
      const id = newId('alr');
      const inserted = await tx
        .insert(maintenanceAlerts)
        .values({
          id,
          vehicleId: v.vehicleId,
          ownerId: v.ownerId,
          city: v.city ?? null,
          component: f.component,
          severity: f.severity,
          status: 'open',
          finding: f,
          confidence: f.confidence,
          dueDay: f.dueDay,
          openedAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: maintenanceAlerts.id });
      if (!inserted.length) continue; // another process opened it a moment ago
      opened.push(id);
      await ctx.bus.publish(tx, 'maintenance.alert.opened', {
        alertId: id,
        vehicleId: v.vehicleId,
        ownerId: v.ownerId,
        component: f.component,
        severity: f.severity,
        dueDay: f.dueDay,
      });
      continue;
    }
    const rose = SEVERITY_RANK[f.severity] > SEVERITY_RANK[cur.severity];
    let status: AlertStatus = cur.status;
    if (cur.status === 'snoozed' && cur.snoozedUntil && cur.snoozedUntil <= now) status = 'open';
    if (rose && (cur.status === 'notified' || cur.status === 'snoozed')) status = 'open';
    await tx
      .update(maintenanceAlerts)
      .set({
        severity: f.severity,
        finding: f,
        confidence: f.confidence,
        dueDay: f.dueDay,
        status,
        updatedAt: now,
        ...(status === 'open' ? { snoozedUntil: null } : {}),
      })
      .where(eq(maintenanceAlerts.id, cur.id));
  }
  return opened;
}

const COMPONENT_NAMES: Record<Component, [string, string]> = {
  oil_service: ['机油保养', 'oil service'],
  brake_pads: ['刹车片', 'brake pads'],
  battery_12v: ['12V 蓄电池', '12 V battery'],
  traction_battery: ['动力电池', 'traction battery'],
  tyre_leak: ['轮胎慢漏气', 'slow tyre leak'],
  coolant: ['冷却系统', 'cooling system'],
  misfire: ['发动机失火', 'engine misfire'],
  catalyst: ['三元催化器', 'catalytic converter'],
  fuel_trim: ['燃油混合比', 'fuel mixture'],
  network: ['车载网络', 'vehicle network'],
};
export const componentName = (c: Component, lang: 'zh' | 'en'): string =>
  COMPONENT_NAMES[c][lang === 'zh' ? 0 : 1];

async function tellOwner(
  ctx: AppContext,
  tx: Tx,
  a: Alert,
  template: string,
  extra: object = {},
): Promise<void> {
  await enqueueNotification(tx, {
    channel: 'in_app',
    template,
    recipientUserId: a.ownerId,
    payload: {
      alertId: a.id,
      vehicleId: a.vehicleId,
      component: a.component,
      componentZh: componentName(a.component, 'zh'),
      componentEn: componentName(a.component, 'en'),
      severity: a.severity,
      dueDay: a.dueDay,
      evidence: a.finding.evidence.map((e) => ({ zh: e.zh, en: e.en })),
      ...extra,
    },
    at: ctx.clock.now(),
  });
}

/** Notifies owners of open alerts, reminds them of ignored ones, wakes snoozed ones. */
export async function notifyAlerts(ctx: AppContext): Promise<{ notified: number; reminded: number }> {
  const now = ctx.clock.now();
  const remindBefore = new Date(now.getTime() - REMINDER_DAYS * 86_400_000);
  return ctx.db.transaction(async (tx) => {
    await tx
      .update(maintenanceAlerts)
      .set({ status: 'open', snoozedUntil: null, updatedAt: now })
      .where(and(eq(maintenanceAlerts.status, 'snoozed'), lte(maintenanceAlerts.snoozedUntil, now)));
    const open = await tx
      .select()
      .from(maintenanceAlerts)
      .where(eq(maintenanceAlerts.status, 'open'))
      .orderBy(asc(maintenanceAlerts.openedAt))
      .limit(500)
      .for('update', { skipLocked: true });
    for (const a of open) {
      await tellOwner(ctx, tx, a, 'maintenance_alert');
      await tx
        .update(maintenanceAlerts)
        .set({ status: 'notified', notifiedAt: now, updatedAt: now })
        .where(eq(maintenanceAlerts.id, a.id));
    }
    const ignored = await tx
      .select()
      .from(maintenanceAlerts)
      .where(
        and(
          inArray(maintenanceAlerts.status, ['notified', 'proposed']),
          sql`coalesce(${maintenanceAlerts.remindedAt}, ${maintenanceAlerts.notifiedAt}) <= ${remindBefore}`,
          sql`${maintenanceAlerts.reminders} < ${MAX_REMINDERS}`,
        ),
      )
      .limit(500)
      .for('update', { skipLocked: true });
    for (const a of ignored) {
      await tellOwner(ctx, tx, a, 'maintenance_reminder', { reminder: a.reminders + 1 });
      await tx
        .update(maintenanceAlerts)
        .set({ remindedAt: now, reminders: a.reminders + 1, updatedAt: now })
        .where(eq(maintenanceAlerts.id, a.id));
    }
    return { notified: open.length, reminded: ignored.length };
  });
}

/**
 * Finds the best store near `near` that can do the alert's work with a free slot in the next three
 * days, holds the slot for 24 hours as a proposal booking (its parts are reserved with it) and tells
 * the owner. Returns null when no store can take it (the alert stays as it is).
 */
export async function proposeForAlert(
  ctx: AppContext,
  tx: Tx,
  alertId: string,
  near: { lon: number; lat: number },
): Promise<Proposal | null> {
  const now = ctx.clock.now();
  const [a] = await tx
    .select()
    .from(maintenanceAlerts)
    .where(eq(maintenanceAlerts.id, alertId))
    .for('update');
  if (!a || !ACTIVE_ALERT_STATUSES.includes(a.status))
    throw new AppError('maintenance.alert_closed', 'conflict', 'This alert is no longer active');
  if (a.status === 'proposed' || a.status === 'booked') {
    const [p] = a.proposalId
      ? await tx.select().from(maintenanceProposals).where(eq(maintenanceProposals.id, a.proposalId))
      : [];
    if (p) return p;
  }
  const vehicle = await ownerVehicle(tx, a.ownerId, a.vehicleId);
  const items = COMPONENT_ITEMS[a.component];
  const { options } = await searchOptions(ctx, tx, {
    near,
    radiusM: 20_000,
    vehicleModelId: vehicle.vehicleModelId,
    items,
    days: 3,
    maxStores: 12,
    slotsPerStore: 4,
    ownerId: a.ownerId,
  });
  const proposalId = newId('prp');
  const notes = `预测性维护 / predictive maintenance: ${a.finding.evidence.map((e) => e.zh).join('；')}`;
  for (const o of options) {
    for (const slot of o.slots) {
      let booking: Booking;
      try {
        booking = await tx.transaction((inner) =>
          createHold(ctx, inner, {
            ownerId: a.ownerId,
            vehicleId: a.vehicleId,
            storeId: o.storeId,
            items,
            startAt: new Date(slot.startAt),
            source: 'proposal',
            proposalRef: proposalId,
            notes: notes.slice(0, 500),
          }),
        );
      } catch (e) {
        if (e instanceof AppError && (e.kind === 'conflict' || e.kind === 'validation')) continue;
        throw e;
      }
      const [p] = await tx
        .insert(maintenanceProposals)
        .values({
          id: proposalId,
          alertId: a.id,
          vehicleId: a.vehicleId,
          ownerId: a.ownerId,
          storeId: o.storeId,
          orgPath: booking.orgPath,
          bookingId: booking.id,
          items,
          startAt: booking.startAt,
          expiresAt: booking.holdExpiresAt ?? new Date(now.getTime() + HOLD_MINUTES.proposal * 60_000),
          totalFen: booking.totalFen,
          reasons: o.reasons,
          status: 'offered',
          createdAt: now,
        })
        .returning();
      await tx
        .update(maintenanceAlerts)
        .set({ status: 'proposed', proposalId, bookingId: booking.id, updatedAt: now })
        .where(eq(maintenanceAlerts.id, a.id));
      await tellOwner(ctx, tx, a, 'maintenance_proposal', {
        proposalId,
        storeName: o.storeName,
        startAt: booking.startAt.toISOString(),
        totalFen: booking.totalFen,
      });
      return p!;
    }
  }
  return null;
}

async function ownerProposal(tx: Tx, ownerId: string, id: string): Promise<Proposal> {
  const [p] = await tx
    .select()
    .from(maintenanceProposals)
    .where(eq(maintenanceProposals.id, id))
    .for('update');
  if (!p || p.ownerId !== ownerId)
    throw new AppError('maintenance.proposal_not_found', 'not_found', `No proposal with id ${id}`);
  return p;
}

/** The owner's one tap: confirms the held booking; the alert is booked. */
export async function acceptProposal(
  ctx: AppContext,
  tx: Tx,
  p: Principal & { userId: string },
  id: string,
): Promise<{ proposal: Proposal; booking: Booking }> {
  const prop = await ownerProposal(tx, p.userId, id);
  if (prop.status !== 'offered' && prop.status !== 'accepted')
    throw new AppError('maintenance.proposal_closed', 'conflict', `This proposal is ${prop.status}`);
  const booking = await confirmBooking(ctx, tx, p, prop.bookingId);
  const now = ctx.clock.now();
  await tx.update(maintenanceProposals).set({ status: 'accepted' }).where(eq(maintenanceProposals.id, id));
  await tx
    .update(maintenanceAlerts)
    .set({ status: 'booked', updatedAt: now })
    .where(
      and(
        eq(maintenanceAlerts.id, prop.alertId),
        inArray(maintenanceAlerts.status, [...ACTIVE_ALERT_STATUSES]),
      ),
    );
  return { proposal: { ...prop, status: 'accepted' }, booking };
}

/** Dismisses or snoozes the owner's alert. */
export async function ownerAlertAction(
  ctx: AppContext,
  tx: Tx,
  ownerId: string,
  id: string,
  action: { kind: 'dismiss' } | { kind: 'snooze'; days: number },
): Promise<Alert> {
  const now = ctx.clock.now();
  const [a] = await tx.select().from(maintenanceAlerts).where(eq(maintenanceAlerts.id, id)).for('update');
  if (!a || a.ownerId !== ownerId)
    throw new AppError('maintenance.alert_not_found', 'not_found', `No alert with id ${id}`);
  if (!ACTIVE_ALERT_STATUSES.includes(a.status) || a.status === 'booked')
    throw new AppError('maintenance.alert_closed', 'conflict', `This alert is ${a.status}`);
  const [row] = await tx
    .update(maintenanceAlerts)
    .set(
      action.kind === 'dismiss'
        ? { status: 'dismissed', closedAt: now, closedReason: 'dismissed by the owner', updatedAt: now }
        : {
            status: 'snoozed',
            snoozedUntil: new Date(now.getTime() + action.days * 86_400_000),
            updatedAt: now,
          },
    )
    .where(eq(maintenanceAlerts.id, id))
    .returning();
  return row!;
}

export async function ownerAlerts(
  ex: Executor,
  ownerId: string,
): Promise<Array<Alert & { proposal: (Proposal & { storeName: string }) | null }>> {
  const alerts = await ex
    .select()
    .from(maintenanceAlerts)
    .where(eq(maintenanceAlerts.ownerId, ownerId))
    .orderBy(asc(maintenanceAlerts.openedAt))
    .limit(200);
  const ids = alerts.map((a) => a.proposalId).filter((x): x is string => !!x);
  const props = ids.length
    ? await ex.select().from(maintenanceProposals).where(inArray(maintenanceProposals.id, ids))
    : [];
  const names = new Map<string, string>();
  for (const sid of new Set(props.map((p) => p.storeId)))
    names.set(sid, (await getStoreRaw(ex, sid))?.name ?? '');
  const byId = new Map(props.map((p) => [p.id, { ...p, storeName: names.get(p.storeId) ?? '' }]));
  return alerts.map((a) => ({ ...a, proposal: a.proposalId ? (byId.get(a.proposalId) ?? null) : null }));
}

/** Service history that resets the detectors' models, oldest first. */
export async function serviceEventsOf(ex: Executor, vehicleId: string): Promise<ServiceEvent[]> {
  return (await serviceRecordsOf(ex, vehicleId)).map(({ id: _id, source: _source, ...event }) => event);
}

async function serviceRecordsOf(ex: Executor, vehicleId: string): Promise<ServiceRecord[]> {
  const rows = await ex
    .select()
    .from(maintenanceServices)
    .where(eq(maintenanceServices.vehicleId, vehicleId))
    .orderBy(asc(maintenanceServices.day));
  return rows.map((r) => ({
    id: r.id,
    day: r.day,
    component: r.component as ServiceEvent['component'],
    ...(r.odometerKm !== null ? { odometerKm: r.odometerKm } : {}),
    source: r.workOrderId ? 'work_order' : 'owner',
  }));
}

/** The alert component each kind of service record answers. */
const SERVICE_FIXES: Record<ServiceEvent['component'], Component> = {
  oil_service: 'oil_service',
  brake_pads: 'brake_pads',
  battery_12v: 'battery_12v',
  tyres: 'tyre_leak',
  traction_battery: 'traction_battery',
  coolant: 'coolant',
};

export interface ServiceRecord extends ServiceEvent {
  id: string;
  /** `work_order` when Pitlane did the work, `owner` when the owner recorded it. */
  source: 'work_order' | 'owner';
}

/**
 * The owner records a service done elsewhere (the paper service book, another shop), so that the
 * wear models start from it; a standing alert for that component opened before the service is
 * resolved as serviced elsewhere.
 */
export async function recordOwnerService(
  ctx: AppContext,
  tx: Tx,
  ownerId: string,
  input: { vehicleId: string; component: ServiceEvent['component']; day: string; odometerKm?: number },
): Promise<ServiceRecord> {
  await ownerVehicle(tx, ownerId, input.vehicleId);
  const now = ctx.clock.now();
  if (input.day > utcToLocal(now, ctx.config.timezone).day)
    throw new AppError(
      'maintenance.service_in_future',
      'validation',
      'A service record cannot be in the future',
    );
  const id = newId('msv');
  await tx.insert(maintenanceServices).values({
    id,
    vehicleId: input.vehicleId,
    component: input.component,
    day: input.day,
    odometerKm: input.odometerKm ?? null,
    workOrderId: null,
  });
  const standing = await activeAlert(tx, input.vehicleId, SERVICE_FIXES[input.component]);
  if (standing && utcToLocal(standing.openedAt, ctx.config.timezone).day <= input.day) {
    await tx
      .update(maintenanceAlerts)
      .set({ status: 'resolved', closedAt: now, closedReason: 'serviced_elsewhere', updatedAt: now })
      .where(eq(maintenanceAlerts.id, standing.id));
    await ctx.bus.publish(tx, 'maintenance.alert.resolved', {
      alertId: standing.id,
      vehicleId: standing.vehicleId,
      component: standing.component,
      workOrderId: null,
    });
  }
  return {
    id,
    component: input.component,
    day: input.day,
    ...(input.odometerKm !== undefined ? { odometerKm: input.odometerKm } : {}),
    source: 'owner',
  };
}

/** A vehicle's service records, oldest first (the owner's own vehicle only). */
export async function ownerServiceRecords(
  ex: Executor,
  ownerId: string,
  vehicleId: string,
): Promise<ServiceRecord[]> {
  await ownerVehicle(ex, ownerId, vehicleId);
  return serviceRecordsOf(ex, vehicleId);
}

/** Event consumers: work orders reset models and resolve alerts; lapsed proposals free their alert. */
export function registerMaintenance(ctx: AppContext): void {
  ctx.bus.subscribe('maintenance.follow-work-orders', ['workorder.completed'], async (tx, ev) => {
    const e = ev.payload as {
      workOrderId: string;
      vehicleId: string;
      items: string[];
      odometerKm: number | null;
      at: string;
    };
    const day = utcToLocal(new Date(e.at), ctx.config.timezone).day;
    const resets = [...new Set(e.items.flatMap((i) => ITEM_RESETS[i] ?? []))];
    for (const component of resets) {
      await tx.insert(maintenanceServices).values({
        id: newId('msv'),
        vehicleId: e.vehicleId,
        component,
        day,
        odometerKm: e.odometerKm,
        workOrderId: e.workOrderId,
      });
    }
    const fixes = (c: Component) => COMPONENT_ITEMS[c].some((i) => e.items.includes(i));
    const standing = await tx
      .select()
      .from(maintenanceAlerts)
      .where(
        and(
          eq(maintenanceAlerts.vehicleId, e.vehicleId),
          inArray(maintenanceAlerts.status, [...ACTIVE_ALERT_STATUSES]),
        ),
      );
    const now = ctx.clock.now();
    for (const a of standing) {
      if (!fixes(a.component)) continue;
      await tx
        .update(maintenanceAlerts)
        .set({
          status: 'resolved',
          closedAt: now,
          closedReason: 'serviced',
          workOrderId: e.workOrderId,
          updatedAt: now,
        })
        .where(eq(maintenanceAlerts.id, a.id));
      await ctx.bus.publish(tx, 'maintenance.alert.resolved', {
        alertId: a.id,
        vehicleId: a.vehicleId,
        component: a.component,
        workOrderId: e.workOrderId,
      });
    }
  });

  ctx.bus.subscribe(
    'maintenance.follow-proposal-bookings',
    ['booking.expired', 'booking.cancelled'],
    async (tx, ev) => {
      const bookingId = (ev.payload as { bookingId: string }).bookingId;
      const [p] = await tx
        .select()
        .from(maintenanceProposals)
        .where(
          and(
            eq(maintenanceProposals.bookingId, bookingId),
            or(eq(maintenanceProposals.status, 'offered'), eq(maintenanceProposals.status, 'accepted')),
          ),
        );
      if (!p) return;
      const now = ctx.clock.now();
      await tx
        .update(maintenanceProposals)
        .set({ status: ev.type === 'booking.expired' ? 'expired' : 'declined' })
        .where(eq(maintenanceProposals.id, p.id));
      // The alert stands; it goes back to waiting for the owner (and may be proposed again).
      await tx
        .update(maintenanceAlerts)
        .set({ status: 'notified', proposalId: null, bookingId: null, updatedAt: now })
        .where(
          and(eq(maintenanceAlerts.id, p.alertId), inArray(maintenanceAlerts.status, ['proposed', 'booked'])),
        );
    },
  );
}

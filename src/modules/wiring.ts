/**
 * Wires the modules into a context once: event consumers, periodic jobs, and reference data.
 * Every process calls this, so every process registers the same durable consumers.
 */
import type { AppContext } from '../platform/context.js';
import { every } from '../platform/jobs.js';
import {
  expireHolds,
  registerBookingNotifications,
  registerRanking,
  sendDayBeforeReminders,
} from './booking/index.js';
import { dispatchRanking, registerDoorToDoorPlanning } from './dispatch/index.js';
import { registerTelematicsJobs } from './telematics/index.js';
import { registerInventory } from './inventory/index.js';
import { notifyAlerts, registerEvaluation, registerMaintenance, sweepVehicles } from './maintenance/index.js';
import { tzOffsetMinutes } from '../platform/time.js';

const wired = new WeakSet<AppContext>();

export function wireModules(ctx: AppContext): void {
  if (wired.has(ctx)) return;
  wired.add(ctx);
  registerBookingNotifications(ctx);
  registerInventory(ctx);
  // Dispatch's explainable recommendation replaces booking's default ranking.
  registerRanking(dispatchRanking(tzOffsetMinutes(new Date(), ctx.config.timezone) / 60));
  // Door-to-door requests are routed as they arrive; the owner gets an arrival window or a refusal.
  registerDoorToDoorPlanning(ctx);
  // Predictive maintenance follows work orders and proposal bookings, and tells owners of alerts.
  registerMaintenance(ctx);
  registerEvaluation(ctx);
  every(ctx, 'maintenance.notify-alerts', 5 * 60_000, () => notifyAlerts(ctx));
  every(ctx, 'maintenance.sweep', 60 * 60_000, () => sweepVehicles(ctx, 65 * 60_000));
  every(ctx, 'booking.expire-holds', 15_000, () => expireHolds(ctx));
  every(ctx, 'booking.day-before-reminders', 10 * 60_000, () => sendDayBeforeReminders(ctx));
  registerTelematicsJobs(ctx);
}

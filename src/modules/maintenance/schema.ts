/**
 * Predictive maintenance: alerts with their lifecycle (one active alert per vehicle and component),
 * the proposals that hold a slot and parts for the owner, and the services that reset a component's
 * model (from completed work orders).
 */
import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Component, Finding, Severity } from './detect/types.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const ALERT_STATUSES = [
  'open',
  'notified',
  'proposed',
  'booked',
  'resolved',
  'dismissed',
  'snoozed',
] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
/** Statuses in which an alert still stands (at most one per vehicle and component). */
export const ACTIVE_ALERT_STATUSES: readonly AlertStatus[] = [
  'open',
  'notified',
  'proposed',
  'booked',
  'snoozed',
];

export const maintenanceAlerts = pgTable(
  'maintenance_alerts',
  {
    id: text('id').primaryKey(),
    vehicleId: text('vehicle_id').notNull(),
    ownerId: text('owner_id').notNull(),
    /** City of the vehicle's usual area, for the operator's view. */
    city: text('city'),
    component: text('component').$type<Component>().notNull(),
    severity: text('severity').$type<Severity>().notNull(),
    status: text('status').$type<AlertStatus>().notNull(),
    finding: jsonb('finding').$type<Finding>().notNull(),
    confidence: real('confidence').notNull(),
    dueDay: text('due_day'),
    openedAt: ts('opened_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    notifiedAt: ts('notified_at'),
    remindedAt: ts('reminded_at'),
    reminders: integer('reminders').notNull().default(0),
    snoozedUntil: ts('snoozed_until'),
    closedAt: ts('closed_at'),
    closedReason: text('closed_reason'),
    proposalId: text('proposal_id'),
    bookingId: text('booking_id'),
    workOrderId: text('work_order_id'),
  },
  (t) => [
    uniqueIndex('maintenance_alerts_active_uq')
      .on(t.vehicleId, t.component)
      .where(sql`status in ('open', 'notified', 'proposed', 'booked', 'snoozed')`),
    index('maintenance_alerts_status_idx').on(t.status, t.updatedAt),
    index('maintenance_alerts_owner_idx').on(t.ownerId, t.openedAt),
  ],
);

export const maintenanceProposals = pgTable(
  'maintenance_proposals',
  {
    id: text('id').primaryKey(),
    alertId: text('alert_id').notNull(),
    vehicleId: text('vehicle_id').notNull(),
    ownerId: text('owner_id').notNull(),
    storeId: text('store_id').notNull(),
    orgPath: text('org_path').notNull(),
    bookingId: text('booking_id').notNull(),
    items: text('items').array().notNull(),
    startAt: ts('start_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    totalFen: integer('total_fen').notNull(),
    reasons: jsonb('reasons').notNull(),
    status: text('status').$type<'offered' | 'accepted' | 'expired' | 'declined'>().notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('maintenance_proposals_store_idx').on(t.storeId, t.startAt)],
);

/** A service that resets a component's model: recorded when a work order completes. */
export const maintenanceServices = pgTable(
  'maintenance_services',
  {
    id: text('id').primaryKey(),
    vehicleId: text('vehicle_id').notNull(),
    component: text('component').notNull(),
    day: text('day').notNull(),
    odometerKm: integer('odometer_km'),
    workOrderId: text('work_order_id'),
  },
  (t) => [index('maintenance_services_vehicle_idx').on(t.vehicleId, t.component, t.day)],
);

/** Daily features per vehicle, computed incrementally from telemetry (the detectors' input). */
export const maintenanceDailyFeatures = pgTable(
  'maintenance_daily_features',
  {
    vehicleId: text('vehicle_id').notNull(),
    day: text('day').notNull(),
    features: jsonb('features').notNull(),
    computedAt: ts('computed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.vehicleId, t.day] })],
);

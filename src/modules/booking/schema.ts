/**
 * Bookings and their slot claims (the database guarantees no double booking: one row per resource
 * and 15-minute cell), door-to-door requests, payment records with provider callbacks, refunds,
 * invoice requests, and the search/quote funnel log.
 */
import type { QuoteLine } from '../catalog/quote.js';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type BookingStatus =
  'held' | 'confirmed' | 'checked_in' | 'completed' | 'cancelled' | 'no_show' | 'expired';
export type BookingSource = 'web' | 'proposal' | 'walk_in' | 'phone';

export const bookings = pgTable(
  'bookings',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orgPath: text('org_path').notNull(),
    ownerId: text('owner_id').notNull(),
    vehicleId: text('vehicle_id').notNull(),
    items: text('items').array().notNull(),
    status: text('status').$type<BookingStatus>().notNull(),
    source: text('source').$type<BookingSource>().notNull(),
    startAt: ts('start_at').notNull(),
    endAt: ts('end_at').notNull(),
    bayId: text('bay_id').notNull(),
    technicianId: text('technician_id').notNull(),
    holdExpiresAt: ts('hold_expires_at'),
    quote: jsonb('quote').$type<QuoteLine[]>().notNull(),
    totalFen: integer('total_fen').notNull(),
    notes: text('notes'),
    /** Set when the booking came from a predictive-maintenance proposal. */
    proposalRef: text('proposal_ref'),
    createdAt: ts('created_at').notNull(),
    confirmedAt: ts('confirmed_at'),
    cancelledAt: ts('cancelled_at'),
    cancelReason: text('cancel_reason'),
    reminderSentAt: ts('reminder_sent_at'),
    workOrderId: text('work_order_id'),
  },
  (t) => [
    index('bookings_store_start_idx').on(t.storeId, t.startAt),
    index('bookings_owner_idx').on(t.ownerId, t.startAt),
    index('bookings_hold_idx').on(t.status, t.holdExpiresAt),
  ],
);

/**
 * One row per (resource, 15-minute cell) a booking occupies; the unique index is what makes a
 * double booking impossible, on PGlite and on PostgreSQL, across processes.
 */
export const slotClaims = pgTable(
  'slot_claims',
  {
    resourceId: text('resource_id').notNull(),
    cellStart: ts('cell_start').notNull(),
    bookingId: text('booking_id').notNull(),
    /** Hold expiry; null once confirmed. An expired claim may be taken over. */
    expiresAt: ts('expires_at'),
  },
  (t) => [
    uniqueIndex('slot_claims_cell_uq').on(t.resourceId, t.cellStart),
    index('slot_claims_booking_idx').on(t.bookingId),
  ],
);

export const bookingHistory = pgTable(
  'booking_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    bookingId: text('booking_id').notNull(),
    at: ts('at').notNull(),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    note: text('note'),
  },
  (t) => [index('booking_history_booking_idx').on(t.bookingId, t.id)],
);

export const doorToDoorRequests = pgTable(
  'door_to_door_requests',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orgPath: text('org_path').notNull(),
    ownerId: text('owner_id').notNull(),
    vehicleId: text('vehicle_id').notNull(),
    kind: text('kind').$type<'onsite' | 'pickup_return'>().notNull(),
    items: text('items').array().notNull(),
    address: text('address').notNull(),
    lon: real('lon').notNull(),
    lat: real('lat').notNull(),
    windowStart: ts('window_start').notNull(),
    windowEnd: ts('window_end').notNull(),
    status: text('status')
      .$type<'requested' | 'scheduled' | 'declined' | 'en_route' | 'done' | 'cancelled'>()
      .notNull(),
    arrivalFrom: ts('arrival_from'),
    arrivalTo: ts('arrival_to'),
    assignee: text('assignee'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('d2d_store_idx').on(t.storeId, t.windowStart)],
);

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';

export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orgPath: text('org_path').notNull(),
    ownerId: text('owner_id'),
    bookingId: text('booking_id'),
    workOrderId: text('work_order_id'),
    kind: text('kind').$type<'prepay' | 'in_store'>().notNull(),
    method: text('method').$type<'wechat' | 'alipay' | 'card' | 'cash' | 'sandbox'>().notNull(),
    provider: text('provider').notNull(),
    providerRef: text('provider_ref'),
    amountFen: integer('amount_fen').notNull(),
    refundedFen: integer('refunded_fen').notNull().default(0),
    status: text('status').$type<PaymentStatus>().notNull(),
    createdAt: ts('created_at').notNull(),
    paidAt: ts('paid_at'),
  },
  (t) => [
    index('payments_store_paid_idx').on(t.storeId, t.paidAt),
    index('payments_booking_idx').on(t.bookingId),
    index('payments_wo_idx').on(t.workOrderId),
  ],
);

export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id').notNull(),
    orgPath: text('org_path').notNull(),
    amountFen: integer('amount_fen').notNull(),
    reason: text('reason').notNull(),
    status: text('status').$type<'pending' | 'succeeded' | 'failed'>().notNull(),
    createdAt: ts('created_at').notNull(),
    completedAt: ts('completed_at'),
  },
  (t) => [index('refunds_payment_idx').on(t.paymentId)],
);

/** Every provider callback, valid or not; the nonce index rejects replays. */
export const paymentCallbacks = pgTable(
  'payment_callbacks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider').notNull(),
    nonce: text('nonce'),
    receivedAt: ts('received_at').notNull(),
    signatureValid: integer('signature_valid').notNull(),
    outcome: text('outcome').notNull(),
    paymentId: text('payment_id'),
    ip: text('ip'),
  },
  (t) => [uniqueIndex('payment_callbacks_nonce_uq').on(t.provider, t.nonce)],
);

export const invoiceRequests = pgTable(
  'invoice_requests',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id').notNull(),
    orgPath: text('org_path').notNull(),
    ownerId: text('owner_id'),
    buyerKind: text('buyer_kind').$type<'personal' | 'company'>().notNull(),
    buyerName: text('buyer_name').notNull(),
    taxId: text('tax_id'),
    address: text('address'),
    phone: text('phone'),
    bankAccount: text('bank_account'),
    email: text('email'),
    amountFen: integer('amount_fen').notNull(),
    status: text('status').$type<'requested' | 'issued' | 'rejected'>().notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('invoice_requests_payment_idx').on(t.paymentId)],
);

/** Searches, quotes, holds and confirmations, for the conversion funnel. */
export const funnelEvents = pgTable(
  'funnel_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    kind: text('kind').$type<'search' | 'quote' | 'hold' | 'confirm'>().notNull(),
    ownerId: text('owner_id'),
    storeId: text('store_id'),
    items: text('items').array(),
    resultCount: integer('result_count'),
    bookingId: text('booking_id'),
    /** Identical searches/quotes within a minute are folded into one row with a count. */
    count: integer('count').notNull().default(1),
  },
  (t) => [index('funnel_events_at_idx').on(t.at, t.kind)],
);

/**
 * Tables of the shared kernel: settings, the event outbox/inbox, the notification outbox,
 * idempotency keys, the audit trail and rate/backoff counters. No domain data lives here.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Domain events, written in the same transaction as the change they describe. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    orgPath: text('org_path'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** Set when the NATS relay has published the event to JetStream (only with NATS_URL). */
    relayedAt: ts('relayed_at'),
  },
  (t) => [
    index('events_type_idx').on(t.type, t.id),
    index('events_unrelayed_idx')
      .on(t.id)
      .where(sql`relayed_at is null`),
  ],
);

/** One row per (consumer, event): delivered at least once, marked when the consumer committed. */
export const eventInbox = pgTable(
  'event_inbox',
  {
    consumer: text('consumer').notNull(),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    availableAt: ts('available_at').notNull().defaultNow(),
    processedAt: ts('processed_at'),
    lastError: text('last_error'),
  },
  (t) => [
    primaryKey({ columns: [t.consumer, t.eventId] }),
    index('event_inbox_pending_idx').on(t.processedAt, t.availableAt),
  ],
);

/** Messages to people (SMS, WeChat template, in-app), delivered by the notifier with retries. */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    recipientUserId: text('recipient_user_id'),
    recipientAddress: text('recipient_address'),
    template: text('template').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
    readAt: ts('read_at'),
  },
  (t) => [
    index('notifications_due_idx').on(t.status, t.nextAttemptAt),
    index('notifications_recipient_idx').on(t.recipientUserId, t.createdAt),
  ],
);

/** Idempotency-Key records: the first request's answer is replayed for a retry with the same key. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] })],
);

/** Append-only audit trail of access to sensitive data and of privileged actions. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    orgPath: text('org_path'),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id'),
    purpose: text('purpose'),
    ip: text('ip'),
    requestId: text('request_id'),
    details: jsonb('details'),
  },
  (t) => [
    index('audit_log_resource_idx').on(t.resourceType, t.resourceId),
    index('audit_log_at_idx').on(t.at),
  ],
);

/** Failure counters for exponential back-off (sign-in by account, by address, by pair). */
export const backoffCounters = pgTable('backoff_counters', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: ts('last_failure_at').notNull().defaultNow(),
  blockedUntil: ts('blocked_until'),
});

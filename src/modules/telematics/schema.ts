/**
 * Telematics tables: the device registry, device↔vehicle bindings, consents (append-only history),
 * readings (time series; partitioned by day by migration `telematics_readings_partitioned`), the
 * health snapshot per vehicle, and trips.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One OBD dongle. The credential is shown once at creation; only its SHA-256 is kept. */
export const telematicsDevices = pgTable(
  'telematics_devices',
  {
    id: text('id').primaryKey(),
    serial: text('serial').notNull(),
    imei: text('imei'),
    model: text('model'),
    orgPath: text('org_path').notNull(),
    credentialHash: text('credential_hash').notNull(),
    createdAt: ts('created_at').notNull(),
    lastSeenAt: ts('last_seen_at'),
    disabledAt: ts('disabled_at'),
  },
  (t) => [
    uniqueIndex('telematics_devices_serial_uq').on(t.serial),
    uniqueIndex('telematics_devices_imei_uq').on(t.imei),
    index('telematics_devices_org_idx').on(t.orgPath),
  ],
);

/** Device ↔ vehicle, made by the owner by serial; history kept (unbound rows stay). */
export const telematicsBindings = pgTable(
  'telematics_bindings',
  {
    id: text('id').primaryKey(),
    deviceId: text('device_id').notNull(),
    vehicleId: text('vehicle_id').notNull(),
    ownerId: text('owner_id').notNull(),
    boundAt: ts('bound_at').notNull(),
    unboundAt: ts('unbound_at'),
  },
  (t) => [
    uniqueIndex('telematics_bindings_device_active_uq')
      .on(t.deviceId)
      .where(sql`unbound_at is null`),
    uniqueIndex('telematics_bindings_vehicle_active_uq')
      .on(t.vehicleId)
      .where(sql`unbound_at is null`),
    index('telematics_bindings_owner_idx').on(t.ownerId),
  ],
);

/** Consent decisions, append-only: the current state of a purpose is its latest row. */
export const telematicsConsents = pgTable(
  'telematics_consents',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    vehicleId: text('vehicle_id').notNull(),
    /** location | driving_behaviour | insurer_sharing */
    purpose: text('purpose').notNull(),
    granted: boolean('granted').notNull(),
    /** Version of the consent text the owner saw. */
    version: text('version').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('telematics_consents_vehicle_idx').on(t.vehicleId, t.purpose, t.at)],
);

/**
 * One row per device message (one snapshot). On PostgreSQL and PGlite alike the table is
 * partitioned by day on `ts` (hand-written migration); `(device_id, message_id, ts)` makes
 * redelivery idempotent.
 */
export const telematicsReadings = pgTable(
  'telematics_readings',
  {
    deviceId: text('device_id').notNull(),
    messageId: text('message_id').notNull(),
    ts: ts('ts').notNull(),
    vehicleId: text('vehicle_id'),
    /** obd | gps | tpms | ev | status */
    kind: text('kind').notNull(),
    /** Decoded values (positions removed without location consent). */
    data: jsonb('data').notNull(),
    /** H3 resolution-7 cell of a GPS fix (always); lat/lon only with location consent. */
    h3Cell: text('h3_cell'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deviceId, t.messageId, t.ts] }),
    index('telematics_readings_vehicle_ts_idx').on(t.vehicleId, t.ts),
    // "What arrived since": rows are appended in arrival order, so a BRIN index (a summary per
    // range of pages, next to nothing to keep up at ingest) narrows the hourly maintenance sweep
    // and the late-reading check to the newest pages instead of every reading ever stored.
    index('telematics_readings_received_brin').using('brin', t.receivedAt),
  ],
);

/** Latest known state per vehicle. */
export const telematicsHealth = pgTable('telematics_health', {
  vehicleId: text('vehicle_id').primaryKey(),
  deviceId: text('device_id').notNull(),
  updatedAt: ts('updated_at').notNull(),
  /** Timestamp of the newest reading applied. */
  asOf: ts('as_of').notNull(),
  odometerKm: doublePrecision('odometer_km'),
  battery12vV: doublePrecision('battery_12v_v'),
  tractionSocPct: doublePrecision('traction_soc_pct'),
  tractionPackV: doublePrecision('traction_pack_v'),
  tractionPackTempC: doublePrecision('traction_pack_temp_c'),
  charging: boolean('charging'),
  mil: boolean('mil'),
  /** { fl, fr, rl, rr } in kPa */
  tyresKpa: jsonb('tyres_kpa'),
  activeDtcs: jsonb('active_dtcs').notNull().default([]),
  /** PID name → { value, unit, at } */
  latest: jsonb('latest').notNull().default({}),
  version: integer('version').notNull().default(0),
  /**
   * The snapshot as of the last `vehicle.health.changed`: changes are judged against it, so a slow
   * drift (a battery losing 0.05 V a day) is reported once it adds up.
   */
  reported: jsonb('reported'),
});

/** Trips segmented at ingest; `open` while the vehicle is driving. */
export const telematicsTrips = pgTable(
  'telematics_trips',
  {
    id: text('id').primaryKey(),
    vehicleId: text('vehicle_id').notNull(),
    deviceId: text('device_id').notNull(),
    status: text('status').notNull(),
    startedAt: ts('started_at').notNull(),
    lastAt: ts('last_at').notNull(),
    endedAt: ts('ended_at'),
    distanceM: doublePrecision('distance_m').notNull().default(0),
    durationS: doublePrecision('duration_s').notNull().default(0),
    maxSpeedKmh: doublePrecision('max_speed_kmh').notNull().default(0),
    lastSpeedKmh: doublePrecision('last_speed_kmh'),
    /** Null without driving-behaviour consent. */
    harshAccelCount: integer('harsh_accel_count'),
    harshBrakeCount: integer('harsh_brake_count'),
    nightS: doublePrecision('night_s'),
    speedingS: doublePrecision('speeding_s'),
  },
  (t) => [
    index('telematics_trips_vehicle_idx').on(t.vehicleId, t.startedAt),
    uniqueIndex('telematics_trips_open_uq')
      .on(t.vehicleId)
      .where(sql`status = 'open'`),
  ],
);

/**
 * Store profiles (the store's org id is its id), opening hours with exceptions, the public-holiday
 * calendar (法定节假日 and 调休 make-up working days, editable by operators), and bays by type.
 */
import {
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { BayType } from '../catalog/schema.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const stores = pgTable(
  'stores',
  {
    id: text('id').primaryKey(),
    orgPath: text('org_path').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    phone: text('phone'),
    /** WGS-84, as stored everywhere; APIs convert to GCJ-02 on request. */
    lon: real('lon').notNull(),
    lat: real('lat').notNull(),
    city: text('city').notNull().default(''),
    district: text('district').notNull().default(''),
    /** H3 cell (resolution 7) for area search. */
    h3r7: text('h3_r7').notNull(),
    doorToDoorRadiusM: integer('door_to_door_radius_m').notNull().default(0),
    capabilities: text('capabilities').array().notNull().default([]),
    certifications: text('certifications').array().notNull().default([]),
    /** Platform commission on this store's orders, basis points (10–15 % is 1000–1500). */
    commissionBp: integer('commission_bp').notNull().default(1200),
    /** What the store does on public holidays: closed, normal hours, or weekend hours. */
    holidayMode: text('holiday_mode').$type<'closed' | 'normal' | 'weekend'>().notNull().default('weekend'),
    /** Owners may cancel online free of charge until this many minutes before the start. */
    cancelCutoffMinutes: integer('cancel_cutoff_minutes').notNull().default(120),
    ratingAvg: real('rating_avg'),
    ratingCount: integer('rating_count').notNull().default(0),
    status: text('status').$type<'active' | 'paused' | 'closed'>().notNull().default('active'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('stores_h3_idx').on(t.h3r7), index('stores_path_idx').on(t.orgPath)],
);

/** Weekly hours, minutes from local midnight; weekday 1 = Monday … 7 = Sunday. No row = closed. */
export const storeHours = pgTable(
  'store_hours',
  {
    storeId: text('store_id').notNull(),
    weekday: integer('weekday').notNull(),
    openMin: integer('open_min').notNull(),
    closeMin: integer('close_min').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.weekday] })],
);

/** One-off changes: closed for a day, or different hours. */
export const storeHourExceptions = pgTable(
  'store_hour_exceptions',
  {
    storeId: text('store_id').notNull(),
    day: date('day').notNull(),
    closed: boolean('closed').notNull(),
    openMin: integer('open_min'),
    closeMin: integer('close_min'),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.day] })],
);

/** Mainland public holidays and make-up working days (调休), per year; operators can edit. */
export const publicHolidays = pgTable('public_holidays', {
  day: date('day').primaryKey(),
  kind: text('kind').$type<'holiday' | 'workday'>().notNull(),
  name: text('name').notNull(),
  source: text('source').notNull().default('chinese-days'),
});

export const bays = pgTable(
  'bays',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orgPath: text('org_path').notNull(),
    name: text('name').notNull(),
    type: text('type').$type<BayType>().notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [index('bays_store_idx').on(t.storeId)],
);

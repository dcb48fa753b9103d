/** The technician roster: skills, certifications with expiry (NEV high-voltage among them), shifts. */
import { date, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const technicians = pgTable(
  'technicians',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    orgPath: text('org_path').notNull(),
    /** The staff account this technician signs in with, if any. */
    userId: text('user_id'),
    name: text('name').notNull(),
    skills: text('skills').array().notNull().default([]),
    level: integer('level').notNull().default(1),
    status: text('status').$type<'active' | 'inactive'>().notNull().default('active'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('technicians_store_idx').on(t.storeId), index('technicians_user_idx').on(t.userId)],
);

export const technicianCertifications = pgTable(
  'technician_certifications',
  {
    technicianId: text('technician_id').notNull(),
    code: text('code').notNull(),
    number: text('number'),
    issuedOn: date('issued_on'),
    expiresOn: date('expires_on'),
  },
  (t) => [primaryKey({ columns: [t.technicianId, t.code] })],
);

/** Weekly shift pattern (local minutes; weekday 1 = Monday). */
export const technicianShifts = pgTable(
  'technician_shifts',
  {
    technicianId: text('technician_id').notNull(),
    weekday: integer('weekday').notNull(),
    startMin: integer('start_min').notNull(),
    endMin: integer('end_min').notNull(),
  },
  (t) => [primaryKey({ columns: [t.technicianId, t.weekday] })],
);

/** Days off and partial absences (leave, training). */
export const technicianTimeOff = pgTable(
  'technician_time_off',
  {
    id: text('id').primaryKey(),
    technicianId: text('technician_id').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    reason: text('reason'),
  },
  (t) => [index('technician_time_off_idx').on(t.technicianId, t.startsAt)],
);

/** Training records (courses, hours, certificates earned). */
export const technicianTraining = pgTable(
  'technician_training',
  {
    id: text('id').primaryKey(),
    technicianId: text('technician_id').notNull(),
    course: text('course').notNull(),
    provider: text('provider'),
    completedOn: date('completed_on').notNull(),
    hours: integer('hours').notNull().default(0),
    certificateCode: text('certificate_code'),
  },
  (t) => [index('technician_training_idx').on(t.technicianId, t.completedOn)],
);

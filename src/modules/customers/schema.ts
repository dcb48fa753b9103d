/**
 * Car owners' vehicles and the owner–store relationship that decides what a store may see of an
 * owner (only through bookings and work orders there). Consents, membership and coupons come later.
 */
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const vehicles = pgTable(
  'vehicles',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id').notNull(),
    vin: text('vin'),
    plate: text('plate').notNull(),
    plateKind: text('plate_kind').notNull(),
    vehicleModelId: text('vehicle_model_id').notNull(),
    year: integer('year'),
    color: text('color'),
    odometerKm: integer('odometer_km'),
    nickname: text('nickname'),
    createdAt: ts('created_at').notNull().defaultNow(),
    removedAt: ts('removed_at'),
  },
  (t) => [
    index('vehicles_owner_idx').on(t.ownerId),
    index('vehicles_plate_idx').on(t.plate),
    uniqueIndex('vehicles_vin_uq').on(t.vin),
  ],
);

/** A store (and its chain, by path) knows an owner once they booked or came in there. */
export const customerLinks = pgTable(
  'customer_links',
  {
    ownerId: text('owner_id').notNull(),
    storeId: text('store_id').notNull(),
    orgPath: text('org_path').notNull(),
    firstSeenAt: ts('first_seen_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    visits: integer('visits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.storeId] }), index('customer_links_path_idx').on(t.orgPath)],
);

/** Replenishment: suggested transfers and purchase orders awaiting a planner's decision. */
import { index, integer, jsonb, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** What a suggestion rests on: the forecast, the history it came from, and any demand known in advance. */
export interface SuggestionForecast {
  weeklyMeanMilli: number;
  historyMilli: number[];
  method: string;
  /** Demand of live bookings and maintenance proposals within lead time + review (`weeks`). */
  known?: {
    milli: number;
    weeks: number;
    bookings: number;
    proposals: number;
    /** The order-up-to level the forecast alone would have given. */
    orderUpToWithoutMilli: number;
  };
}

export const repSuggestions = pgTable(
  'rep_suggestions',
  {
    id: text('id').primaryKey(),
    /** Org path of the location to replenish (scoping). */
    orgPath: text('org_path').notNull(),
    locationId: text('location_id').notNull(),
    partId: text('part_id').notNull(),
    /** `transfer` from an upstream warehouse, or `purchase` from the supplier. */
    kind: text('kind').$type<'transfer' | 'purchase'>().notNull(),
    fromLocationId: text('from_location_id'),
    qtyMilli: integer('qty_milli').notNull(),
    positionMilli: integer('position_milli').notNull(),
    reorderPointMilli: integer('reorder_point_milli').notNull(),
    orderUpToMilli: integer('order_up_to_milli').notNull(),
    fillRate: real('fill_rate').notNull(),
    /** Mean demand per week ahead (milli-units), the history it came from, demand known in advance. */
    forecast: jsonb('forecast').$type<SuggestionForecast>().notNull(),
    status: text('status').$type<'pending' | 'approved' | 'dismissed'>().notNull(),
    documentId: text('document_id'),
    createdAt: ts('created_at').notNull(),
    decidedAt: ts('decided_at'),
    decidedBy: text('decided_by'),
  },
  (t) => [
    index('rep_suggestions_status_idx').on(t.orgPath, t.status),
    index('rep_suggestions_location_idx').on(t.locationId, t.partId),
  ],
);

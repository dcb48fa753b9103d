/** Aggregates of booking data for analytics (read through this module, never its tables). */
import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { bookings, funnelEvents } from './schema.js';

export interface DayCounts {
  day: string;
  searches: number;
  holds: number;
  confirmed: number;
}

/**
 * Funnel counts per local day. `storeIds` limits to those stores (a search counts for the store it
 * ranked first); null means the whole platform.
 */
export async function funnelByDay(
  ex: Executor,
  q: { from: Date; to: Date; storeIds: string[] | null; tz: string },
): Promise<DayCounts[]> {
  const day = sql<string>`to_char(${funnelEvents.at} at time zone ${q.tz}, 'YYYY-MM-DD')`;
  const rows = await ex
    .select({
      day,
      searches: sql<number>`coalesce(sum(${funnelEvents.count}) filter (where ${funnelEvents.kind} = 'search'), 0)::int`,
      holds: sql<number>`coalesce(sum(${funnelEvents.count}) filter (where ${funnelEvents.kind} = 'hold'), 0)::int`,
      confirmed: sql<number>`coalesce(sum(${funnelEvents.count}) filter (where ${funnelEvents.kind} = 'confirm'), 0)::int`,
    })
    .from(funnelEvents)
    .where(
      and(
        gte(funnelEvents.at, q.from),
        lt(funnelEvents.at, q.to),
        q.storeIds ? inArray(funnelEvents.storeId, q.storeIds.length ? q.storeIds : ['-']) : undefined,
      ),
    )
    // By position: the day expression carries the time zone as a parameter.
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  return rows;
}

/** Minutes booked per store (live bookings only: not cancelled, expired or no-show). */
export async function bookedMinutesByStore(
  ex: Executor,
  q: { from: Date; to: Date; storeIds: string[] },
): Promise<Map<string, number>> {
  if (!q.storeIds.length) return new Map();
  const rows = await ex
    .select({
      storeId: bookings.storeId,
      minutes: sql<number>`coalesce(sum(extract(epoch from (${bookings.endAt} - ${bookings.startAt})) / 60), 0)::int`,
    })
    .from(bookings)
    .where(
      and(
        inArray(bookings.storeId, q.storeIds),
        gte(bookings.startAt, q.from),
        lt(bookings.startAt, q.to),
        inArray(bookings.status, ['confirmed', 'checked_in', 'completed']),
      ),
    )
    .groupBy(bookings.storeId);
  return new Map(rows.map((r) => [r.storeId, r.minutes]));
}

/** Aggregates of work orders for analytics: revenue per day, average order value, top services. */
import { and, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { workOrders } from './schema.js';

const finished = inArray(workOrders.status, ['handed_over', 'reviewed']);

export async function revenueByDay(
  ex: Executor,
  q: { from: Date; to: Date; storeIds: string[] | null; tz: string },
): Promise<Array<{ day: string; orders: number; revenueFen: number }>> {
  const day = sql<string>`to_char(${workOrders.handedOverAt} at time zone ${q.tz}, 'YYYY-MM-DD')`;
  return (
    ex
      .select({
        day,
        orders: sql<number>`count(*)::int`,
        revenueFen: sql<number>`coalesce(sum(${workOrders.totalFen}), 0)::int`,
      })
      .from(workOrders)
      .where(
        and(
          finished,
          gte(workOrders.handedOverAt, q.from),
          lt(workOrders.handedOverAt, q.to),
          q.storeIds ? inArray(workOrders.storeId, q.storeIds.length ? q.storeIds : ['-']) : undefined,
        ),
      )
      // By position: the day expression carries the time zone as a parameter.
      .groupBy(sql`1`)
      .orderBy(sql`1`)
  );
}

export async function topServices(
  ex: Executor,
  q: { from: Date; to: Date; storeIds: string[] | null; limit: number },
): Promise<Array<{ code: string; count: number }>> {
  const code = sql<string>`unnest(${workOrders.items})`;
  const rows = (await ex.execute(sql`
    select code, count(*)::int as count from (
      select ${code} as code from ${workOrders}
      where ${and(finished, gte(workOrders.handedOverAt, q.from), lt(workOrders.handedOverAt, q.to), q.storeIds ? inArray(workOrders.storeId, q.storeIds.length ? q.storeIds : ['-']) : undefined)}
    ) x group by code order by count desc, code limit ${q.limit}`)) as unknown as {
    rows: Array<{ code: string; count: number }>;
  };
  return rows.rows;
}

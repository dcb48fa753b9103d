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

export interface TechnicianWork {
  technicianId: string;
  jobs: number;
  standardMinutes: number;
  actualMinutes: number;
  comebacks: number;
  qcChecked: number;
  qcFirstPass: number;
  reviews: Array<{ stars: number; at: Date }>;
}

/** What each technician's finished work says: times vs standard, comebacks, first-time QC, reviews. */
export async function technicianWorkStats(
  ex: Executor,
  q: { technicianIds: string[]; since: Date },
): Promise<Map<string, TechnicianWork>> {
  const out = new Map<string, TechnicianWork>();
  if (!q.technicianIds.length) return out;
  for (const id of q.technicianIds)
    out.set(id, {
      technicianId: id,
      jobs: 0,
      standardMinutes: 0,
      actualMinutes: 0,
      comebacks: 0,
      qcChecked: 0,
      qcFirstPass: 0,
      reviews: [],
    });
  const ids = sql.join(
    q.technicianIds.map((i) => sql`${i}`),
    sql`, `,
  );
  const rows = (await ex.execute(sql`
    with wo as (
      select id, technician_id from work_orders
      where technician_id in (${ids}) and status in ('handed_over', 'reviewed') and source <> 'comeback' and handed_over_at >= ${q.since}
    ),
    steps as (
      select wo.technician_id, sum(s.standard_minutes)::int as std,
             coalesce(sum(extract(epoch from (s.done_at - s.started_at)) / 60), 0)::int as act
      from sop_progress s join wo on wo.id = s.work_order_id
      where s.done_at is not null and s.started_at is not null group by wo.technician_id
    ),
    qc as (
      select wo.technician_id, count(*)::int as checked,
             count(*) filter (where f.passed)::int as first_pass
      from wo join lateral (select passed from qc_checks c where c.work_order_id = wo.id order by c.at limit 1) f on true
      group by wo.technician_id
    ),
    cb as (
      select wo.technician_id, count(*)::int as n from work_orders r join wo on wo.id = r.comeback_of group by wo.technician_id
    )
    select wo.technician_id as "technicianId", count(*)::int as jobs,
           coalesce(max(steps.std), 0)::int as std, coalesce(max(steps.act), 0)::int as act,
           coalesce(max(qc.checked), 0)::int as checked, coalesce(max(qc.first_pass), 0)::int as "firstPass",
           coalesce(max(cb.n), 0)::int as comebacks
    from wo left join steps on steps.technician_id = wo.technician_id
            left join qc on qc.technician_id = wo.technician_id
            left join cb on cb.technician_id = wo.technician_id
    group by wo.technician_id`)) as unknown as {
    rows: Array<{
      technicianId: string;
      jobs: number;
      std: number;
      act: number;
      checked: number;
      firstPass: number;
      comebacks: number;
    }>;
  };
  for (const r of rows.rows) {
    const t = out.get(r.technicianId)!;
    Object.assign(t, {
      jobs: r.jobs,
      standardMinutes: r.std,
      actualMinutes: r.act,
      qcChecked: r.checked,
      qcFirstPass: r.firstPass,
      comebacks: r.comebacks,
    });
  }
  const rv = (await ex.execute(
    sql`select technician_id as "technicianId", stars, at from reviews where technician_id in (${ids}) and at >= ${q.since}`,
  )) as unknown as { rows: Array<{ technicianId: string; stars: number; at: Date | string }> };
  for (const r of rv.rows) out.get(r.technicianId)?.reviews.push({ stars: r.stars, at: new Date(r.at) });
  return out;
}

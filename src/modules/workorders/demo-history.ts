/** Bulk import of past work orders with their timeline, estimate lines and reviews (demo loader only). */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { estimateLines, qcChecks, reviews, sopProgress, workOrderEvents, workOrders } from './schema.js';

async function chunks<T>(rows: T[], size: number, fn: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
}

export async function importWorkOrderHistory(
  ex: Executor,
  rows: {
    workOrders: Array<typeof workOrders.$inferInsert>;
    events: Array<typeof workOrderEvents.$inferInsert>;
    lines: Array<typeof estimateLines.$inferInsert>;
    reviews: Array<typeof reviews.$inferInsert>;
    steps?: Array<typeof sopProgress.$inferInsert>;
    qc?: Array<typeof qcChecks.$inferInsert>;
  },
): Promise<void> {
  await chunks(rows.workOrders, 500, (p) => ex.insert(workOrders).values(p));
  await chunks(rows.events, 2000, (p) => ex.insert(workOrderEvents).values(p));
  await chunks(rows.lines, 1000, (p) => ex.insert(estimateLines).values(p));
  await chunks(rows.reviews, 1000, (p) => ex.insert(reviews).values(p));
  await chunks(rows.steps ?? [], 2000, (p) => ex.insert(sopProgress).values(p));
  await chunks(rows.qc ?? [], 2000, (p) => ex.insert(qcChecks).values(p));
}

/** Store ratings recomputed from the imported reviews. */
export async function ratingsByStore(
  ex: Executor,
): Promise<Array<{ storeId: string; avg: number; n: number }>> {
  const r = (await ex.execute(
    sql`select store_id as "storeId", avg(stars)::float8 as avg, count(*)::int as n from reviews group by store_id`,
  )) as unknown as {
    rows: Array<{ storeId: string; avg: number; n: number }>;
  };
  return r.rows;
}

export type DemoWorkOrderRow = typeof workOrders.$inferInsert;
export type DemoEventRow = typeof workOrderEvents.$inferInsert;
export type DemoLineRow = typeof estimateLines.$inferInsert;
export type DemoReviewRow = typeof reviews.$inferInsert;
export type DemoStepRow = typeof sopProgress.$inferInsert;
export type DemoQcRow = typeof qcChecks.$inferInsert;

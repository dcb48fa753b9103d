/** Bulk import of past bookings, payments and funnel rows (used by the demo loader only). */
import type { Executor } from '../../platform/db/types.js';
import { bookingHistory, bookings, funnelEvents, payments } from './schema.js';

async function chunks<T>(rows: T[], size: number, fn: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
}

export async function importBookingHistory(
  ex: Executor,
  rows: {
    bookings: Array<typeof bookings.$inferInsert>;
    history: Array<typeof bookingHistory.$inferInsert>;
    payments: Array<typeof payments.$inferInsert>;
    funnel: Array<typeof funnelEvents.$inferInsert>;
  },
): Promise<void> {
  await chunks(rows.bookings, 500, (p) => ex.insert(bookings).values(p));
  await chunks(rows.history, 1000, (p) => ex.insert(bookingHistory).values(p));
  await chunks(rows.payments, 1000, (p) => ex.insert(payments).values(p));
  await chunks(rows.funnel, 2000, (p) => ex.insert(funnelEvents).values(p));
}

export type DemoBookingRow = typeof bookings.$inferInsert;
export type DemoPaymentRow = typeof payments.$inferInsert;
export type DemoFunnelRow = typeof funnelEvents.$inferInsert;
export type DemoBookingHistoryRow = typeof bookingHistory.$inferInsert;

/**
 * Daily settlement of a store: what came in by payment method, refunds, the platform commission
 * (the store's rate on net revenue), and the payout due — money the platform collected online for
 * the store minus the commission on all of the store's revenue (a negative payout is owed by the
 * store).
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { localToUtc, addDays } from '../../platform/time.js';
import { payments, refunds } from './schema.js';

export interface Settlement {
  storeId: string;
  day: string;
  byMethod: Array<{ method: string; count: number; amountFen: number }>;
  grossFen: number;
  refundsFen: number;
  netFen: number;
  onlineCollectedFen: number;
  commissionBp: number;
  commissionFen: number;
  payoutDueFen: number;
}

/** Commission rounded half up to the fen. */
export const commissionOf = (netFen: number, bp: number): number =>
  Math.floor((netFen * bp * 2 + 10_000) / 20_000);

export async function dailySettlement(
  ex: Executor,
  store: { id: string; commissionBp: number },
  day: string,
  tz: string,
): Promise<Settlement> {
  const from = localToUtc(day, 0, tz);
  const to = localToUtc(addDays(day, 1), 0, tz);
  const rows = await ex
    .select({
      method: payments.method,
      kind: payments.kind,
      count: sql<number>`count(*)::int`,
      amount: sql<number>`coalesce(sum(${payments.amountFen}), 0)::int`,
    })
    .from(payments)
    .where(
      and(
        eq(payments.storeId, store.id),
        sql`${payments.status} in ('succeeded','partially_refunded','refunded')`,
        gte(payments.paidAt, from),
        lt(payments.paidAt, to),
      ),
    )
    .groupBy(payments.method, payments.kind);
  const [ref] = await ex
    .select({
      amount: sql<number>`coalesce(sum(${refunds.amountFen}), 0)::int`,
      online: sql<number>`coalesce(sum(case when ${payments.kind} = 'prepay' then ${refunds.amountFen} else 0 end), 0)::int`,
    })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(and(eq(payments.storeId, store.id), gte(refunds.completedAt, from), lt(refunds.completedAt, to)));
  const byMethod = new Map<string, { count: number; amountFen: number }>();
  let gross = 0;
  let online = 0;
  for (const r of rows) {
    const m = byMethod.get(r.method) ?? { count: 0, amountFen: 0 };
    m.count += r.count;
    m.amountFen += r.amount;
    byMethod.set(r.method, m);
    gross += r.amount;
    if (r.kind === 'prepay') online += r.amount;
  }
  const refundsFen = ref?.amount ?? 0;
  const net = gross - refundsFen;
  const commission = commissionOf(net, store.commissionBp);
  const onlineNet = online - (ref?.online ?? 0);
  return {
    storeId: store.id,
    day,
    byMethod: [...byMethod]
      .map(([method, v]) => ({ method, ...v }))
      .sort((a, b) => a.method.localeCompare(b.method)),
    grossFen: gross,
    refundsFen,
    netFen: net,
    onlineCollectedFen: onlineNet,
    commissionBp: store.commissionBp,
    commissionFen: commission,
    payoutDueFen: onlineNet - commission,
  };
}

/**
 * The conversion funnel log: searches, quotes, holds and confirmations. Searches are the hot path,
 * so rows are buffered, identical ones within a minute folded into one row with a count, and
 * written in batches (every second or 500 rows); losing the last second of search logs in a crash
 * is acceptable, losing a booking is not (bookings are written in
 * their own transaction). Holds and confirmations are logged in the booking transaction instead.
 */
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/types.js';
import { funnelEvents } from './schema.js';
import { errorSummary } from '../../platform/errors.js';

type FunnelRow = typeof funnelEvents.$inferInsert;

class FunnelBuffer {
  private rows: FunnelRow[] = [];
  private byKey = new Map<string, FunnelRow>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  constructor(private readonly ctx: AppContext) {
    ctx.lifecycle.onStop(() => this.flush());
  }
  add(row: FunnelRow): void {
    const minute = Math.floor((row.at instanceof Date ? row.at.getTime() : 0) / 60_000);
    const key = `${row.kind}|${row.ownerId ?? ''}|${row.storeId ?? ''}|${(row.items ?? []).join(',')}|${minute}`;
    const same = this.byKey.get(key);
    if (same) {
      same.count = (same.count ?? 1) + 1;
      return;
    }
    this.byKey.set(key, row);
    this.rows.push(row);
    if (this.rows.length >= 500) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), 1000);
  }
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.rows;
    this.rows = [];
    this.byKey.clear();
    if (!batch.length) return this.flushing;
    this.flushing = this.flushing
      .then(() =>
        this.ctx.db
          .insert(funnelEvents)
          .values(batch)
          .then(() => undefined),
      )
      .catch((e: unknown) =>
        this.ctx.log.warn({ err: errorSummary(e), dropped: batch.length }, 'funnel log write failed'),
      );
    return this.flushing;
  }
}

const buffers = new WeakMap<AppContext, FunnelBuffer>();

export function logSearch(
  ctx: AppContext,
  row: Omit<FunnelRow, 'kind'> & { kind: 'search' | 'quote' },
): void {
  let b = buffers.get(ctx);
  if (!b) buffers.set(ctx, (b = new FunnelBuffer(ctx)));
  b.add(row);
}

export async function flushFunnel(ctx: AppContext): Promise<void> {
  await buffers.get(ctx)?.flush();
}

/** Holds and confirmations: written in the caller's transaction. */
export async function logFunnel(ex: Executor, row: FunnelRow): Promise<void> {
  await ex.insert(funnelEvents).values(row);
}

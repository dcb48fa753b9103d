/**
 * Events between modules: a transactional outbox. `publish` writes the event, and one inbox row per
 * subscribed consumer, inside the caller's transaction; a dispatcher delivers each inbox row to its
 * handler in its own transaction and marks it processed there (at-least-once, exactly-once effect
 * for handlers that write only to the database). Rows are claimed with SKIP LOCKED so several
 * processes can share the work. NATS JetStream can carry the same events between processes when
 * NATS_URL is set; the database stays the source of truth.
 */
import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { eventInbox, events } from '../schema.js';
import type { Db, Executor, Tx } from '../db/types.js';
import type { Clock } from '../clock.js';
import { errorSummary } from '../errors.js';

export interface StoredEvent<P = unknown> {
  id: number;
  type: string;
  payload: P;
  orgPath: string | null;
  createdAt: Date;
}

export type EventHandler = (tx: Tx, event: StoredEvent) => Promise<void>;

interface Subscription {
  consumer: string;
  types: ReadonlySet<string>;
  handler: EventHandler;
  when: ((payload: unknown) => boolean) | undefined;
}

export const MAX_EVENT_ATTEMPTS = 10;

export class EventBus {
  private readonly subs = new Map<string, Subscription>();
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<number> | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * Registers a durable consumer; its name must stay stable across releases. `when` decides at
   * publish time, from the payload alone, whether the consumer wants an event at all (no inbox row
   * otherwise): for frequent events a consumer mostly ignores. Pure and the same in every process.
   */
  subscribe(
    consumer: string,
    types: readonly string[],
    handler: EventHandler,
    opts: { when?: (payload: unknown) => boolean } = {},
  ): void {
    if (this.subs.has(consumer)) throw new Error(`Event consumer ${consumer} registered twice`);
    this.subs.set(consumer, { consumer, types: new Set(types), handler, when: opts.when });
  }

  consumersOf(type: string, payload?: unknown): string[] {
    return [...this.subs.values()]
      .filter((s) => s.types.has(type) || s.types.has('*'))
      .filter((s) => !s.when || payload === undefined || s.when(payload))
      .map((s) => s.consumer);
  }

  /** Writes an event in the caller's transaction. */
  async publish(ex: Executor, type: string, payload: unknown, orgPath?: string | null): Promise<number> {
    const [row] = await ex
      .insert(events)
      .values({ type, payload, orgPath: orgPath ?? null, createdAt: this.clock.now() })
      .returning({ id: events.id });
    const id = row!.id;
    const consumers = this.consumersOf(type, payload);
    if (consumers.length > 0) {
      await ex
        .insert(eventInbox)
        .values(consumers.map((consumer) => ({ consumer, eventId: id, availableAt: this.clock.now() })));
    }
    return id;
  }

  /** Delivers pending inbox rows until none is due (or `max` were handled). Returns how many ran. */
  drain(max = 1000): Promise<number> {
    // One drain at a time per process; callers share the running one.
    this.draining ??= this.drainOnce(max).finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainOnce(max: number): Promise<number> {
    let handled = 0;
    while (handled < max) {
      const did = await this.deliverOne();
      if (!did) break;
      handled++;
    }
    return handled;
  }

  private async deliverOne(): Promise<boolean> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ consumer: eventInbox.consumer, eventId: eventInbox.eventId, attempts: eventInbox.attempts })
        .from(eventInbox)
        .where(
          and(
            isNull(eventInbox.processedAt),
            lte(eventInbox.availableAt, now),
            sql`${eventInbox.attempts} < ${MAX_EVENT_ATTEMPTS}`,
          ),
        )
        .orderBy(asc(eventInbox.eventId))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!row) return false;
      const key = and(eq(eventInbox.consumer, row.consumer), eq(eventInbox.eventId, row.eventId));
      const sub = this.subs.get(row.consumer);
      const [ev] = await tx.select().from(events).where(eq(events.id, row.eventId));
      if (!sub || !ev) {
        await tx.update(eventInbox).set({ processedAt: now, lastError: 'no handler' }).where(key);
        return true;
      }
      try {
        await tx.transaction(async (inner) => sub.handler(inner, ev));
        await tx
          .update(eventInbox)
          .set({ processedAt: now, attempts: row.attempts + 1 })
          .where(key);
      } catch (e) {
        const attempts = row.attempts + 1;
        const delayMs = Math.min(60 * 60_000, 1000 * 2 ** attempts);
        this.log.warn(
          { consumer: row.consumer, eventId: row.eventId, type: ev.type, attempts, err: errorText(e) },
          'event handler failed',
        );
        await tx
          .update(eventInbox)
          .set({
            attempts,
            lastError: errorText(e).slice(0, 1000),
            availableAt: new Date(now.getTime() + delayMs),
          })
          .where(key);
      }
      return true;
    });
  }

  /** Asks the background dispatcher to run now (e.g. another process published an event). */
  kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.tickNow(), 0);
    }
  }

  private tickNow: () => void = () => undefined;

  /** Polls for due rows in the background (the server does this; tests call drain()). */
  start(intervalMs = 250): void {
    if (this.timer) return;
    const tick = (): void => {
      if (!this.timer) return;
      this.drain()
        .catch((e: unknown) => this.log.error({ err: errorText(e) }, 'event dispatcher failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.tickNow = tick;
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.draining;
  }
}

const errorText = errorSummary;

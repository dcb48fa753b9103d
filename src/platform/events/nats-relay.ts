/**
 * With NATS_URL, events also travel over NATS JetStream: a relay publishes every committed event
 * row to the stream `PITLANE_EVENTS` (subject `pitlane.events.<type>`, message id = database id + event id, so a
 * re-publish after a crash is dropped as a duplicate) and marks it relayed in the same database.
 * Other services consume the stream with their own durable consumers; Pitlane's processes also
 * listen on it to wake their dispatchers at once instead of waiting for the next poll. The database
 * stays the source of truth: consumers inside Pitlane still claim inbox rows with SKIP LOCKED.
 */
import {
  connect,
  StringCodec,
  RetentionPolicy,
  StorageType,
  type NatsConnection,
  type JetStreamClient,
} from 'nats';
import { and, asc, inArray, isNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import type { Clock } from '../clock.js';
import { events } from '../schema.js';
import { errorSummary } from '../errors.js';
import { ensureSetting } from '../context.js';
import { randomUUID } from 'node:crypto';

export const STREAM = 'PITLANE_EVENTS';
export const SUBJECT_PREFIX = 'pitlane.events.';

export class NatsRelay {
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly sc = StringCodec();
  /** Identifies this database, so event ids from another (or a restored) database never collide. */
  private source = '';

  constructor(
    private readonly url: string,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onRemoteEvent: () => void,
  ) {}

  async start(intervalMs = 250): Promise<void> {
    this.source = await ensureSetting(this.db, 'events_source_id', () => randomUUID());
    this.nc = await connect({ servers: this.url, name: 'pitlane', maxReconnectAttempts: -1 });
    const jsm = await this.nc.jetstreamManager();
    try {
      await jsm.streams.info(STREAM);
    } catch {
      await jsm.streams.add({
        name: STREAM,
        subjects: [`${SUBJECT_PREFIX}>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: 7 * 24 * 3600 * 1e9,
        duplicate_window: 10 * 60 * 1e9,
      });
    }
    this.js = this.nc.jetstream();
    const sub = this.nc.subscribe(`${SUBJECT_PREFIX}>`);
    void (async () => {
      for await (const _m of sub) this.onRemoteEvent();
    })();
    const tick = (): void => {
      this.relay()
        .catch((e: unknown) => this.log.warn({ err: errorSummary(e) }, 'NATS relay failed; will retry'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
    this.log.info({ stream: STREAM }, 'events are relayed to NATS JetStream');
  }

  /** Publishes unrelayed events (oldest first) and marks them; returns how many. */
  relay(limit = 500): Promise<number> {
    this.running ??= this.relayOnce(limit).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async relayOnce(limit: number): Promise<number> {
    const js = this.js;
    if (!js) return 0;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(events)
        .where(isNull(events.relayedAt))
        .orderBy(asc(events.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (!rows.length) return 0;
      // Sent in order on one connection and acknowledged together; a failed ack rolls back the
      // mark, and the message id makes the retry a no-op on the stream.
      await Promise.all(
        rows.map((r) =>
          js.publish(
            `${SUBJECT_PREFIX}${r.type}`,
            this.sc.encode(
              JSON.stringify({
                id: r.id,
                source: this.source,
                type: r.type,
                orgPath: r.orgPath,
                createdAt: r.createdAt.toISOString(),
                payload: r.payload,
              }),
            ),
            { msgID: `${this.source}:${r.id}` },
          ),
        ),
      );
      await tx
        .update(events)
        .set({ relayedAt: this.clock.now() })
        .where(
          and(
            inArray(
              events.id,
              rows.map((r) => r.id),
            ),
            isNull(events.relayedAt),
          ),
        );
      return rows.length;
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.nc?.drain().catch(() => undefined);
  }
}

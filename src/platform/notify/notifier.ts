/**
 * Delivers the notification outbox. Channels sit behind one interface: in-app messages are stored
 * and read by the app; SMS and WeChat template messages go to HTTP webhooks (a provider adapter);
 * in development, messages without a provider are written to the log so codes can be read there.
 * Failed deliveries are retried with exponential back-off and, after the last attempt, stay
 * `failed` for operators to see.
 */
import { errorSummary } from '../errors.js';
import { and, asc, eq, lte } from 'drizzle-orm';
import type { Logger } from 'pino';
import { createHmac } from 'node:crypto';
import type { Db } from '../db/types.js';
import type { Clock } from '../clock.js';
import { notifications } from '../schema.js';
import type { Channel } from './outbox.js';
import { maskPhone } from '../domain/phone.js';

export const MAX_DELIVERY_ATTEMPTS = 6;

export type NotificationRow = typeof notifications.$inferSelect;

export interface ChannelAdapter {
  /** Resolves when the provider accepted the message; throws to retry. */
  send(n: NotificationRow): Promise<void>;
}

export class InAppAdapter implements ChannelAdapter {
  async send(): Promise<void> {
    /* stored in the table, shown in the app: nothing to push */
  }
}

/** Logs the message; used in development when no provider is configured. */
export class DevLogAdapter implements ChannelAdapter {
  constructor(private readonly log: Logger) {}
  async send(n: NotificationRow): Promise<void> {
    this.log.info(
      {
        notification: n.id,
        channel: n.channel,
        to: n.recipientAddress ? maskPhone(n.recipientAddress) : n.recipientUserId,
        template: n.template,
        payload: n.payload,
      },
      `[dev outbox] ${n.channel} ${n.template}`,
    );
  }
}

/** POSTs `{id, channel, template, to, payload}` with an HMAC-SHA256 signature header. */
export class WebhookAdapter implements ChannelAdapter {
  constructor(
    private readonly url: string,
    private readonly signingKey: string,
    private readonly timeoutMs = 5000,
  ) {}
  async send(n: NotificationRow): Promise<void> {
    const body = JSON.stringify({
      id: n.id,
      channel: n.channel,
      template: n.template,
      to: n.recipientAddress,
      payload: n.payload,
    });
    const signature = createHmac('sha256', this.signingKey).update(body).digest('hex');
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-pitlane-signature': signature,
        'idempotency-key': n.id,
      },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  }
}

export class Notifier {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly adapters: Record<Channel, ChannelAdapter>,
  ) {}

  /** Delivers due messages; returns how many were attempted. */
  deliverDue(limit = 100): Promise<number> {
    this.running ??= this.run(limit).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(limit: number): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.status, 'pending'), lte(notifications.nextAttemptAt, now)))
      .orderBy(asc(notifications.nextAttemptAt))
      .limit(limit);
    for (const n of due) {
      const adapter = this.adapters[n.channel as Channel];
      const attempts = n.attempts + 1;
      try {
        if (!adapter) throw new Error(`no adapter for channel ${n.channel}`);
        await adapter.send(n);
        await this.db
          .update(notifications)
          .set({ status: 'sent', attempts, sentAt: this.clock.now(), lastError: null })
          .where(eq(notifications.id, n.id));
      } catch (e) {
        const failed = attempts >= MAX_DELIVERY_ATTEMPTS;
        const msg = e instanceof Error ? e.message : String(e);
        this.log.warn(
          { notification: n.id, channel: n.channel, attempts, err: msg },
          'notification delivery failed',
        );
        await this.db
          .update(notifications)
          .set({
            status: failed ? 'failed' : 'pending',
            attempts,
            lastError: msg.slice(0, 500),
            nextAttemptAt: new Date(now.getTime() + 2000 * 4 ** Math.min(attempts, 6)),
          })
          .where(eq(notifications.id, n.id));
      }
    }
    return due.length;
  }

  start(intervalMs = 1000): void {
    if (this.timer) return;
    const tick = (): void => {
      this.deliverDue()
        .catch((e: unknown) => this.log.error({ err: errorSummary(e) }, 'notifier failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

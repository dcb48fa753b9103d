/**
 * Messages to people go through this outbox: written in the business transaction, delivered by the
 * Notifier (notifier.ts) through a channel adapter with retries and back-off.
 */
import { newId } from '../domain/ids.js';
import type { Executor } from '../db/types.js';
import { notifications } from '../schema.js';

export type Channel = 'in_app' | 'sms' | 'wechat';

export interface OutgoingMessage {
  channel: Channel;
  template: string;
  recipientUserId?: string | null;
  /** Phone number for SMS, openid for WeChat. Stored so delivery does not need another module. */
  recipientAddress?: string | null;
  payload: Record<string, unknown>;
  at?: Date;
}

export async function enqueueNotification(ex: Executor, m: OutgoingMessage): Promise<string> {
  const id = newId('ntf');
  await ex.insert(notifications).values({
    id,
    channel: m.channel,
    template: m.template,
    recipientUserId: m.recipientUserId ?? null,
    recipientAddress: m.recipientAddress ?? null,
    payload: m.payload,
    ...(m.at ? { createdAt: m.at, nextAttemptAt: m.at } : {}),
  });
  return id;
}

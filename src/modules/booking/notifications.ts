/**
 * What booking tells people, through the notification outbox: booking confirmed (in-app and SMS),
 * and a reminder the day before (a periodic job marks each booking once).
 */
import { and, eq, gte, isNull, lt } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import { enqueueNotification } from '../../platform/notify/outbox.js';
import { addDays, localToUtc, minutesToHhmm, utcToLocal } from '../../platform/time.js';
import { getUsersByIds } from '../identity/index.js';
import { storesByIds } from '../stores/index.js';
import { bookings } from './schema.js';

export function registerBookingNotifications(ctx: AppContext): void {
  ctx.bus.subscribe('booking.notify-confirmed', ['booking.confirmed'], async (tx, ev) => {
    const e = ev.payload as {
      bookingId: string;
      ownerId: string;
      storeName: string;
      startAt: string;
      totalFen: number;
    };
    const owner = (await getUsersByIds(tx, [e.ownerId])).get(e.ownerId);
    const local = utcToLocal(new Date(e.startAt), ctx.config.timezone);
    const payload = {
      bookingId: e.bookingId,
      storeName: e.storeName,
      day: local.day,
      time: minutesToHhmm(local.minute),
      totalFen: e.totalFen,
    };
    await enqueueNotification(tx, {
      channel: 'in_app',
      template: 'booking_confirmed',
      recipientUserId: e.ownerId,
      payload,
      at: ctx.clock.now(),
    });
    if (owner?.phone) {
      await enqueueNotification(tx, {
        channel: 'sms',
        template: 'booking_confirmed',
        recipientUserId: e.ownerId,
        recipientAddress: owner.phone,
        payload,
        at: ctx.clock.now(),
      });
    }
  });
}

/** Sends the day-before reminder for confirmed bookings starting tomorrow (local time). */
export async function sendDayBeforeReminders(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const tz = ctx.config.timezone;
  const tomorrow = addDays(utcToLocal(now, tz).day, 1);
  const from = localToUtc(tomorrow, 0, tz);
  const to = localToUtc(addDays(tomorrow, 1), 0, tz);
  return ctx.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(bookings)
      .where(
        and(
          eq(bookings.status, 'confirmed'),
          isNull(bookings.reminderSentAt),
          gte(bookings.startAt, from),
          lt(bookings.startAt, to),
        ),
      )
      .limit(500)
      .for('update', { skipLocked: true });
    if (!due.length) return 0;
    const owners = await getUsersByIds(
      tx,
      due.map((b) => b.ownerId),
    );
    const stores = new Map(
      (await storesByIds(tx, [...new Set(due.map((b) => b.storeId))])).map((s) => [s.id, s]),
    );
    for (const b of due) {
      const local = utcToLocal(b.startAt, tz);
      const s = stores.get(b.storeId);
      const payload = {
        bookingId: b.id,
        storeName: s?.name ?? '',
        address: s?.address ?? '',
        day: local.day,
        time: minutesToHhmm(local.minute),
      };
      await enqueueNotification(tx, {
        channel: 'in_app',
        template: 'booking_reminder',
        recipientUserId: b.ownerId,
        payload,
        at: now,
      });
      const phone = owners.get(b.ownerId)?.phone;
      if (phone)
        await enqueueNotification(tx, {
          channel: 'sms',
          template: 'booking_reminder',
          recipientUserId: b.ownerId,
          recipientAddress: phone,
          payload,
          at: now,
        });
      await tx.update(bookings).set({ reminderSentAt: now }).where(eq(bookings.id, b.id));
    }
    return due.length;
  });
}

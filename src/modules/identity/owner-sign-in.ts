/**
 * Car owners sign in with their mobile number and a one-time code sent by SMS through the
 * notification outbox. Codes are stored as HMACs, expire after 5 minutes and allow 5 tries; sending
 * is limited per number. An owner account is created on first sign-in.
 */
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { randomInt } from 'node:crypto';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { maskPhone, validatePhone } from '../../platform/domain/phone.js';
import type { AppContext } from '../../platform/context.js';
import { enqueueNotification } from '../../platform/notify/outbox.js';
import { assertNotBlocked, backoffKeys, recordFailure, resetOnSuccess } from '../../platform/auth/backoff.js';
import { openSession, type ClientInfo, type TokenPair } from './sessions.js';
import { otpCodes, users } from './schema.js';

export const OTP_TTL_SECONDS = 300;
export const OTP_MAX_TRIES = 5;
export const OTP_RESEND_SECONDS = 60;
export const OTP_MAX_PER_HOUR = 10;

export function normalizedPhoneOrThrow(phone: string): string {
  const v = validatePhone(phone);
  if (!v.valid) {
    throw new AppError(
      'phone.invalid',
      'validation',
      `Not a mainland mobile number: ${v.issues.map((i) => i.message).join('; ')}`,
      {
        errors: v.errors,
      },
    );
  }
  return v.normalized;
}

export async function requestOwnerCode(
  ctx: AppContext,
  phoneInput: string,
): Promise<{ sentTo: string; expiresIn: number }> {
  const phone = normalizedPhoneOrThrow(phoneInput);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const recent = await tx
      .select({ createdAt: otpCodes.createdAt })
      .from(otpCodes)
      .where(and(eq(otpCodes.phone, phone), gt(otpCodes.createdAt, new Date(now.getTime() - 3600_000))))
      .orderBy(desc(otpCodes.createdAt));
    const last = recent[0];
    if (last && now.getTime() - last.createdAt.getTime() < OTP_RESEND_SECONDS * 1000) {
      const wait = OTP_RESEND_SECONDS - Math.floor((now.getTime() - last.createdAt.getTime()) / 1000);
      throw new AppError(
        'auth.code_recently_sent',
        'rate_limited',
        `A code was just sent; wait ${wait} s before asking again`,
        {
          retryAfterSeconds: wait,
        },
      );
    }
    if (recent.length >= OTP_MAX_PER_HOUR) {
      throw new AppError(
        'auth.too_many_codes',
        'rate_limited',
        'Too many codes for this number; try again in an hour',
        {
          retryAfterSeconds: 3600,
        },
      );
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await tx.insert(otpCodes).values({
      id: newId('otp'),
      phone,
      codeHash: ctx.tokens.hmac(`${phone}:${code}`),
      createdAt: now,
      expiresAt: new Date(now.getTime() + OTP_TTL_SECONDS * 1000),
    });
    await enqueueNotification(tx, {
      channel: 'sms',
      template: 'sign_in_code',
      recipientAddress: phone,
      payload: { otp: code, minutes: OTP_TTL_SECONDS / 60 },
      at: now,
    });
    return { sentTo: maskPhone(phone), expiresIn: OTP_TTL_SECONDS };
  });
}

export async function signInOwner(
  ctx: AppContext,
  input: { phone: string; code: string },
  client: ClientInfo,
): Promise<TokenPair> {
  const phone = normalizedPhoneOrThrow(input.phone);
  const keys = backoffKeys(`phone:${phone}`, client.ip);
  const now = ctx.clock.now();
  await assertNotBlocked(ctx.db, keys, now);
  const wrong = new AppError(
    'auth.bad_code',
    'unauthenticated',
    'The code is wrong or has expired; ask for a new one',
  );
  const outcome = await ctx.db.transaction(async (tx) => {
    const [otp] = await tx
      .select()
      .from(otpCodes)
      .where(and(eq(otpCodes.phone, phone), isNull(otpCodes.consumedAt), gt(otpCodes.expiresAt, now)))
      .orderBy(desc(otpCodes.createdAt))
      .limit(1)
      .for('update');
    if (!otp || otp.attempts >= OTP_MAX_TRIES) return null;
    if (!ctx.tokens.verifyHmac(`${phone}:${input.code.trim()}`, otp.codeHash)) {
      await tx
        .update(otpCodes)
        .set({ attempts: sql`${otpCodes.attempts} + 1` })
        .where(eq(otpCodes.id, otp.id));
      return null;
    }
    await tx.update(otpCodes).set({ consumedAt: now }).where(eq(otpCodes.id, otp.id));
    await tx
      .insert(users)
      .values({
        id: newId('usr'),
        kind: 'owner',
        name: maskPhone(phone),
        phone,
        role: 'owner',
        createdAt: now,
      })
      .onConflictDoNothing();
    const [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.kind, 'owner'), eq(users.phone, phone)));
    if (!user || user.status !== 'active') {
      throw new AppError('auth.account_disabled', 'forbidden', 'This account is disabled; contact support');
    }
    await resetOnSuccess(tx, keys);
    return openSession(ctx, tx, user, client);
  });
  if (!outcome) {
    await recordFailure(ctx.db, keys, now);
    throw wrong;
  }
  return outcome;
}

/**
 * Exponential back-off after failed sign-ins, kept in the database so that several processes and a
 * restart agree. Three counters: per (account, address) pair — long back-off; per address — long
 * back-off for someone spraying many accounts; per account from anywhere — capped short, so nobody
 * can lock another person out for long.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../errors.js';
import { backoffCounters } from '../schema.js';
import type { Executor } from '../db/types.js';

interface Rule {
  free: number;
  capSeconds: number;
}
export const BACKOFF_RULES = {
  pair: { free: 3, capSeconds: 15 * 60 },
  ip: { free: 20, capSeconds: 15 * 60 },
  account: { free: 5, capSeconds: 60 },
} satisfies Record<string, Rule>;
type Kind = keyof typeof BACKOFF_RULES;

/** Failures older than this are forgotten. */
const DECAY_MS = 60 * 60 * 1000;

/** Seconds to wait after `failures` failures under a rule (0 while still free). */
export function backoffSeconds(rule: Rule, failures: number): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.capSeconds, 2 ** Math.min(30, failures - rule.free));
}

export function backoffKeys(account: string, ip: string): Record<Kind, string> {
  const a = account.trim().toLowerCase();
  return { pair: `pair:${a}|${ip}`, ip: `ip:${ip}`, account: `acct:${a}` };
}

/** Throws 429 with the wait when any counter is blocked. */
export async function assertNotBlocked(ex: Executor, keys: Record<Kind, string>, now: Date): Promise<void> {
  const rows = await ex
    .select()
    .from(backoffCounters)
    .where(inArray(backoffCounters.key, Object.values(keys)));
  let wait = 0;
  for (const r of rows) {
    if (r.blockedUntil && r.blockedUntil > now && now.getTime() - r.lastFailureAt.getTime() < DECAY_MS) {
      wait = Math.max(wait, Math.ceil((r.blockedUntil.getTime() - now.getTime()) / 1000));
    }
  }
  if (wait > 0) {
    throw new AppError(
      'auth.too_many_attempts',
      'rate_limited',
      `Too many failed attempts; try again in ${wait} s`,
      {
        retryAfterSeconds: wait,
      },
    );
  }
}

export async function recordFailure(ex: Executor, keys: Record<Kind, string>, now: Date): Promise<void> {
  for (const kind of Object.keys(keys) as Kind[]) {
    const key = keys[kind];
    const rule = BACKOFF_RULES[kind];
    const [row] = await ex
      .insert(backoffCounters)
      .values({ key, failures: 1, lastFailureAt: now })
      .onConflictDoUpdate({
        target: backoffCounters.key,
        set: {
          failures: sql`case when ${backoffCounters.lastFailureAt} < ${new Date(now.getTime() - DECAY_MS)} then 1 else ${backoffCounters.failures} + 1 end`,
          lastFailureAt: now,
        },
      })
      .returning({ failures: backoffCounters.failures });
    const wait = backoffSeconds(rule, row?.failures ?? 1);
    if (wait > 0) {
      await ex
        .update(backoffCounters)
        .set({ blockedUntil: new Date(now.getTime() + wait * 1000) })
        .where(eq(backoffCounters.key, key));
    }
  }
}

export async function resetOnSuccess(ex: Executor, keys: Record<Kind, string>): Promise<void> {
  await ex.delete(backoffCounters).where(inArray(backoffCounters.key, [keys.pair, keys.account]));
}

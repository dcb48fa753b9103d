/**
 * `Idempotency-Key` for POSTs that create something. The key row, the creation and the stored
 * answer commit in one transaction, so a retry after a timeout or a crash either replays the first
 * answer or runs for the first time — never twice. Reusing a key for a different request is a 422.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';
import type { Db, Tx } from '../db/types.js';
import { idempotencyKeys } from '../schema.js';

const KEY_RE = /^[\x21-\x7e]{8,200}$/;

export async function idempotent<T>(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  run: (tx: Tx) => Promise<T>,
): Promise<T> {
  const raw = req.headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined) {
    const result = await db.transaction(run);
    void reply.status(status);
    return result;
  }
  if (!KEY_RE.test(key)) {
    throw new AppError(
      'idempotency.bad_key',
      'validation',
      'Idempotency-Key must be 8–200 visible ASCII characters (a UUID is a good choice)',
    );
  }
  const principal = req.principal?.userId ?? `anon:${req.ip}`;
  const path = req.routeOptions.url ?? req.url;
  const requestHash = createHash('sha256')
    .update(req.method + ' ' + req.url + '\n' + JSON.stringify(req.body ?? null))
    .digest('base64url');

  const outcome = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({ principal, key, method: req.method, path, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length === 0) {
      const [prev] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
      if (!prev || prev.requestHash !== requestHash) {
        throw new AppError(
          'idempotency.key_reused',
          'validation',
          'This Idempotency-Key was already used for a different request; use a new key for a new request',
        );
      }
      if (prev.statusCode === null) {
        throw new AppError(
          'idempotency.in_progress',
          'conflict',
          'A request with this Idempotency-Key is still running',
        );
      }
      return { replay: true as const, status: prev.statusCode, body: prev.response as T };
    }
    const body = await run(tx);
    await tx
      .update(idempotencyKeys)
      .set({ statusCode: status, response: body as unknown as object })
      .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
    return { replay: false as const, status, body };
  });
  if (outcome.replay) void reply.header('idempotent-replayed', 'true');
  void reply.status(outcome.status);
  return outcome.body;
}

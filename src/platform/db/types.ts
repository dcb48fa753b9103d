import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { is, type ExtractTablesWithRelations } from 'drizzle-orm';

type NoSchema = Record<string, never>;

/** The database handle every service receives: PGlite or PostgreSQL, same query API. */
export type Db = PgDatabase<PgQueryResultHKT, NoSchema>;
/** An open transaction. */
export type Tx = PgTransaction<PgQueryResultHKT, NoSchema, ExtractTablesWithRelations<NoSchema>>;
/** Anything that runs queries: the database or a transaction inside it. */
export type Executor = Db | Tx;

export type DbKind = 'pglite' | 'postgres';

/** Whether `ex` is an open transaction (one connection) rather than the database (a pool). */
export function isTransaction(ex: Executor): ex is Tx {
  return is(ex, PgTransaction);
}

/**
 * Runs independent queries: all at once on the database (a pool gives each its own connection),
 * one after the other in a transaction, whose single connection runs one query at a time anyway
 * (pg queues them today with a deprecation warning; pg 9 refuses them).
 */
export async function together<const T extends ReadonlyArray<() => PromiseLike<unknown>>>(
  ex: Executor,
  work: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  type Out = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  if (!isTransaction(ex)) return (await Promise.all(work.map((w) => w()))) as Out;
  const out: unknown[] = [];
  for (const w of work) out.push(await w());
  return out as Out;
}

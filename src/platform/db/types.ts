import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';

type NoSchema = Record<string, never>;

/** The database handle every service receives: PGlite or PostgreSQL, same query API. */
export type Db = PgDatabase<PgQueryResultHKT, NoSchema>;
/** An open transaction. */
export type Tx = PgTransaction<PgQueryResultHKT, NoSchema, ExtractTablesWithRelations<NoSchema>>;
/** Anything that runs queries: the database or a transaction inside it. */
export type Executor = Db | Tx;

export type DbKind = 'pglite' | 'postgres';

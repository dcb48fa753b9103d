/**
 * Opens the database: PGlite in the data dir by default (locked against a second process), or
 * PostgreSQL through `pg` when DATABASE_URL is set. Both give the same drizzle API (Db).
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { sql } from 'drizzle-orm';
import pg from 'pg';
import path from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, DbKind, Executor } from './types.js';
import { lockDataDir, type DataDirLock } from './lock.js';

export interface Database {
  db: Db;
  kind: DbKind;
  /** The PGlite instance when embedded (for COPY, dumps); undefined on PostgreSQL. */
  pglite?: PGlite;
  /** The pg pool when on PostgreSQL. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

// Keep int8/numeric as exact strings except counts we cast ourselves; timestamps as Date.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

const inTransaction = new AsyncLocalStorage<{ active: boolean }>();

/**
 * PGlite has one connection: a query on the root handle while a transaction is open in the same
 * flow would wait on itself forever. This wrapper turns that deadlock into an immediate error that
 * names the mistake (pass the transaction instead).
 */
function guardPglite(client: PGlite): PGlite {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      if (prop === 'transaction') {
        return async (cb: (tx: unknown) => Promise<unknown>) => {
          const flag = { active: true };
          try {
            return await inTransaction.run(flag, () => target.transaction(cb as never));
          } finally {
            flag.active = false;
          }
        };
      }
      if (prop === 'query' || prop === 'exec' || prop === 'sql') {
        return (...args: unknown[]) => {
          if (inTransaction.getStore()?.active) {
            return Promise.reject(
              new Error(
                'A query on the database handle ran inside an open transaction; pass the transaction (tx) to it instead',
              ),
            );
          }
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (v as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

export async function openPglite(opts: {
  dataDir?: string;
  loadDataDir?: Blob;
  lock?: boolean;
}): Promise<Database> {
  let lock: DataDirLock | undefined;
  let pgDir: string | undefined;
  if (opts.dataDir) {
    if (opts.lock !== false) lock = lockDataDir(opts.dataDir);
    pgDir = path.join(opts.dataDir, 'pgdata');
  }
  try {
    const client = await PGlite.create({
      // On a Node data dir PGlite writes through the OS file API synchronously; its per-query
      // "sync to fs" step is a no-op there, and waiting for it only costs a scheduling round trip.
      // A committed transaction is in the OS page cache when the query returns: it survives a
      // process crash (tested with SIGKILL). Power-loss durability needs PostgreSQL.
      relaxedDurability: true,
      ...(pgDir ? { dataDir: pgDir } : {}),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
    const db = drizzlePglite(guardPglite(client)) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      pglite: client,
      async close() {
        try {
          await client.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (e) {
    lock?.release();
    throw e;
  }
}

export async function openPostgres(url: string, max = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'pitlane' });
  // Fail fast with a clear error when the server is not there.
  const c = await pool.connect();
  c.release();
  pool.on('error', () => {
    /* idle client errors are reported on next use */
  });
  const db = drizzlePg(pool) as unknown as Db;
  return { db, kind: 'postgres', pool, close: () => pool.end() };
}

export function openDatabase(cfg: { databaseUrl?: string | undefined; dataDir: string }): Promise<Database> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl) : openPglite({ dataDir: cfg.dataDir });
}

/** Runs raw SQL and returns its rows, the same on both drivers. */
export async function queryRows<T>(ex: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await ex.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

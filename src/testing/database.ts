/**
 * A fresh, migrated database for one test file: a copy of the PGlite template (default) or a new
 * PostgreSQL database cloned from the migrated template when the run has DATABASE_URL.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../platform/db/connect.js';

let dumpCache: Blob | undefined;

export async function freshDatabase(): Promise<Database> {
  const template = inject('pgTemplate');
  if (template) {
    const adminUrl = inject('pgAdminUrl');
    const name = `${template}_t_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`create database "${name}" template "${template}"`);
    } finally {
      await admin.end();
    }
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const db = await openPostgres(u.toString(), 20);
    return {
      ...db,
      async close() {
        await db.close();
        const a = new pg.Client({ connectionString: adminUrl });
        await a.connect();
        await a.query(`drop database if exists "${name}" with (force)`).catch(() => undefined);
        await a.end();
      },
    };
  }
  dumpCache ??= new Blob([readFileSync(inject('pgliteDump'))]);
  return openPglite({ loadDataDir: dumpCache });
}

/**
 * Runs once per `vitest run`: migrates a template database so each test file gets a fresh copy
 * quickly — a PGlite data-dir dump by default, or a PostgreSQL template database when
 * DATABASE_URL is set (then every test file runs on its own real PostgreSQL database).
 */
import type { TestProject } from 'vitest/node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres } from '../src/platform/db/connect.js';
import { runMigrations } from '../src/platform/db/migrate.js';
import { ensureReferenceData } from '../src/modules/reference-data.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    pgTemplate: string;
    pgAdminUrl: string;
  }
}

function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `pitlane_tmpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database "${template}"`);
    const database = await openPostgres(withDb(url, template), 2);
    await runMigrations(database);
    await database.db.transaction((tx) => ensureReferenceData(tx, new Date()));
    await database.close();
    project.provide('pgTemplate', template);
    project.provide('pgAdminUrl', url);
    project.provide('pgliteDump', '');
    return async () => {
      const left = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1 || '_t_%' or datname = $1`,
        [template],
      );
      for (const r of left.rows) await admin.query(`drop database if exists "${r.datname}" with (force)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitlane-test-'));
  const database = await openPglite({});
  await runMigrations(database);
  await database.db.transaction((tx) => ensureReferenceData(tx, new Date()));
  const dump = await database.pglite!.dumpDataDir('none');
  const file = path.join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgliteDump', file);
  project.provide('pgTemplate', '');
  project.provide('pgAdminUrl', '');
  return async () => rmSync(dir, { recursive: true, force: true });
}

/**
 * `pitlane backup <file>` / `pitlane restore <file>` for the embedded data dir. Both take the data-dir
 * lock, so they refuse to run while the server is up. On PostgreSQL use pg_dump / pg_restore.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { sql } from 'drizzle-orm';
import { AppError } from '../platform/errors.js';
import { openPglite } from '../platform/db/connect.js';
import { lockDataDir } from '../platform/db/lock.js';
import { runMigrations } from '../platform/db/migrate.js';

function embeddedOnly(config: Config): void {
  if (config.databaseUrl) {
    throw new AppError(
      'backup.postgres',
      'bad_request',
      'DATABASE_URL is set: back up PostgreSQL with pg_dump / pg_restore; these commands handle the embedded data dir',
    );
  }
}

export async function backup(config: Config, file: string): Promise<{ file: string; bytes: number }> {
  embeddedOnly(config);
  if (!existsSync(path.join(config.dataDir, 'pgdata'))) {
    throw new AppError('backup.no_data', 'not_found', `There is no embedded database in ${config.dataDir}`);
  }
  const database = await openPglite({ dataDir: config.dataDir });
  try {
    const dump = await database.pglite!.dumpDataDir('gzip');
    const bytes = Buffer.from(await dump.arrayBuffer());
    writeFileSync(file, bytes);
    return { file: path.resolve(file), bytes: bytes.length };
  } finally {
    await database.close();
  }
}

export async function restore(config: Config, file: string): Promise<{ previous: string | null }> {
  embeddedOnly(config);
  if (!existsSync(file)) throw new AppError('restore.no_file', 'not_found', `No backup file at ${file}`);
  const lock = lockDataDir(config.dataDir, 'restore');
  let previous: string | null = null;
  try {
    const pgdata = path.join(config.dataDir, 'pgdata');
    if (existsSync(pgdata)) {
      previous = `${pgdata}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(pgdata, previous);
    }
    lock.release();
    const database = await openPglite({
      dataDir: config.dataDir,
      loadDataDir: new Blob([readFileSync(file)]),
    });
    try {
      await runMigrations(database);
      // The restored database re-issues event ids past the backup: give it a new event source so
      // the NATS relay does not drop them as duplicates of what the old one published.
      await database.db.execute(sql`delete from settings where key = 'events_source_id'`);
    } finally {
      await database.close();
    }
    return { previous };
  } finally {
    lock.release();
  }
}

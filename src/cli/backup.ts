/**
 * `pitlane backup <file>` / `pitlane restore <file>` for the embedded data dir. Both take the data-dir
 * lock, so they refuse to run while the server is up. The archive holds the database dump and the blob
 * store (work-order photos); older archives (a bare database dump) still restore. On PostgreSQL use
 * pg_dump / pg_restore and back up the blob store (or its object storage) alongside.
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { create as createTar, extract as extractTar, list as listTar } from 'tar';
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

/** Marks the archive format: a PGlite dump plus the blob store (photos, documents). */
const MANIFEST = 'PITLANE-BACKUP.json';
const DUMP = 'pgdata.tar.gz';
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export async function backup(
  config: Config,
  file: string,
): Promise<{ file: string; bytes: number; blobs: boolean }> {
  embeddedOnly(config);
  if (!existsSync(path.join(config.dataDir, 'pgdata'))) {
    throw new AppError('backup.no_data', 'not_found', `There is no embedded database in ${config.dataDir}`);
  }
  const database = await openPglite({ dataDir: config.dataDir });
  // Staged inside the (locked) data dir, so the archive is built from one directory.
  const staging = mkdtempSync(path.join(config.dataDir, '.backup-'));
  try {
    const dump = await database.pglite!.dumpDataDir('gzip');
    writeFileSync(path.join(staging, DUMP), Buffer.from(await dump.arrayBuffer()));
    const blobs = path.join(config.dataDir, 'blobs');
    const hasBlobs = existsSync(blobs);
    if (hasBlobs) cpSync(blobs, path.join(staging, 'blobs'), { recursive: true });
    writeFileSync(
      path.join(staging, MANIFEST),
      JSON.stringify({ format: 1, createdAt: new Date().toISOString(), blobs: hasBlobs }),
    );
    await createTar({ gzip: true, file, cwd: staging, portable: true }, [
      MANIFEST,
      DUMP,
      ...(hasBlobs ? ['blobs'] : []),
    ]);
    return { file: path.resolve(file), bytes: statSync(file).size, blobs: hasBlobs };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await database.close();
  }
}

/** True for archives written by `backup` (older backups are a bare PGlite dump). */
async function isPitlaneArchive(file: string): Promise<boolean> {
  let found = false;
  try {
    await listTar({ file, strict: true, onReadEntry: (e) => void (e.path === MANIFEST && (found = true)) });
  } catch {
    throw new AppError('restore.bad_file', 'bad_request', `${file} is not a Pitlane backup`);
  }
  return found;
}

export async function restore(
  config: Config,
  file: string,
): Promise<{ previous: string | null; previousBlobs: string | null }> {
  embeddedOnly(config);
  if (!existsSync(file)) throw new AppError('restore.no_file', 'not_found', `No backup file at ${file}`);
  const lock = lockDataDir(config.dataDir, 'restore');
  let previous: string | null = null;
  let previousBlobs: string | null = null;
  const staging = mkdtempSync(path.join(config.dataDir, '.restore-'));
  try {
    let dumpFile = file;
    let stagedBlobs: string | null = null;
    if (await isPitlaneArchive(file)) {
      await extractTar({ file, cwd: staging });
      dumpFile = path.join(staging, DUMP);
      if (!existsSync(dumpFile))
        throw new AppError('restore.bad_file', 'bad_request', `${file} has no database dump in it`);
      if (existsSync(path.join(staging, 'blobs'))) stagedBlobs = path.join(staging, 'blobs');
    }
    const pgdata = path.join(config.dataDir, 'pgdata');
    if (existsSync(pgdata)) {
      previous = `${pgdata}.before-restore-${stamp()}`;
      renameSync(pgdata, previous);
    }
    const blobs = path.join(config.dataDir, 'blobs');
    if (stagedBlobs) {
      if (existsSync(blobs)) {
        previousBlobs = `${blobs}.before-restore-${stamp()}`;
        renameSync(blobs, previousBlobs);
      }
      renameSync(stagedBlobs, blobs);
    }
    lock.release();
    const database = await openPglite({
      dataDir: config.dataDir,
      loadDataDir: new Blob([readFileSync(dumpFile)]),
    });
    try {
      await runMigrations(database);
      // The restored database re-issues event ids past the backup: give it a new event source so
      // the NATS relay does not drop them as duplicates of what the old one published.
      await database.db.execute(sql`delete from settings where key = 'events_source_id'`);
    } finally {
      await database.close();
    }
    return { previous, previousBlobs };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}

/**
 * Backup and restore of the embedded data dir, in process: the archive carries the database and the
 * blob store (photos), a restore puts both back and keeps what was there aside, an older bare
 * database dump still restores, and a file that is not a backup is refused clearly.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../config.js';
import { openPglite, queryRows } from '../platform/db/connect.js';
import { runMigrations } from '../platform/db/migrate.js';
import { backup, restore } from './backup.js';

describe.skipIf(!!process.env.DATABASE_URL)('backup and restore', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pitlane-backup-'));
  const config = { ...testConfig(), databaseUrl: undefined, dataDir: path.join(dir, 'data') };
  const photo = path.join(config.dataDir, 'blobs', 'workorders', 'wo_1', 'a.jpg');

  async function setting(value: string | null): Promise<string | null> {
    const db = await openPglite({ dataDir: config.dataDir });
    try {
      await runMigrations(db);
      if (value !== null)
        await db.db.execute(
          sql`insert into settings (key, value) values ('probe', ${JSON.stringify(value)}::jsonb)
              on conflict (key) do update set value = excluded.value`,
        );
      const rows = await queryRows<{ value: string }>(
        db.db,
        sql`select value from settings where key = 'probe'`,
      );
      return rows[0]?.value ?? null;
    } finally {
      await db.close();
    }
  }

  it('carries the database and the stored photos, and keeps the replaced ones aside', async () => {
    mkdirSync(config.dataDir, { recursive: true });
    await setting('before');
    mkdirSync(path.dirname(photo), { recursive: true });
    writeFileSync(photo, 'jpeg bytes');
    const file = path.join(dir, 'b.tgz');
    const b = await backup(config, file);
    expect(b.blobs).toBe(true);

    await setting('changed');
    writeFileSync(photo, 'overwritten');
    const r = await restore(config, file);
    expect(r.previous).toMatch(/pgdata\.before-restore-/);
    expect(r.previousBlobs).toMatch(/blobs\.before-restore-/);
    expect(readFileSync(photo, 'utf8')).toBe('jpeg bytes');
    expect(readFileSync(path.join(r.previousBlobs!, 'workorders', 'wo_1', 'a.jpg'), 'utf8')).toBe(
      'overwritten',
    );
    expect(await setting(null)).toBe('before');
  });

  it('restores an older bare database dump and refuses a file that is no backup', async () => {
    const db = await openPglite({ dataDir: config.dataDir });
    const bare = path.join(dir, 'bare.tgz');
    try {
      await db.db.execute(sql`update settings set value = '"bare"'::jsonb where key = 'probe'`);
      writeFileSync(bare, Buffer.from(await (await db.pglite!.dumpDataDir('gzip')).arrayBuffer()));
    } finally {
      await db.close();
    }
    await setting('after');
    await restore(config, bare);
    expect(await setting(null)).toBe('bare');
    expect(existsSync(photo)).toBe(true); // a bare dump leaves the blob store alone

    const junk = path.join(dir, 'junk.tgz');
    writeFileSync(junk, 'not a tarball at all');
    await expect(restore(config, junk)).rejects.toThrow(/not a Pitlane backup/);
  });
});

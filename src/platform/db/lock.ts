/**
 * PGlite has no lock on its data folder: a second process could open it and its writes would be
 * silently lost. Pitlane takes an exclusive lock file in the data dir and refuses a second opener.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.js';

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

export function lockDataDir(dataDir: string, command = process.argv.slice(2).join(' ')): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'pitlane.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      const info: LockInfo = {
        pid: process.pid,
        host: os.hostname(),
        startedAt: new Date().toISOString(),
        command,
      };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (readLock(file)?.pid === process.pid) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { file, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(file);
      if (holder && holder.host === os.hostname() && holder.pid !== process.pid && alive(holder.pid)) {
        throw new AppError(
          'platform.data_dir_locked',
          'conflict',
          `The data directory ${dataDir} is in use by another Pitlane process (pid ${holder.pid}, ` +
            `"${holder.command}", since ${holder.startedAt}). Stop that process first, or, while the ` +
            `server runs, use its HTTP API instead of opening the data directory directly.`,
          { pid: holder.pid },
        );
      }
      if (holder && holder.host !== os.hostname()) {
        throw new AppError(
          'platform.data_dir_locked',
          'conflict',
          `The data directory ${dataDir} is locked by host ${holder.host} (pid ${holder.pid}). ` +
            `If that host no longer uses it, delete ${file}.`,
        );
      }
      // Stale lock from a process that is gone (crash, SIGKILL): take it over.
      try {
        unlinkSync(file);
      } catch {
        /* raced with another taker; retry */
      }
    }
  }
  throw new AppError('platform.data_dir_locked', 'conflict', `Could not lock the data directory ${dataDir}`);
}

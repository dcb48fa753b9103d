/** The data-dir lock: taken and given back, it leaves no lock file and no exit listener behind. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from './lock.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pitlane-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lockDataDir', () => {
  it('releases its file and its exit listener, however often a process opens the data dir', () => {
    const before = process.listenerCount('exit');
    for (let i = 0; i < 20; i++) {
      const lock = lockDataDir(dir, 'test');
      expect(existsSync(lock.file)).toBe(true);
      expect(process.listenerCount('exit')).toBe(before + 1);
      lock.release();
      lock.release(); // twice is harmless
      expect(existsSync(lock.file)).toBe(false);
    }
    expect(process.listenerCount('exit')).toBe(before);
  });
});

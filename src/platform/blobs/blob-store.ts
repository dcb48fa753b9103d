/**
 * Blob storage behind one small interface: local disk under the data dir by default, an in-memory
 * store for unit tests, and (later) S3-compatible storage in production.
 *
 * On-disk layout of {@link LocalDiskBlobStore} for the key `workorders/wo_1/ph_1.jpg`:
 *
 * ```
 * <root>/workorders/wo_1/ph_1.jpg~meta.json   {"v":1,"contentType":"image/jpeg","size":…,"sha256":"…"}
 * <root>/workorders/wo_1/ph_1.jpg~<sha256>    the bytes, named by their SHA-256
 * <root>/workorders/wo_1/ph_1.jpg~tmp-<rand>  only while a write is in flight
 * ```
 *
 * Every file the store creates has a `~` in its name and keys cannot contain `~`, so store files never
 * collide with a key, and key segments map to plain directories (keys `a` and `a/b` can both exist).
 * The sidecar is the single commit point: a put writes the bytes to a temp file, fsyncs, renames it to
 * `<name>~<sha256>`, then writes the sidecar the same way (temp, fsync, rename) and fsyncs the
 * directory; only then is the previous version's data file removed. A crash at any step leaves either
 * the old blob or the new one, never a half file; at worst an unreferenced temp or data file remains
 * (harmless, never read). Reads verify size and SHA-256 and raise `blob.corrupt` on a mismatch.
 * Operations on one key are serialised within the process; the data-dir lock keeps other processes out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { assertBlobKey, assertContentType } from './blob-key.js';

/** A stored blob. */
export interface StoredBlob {
  data: Buffer;
  contentType: string;
}

/** Key → bytes + content type. Keys: see {@link assertBlobKey}. */
export interface BlobStore {
  /** Stores (or atomically replaces) the blob under `key`. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The blob under `key`, or null when there is none. */
  get(key: string): Promise<StoredBlob | null>;
  /** Removes the blob under `key`; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Whether a blob is stored under `key`. */
  exists(key: string): Promise<boolean>;
}

/** Runs async work one at a time per key (in this process). */
class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

interface BlobMeta {
  v: 1;
  contentType: string;
  size: number;
  sha256: string;
}

const META_SUFFIX = '~meta.json';
const SHA256_HEX = /^[0-9a-f]{64}$/;

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function parseMeta(text: string): BlobMeta | null {
  try {
    const m = JSON.parse(text) as Partial<BlobMeta> | null;
    if (
      m !== null &&
      typeof m === 'object' &&
      m.v === 1 &&
      typeof m.contentType === 'string' &&
      Number.isSafeInteger(m.size) &&
      typeof m.sha256 === 'string' &&
      SHA256_HEX.test(m.sha256)
    ) {
      return { v: 1, contentType: m.contentType, size: m.size as number, sha256: m.sha256 };
    }
  } catch {
    /* fall through */
  }
  return null;
}

/** fsync a directory so renames/creations inside it survive a power cut (not possible on Windows). */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(dir, fsConstants.O_RDONLY);
  } catch (e) {
    if (process.platform === 'win32') return;
    throw e;
  }
  try {
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw e;
  } finally {
    await handle.close();
  }
}

/** Blobs as files under `rootDir`; see the module comment for the layout and crash guarantees. */
export class LocalDiskBlobStore implements BlobStore {
  readonly rootDir: string;
  private readonly locks = new KeyedMutex();

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
  }

  /** Directory and base name of `key` (validated). */
  private locate(key: string): { dir: string; base: string } {
    assertBlobKey(key);
    const file = path.join(this.rootDir, ...key.split('/'));
    const relative = path.relative(this.rootDir, file);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new AppError('blob.bad_key', 'validation', `Blob key ${JSON.stringify(key)} escapes the store`);
    }
    return { dir: path.dirname(file), base: path.basename(file) };
  }

  private async readMeta(dir: string, base: string, key: string): Promise<BlobMeta | null> {
    let text: string;
    try {
      text = await fs.readFile(path.join(dir, base + META_SUFFIX), 'utf8');
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
    const meta = parseMeta(text);
    if (!meta) throw new AppError('blob.corrupt', 'internal', `Blob ${key}: its metadata file is unreadable`);
    return meta;
  }

  /** Writes `data` to `<dir>/<name>` via a temp file in the same directory: write, fsync, rename. */
  private async writeAtomic(dir: string, base: string, name: string, data: Buffer | string): Promise<void> {
    const temp = path.join(dir, `${base}~tmp-${randomBytes(8).toString('hex')}`);
    try {
      const handle = await fs.open(temp, 'wx', 0o640);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, path.join(dir, name));
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
  }

  /** mkdir -p, fsyncing the parent of every directory it had to create. */
  private async ensureDir(dir: string): Promise<void> {
    const first = await fs.mkdir(dir, { recursive: true });
    if (first === undefined) return;
    // Created: `first` and its descendants down to `dir`; their parents are dirname(first) … dirname(dir).
    let parent = path.dirname(first);
    for (const segment of path.relative(parent, dir).split(path.sep).slice(0, -1)) {
      await syncDir(parent);
      parent = path.join(parent, segment);
    }
    await syncDir(parent);
  }

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    const { dir, base } = this.locate(key);
    assertContentType(contentType);
    if (!Buffer.isBuffer(data))
      throw new AppError('blob.bad_data', 'validation', 'Blob data must be a Buffer');
    await this.locks.run(key, async () => {
      await this.ensureDir(dir);
      const old = await this.readMeta(dir, base, key).catch(() => null);
      const meta: BlobMeta = { v: 1, contentType, size: data.length, sha256: sha256(data) };
      await this.writeAtomic(dir, base, `${base}~${meta.sha256}`, data);
      await this.writeAtomic(dir, base, base + META_SUFFIX, JSON.stringify(meta));
      await syncDir(dir);
      if (old && old.sha256 !== meta.sha256)
        await fs.rm(path.join(dir, `${base}~${old.sha256}`), { force: true });
    });
  }

  async get(key: string): Promise<StoredBlob | null> {
    const { dir, base } = this.locate(key);
    return this.locks.run(key, async () => {
      const meta = await this.readMeta(dir, base, key);
      if (!meta) return null;
      let data: Buffer;
      try {
        data = await fs.readFile(path.join(dir, `${base}~${meta.sha256}`));
      } catch (e) {
        if (isMissing(e))
          throw new AppError('blob.corrupt', 'internal', `Blob ${key}: its data file is missing`);
        throw e;
      }
      if (data.length !== meta.size || sha256(data) !== meta.sha256) {
        throw new AppError('blob.corrupt', 'internal', `Blob ${key}: checksum mismatch, the file is damaged`);
      }
      return { data, contentType: meta.contentType };
    });
  }

  async delete(key: string): Promise<void> {
    const { dir, base } = this.locate(key);
    await this.locks.run(key, async () => {
      const meta = await this.readMeta(dir, base, key).catch(() => null);
      try {
        await fs.rm(path.join(dir, base + META_SUFFIX));
      } catch (e) {
        if (isMissing(e)) return;
        throw e;
      }
      await syncDir(dir);
      if (meta) await fs.rm(path.join(dir, `${base}~${meta.sha256}`), { force: true });
    });
  }

  async exists(key: string): Promise<boolean> {
    const { dir, base } = this.locate(key);
    try {
      await fs.stat(path.join(dir, base + META_SUFFIX));
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }
}

/** A BlobStore in a Map, for unit tests of code that stores blobs. Copies bytes in and out. */
export class InMemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, StoredBlob>();

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    assertBlobKey(key);
    assertContentType(contentType);
    if (!Buffer.isBuffer(data))
      throw new AppError('blob.bad_data', 'validation', 'Blob data must be a Buffer');
    this.blobs.set(key, { data: Buffer.from(data), contentType });
  }

  async get(key: string): Promise<StoredBlob | null> {
    assertBlobKey(key);
    const blob = this.blobs.get(key);
    return blob ? { data: Buffer.from(blob.data), contentType: blob.contentType } : null;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    this.blobs.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    assertBlobKey(key);
    return this.blobs.has(key);
  }

  /** The stored keys, sorted (test helper; not part of BlobStore). */
  keys(): string[] {
    return [...this.blobs.keys()].sort();
  }
}

/** The default store: local disk at `<dataDir>/blobs`. */
export function createBlobStore(dataDir: string): BlobStore {
  return new LocalDiskBlobStore(path.join(dataDir, 'blobs'));
}

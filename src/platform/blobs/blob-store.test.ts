import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { blobKeyProblem, MAX_BLOB_KEY_LENGTH } from './blob-key.js';
import { createBlobStore, InMemoryBlobStore, LocalDiskBlobStore, type BlobStore } from './blob-store.js';

const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'pitlane-blobs-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = (): string => path.join(tmpRoot, `s${++dirCount}`);

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function rejectionCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a rejection');
}

const BAD_KEYS: [string, string][] = [
  ['empty', ''],
  ['leading slash', '/photos/a.jpg'],
  ['parent segment', 'photos/../etc/passwd'],
  ['bare ..', '..'],
  ['".." inside a name', 'a..b'],
  ['dot segment', 'photos/./a.jpg'],
  ['trailing slash', 'photos/'],
  ['double slash', 'photos//a.jpg'],
  ['upper case', 'Photos/a.jpg'],
  ['space', 'photos/a b.jpg'],
  ['backslash', 'photos\\a.jpg'],
  ['tilde (reserved for store files)', 'photos/a.jpg~meta.json'],
  ['NUL', 'photos/a\0.jpg'],
  ['non-ASCII', 'photos/照片.jpg'],
  ['too long', 'a'.repeat(MAX_BLOB_KEY_LENGTH + 1)],
];

describe.each<[string, () => BlobStore]>([
  ['InMemoryBlobStore', () => new InMemoryBlobStore()],
  ['LocalDiskBlobStore', () => new LocalDiskBlobStore(freshDir())],
])('%s (BlobStore contract)', (_name, makeStore) => {
  let store: BlobStore;
  beforeEach(() => {
    store = makeStore();
  });

  it('round-trips bytes and content type', async () => {
    const data = Buffer.from([0, 1, 2, 255, 254]);
    await store.put('workorders/wo_1/ph_1.jpg', data, 'image/jpeg');
    expect(await store.get('workorders/wo_1/ph_1.jpg')).toEqual({ data, contentType: 'image/jpeg' });
    expect(await store.exists('workorders/wo_1/ph_1.jpg')).toBe(true);
  });

  it('returns null / false for a missing key', async () => {
    expect(await store.get('nope/missing.bin')).toBeNull();
    expect(await store.exists('nope/missing.bin')).toBe(false);
  });

  it('overwrites data and content type', async () => {
    await store.put('k.bin', Buffer.from('first'), 'image/jpeg');
    await store.put('k.bin', Buffer.from('second, longer'), 'image/png');
    expect(await store.get('k.bin')).toEqual({
      data: Buffer.from('second, longer'),
      contentType: 'image/png',
    });
  });

  it('stores an empty blob', async () => {
    await store.put('empty', Buffer.alloc(0), 'application/octet-stream');
    expect(await store.get('empty')).toEqual({
      data: Buffer.alloc(0),
      contentType: 'application/octet-stream',
    });
  });

  it('deletes, and deleting a missing key is not an error', async () => {
    await store.put('a/b.txt', Buffer.from('x'), 'text/plain; charset=utf-8');
    await store.delete('a/b.txt');
    expect(await store.get('a/b.txt')).toBeNull();
    expect(await store.exists('a/b.txt')).toBe(false);
    await store.delete('a/b.txt');
    await store.delete('never/there');
  });

  it('lets a key and a "directory" of the same name coexist', async () => {
    await store.put('a', Buffer.from('top'), 'text/plain');
    await store.put('a/b', Buffer.from('nested'), 'text/plain');
    expect((await store.get('a'))?.data.toString()).toBe('top');
    expect((await store.get('a/b'))?.data.toString()).toBe('nested');
  });

  it('accepts a key of exactly the maximum length', async () => {
    const key = `${'d'.repeat(99)}/${'f'.repeat(MAX_BLOB_KEY_LENGTH - 100)}`;
    expect(key.length).toBe(MAX_BLOB_KEY_LENGTH);
    await store.put(key, Buffer.from('x'), 'text/plain');
    expect(await store.exists(key)).toBe(true);
  });

  it('hands out copies: mutating a buffer after put or get does not change the stored blob', async () => {
    const data = Buffer.from('original');
    await store.put('copy', data, 'text/plain');
    data.write('XXXXXXXX');
    const got = await store.get('copy');
    got?.data.write('YYYYYYYY');
    expect((await store.get('copy'))?.data.toString()).toBe('original');
  });

  it.each(BAD_KEYS)('refuses a key with %s on every operation', async (_why, key) => {
    expect(blobKeyProblem(key)).not.toBeNull();
    expect(await rejectionCode(store.put(key, Buffer.from('x'), 'text/plain'))).toBe('blob.bad_key');
    expect(await rejectionCode(store.get(key))).toBe('blob.bad_key');
    expect(await rejectionCode(store.exists(key))).toBe('blob.bad_key');
    expect(await rejectionCode(store.delete(key))).toBe('blob.bad_key');
  });

  it.each(['', 'jpeg', 'image/', '/jpeg', 'image/jpeg\nX-Evil: 1'])(
    'refuses the content type %j',
    async (contentType) => {
      expect(await rejectionCode(store.put('k', Buffer.from('x'), contentType))).toBe(
        'blob.bad_content_type',
      );
    },
  );

  it('ends concurrent puts to one key with one of the written values, consistently', async () => {
    const values = Array.from({ length: 8 }, (_, i) => ({
      data: Buffer.from(`value ${i}`),
      type: `image/x-${i}`,
    }));
    await Promise.all(values.map((v) => store.put('race', v.data, v.type)));
    const got = await store.get('race');
    const i = values.findIndex((v) => v.data.equals(got?.data ?? Buffer.alloc(0)));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(got?.contentType).toBe(`image/x-${i}`);
  });
});

describe('LocalDiskBlobStore on disk', () => {
  it('uses the documented layout: <name>~meta.json and <name>~<sha256>, no temp files left', async () => {
    const root = freshDir();
    const store = new LocalDiskBlobStore(root);
    const first = Buffer.from('first version');
    const second = Buffer.from('second version');
    await store.put('workorders/wo_1/ph_1.jpg', first, 'image/jpeg');
    await store.put('workorders/wo_1/ph_1.jpg', second, 'image/jpeg');
    await store.put('workorders/wo_1/ph_2.png', first, 'image/png');
    expect(filesUnder(root)).toEqual(
      [
        `workorders/wo_1/ph_1.jpg~${sha(second)}`,
        'workorders/wo_1/ph_1.jpg~meta.json',
        `workorders/wo_1/ph_2.png~${sha(first)}`,
        'workorders/wo_1/ph_2.png~meta.json',
      ].sort(),
    );
    expect(readFileSync(path.join(root, `workorders/wo_1/ph_1.jpg~${sha(second)}`))).toEqual(second);
    expect(JSON.parse(readFileSync(path.join(root, 'workorders/wo_1/ph_1.jpg~meta.json'), 'utf8'))).toEqual({
      v: 1,
      contentType: 'image/jpeg',
      size: second.length,
      sha256: sha(second),
    });
  });

  it('re-putting identical bytes keeps one data file', async () => {
    const root = freshDir();
    const store = new LocalDiskBlobStore(root);
    await store.put('same', Buffer.from('abc'), 'text/plain');
    await store.put('same', Buffer.from('abc'), 'text/csv');
    expect(filesUnder(root)).toEqual([`same~${sha(Buffer.from('abc'))}`, 'same~meta.json']);
    expect((await store.get('same'))?.contentType).toBe('text/csv');
  });

  it('delete removes both files of the key', async () => {
    const root = freshDir();
    const store = new LocalDiskBlobStore(root);
    await store.put('x/y', Buffer.from('abc'), 'text/plain');
    await store.delete('x/y');
    expect(filesUnder(root)).toEqual([]);
  });

  it('ignores what a crashed put leaves behind and still serves the committed version', async () => {
    const root = freshDir();
    const store = new LocalDiskBlobStore(root);
    await store.put('ph.jpg', Buffer.from('committed'), 'image/jpeg');
    // A put of a new version that died after writing its data file but before the sidecar rename:
    writeFileSync(path.join(root, 'ph.jpg~tmp-0123456789abcdef'), '{"v":1,"contentType":"image/png"');
    writeFileSync(path.join(root, `ph.jpg~${sha(Buffer.from('new'))}`), 'new');
    expect(await store.get('ph.jpg')).toEqual({ data: Buffer.from('committed'), contentType: 'image/jpeg' });
    // and a later put still works
    await store.put('ph.jpg', Buffer.from('newer'), 'image/png');
    expect(await store.get('ph.jpg')).toEqual({ data: Buffer.from('newer'), contentType: 'image/png' });
  });

  it('a key whose first put never committed does not exist', async () => {
    const root = freshDir();
    const store = new LocalDiskBlobStore(root);
    await store.put('other', Buffer.from('x'), 'text/plain');
    writeFileSync(path.join(root, `half~${sha(Buffer.from('half'))}`), 'half');
    expect(await store.exists('half')).toBe(false);
    expect(await store.get('half')).toBeNull();
  });

  it('detects a damaged data file or sidecar', async () => {
    const root = freshDir();
    const store = new LocalDiskBlobStore(root);
    await store.put('damaged', Buffer.from('good bytes'), 'text/plain');
    writeFileSync(path.join(root, `damaged~${sha(Buffer.from('good bytes'))}`), 'bad bytes!');
    expect(await rejectionCode(store.get('damaged'))).toBe('blob.corrupt');
    await store.put('meta', Buffer.from('x'), 'text/plain');
    writeFileSync(path.join(root, 'meta~meta.json'), 'not json');
    expect(await rejectionCode(store.get('meta'))).toBe('blob.corrupt');
    rmSync(path.join(root, `damaged~${sha(Buffer.from('good bytes'))}`));
    expect(await rejectionCode(store.get('damaged'))).toBe('blob.corrupt');
  });

  it('persists across store instances; createBlobStore uses <dataDir>/blobs', async () => {
    const dataDir = freshDir();
    await createBlobStore(dataDir).put('p/q.webp', Buffer.from('webp'), 'image/webp');
    expect(filesUnder(path.join(dataDir, 'blobs'))).toContain('p/q.webp~meta.json');
    expect(await createBlobStore(dataDir).get('p/q.webp')).toEqual({
      data: Buffer.from('webp'),
      contentType: 'image/webp',
    });
  });

  it('leaves no temp files after many concurrent writes', async () => {
    const root = freshDir();
    const store = new LocalDiskBlobStore(root);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.put(`k${i % 5}/v`, Buffer.from(`value ${i}`), 'text/plain')),
    );
    const files = filesUnder(root);
    expect(files.filter((f) => f.includes('~tmp-'))).toEqual([]);
    expect(files).toHaveLength(10);
  });
});

describe('blob keys (property)', () => {
  const segment = fc.stringMatching(/^[a-z0-9_-][a-z0-9_.-]{0,11}$/).filter((s) => !s.includes('..'));
  const validKey = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));

  it('every generated well-formed key is accepted and maps inside the store root', () => {
    const root = path.resolve('/srv/blobs');
    fc.assert(
      fc.property(validKey, (key) => {
        expect(blobKeyProblem(key)).toBeNull();
        const file = path.join(root, ...key.split('/'));
        expect(file.startsWith(root + path.sep)).toBe(true);
        expect(path.relative(root, file).split(path.sep).join('/')).toBe(key);
      }),
      { numRuns: 300 },
    );
  });

  it('no accepted string can escape the root or name a store file', () => {
    const root = path.resolve('/srv/blobs');
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '.', '/', '~', '\\', '_', '-', 'Z', '0') }),
        (key) => {
          if (blobKeyProblem(key) !== null) return;
          const file = path.join(root, ...key.split('/'));
          expect(file.startsWith(root + path.sep)).toBe(true);
          expect(key).not.toContain('~');
          expect(path.relative(root, file).split(path.sep).join('/')).toBe(key);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/**
 * Blob keys and content types, validated the same way by every BlobStore so that code tested against
 * the in-memory store behaves identically on disk (and later on S3-compatible storage).
 */
import { AppError } from '../errors.js';

/** Longest accepted key, in characters. */
export const MAX_BLOB_KEY_LENGTH = 200;

/** Segments of `[a-z0-9_.-]` joined by single `/`: no leading, trailing or doubled slash. */
const KEY_PATTERN = /^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)*$/;

/** `type/subtype` with optional parameters, e.g. `image/jpeg` or `text/plain; charset=utf-8`. */
const CONTENT_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(?:\s*;[ -~]*)?$/i;

/** Why `key` is not a valid blob key, or null when it is. */
export function blobKeyProblem(key: string): string | null {
  if (typeof key !== 'string') return 'must be a string';
  if (key.length === 0) return 'is empty';
  if (key.length > MAX_BLOB_KEY_LENGTH)
    return `is ${key.length} characters long (at most ${MAX_BLOB_KEY_LENGTH})`;
  if (key.startsWith('/')) return 'must not start with "/"';
  if (key.includes('..')) return 'must not contain ".."';
  if (!KEY_PATTERN.test(key)) {
    return 'may only use a-z 0-9 _ . - and "/" between non-empty segments (no trailing or doubled "/")';
  }
  if (key.split('/').includes('.')) return 'must not have a "." segment';
  return null;
}

/** Throws `blob.bad_key` (validation) unless `key` is a valid blob key. */
export function assertBlobKey(key: string): void {
  const problem = blobKeyProblem(key);
  if (problem === null) return;
  const shown = typeof key === 'string' ? JSON.stringify(key.slice(0, 80)) : String(key);
  throw new AppError('blob.bad_key', 'validation', `Blob key ${shown} ${problem}`, {
    key: typeof key === 'string' ? key.slice(0, MAX_BLOB_KEY_LENGTH + 1) : null,
  });
}

/** Throws `blob.bad_content_type` (validation) unless `contentType` looks like a MIME type. */
export function assertContentType(contentType: string): void {
  if (
    typeof contentType === 'string' &&
    contentType.length <= 200 &&
    CONTENT_TYPE_PATTERN.test(contentType)
  ) {
    return;
  }
  throw new AppError(
    'blob.bad_content_type',
    'validation',
    `Content type ${JSON.stringify(String(contentType).slice(0, 80))} is not a MIME type like "image/jpeg"`,
  );
}

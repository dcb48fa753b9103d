/**
 * Blob storage and the inspection-photo sanitizer.
 *
 * Typical upload path: `const photo = sanitizeImage(bytes, { maxBytes })`, then
 * `blobs.put('workorders/' + id + '/' + photoId + '.' + PHOTO_EXTENSIONS[photo.contentType], photo.data,
 * photo.contentType)`, storing `photo.orientation`, `photo.width` and `photo.height` with the photo's row.
 * Test helpers that build tiny JPEG/PNG/WebP files with metadata live in `./photo-fixtures.js`.
 */
export { MAX_BLOB_KEY_LENGTH, assertBlobKey, assertContentType, blobKeyProblem } from './blob-key.js';
export {
  InMemoryBlobStore,
  LocalDiskBlobStore,
  createBlobStore,
  type BlobStore,
  type StoredBlob,
} from './blob-store.js';
export {
  ACCEPTED_PHOTO_TYPES,
  PHOTO_EXTENSIONS,
  detectPhotoType,
  sanitizeImage,
  type PhotoContentType,
  type SanitizeOptions,
  type SanitizedImage,
} from './image-sanitize.js';

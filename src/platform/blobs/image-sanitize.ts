/**
 * Inspection-photo sanitizer: checks size and type (by magic bytes only — the client's content type
 * and file name are never trusted) and strips EXIF/GPS, XMP, comments and other metadata from JPEG,
 * PNG and WebP without re-encoding the pixels. Pure: no I/O, no decoding, deterministic and
 * idempotent (`sanitizeImage(sanitizeImage(x).data)` returns the same bytes and removes nothing).
 *
 * The EXIF orientation tag is lost with the EXIF block; its value is reported (`orientation` and
 * `exif:orientation=N` in `removed`) so the caller can store it and rotate on display.
 */
import { AppError, assertNever } from '../errors.js';
import { stripJpeg } from './jpeg-strip.js';
import { RemovalLog, type Stripped } from './photo-errors.js';
import { PNG_SIGNATURE, stripPng } from './png-strip.js';
import { stripWebp } from './webp-strip.js';

/** The content types a sanitized photo can have. */
export type PhotoContentType = 'image/jpeg' | 'image/png' | 'image/webp';

/** Accepted photo content types, in the order named in error messages. */
export const ACCEPTED_PHOTO_TYPES: readonly PhotoContentType[] = ['image/jpeg', 'image/png', 'image/webp'];

/** File extension for a photo content type (for building blob keys). */
export const PHOTO_EXTENSIONS: Readonly<Record<PhotoContentType, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

export interface SanitizeOptions {
  /** Largest accepted input, in bytes. */
  maxBytes: number;
}

export interface SanitizedImage {
  /** The image without metadata (a new buffer; the input is not modified). */
  data: Buffer;
  contentType: PhotoContentType;
  /** Pixel size from the image header; null only for a JPEG whose height is deferred to a DNL marker. */
  width: number | null;
  height: number | null;
  /**
   * What was removed, deduplicated, in file order: container parts such as `jpeg:APP1/Exif`,
   * `jpeg:APP1/XMP`, `jpeg:APP13/Photoshop 3.0`, `jpeg:COM`, `png:tEXt`, `png:eXIf`, `webp:EXIF`,
   * `webp:XMP`, `<format>:trailing-data`, and facts about the removed EXIF: `exif:gps`,
   * `exif:orientation=N`.
   */
  removed: string[];
  /** EXIF orientation (1–8) found in the removed metadata, or null. */
  orientation: number | null;
}

/** The photo type from the first bytes, or null when it is not JPEG, PNG or WebP. */
export function detectPhotoType(data: Buffer): PhotoContentType | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= PNG_SIGNATURE.length && data.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    return 'image/png';
  }
  if (
    data.length >= 12 &&
    data.toString('latin1', 0, 4) === 'RIFF' &&
    data.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return 'image/webp';
  }
  return null;
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** A short human name for what a rejected file looks like (for the error message only). */
function describeOther(data: Buffer): string {
  const at = (offset: number, text: string): boolean =>
    data.length >= offset + text.length && data.toString('latin1', offset, offset + text.length) === text;
  if (at(0, 'GIF8')) return 'GIF';
  if (at(4, 'ftyp')) {
    const brand = data.toString('latin1', 8, 12);
    if (HEIF_BRANDS.has(brand)) return 'HEIC/HEIF';
    if (brand === 'avif' || brand === 'avis') return 'AVIF';
    return 'an MP4/QuickTime-style file';
  }
  if (at(0, '%PDF')) return 'PDF';
  if (at(0, 'II*\0') || at(0, 'MM\0*')) return 'TIFF';
  if (at(0, 'BM')) return 'BMP';
  if (at(0, 'PK\x03\x04')) return 'a ZIP archive';
  if (at(0, '\xff\xd8') || at(0, '\x89PNG') || at(0, 'RIFF')) return 'a truncated or unknown image';
  const head = data
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/\ufffd+$/, ''); // a cut last character
  if (/<svg[\s>]/i.test(head)) return 'SVG';
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x08\x0e-\x1f\ufffd]/.test(head)) return 'text';
  return 'an unrecognised format';
}

function unsupported(data: Buffer): AppError {
  const detected = describeOther(data);
  const hint =
    detected === 'HEIC/HEIF'
      ? ' On an iPhone, choose Settings › Camera › Formats › Most Compatible to take JPEG photos.'
      : '';
  return new AppError(
    'photo.unsupported_type',
    'unsupported_media_type',
    `Photos must be JPEG, PNG or WebP; this file is ${detected}.${hint}`,
    { accepted: ACCEPTED_PHOTO_TYPES, detected },
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Validates and strips metadata from a photo.
 * Throws AppError `photo.empty` (validation), `photo.too_large` (payload_too_large),
 * `photo.unsupported_type` (unsupported_media_type) or `photo.corrupt` (validation).
 */
export function sanitizeImage(data: Buffer, opts: SanitizeOptions): SanitizedImage {
  if (!Number.isSafeInteger(opts.maxBytes) || opts.maxBytes <= 0) {
    throw new RangeError(`sanitizeImage: maxBytes must be a positive integer, got ${opts.maxBytes}`);
  }
  if (data.length === 0) throw new AppError('photo.empty', 'validation', 'The photo is empty (0 bytes)');
  if (data.length > opts.maxBytes) {
    throw new AppError(
      'photo.too_large',
      'payload_too_large',
      `The photo is ${formatBytes(data.length)}; the limit is ${formatBytes(opts.maxBytes)}`,
      { size: data.length, maxBytes: opts.maxBytes },
    );
  }
  const contentType = detectPhotoType(data);
  if (contentType === null) throw unsupported(data);
  const log = new RemovalLog();
  let stripped: Stripped;
  switch (contentType) {
    case 'image/jpeg':
      stripped = stripJpeg(data, log);
      break;
    case 'image/png':
      stripped = stripPng(data, log);
      break;
    case 'image/webp':
      stripped = stripWebp(data, log);
      break;
    default:
      return assertNever(contentType, 'photo type');
  }
  return { ...stripped, contentType, removed: log.list(), orientation: log.orientation };
}

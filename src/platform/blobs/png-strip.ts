/**
 * PNG metadata stripping by walking the chunks. Every chunk's CRC is verified, IHDR must come first
 * (13 bytes, non-zero size), at least one IDAT and a final IEND must be present; anything else is
 * `photo.corrupt`. Dropped: eXIf, tEXt, zTXt, iTXt (XMP lives in iTXt, ImageMagick puts EXIF in
 * zTXt), tIME, and bytes after IEND. Every other chunk is kept as is.
 */
import zlib from 'node:zlib';
import { corrupt, type RemovalLog, type Stripped } from './photo-errors.js';

/** The 8-byte PNG signature. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const DROPPED = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);
const MAX_U31 = 0x7fffffff;

/** Strips metadata from a PNG that starts with the PNG signature. */
export function stripPng(src: Buffer, log: RemovalLog): Stripped {
  const out: Buffer[] = [PNG_SIGNATURE];
  let pos = PNG_SIGNATURE.length;
  let width = 0;
  let height = 0;
  let sawIdat = false;
  for (;;) {
    if (pos + 12 > src.length) throw corrupt('png', 'missing IEND chunk', pos);
    const length = src.readUInt32BE(pos);
    const type = src.toString('latin1', pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw corrupt('png', 'invalid chunk type', pos + 4);
    if (length > MAX_U31 || pos + 12 + length > src.length) {
      throw corrupt('png', `${type} chunk runs past the end of the file`, pos);
    }
    const end = pos + 12 + length;
    const body = src.subarray(pos + 8, pos + 8 + length);
    if (zlib.crc32(src.subarray(pos + 4, pos + 8 + length)) !== src.readUInt32BE(pos + 8 + length)) {
      throw corrupt('png', `bad CRC in ${type} chunk`, pos + 8 + length);
    }
    if (pos === PNG_SIGNATURE.length) {
      if (type !== 'IHDR' || length !== 13) throw corrupt('png', 'the first chunk is not a valid IHDR', pos);
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (width === 0 || height === 0 || width > MAX_U31 || height > MAX_U31) {
        throw corrupt('png', 'IHDR has an invalid size', pos + 8);
      }
    } else if (type === 'IHDR') {
      throw corrupt('png', 'duplicate IHDR chunk', pos);
    }
    if (type === 'IDAT') sawIdat = true;
    if (DROPPED.has(type)) {
      log.add(`png:${type}`);
      if (type === 'eXIf') log.exif(body);
    } else {
      out.push(src.subarray(pos, end));
    }
    pos = end;
    if (type === 'IEND') break;
  }
  if (!sawIdat) throw corrupt('png', 'no IDAT chunk', pos);
  if (pos < src.length) log.add('png:trailing-data');
  return { data: Buffer.concat(out), width, height };
}
